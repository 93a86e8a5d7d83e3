import {
  clientBudgetKey,
  countHit,
  failOpenOutcome,
  isUnthrottledPath,
  rateLimitHeaders,
  routeBudgetKey,
} from './rate-limit';

describe('countHit (fixed window)', () => {
  const T0 = 1_000_000;

  function run(times: number, limit: number, blockMs = 60_000, now = T0) {
    let counted = countHit(undefined, now, 60_000, limit, blockMs);
    for (let i = 1; i < times; i++) counted = countHit(counted.window, now, 60_000, limit, blockMs);
    return counted;
  }

  it('opens a window on the first hit and counts within it', () => {
    expect(countHit(undefined, T0, 60_000, 3, 60_000).outcome).toEqual({
      totalHits: 1,
      timeToExpire: 60,
      isBlocked: false,
      timeToBlockExpire: 0,
    });
    expect(run(3, 3).outcome).toMatchObject({ totalHits: 3, isBlocked: false });
  });

  it('refuses beyond the limit until the window ends', () => {
    const { window, outcome } = run(4, 3);
    expect(outcome).toEqual({
      totalHits: 4,
      timeToExpire: 60,
      isBlocked: true,
      timeToBlockExpire: 60,
    });
    const later = countHit(window, T0 + 45_500, 60_000, 3, 60_000).outcome;
    expect(later).toMatchObject({ isBlocked: true, timeToBlockExpire: 15 });
  });

  it('starts afresh once the window has ended', () => {
    const { window } = run(4, 3);
    const next = countHit(window, T0 + 60_000, 60_000, 3, 60_000);
    expect(next.outcome).toMatchObject({ totalHits: 1, isBlocked: false, timeToExpire: 60 });
    expect(next.window.expiresAt).toBe(T0 + 120_000);
  });

  it('a block longer than the window keeps the client out for the whole block', () => {
    const { window, outcome } = run(6, 5, 15 * 60_000);
    expect(outcome).toMatchObject({ isBlocked: true, timeToBlockExpire: 900 });
    const afterWindow = countHit(window, T0 + 61_000, 60_000, 5, 15 * 60_000).outcome;
    expect(afterWindow).toMatchObject({ isBlocked: true, timeToBlockExpire: 839 });
    const afterBlock = countHit(window, T0 + 900_000, 60_000, 5, 15 * 60_000).outcome;
    expect(afterBlock).toMatchObject({ isBlocked: false, totalHits: 1 });
  });

  it('never says 0 seconds (an invitation to retry at once)', () => {
    const { window } = run(4, 3);
    expect(countHit(window, T0 + 59_999, 60_000, 3, 60_000).outcome.timeToBlockExpire).toBe(1);
  });
});

describe('rateLimitHeaders', () => {
  it('names limit, remaining and reset; Retry-After only when refused', () => {
    expect(
      rateLimitHeaders(60, {
        totalHits: 10,
        timeToExpire: 42,
        isBlocked: false,
        timeToBlockExpire: 0,
      }),
    ).toEqual({
      'X-RateLimit-Limit': '60',
      'X-RateLimit-Remaining': '50',
      'X-RateLimit-Reset': '42',
    });
    expect(
      rateLimitHeaders(60, {
        totalHits: 75,
        timeToExpire: 7,
        isBlocked: true,
        timeToBlockExpire: 7,
      }),
    ).toEqual({
      'X-RateLimit-Limit': '60',
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset': '7',
      'Retry-After': '7',
    });
  });

  it('suffixes the X-RateLimit headers of a named throttler, never Retry-After', () => {
    const headers = rateLimitHeaders(
      5,
      { totalHits: 6, timeToExpire: 900, isBlocked: true, timeToBlockExpire: 900 },
      'login',
    );
    expect(Object.keys(headers).sort()).toEqual(
      [
        'Retry-After',
        'X-RateLimit-Limit-login',
        'X-RateLimit-Remaining-login',
        'X-RateLimit-Reset-login',
      ].sort(),
    );
  });

  it('fail-open answers let the request through with the whole budget shown', () => {
    expect(rateLimitHeaders(60, failOpenOutcome(60_000))).toMatchObject({
      'X-RateLimit-Remaining': '60',
      'X-RateLimit-Reset': '60',
    });
  });
});

describe('budget keys', () => {
  it('never contain the client address, and differ per client, route and throttler', () => {
    const a = clientBudgetKey('default', '203.0.113.7');
    expect(a).not.toContain('203.0.113.7');
    expect(a).toBe(clientBudgetKey('default', '203.0.113.7'));
    expect(a).not.toBe(clientBudgetKey('default', '203.0.113.8'));
    expect(a).not.toBe(clientBudgetKey('other', '203.0.113.7'));
    const login = routeBudgetKey('default', 'AuthController.login', '203.0.113.7');
    expect(login).not.toContain('203.0.113.7');
    expect(login).not.toBe(a);
    expect(login).not.toBe(routeBudgetKey('default', 'CspReportController.receive', '203.0.113.7'));
  });
});

describe('isUnthrottledPath', () => {
  it('covers the probes and /metrics only', () => {
    expect(isUnthrottledPath('/health/live')).toBe(true);
    expect(isUnthrottledPath('/health/ready')).toBe(true);
    expect(isUnthrottledPath('/metrics')).toBe(true);
    expect(isUnthrottledPath('/api/health/symptoms')).toBe(false);
    expect(isUnthrottledPath('/docs')).toBe(false);
    expect(isUnthrottledPath('/healthz')).toBe(false);
  });
});
