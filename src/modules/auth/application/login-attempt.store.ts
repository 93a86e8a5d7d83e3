import type { AttemptCounter } from '../domain/login-lockout';

export interface CounterUpdate<T> {
  /** The counters to write; a counter with no failures may be deleted. */
  readonly next: ReadonlyMap<string, AttemptCounter>;
  readonly result: T;
}

/**
 * Port: failed sign-in counters by key (an account, an address), shared by every instance
 * (table `app.login_attempts`). `update` reads the counters of `keys` under a lock, calls
 * `decide`, and writes what it returns, atomically: concurrent attempts on one key are decided
 * one after the other. If `decide` throws, nothing is written and the error propagates.
 */
export abstract class LoginAttemptStore {
  abstract update<T>(
    keys: readonly string[],
    decide: (current: ReadonlyMap<string, AttemptCounter>) => CounterUpdate<T>,
  ): Promise<T>;
}
