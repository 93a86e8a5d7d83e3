import { TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => (now = 1_000_000));

  it('lets a burst of one second through, then refuses with the wait for the next token', () => {
    const bucket = new TokenBucket(4, clock);
    for (let i = 0; i < 4; i++) expect(bucket.take()).toEqual({ ok: true });
    expect(bucket.take()).toEqual({ ok: false, retryAfterMs: 250 });
    now += 100;
    expect(bucket.take()).toEqual({ ok: false, retryAfterMs: 150 });
    now += 150;
    expect(bucket.take()).toEqual({ ok: true });
    expect(bucket.take()).toEqual({ ok: false, retryAfterMs: 250 });
  });

  it('refills at the rate, never above capacity', () => {
    const bucket = new TokenBucket(10, clock);
    for (let i = 0; i < 10; i++) bucket.take();
    expect(bucket.available()).toBe(0);
    now += 500;
    expect(bucket.available()).toBeCloseTo(5);
    now += 60_000;
    expect(bucket.available()).toBe(10);
  });

  it('takes a custom capacity and rates below one per second', () => {
    const bucket = new TokenBucket(0.5, clock, 2);
    expect(bucket.take().ok).toBe(true);
    expect(bucket.take().ok).toBe(true);
    expect(bucket.take()).toEqual({ ok: false, retryAfterMs: 2000 });
    now += 2000;
    expect(bucket.take().ok).toBe(true);
    expect(new TokenBucket(0.5, clock).available()).toBe(1);
  });

  it('ignores a clock that steps backwards', () => {
    const bucket = new TokenBucket(1, clock);
    bucket.take();
    now -= 10_000;
    expect(bucket.take()).toEqual({ ok: false, retryAfterMs: 1000 });
    now += 1000;
    expect(bucket.take().ok).toBe(true);
  });

  it('validates its arguments', () => {
    expect(() => new TokenBucket(0, clock)).toThrow(RangeError);
    expect(() => new TokenBucket(Number.NaN, clock)).toThrow(RangeError);
    expect(() => new TokenBucket(1, clock, 0.5)).toThrow(RangeError);
  });
});
