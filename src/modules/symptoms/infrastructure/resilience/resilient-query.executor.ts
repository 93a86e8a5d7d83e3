import { Logger, OnApplicationShutdown } from '@nestjs/common';
import {
  BrokenCircuitError,
  CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  IsolatedCircuitError,
  circuitBreaker,
  fullJitterGenerator,
  handleWhen,
  retry,
} from 'cockatiel';
import { hash } from 'node:crypto';
import type { ResilienceConfig } from '../../../../config/configuration';
import {
  DependencyTimeoutError,
  DependencyUnavailableError,
} from '../../../../shared/domain/domain-error';
import { cacheRequests, type CacheResult } from '../../../../shared/infrastructure/cache-metrics';
import { gauge } from '../../../../shared/infrastructure/prometheus';
import { RequestFreshness } from '../../../../shared/infrastructure/request-freshness';
import { DiaryQuery, DiaryQueryExecutor, QueryKind } from '../queries/diary-query';
import type { CachedAnswer, DiaryCacheStore, DiaryResponseCache } from './diary-response.cache';

export type BreakerState = 'closed' | 'open' | 'half-open';
export type CacheOutcome = 'fresh_hit' | 'stale_hit' | 'miss';

/** Counters and state for readiness and metrics: plain values, cheap to read at any time. */
export interface DiaryReadsSnapshot {
  readonly breaker: BreakerState;
  /** Times the breaker opened since start (an alert fires on its rate). */
  readonly breakerOpenedTotal: number;
  /** Consecutive reads that failed for want of the diary (0 after any success). */
  readonly consecutiveFailures: number;
  /** Reads whose source failed (or was not asked: breaker open), answered stale or not. */
  readonly readsFailedTotal: number;
  /** Of those, the reads answered from the cache, marked stale. */
  readonly staleAnswersTotal: number;
  readonly cache: {
    readonly store: DiaryCacheStore | 'disabled';
    /** Cache operations that failed (Redis down or slow); each read went on without the cache. */
    readonly failuresTotal: number;
    /** Every read counted once: answered fresh from the cache, stale from the cache, or not. */
    readonly byKind: Readonly<Record<QueryKind, Readonly<Record<CacheOutcome, number>>>>;
  };
}

export type ResilienceOptions = Pick<
  ResilienceConfig,
  'retries' | 'retryBaseMs' | 'retryMaxMs' | 'breakerThreshold' | 'breakerHalfOpenAfterMs'
> & {
  readonly cache: Pick<ResilienceConfig['cache'], 'ttlSeconds' | 'staleSeconds'>;
  /**
   * A retry only starts this soon after the read began. A failure that itself took long (a
   * connect timeout against a hung server) is not repeated: that would multiply the wait the
   * caller already had, for a sub-second API.
   */
  readonly retryWindowMs?: number;
};

const DEFAULT_RETRY_WINDOW_MS = 1000;
/** Unavailability a retry cannot fix: the bridge refused our signature (a wrong key or clock). */
const NOT_RETRIED = new Set(['BRIDGE.REFUSED']);
const KINDS: readonly QueryKind[] = ['entries', 'stats', 'people'];

const STATE_NAMES: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'open',
};

/** `circuit_breaker_state{breaker}`: 0 closed, 1 half-open, 2 open (docs/metrics.md). */
const BREAKER_GAUGE_VALUES: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };
const CACHE_RESULTS: Record<CacheOutcome, CacheResult> = {
  fresh_hit: 'hit',
  stale_hit: 'stale',
  miss: 'miss',
};

function breakerStateGauge() {
  return gauge({
    name: 'circuit_breaker_state',
    help: 'Circuit breaker state: 0 closed, 1 half-open, 2 open',
    labelNames: ['breaker'] as const,
  });
}

function isDependencyFailure(error: unknown): boolean {
  return error instanceof DependencyUnavailableError || error instanceof DependencyTimeoutError;
}

/** `diary:v1:<query name>:<sha256 of the params' JSON>`: the same read, the same key everywhere. */
export function cacheKeyOf<Args extends readonly unknown[]>(
  query: DiaryQuery<Args, unknown>,
  args: Args,
): string {
  const digest = hash('sha256', JSON.stringify(query.encodeParams(args)), 'hex');
  return `diary:v1:${query.name}:${digest}`;
}

