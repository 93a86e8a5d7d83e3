import { Logger } from '@nestjs/common';
import {
  RATE_LIMIT_SCRIPT,
  RateLimitRedis,
  RedisThrottlerStorage,
} from './redis-throttler.storage';

type Call = { script: string; keys: string[]; arguments: string[] };

/** A stand-in for node-redis that answers like the script would, or fails as told. */
class FakeRedis implements RateLimitRedis {
  isReady = true;
  loaded = false;
  failure: Error | undefined;
  hang = false;
  destroyed = false;
  readonly calls: Call[] = [];
  private readonly hits = new Map<string, number>();

  evalSha(sha: string, options: { keys: string[]; arguments: string[] }): Promise<unknown> {
    if (!this.loaded) return Promise.reject(new Error('NOSCRIPT No matching script.'));
    return this.answer(sha, options);
  }

  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown> {
    this.loaded = true;
    return this.answer(script, options);
  }

  destroy(): void {
    this.destroyed = true;
  }

  private answer(script: string, options: { keys: string[]; arguments: string[] }) {
    this.calls.push({ script, ...options });
    if (this.hang) return new Promise(() => undefined);
    if (this.failure) return Promise.reject(this.failure);
    const hits = (this.hits.get(options.keys[0]) ?? 0) + 1;
    this.hits.set(options.keys[0], hits);
    return Promise.resolve([hits, 42_100]);
  }
}

describe('RedisThrottlerStorage', () => {
  let redis: FakeRedis;
  let now: number;
  let warn: jest.SpyInstance;
  const storage = () =>
    new RedisThrottlerStorage(redis, { prefix: 'test:', commandTimeoutMs: 50, now: () => now });

  beforeEach(() => {
    redis = new FakeRedis();
    now = 0;
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('runs the script under the prefix, sending it once when Redis does not know it', async () => {
    const store = storage();
    expect(await store.increment('k', 60_000, 2, 60_000, 'default')).toEqual({
      totalHits: 1,
      timeToExpire: 43,
      isBlocked: false,
      timeToBlockExpire: 0,
    });
    expect(redis.calls[0]).toEqual({
      script: RATE_LIMIT_SCRIPT,
      keys: ['test:default:k'],
      arguments: ['60000', '2', '60000'],
    });
    await store.increment('k', 60_000, 2, 60_000, 'default');
    expect(redis.calls[1].script).toMatch(/^[0-9a-f]{40}$/);
    expect(await store.increment('k', 60_000, 2, 60_000, 'default')).toEqual({
      totalHits: 3,
      timeToExpire: 43,
      isBlocked: true,
      timeToBlockExpire: 43,
    });
  });

  it('fails open when Redis is not connected, errs or hangs, warning at most every 30 s', async () => {
    const store = storage();
    const open = { totalHits: 0, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 };
    redis.isReady = false;
    expect(await store.increment('k', 60_000, 1, 60_000, 'default')).toEqual(open);
    redis.isReady = true;
    redis.failure = new Error('READONLY You cannot write against a read only replica.');
    now = 10_000;
    expect(await store.increment('k', 60_000, 1, 60_000, 'default')).toEqual(open);
    redis.failure = undefined;
    redis.hang = true;
    now = 20_000;
    expect(await store.increment('k', 60_000, 1, 60_000, 'default')).toEqual(open);
    expect(warn).toHaveBeenCalledTimes(1);
    now = 30_000;
    expect(await store.increment('k', 60_000, 1, 60_000, 'default')).toEqual(open);
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls[1]).toEqual([
      { reason: 'Redis took over 50 ms' },
      'rate limits are not enforced: Redis does not answer (failing open)',
    ]);
  });

  it('treats an unexpected reply as a failure (fail open)', async () => {
    const store = storage();
    redis.loaded = true;
    jest.spyOn(redis, 'evalSha').mockResolvedValue('OK');
    expect((await store.increment('k', 60_000, 1, 60_000, 'default')).isBlocked).toBe(false);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('close() releases the client once and stops counting', async () => {
    const store = storage();
    await store.close();
    await store.close();
    expect(redis.destroyed).toBe(true);
    expect((await store.increment('k', 60_000, 1, 60_000, 'default')).totalHits).toBe(0);
    expect(warn).not.toHaveBeenCalled();
  });

  it('connects to an unreachable Redis without throwing, and fails open', async () => {
    const store = RedisThrottlerStorage.connect('redis://127.0.0.1:1', 'test:');
    try {
      expect(await store.increment('k', 60_000, 1, 60_000, 'default')).toMatchObject({
        isBlocked: false,
      });
    } finally {
      await store.close();
    }
  });
});
