/**
 * Lockout arithmetic for failed sign-ins, per account and per client address. Pure: the caller
 * reads and writes the counters (atomically) and passes the time.
 *
 * The first half of `maxFailures` failures costs nothing (people mistype). After that, each
 * further attempt must wait twice as long as the one before since the last failure (1 s, 2 s,
 * 4 s, …): "slow down". At `maxFailures` the key is locked for `lockMs`. A failure older than
 * `lockMs` is forgotten: the counter starts over, so a lock ends by itself.
 *
 * An attempt is counted as a failure *before* its password is checked and forgiven when it
 * succeeds, so that many attempts sent at once cannot all slip through before the first fails.
 */
export interface AttemptCounter {
  readonly failures: number;
  readonly lastFailureAt: Date | null;
}

export interface LockoutPolicy {
  /** Failures that lock the key. */
  readonly maxFailures: number;
  /** How long a lock lasts, and how long a failure is remembered. */
  readonly lockMs: number;
  /** The first slow-down wait; each further failure doubles it. */
  readonly baseDelayMs: number;
}

export type AttemptVerdict =
  | { readonly allowed: true }
  | {
      readonly allowed: false;
      readonly reason: 'slow_down' | 'locked';
      readonly retryAfterMs: number;
    };

export const NO_FAILURES: AttemptCounter = Object.freeze({ failures: 0, lastFailureAt: null });

/** Failures that still count at `now` (none once the last one is older than the lock). */
export function liveFailures(counter: AttemptCounter, now: Date, policy: LockoutPolicy): number {
  if (counter.lastFailureAt === null || counter.failures <= 0) return 0;
  return now.getTime() - counter.lastFailureAt.getTime() >= policy.lockMs ? 0 : counter.failures;
}

/** Failures allowed without any wait: half of those that lock. */
export function freeFailures(policy: LockoutPolicy): number {
  return Math.floor(policy.maxFailures / 2);
}

/** How long after the last failure the next attempt must come, given the failures so far. */
export function requiredWaitMs(failures: number, policy: LockoutPolicy): number {
  if (failures >= policy.maxFailures) return policy.lockMs;
  const free = freeFailures(policy);
  if (failures <= free) return 0;
  return Math.min(policy.baseDelayMs * 2 ** (failures - free - 1), policy.lockMs);
}

/** Whether an attempt may be made now and, if not, for how long it must wait. */
export function assessAttempt(
  counter: AttemptCounter,
  now: Date,
  policy: LockoutPolicy,
): AttemptVerdict {
  const failures = liveFailures(counter, now, policy);
  if (failures === 0 || counter.lastFailureAt === null) return { allowed: true };
  const readyAt = counter.lastFailureAt.getTime() + requiredWaitMs(failures, policy);
  if (readyAt <= now.getTime()) return { allowed: true };
  return {
    allowed: false,
    reason: failures >= policy.maxFailures ? 'locked' : 'slow_down',
    retryAfterMs: readyAt - now.getTime(),
  };
}

/** The counter after an attempt is made (counted as a failure until it succeeds). */
export function countAttempt(
  counter: AttemptCounter,
  now: Date,
  policy: LockoutPolicy,
): AttemptCounter {
  return { failures: liveFailures(counter, now, policy) + 1, lastFailureAt: now };
}

/** An address's counter after one of its attempts succeeded: that attempt is taken back. */
export function forgiveAttempt(counter: AttemptCounter): AttemptCounter {
  return { failures: Math.max(0, counter.failures - 1), lastFailureAt: counter.lastFailureAt };
}
