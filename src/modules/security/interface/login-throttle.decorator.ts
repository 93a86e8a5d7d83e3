import { Throttle } from '@nestjs/throttler';

/** Attempts a client address may make at a login route per window. */
export const LOGIN_ATTEMPTS_PER_WINDOW = 5;
export const LOGIN_WINDOW_MS = 60_000;
/** How long an address that exceeded them is refused: long enough to make guessing slow. */
export const LOGIN_BLOCK_MS = 15 * 60_000;

/**
 * The stricter limit for a login route (there is none yet; the authentication work puts this on
 * it): 5 attempts a minute per client address, then 15 minutes of 429. The route counts in a
 * budget of its own (RateLimitGuard), so browsing the API does not use up login attempts and
 * guessing passwords does not eat into the general budget.
 */
export function LoginThrottle(): MethodDecorator & ClassDecorator {
  return Throttle({
    default: {
      limit: LOGIN_ATTEMPTS_PER_WINDOW,
      ttl: LOGIN_WINDOW_MS,
      blockDuration: LOGIN_BLOCK_MS,
    },
  });
}
