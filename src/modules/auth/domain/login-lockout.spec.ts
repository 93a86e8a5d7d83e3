import {
  AttemptCounter,
  assessAttempt,
  countAttempt,
  forgiveAttempt,
  freeFailures,
  liveFailures,
  LockoutPolicy,
  NO_FAILURES,
  requiredWaitMs,
} from './login-lockout';

const MINUTE = 60_000;
const policy: LockoutPolicy = { maxFailures: 10, lockMs: 15 * MINUTE, baseDelayMs: 1000 };
const t0 = new Date('2026-11-12T10:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

/** `n` failures in a row, each made as soon as it was allowed; the counter and the last time. */
function failRepeatedly(n: number): { counter: AttemptCounter; now: Date } {
  let counter = NO_FAILURES;
  let now = t0;
  for (let i = 0; i < n; i++) {
    const verdict = assessAttempt(counter, now, policy);
    if (!verdict.allowed) now = at(now.getTime() - t0.getTime() + verdict.retryAfterMs);
    expect(assessAttempt(counter, now, policy)).toEqual({ allowed: true });
    counter = countAttempt(counter, now, policy);
  }
  return { counter, now };
}

describe('login lockout arithmetic', () => {
  it('lets the first half of the failures through without any wait', () => {
    expect(freeFailures(policy)).toBe(5);
    for (let failures = 0; failures <= 5; failures++) {
      expect(requiredWaitMs(failures, policy)).toBe(0);
    }
  });

  it('then doubles the wait with each failure (1 s, 2 s, 4 s, 8 s), and locks at the maximum', () => {
    expect([6, 7, 8, 9].map((f) => requiredWaitMs(f, policy))).toEqual([1000, 2000, 4000, 8000]);
    expect(requiredWaitMs(10, policy)).toBe(15 * MINUTE);
    expect(requiredWaitMs(25, policy)).toBe(15 * MINUTE);
  });

  it('never asks to wait longer than the lock', () => {
    const long: LockoutPolicy = { maxFailures: 100, lockMs: 10_000, baseDelayMs: 1000 };
    expect(requiredWaitMs(99, long)).toBe(10_000);
  });

  it('refuses an attempt made too soon, saying how long to wait', () => {
    const { counter, now } = failRepeatedly(6);
    expect(counter.failures).toBe(6);
    expect(assessAttempt(counter, now, policy)).toEqual({
      allowed: false,
      reason: 'slow_down',
      retryAfterMs: 1000,
    });
    expect(assessAttempt(counter, at(now.getTime() - t0.getTime() + 400), policy)).toEqual({
      allowed: false,
      reason: 'slow_down',
      retryAfterMs: 600,
    });
    expect(assessAttempt(counter, at(now.getTime() - t0.getTime() + 1000), policy)).toEqual({
      allowed: true,
    });
  });

  it('locks after the maximum for the lock time, then starts over', () => {
    const { counter, now } = failRepeatedly(10);
    const offset = now.getTime() - t0.getTime();
    expect(assessAttempt(counter, now, policy)).toEqual({
      allowed: false,
      reason: 'locked',
      retryAfterMs: 15 * MINUTE,
    });
    expect(assessAttempt(counter, at(offset + 14 * MINUTE), policy)).toMatchObject({
      allowed: false,
      reason: 'locked',
    });
    const later = at(offset + 15 * MINUTE);
    expect(assessAttempt(counter, later, policy)).toEqual({ allowed: true });
    expect(liveFailures(counter, later, policy)).toBe(0);
    expect(countAttempt(counter, later, policy)).toEqual({ failures: 1, lastFailureAt: later });
  });

  it('forgets failures older than the lock time', () => {
    const counter: AttemptCounter = { failures: 4, lastFailureAt: t0 };
    expect(liveFailures(counter, at(15 * MINUTE - 1), policy)).toBe(4);
    expect(liveFailures(counter, at(15 * MINUTE), policy)).toBe(0);
  });

  it('counts an attempt before it is checked, and forgives one that succeeded', () => {
    const counted = countAttempt(NO_FAILURES, t0, policy);
    expect(counted).toEqual({ failures: 1, lastFailureAt: t0 });
    expect(forgiveAttempt(counted)).toEqual({ failures: 0, lastFailureAt: t0 });
    expect(forgiveAttempt(NO_FAILURES)).toEqual(NO_FAILURES);
  });

  it('with a small maximum (3): one free failure, one wait of 1 s, then the lock', () => {
    const small: LockoutPolicy = { maxFailures: 3, lockMs: 15 * MINUTE, baseDelayMs: 1000 };
    expect([0, 1, 2, 3].map((f) => requiredWaitMs(f, small))).toEqual([0, 0, 1000, 15 * MINUTE]);
  });
});
