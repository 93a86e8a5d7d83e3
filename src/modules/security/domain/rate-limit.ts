import { hash } from 'node:crypto';

/**
 * Rate limiting as fixed windows: a client's first request opens a window of `ttl`; requests
 * beyond `limit` within it are refused until it closes (or, for a longer block duration, until
 * the block ends). The memory store runs `countHit`; the Redis store runs the same steps in one
 * Lua script, so both answer alike.
 */

/** One counter: hits so far and when the window (or the block) ends, in epoch milliseconds. */
export interface RateWindow {
  hits: number;
  expiresAt: number;
}

/** What a counted request learns; the same shape as @nestjs/throttler's storage record. */
export interface RateLimitOutcome {
  readonly totalHits: number;
  /** Seconds until the window resets. */
  readonly timeToExpire: number;
  readonly isBlocked: boolean;
  /** Seconds until a blocked client may try again; 0 when not blocked. */
  readonly timeToBlockExpire: number;
}

/** Counts one request in `window` (opened or renewed as needed) and says whether it is refused. */
export function countHit(
  window: RateWindow | undefined,
  now: number,
  ttlMs: number,
  limit: number,
  blockDurationMs: number,
): { window: RateWindow; outcome: RateLimitOutcome } {
  const current =
    window !== undefined && window.expiresAt > now ? window : { hits: 0, expiresAt: now + ttlMs };
  current.hits += 1;
  const blocked = current.hits > limit;
  // The request that crosses the limit starts the block; a block longer than what is left of the
  // window (e.g. a login route's 15 minutes) keeps the counter until the block ends.
  if (current.hits === limit + 1 && now + blockDurationMs > current.expiresAt) {
    current.expiresAt = now + blockDurationMs;
  }
  const seconds = secondsUntil(current.expiresAt, now);
  return {
    window: current,
    outcome: {
      totalHits: current.hits,
      timeToExpire: seconds,
      isBlocked: blocked,
      timeToBlockExpire: blocked ? seconds : 0,
    },
  };
}

/** Whole seconds until `at`, at least 1 (a header saying 0 would invite an immediate retry). */
export function secondsUntil(at: number, now: number): number {
  return Math.max(1, Math.ceil((at - now) / 1000));
}

/** The answer when the counter store cannot be asked: let the request through (fail open). */
export function failOpenOutcome(ttlMs: number): RateLimitOutcome {
  return {
    totalHits: 0,
    timeToExpire: secondsUntil(ttlMs, 0),
    isBlocked: false,
    timeToBlockExpire: 0,
  };
}

/**
 * `X-RateLimit-*` headers (and `Retry-After` when refused) for an outcome. A throttler other than
 * the default one gets its name as a suffix of the X-RateLimit headers, as @nestjs/throttler
 * does; `Retry-After` is the standard header and never suffixed.
 */
export function rateLimitHeaders(
  limit: number,
  outcome: RateLimitOutcome,
  throttlerName = 'default',
): Record<string, string> {
  const suffix = throttlerName === 'default' ? '' : `-${throttlerName}`;
  return {
    [`X-RateLimit-Limit${suffix}`]: String(limit),
    [`X-RateLimit-Remaining${suffix}`]: String(Math.max(0, limit - outcome.totalHits)),
    [`X-RateLimit-Reset${suffix}`]: String(outcome.timeToExpire),
    ...(outcome.isBlocked ? { 'Retry-After': String(outcome.timeToBlockExpire) } : {}),
  };
}

/** The problem detail of a refused request. */
export function rateLimitDetail(retryAfterSeconds: number): string {
  return `Too many requests from this address. Try again in ${retryAfterSeconds} s.`;
}

/**
 * Counter keys. Client addresses are personal data: stores only ever see a hash of them.
 * A client's default budget is shared by every route that has no limit of its own; a route with
 * its own `@Throttle` limit (e.g. a login) counts in a budget of its own.
 */
export function clientBudgetKey(throttlerName: string, tracker: string): string {
  return `${throttlerName}:client:${digest(tracker)}`;
}

export function routeBudgetKey(throttlerName: string, route: string, tracker: string): string {
  return `${throttlerName}:route:${digest(`${route}\n${tracker}`)}`;
}

/** The same SHA-256 as `createHash`, through the one-shot `hash`: about half the cost per key. */
function digest(value: string): string {
  return hash('sha256', value, 'base64url').slice(0, 32);
}

/** The default budget: requests per minute. */
export const RATE_WINDOW_MS = 60_000;

/**
 * Probes are never limited: an orchestrator polling them must not lock itself out, and they do
 * no work worth protecting. The guard skips these paths as it skips routes marked @SkipThrottle,
 * so a probe needs no decorator (and the future /metrics is covered already).
 */
export const UNTHROTTLED_PATHS: readonly string[] = ['/health/live', '/health/ready', '/metrics'];

export function isUnthrottledPath(path: string): boolean {
  return UNTHROTTLED_PATHS.includes(path) || path.startsWith('/health/');
}

/** Marks a request whose limit the guard has already decided (counted, or skipped on purpose). */
export const RATE_LIMIT_DECIDED = Symbol.for('symptom-diary.rate-limit-decided');