/**
 * The resilience layer every diary read goes through, whatever the source (direct database or
 * bridge): a fresh cached answer is returned at once; otherwise the read runs through a circuit
 * breaker around bounded retries (exponential backoff, full jitter) of the raw executor. When the
 * source fails or the breaker is open, a cached answer within the stale window answers instead and
 * the request is marked stale; without one, a 503 (Retry-After: until the breaker tries again) or
 * the source's own 503/504. Timeouts are the source's (statement timeout, connect timeout, the
 * bridge's call timeout); this layer only keeps retries from adding to them.
 *
 * Only DependencyUnavailableError is retried (a timeout would likely be slow again; bad input and
 * bugs never). The breaker counts unavailability and timeouts. Bugs are neither retried, cached
 * nor answered stale.
 */
export class ResilientQueryExecutor extends DiaryQueryExecutor implements OnApplicationShutdown {
  private readonly logger = new Logger('DiaryReads');
  private readonly breaker: CircuitBreakerPolicy;
  private readonly backoff: ExponentialBackoff<number>;
  private readonly retryWindowMs: number;
  private openedAt = 0;
  private consecutiveFailures = 0;
  private breakerOpenedTotal = 0;
  private readsFailedTotal = 0;
  private staleAnswersTotal = 0;
  private readonly outcomes: Record<QueryKind, Record<CacheOutcome, number>>;
  private readonly cacheRequests = cacheRequests();

  constructor(
    private readonly inner: DiaryQueryExecutor,
    private readonly cache: DiaryResponseCache | undefined,
    private readonly options: ResilienceOptions,
  ) {
    super();
    this.retryWindowMs = options.retryWindowMs ?? DEFAULT_RETRY_WINDOW_MS;
    this.backoff = new ExponentialBackoff({
      generator: fullJitterGenerator,
      initialDelay: options.retryBaseMs,
      maxDelay: options.retryMaxMs,
    });
    this.breaker = circuitBreaker(handleWhen(isDependencyFailure), {
      halfOpenAfter: options.breakerHalfOpenAfterMs,
      breaker: new ConsecutiveBreaker(options.breakerThreshold),
    });
    const state = breakerStateGauge();
    const record = (value: BreakerState) =>
      state.set({ breaker: 'diary' }, BREAKER_GAUGE_VALUES[value]);
    record('closed');
    this.breaker.onStateChange((next) => record(STATE_NAMES[next]));
    this.breaker.onBreak(() => {
      this.openedAt = Date.now();
      this.breakerOpenedTotal++;
      this.logger.error(
        {
          consecutiveFailures: this.consecutiveFailures,
          halfOpenAfterMs: options.breakerHalfOpenAfterMs,
        },
        'diary circuit breaker opened: reads are answered from the cache or refused',
      );
    });
    this.breaker.onHalfOpen(() =>
      this.logger.log('diary circuit breaker half-open: trying one read'),
    );
    this.breaker.onReset(() => this.logger.log('diary circuit breaker closed: the diary answers'));
    this.outcomes = Object.fromEntries(
      KINDS.map((kind) => [kind, { fresh_hit: 0, stale_hit: 0, miss: 0 }]),
    ) as Record<QueryKind, Record<CacheOutcome, number>>;
  }

  get breakerState(): BreakerState {
    return STATE_NAMES[this.breaker.state];
  }

