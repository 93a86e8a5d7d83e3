import { Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import {
  DependencyTimeoutError,
  DependencyUnavailableError,
  InvalidInputError,
} from '../../../../shared/domain/domain-error';
import { RequestFreshness } from '../../../../shared/infrastructure/request-freshness';
import { DiaryQuery, DiaryQueryExecutor, Json, QueryKind } from '../queries/diary-query';
import { DiaryResponseCache } from './diary-response.cache';
import { ResilienceOptions, ResilientQueryExecutor, cacheKeyOf } from './resilient-query.executor';

/** A query whose result is `{ person, at }`, decoded with a Date as the real ones are. */
interface Figures {
  person: string;
  at: Date;
}
function query(kind: QueryKind = 'stats'): DiaryQuery<[string], Figures> {
  return {
    name: `test.${kind}`,
    kind,
    encodeParams: ([person]) => ({ person }),
    decodeParams: () => ['x'],
    encodeResult: (r) => ({ person: r.person, at: r.at.toISOString() }),
    decodeResult: (json: Json) => {
      const o = json as { person: string; at: string };
      return { person: o.person, at: new Date(o.at) };
    },
    run: () => Promise.reject(new Error('not used')),
  };
}

const unavailable = () => new DependencyUnavailableError('DIARY.UNAVAILABLE', 'down', 10);
const timeout = () => new DependencyTimeoutError('DIARY.TIMEOUT', 'slow', 5);

/** The raw executor: answers or fails as told, counting calls. */
class FakeSource extends DiaryQueryExecutor {
  calls = 0;
  private script: (() => Promise<unknown>)[] = [];
  fallback: () => Promise<unknown> = () =>
    Promise.resolve({ person: 'Anna', at: new Date('2026-02-01T00:00:00Z') });

  then(...steps: (() => Promise<unknown>)[]): this {
    this.script.push(...steps);
    return this;
  }

  execute<Args extends readonly unknown[], Result>(
    _query: DiaryQuery<Args, Result>,
    _args: Args,
  ): Promise<Result> {
    this.calls++;
    const step = this.script.shift() ?? this.fallback;
    return step() as Promise<Result>;
  }
}

const fail = (error: () => Error) => () => Promise.reject(error());
const answer = (person: string) => () =>
  Promise.resolve({ person, at: new Date('2026-02-01T00:00:00Z') });

const OPTIONS: ResilienceOptions = {
  retries: 2,
  retryBaseMs: 1,
  retryMaxMs: 2,
  breakerThreshold: 3,
  breakerHalfOpenAfterMs: 5000,
  cache: { ttlSeconds: { entries: 30, stats: 60, people: 300 }, staleSeconds: 3600 },
};

describe('ResilientQueryExecutor', () => {
  let source: FakeSource;
  let cache: DiaryResponseCache;
  let executor: ResilientQueryExecutor;
  let logError: jest.SpyInstance;
  let logInfo: jest.SpyInstance;

  function create(options: Partial<ResilienceOptions> = {}, withCache = true): void {
    executor = new ResilientQueryExecutor(source, withCache ? cache : undefined, {
      ...OPTIONS,
      ...options,
    });
  }

  beforeEach(() => {
    jest.useFakeTimers({ advanceTimers: true });
    logError = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    logInfo = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    source = new FakeSource();
    cache = DiaryResponseCache.create({ maxEntries: 100 });
    create();
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    jest.useRealTimers();
    await executor.onApplicationShutdown();
  });

  /** Opens the breaker: `threshold` reads in a row fail for want of the diary. */
  async function openBreaker(q = query()): Promise<void> {
    source.fallback = () => Promise.reject(unavailable());
    for (let i = 0; i < OPTIONS.breakerThreshold; i++) {
      await expect(executor.execute(q, [`nobody-${i}`])).rejects.toThrow();
    }
    expect(executor.breakerState).toBe('open');
  }

  it('keys the cache on the query name and the SHA-256 of its JSON params', () => {
    const hash = createHash('sha256').update('{"person":"Anna"}').digest('hex');
    expect(cacheKeyOf(query(), ['Anna'])).toBe(`diary:v1:test.stats:${hash}`);
  });

  describe('the cache', () => {
    it('answers a fresh cached result without asking the source, decoded', async () => {
      const first = await executor.execute(query(), ['Anna']);
      const second = await executor.execute(query(), ['Anna']);
      expect(source.calls).toBe(1);
      expect(second).toEqual(first);
      expect(second.at).toBeInstanceOf(Date);
      expect(executor.snapshot().cache.byKind.stats).toEqual({
        fresh_hit: 1,
        stale_hit: 0,
        miss: 1,
      });
    });

    it('asks the source again once the fresh TTL of the kind has passed', async () => {
      await executor.execute(query('entries'), ['Anna']);
      jest.advanceTimersByTime(29_000);
      await executor.execute(query('entries'), ['Anna']);
      expect(source.calls).toBe(1);
      jest.advanceTimersByTime(2_000);
      await executor.execute(query('entries'), ['Anna']);
      expect(source.calls).toBe(2);
    });

    it('keeps different params apart', async () => {
      source.then(answer('Anna'), answer('Ben'));
      expect((await executor.execute(query(), ['Anna'])).person).toBe('Anna');
      expect((await executor.execute(query(), ['Ben'])).person).toBe('Ben');
    });

    it('with the cache disabled, always asks the source', async () => {
      create({}, false);
      await executor.execute(query(), ['Anna']);
      await executor.execute(query(), ['Anna']);
      expect(source.calls).toBe(2);
      expect(executor.snapshot().cache.store).toBe('disabled');
    });
  });

  describe('retries', () => {
    it('retries an unavailable source up to the configured count', async () => {
      source.then(fail(unavailable), fail(unavailable), answer('Anna'));
      expect((await executor.execute(query(), ['Anna'])).person).toBe('Anna');
      expect(source.calls).toBe(3);
    });

    it('gives up after the retries with the source error', async () => {
      source.fallback = () => Promise.reject(unavailable());
      await expect(executor.execute(query(), ['Anna'])).rejects.toBeInstanceOf(
        DependencyUnavailableError,
      );
      expect(source.calls).toBe(3);
    });

    it.each([
      ['a timeout (it would be slow again)', timeout, DependencyTimeoutError],
      [
        'invalid input',
        () => new InvalidInputError('REQUEST.VALIDATION_FAILED', 'bad', []),
        InvalidInputError,
      ],
      ['a bug', () => new TypeError('x is undefined'), TypeError],
      [
        'a bridge that refused our signature (a wrong key stays wrong)',
        () => new DependencyUnavailableError('BRIDGE.REFUSED', 'refused', 30),
        DependencyUnavailableError,
      ],
    ])('does not retry %s', async (_name, error, type) => {
      source.then(fail(error));
      await expect(executor.execute(query(), ['Anna'])).rejects.toBeInstanceOf(type);
      expect(source.calls).toBe(1);
    });

    it('does not retry a failure that came after the retry window (a connect timeout)', async () => {
      create({ retryWindowMs: 1000 });
      source.then(() => {
        jest.advanceTimersByTime(1500); // the attempt took 1.5 s
        return Promise.reject(unavailable());
      });
      await expect(executor.execute(query(), ['Anna'])).rejects.toBeInstanceOf(
        DependencyUnavailableError,
      );
      expect(source.calls).toBe(1);
    });
  });

  describe('stale answers', () => {
    it('answers from the cache, marked stale, when the source fails after the fresh TTL', async () => {
      const storedAt = Date.now();
      await executor.execute(query(), ['Anna']);
      jest.advanceTimersByTime(61_000);
      source.fallback = () => Promise.reject(unavailable());

      const result = await RequestFreshness.run(async () => {
        const r = await executor.execute(query(), ['Anna']);
        return { r, freshness: RequestFreshness.current() };
      });

      expect(result.r.person).toBe('Anna');
      expect(result.freshness).toEqual({ stale: true, asOf: new Date(storedAt) });
      expect(executor.snapshot()).toEqual(
        expect.objectContaining({ readsFailedTotal: 1, staleAnswersTotal: 1 }),
      );
      expect(executor.snapshot().cache.byKind.stats).toEqual({
        fresh_hit: 0,
        stale_hit: 1,
        miss: 1,
      });
    });

    it('answers stale after a timeout too', async () => {
      await executor.execute(query(), ['Anna']);
      jest.advanceTimersByTime(61_000);
      source.then(fail(timeout));
      expect((await executor.execute(query(), ['Anna'])).person).toBe('Anna');
    });

    it('marks the request with the oldest answer used', async () => {
      const older = Date.now();
      await executor.execute(query(), ['Anna']);
      jest.advanceTimersByTime(10_000);
      await executor.execute(query(), ['Ben']);
      jest.advanceTimersByTime(61_000);
      source.fallback = () => Promise.reject(unavailable());
      const freshness = await RequestFreshness.run(async () => {
        await executor.execute(query(), ['Ben']);
        await executor.execute(query(), ['Anna']);
        return RequestFreshness.current();
      });
      expect(freshness?.asOf).toEqual(new Date(older));
    });

    it('does not answer with an entry older than the stale window', async () => {
      await executor.execute(query(), ['Anna']);
      jest.advanceTimersByTime((60 + 3600) * 1000 + 1);
      source.fallback = () => Promise.reject(unavailable());
      await expect(executor.execute(query(), ['Anna'])).rejects.toBeInstanceOf(
        DependencyUnavailableError,
      );
    });

    it('never answers a bug with a stale result', async () => {
      await executor.execute(query(), ['Anna']);
      jest.advanceTimersByTime(61_000);
      source.then(fail(() => new TypeError('bug')));
      await expect(executor.execute(query(), ['Anna'])).rejects.toBeInstanceOf(TypeError);
      expect(executor.snapshot().staleAnswersTotal).toBe(0);
    });

    it('leaves a fresh request unmarked', async () => {
      const freshness = await RequestFreshness.run(async () => {
        await executor.execute(query(), ['Anna']);
        await executor.execute(query(), ['Anna']);
        return RequestFreshness.current();
      });
      expect(freshness).toEqual({ stale: false });
    });
  });

  describe('the circuit breaker', () => {
    it('opens after the threshold of failed reads, logging the failure count at error level', async () => {
      await openBreaker();
      expect(logError).toHaveBeenCalledTimes(1);
      expect(logError.mock.calls[0][0]).toEqual(
        expect.objectContaining({ consecutiveFailures: 3 }),
      );
      expect(executor.snapshot()).toEqual(
        expect.objectContaining({ breaker: 'open', breakerOpenedTotal: 1, readsFailedTotal: 3 }),
      );
    });

    it('refuses at once while open, with Retry-After until it tries again', async () => {
      await openBreaker();
      const calls = source.calls;
      jest.advanceTimersByTime(1200);
      const error = await executor.execute(query(), ['Anna']).catch((e: unknown) => e);
      expect(source.calls).toBe(calls);
      expect(error).toBeInstanceOf(DependencyUnavailableError);
      expect((error as DependencyUnavailableError).retryAfterSeconds).toBe(4); // 3.8 s, rounded up
    });

    it('answers from the cache while open, without asking the source', async () => {
      await executor.execute(query(), ['Anna']);
      jest.advanceTimersByTime(61_000);
      await openBreaker();
      const calls = source.calls;
      expect((await executor.execute(query(), ['Anna'])).person).toBe('Anna');
      expect(source.calls).toBe(calls);
    });

    it('answers a fresh cached result even while open', async () => {
      await openBreaker();
      source.fallback = answer('Anna');
      jest.advanceTimersByTime(5001);
      await executor.execute(query(), ['Anna']); // the trial read: closes the breaker
      expect(executor.breakerState).toBe('closed');
      await openBreaker();
      const calls = source.calls;
      expect((await executor.execute(query(), ['Anna'])).person).toBe('Anna');
      expect(source.calls).toBe(calls);
    });

    it('tries one read after the half-open delay and closes when it succeeds', async () => {
      await openBreaker();
      source.fallback = answer('Anna');
      jest.advanceTimersByTime(5001);
      expect((await executor.execute(query(), ['Anna'])).person).toBe('Anna');
      expect(executor.breakerState).toBe('closed');
      expect(logInfo.mock.calls.map((c: unknown[]) => c[0])).toEqual([
        expect.stringContaining('half-open'),
        expect.stringContaining('closed'),
      ]);
      expect(executor.snapshot().consecutiveFailures).toBe(0);
    });

    it('opens again when the trial read fails', async () => {
      await openBreaker();
      jest.advanceTimersByTime(5001);
      await expect(executor.execute(query(), ['Anna'])).rejects.toBeInstanceOf(
        DependencyUnavailableError,
      );
      expect(executor.breakerState).toBe('open');
      expect(executor.snapshot().breakerOpenedTotal).toBe(2);
    });

    it('is not opened by bad input or bugs', async () => {
      source.fallback = () => Promise.reject(new TypeError('bug'));
      for (let i = 0; i < 5; i++) {
        await expect(executor.execute(query(), [`p${i}`])).rejects.toBeInstanceOf(TypeError);
      }
      expect(executor.breakerState).toBe('closed');
      expect(executor.snapshot().readsFailedTotal).toBe(0);
    });

    it('counts timeouts', async () => {
      source.fallback = () => Promise.reject(timeout());
      for (let i = 0; i < 3; i++) {
        await expect(executor.execute(query(), [`p${i}`])).rejects.toBeInstanceOf(
          DependencyTimeoutError,
        );
      }
      expect(executor.breakerState).toBe('open');
    });
  });

  describe('RequestFreshness', () => {
    it('keeps concurrent requests apart', async () => {
      const results = await Promise.all([
        RequestFreshness.run(async () => {
          await Promise.resolve();
          RequestFreshness.markStale(new Date(1000));
          await new Promise((r) => setImmediate(r));
          return RequestFreshness.current();
        }),
        RequestFreshness.run(async () => {
          await new Promise((r) => setImmediate(r));
          return RequestFreshness.current();
        }),
      ]);
      expect(results).toEqual([{ stale: true, asOf: new Date(1000) }, { stale: false }]);
    });

    it('does nothing outside a request', () => {
      RequestFreshness.markStale(new Date());
      expect(RequestFreshness.current()).toBeUndefined();
    });
  });
});