  async execute<Args extends readonly unknown[], Result>(
    query: DiaryQuery<Args, Result>,
    args: Args,
  ): Promise<Result> {
    const key = this.cache ? cacheKeyOf(query, args) : undefined;
    const cached = key === undefined ? undefined : await this.lookup(query, key);
    if (cached && this.isFresh(query.kind, cached.answer)) {
      this.count(query.kind, 'fresh_hit');
      return cached.result;
    }

    const started = Date.now();
    let result: Result;
    try {
      result = await this.breaker.execute(() => this.withRetries(query, args, started));
    } catch (error) {
      const refused = error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError;
      if (!refused && !isDependencyFailure(error)) {
        this.count(query.kind, 'miss');
        throw error;
      }
      this.readsFailedTotal++;
      if (cached && this.isUsableStale(query.kind, cached.answer)) {
        this.staleAnswersTotal++;
        this.count(query.kind, 'stale_hit');
        RequestFreshness.markStale(new Date(cached.answer.storedAt));
        return cached.result;
      }
      this.count(query.kind, 'miss');
      throw refused
        ? new DependencyUnavailableError(
            'DIARY.UNAVAILABLE',
            'The diary cannot be reached right now. Try again shortly.',
            this.secondsUntilHalfOpen(),
          )
        : error;
    }

    this.count(query.kind, 'miss');
    if (key !== undefined) await this.store(query, key, result);
    return result;
  }

  snapshot(): DiaryReadsSnapshot {
    const byKind = Object.fromEntries(
      KINDS.map((kind) => [kind, { ...this.outcomes[kind] }]),
    ) as Record<QueryKind, Record<CacheOutcome, number>>;
    return {
      breaker: this.breakerState,
      breakerOpenedTotal: this.breakerOpenedTotal,
      consecutiveFailures: this.consecutiveFailures,
      readsFailedTotal: this.readsFailedTotal,
      staleAnswersTotal: this.staleAnswersTotal,
      cache: {
        store: this.cache?.store ?? 'disabled',
        failuresTotal: this.cache?.failureCount ?? 0,
        byKind,
      },
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.cache?.close();
  }

  /** One read with its retries; counts consecutive failures for the breaker's log line. */
  private async withRetries<Args extends readonly unknown[], Result>(
    query: DiaryQuery<Args, Result>,
    args: Args,
    started: number,
  ): Promise<Result> {
    const policy = retry(
      handleWhen(
        (error) =>
          error instanceof DependencyUnavailableError &&
          !NOT_RETRIED.has(error.code) &&
          Date.now() - started < this.retryWindowMs,
      ),
      { maxAttempts: this.options.retries, backoff: this.backoff },
    );
    try {
      const result = await policy.execute(() => this.inner.execute(query, args));
      this.consecutiveFailures = 0;
      return result;
    } catch (error) {
      if (isDependencyFailure(error)) this.consecutiveFailures++;
      throw error;
    }
  }

  private async lookup<Result>(
    query: DiaryQuery<readonly unknown[], Result>,
    key: string,
  ): Promise<{ answer: CachedAnswer; result: Result } | undefined> {
    const answer = await this.cache?.get(key);
    if (!answer || !this.isUsableStale(query.kind, answer)) return undefined;
    try {
      return { answer, result: query.decodeResult(answer.json) };
    } catch {
      // An entry written by an incompatible version: a miss (the next success overwrites it).
      return undefined;
    }
  }

  private async store<Args extends readonly unknown[], Result>(
    query: DiaryQuery<Args, Result>,
    key: string,
    result: Result,
  ): Promise<void> {
    const ttlMs = (this.freshSeconds(query.kind) + this.options.cache.staleSeconds) * 1000;
    await this.cache?.set(key, { json: query.encodeResult(result), storedAt: Date.now() }, ttlMs);
  }

  private freshSeconds(kind: QueryKind): number {
    return this.options.cache.ttlSeconds[kind];
  }

  private isFresh(kind: QueryKind, answer: CachedAnswer): boolean {
    return Date.now() - answer.storedAt < this.freshSeconds(kind) * 1000;
  }

  private isUsableStale(kind: QueryKind, answer: CachedAnswer): boolean {
    const age = Date.now() - answer.storedAt;
    return age < (this.freshSeconds(kind) + this.options.cache.staleSeconds) * 1000;
  }

  private secondsUntilHalfOpen(): number {
    const remaining = this.openedAt + this.options.breakerHalfOpenAfterMs - Date.now();
    return Math.max(1, Math.ceil(remaining / 1000));
  }

  private count(kind: QueryKind, outcome: CacheOutcome): void {
    this.outcomes[kind][outcome]++;
    if (this.cache) this.cacheRequests.inc({ cache: 'diary', result: CACHE_RESULTS[outcome] });
  }
}
