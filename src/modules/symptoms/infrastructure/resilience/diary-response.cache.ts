import { createKeyv as createMemoryKeyv } from '@cacheable/memory';
import { Logger } from '@nestjs/common';
import { Cache, createCache } from 'cache-manager';
import type Keyv from 'keyv';
import { createFailFastRedisKeyv } from '../../../../shared/infrastructure/fail-fast-redis';
import type { Json } from '../queries/diary-query';

/** One cached answer: the query's JSON result and when it was read from the diary. */
export interface CachedAnswer {
  readonly json: Json;
  /** Epoch milliseconds. */
  readonly storedAt: number;
}

export type DiaryCacheStore = 'memory' | 'redis';

export interface DiaryResponseCacheOptions {
  /** Redis when set (shared by every instance), else a bounded in-memory LRU. */
  readonly redisUrl?: string;
  /** Entries the in-memory LRU holds (Redis is bounded by the entries' TTL and its own policy). */
  readonly maxEntries: number;
  /** A cache operation slower than this counts as a failure (a hung Redis must not hang reads). */
  readonly operationTimeoutMs?: number;
  /** How often a failing cache may log its warning. */
  readonly warnEveryMs?: number;
}

const DEFAULT_OPERATION_TIMEOUT_MS = 250;
const DEFAULT_WARN_EVERY_MS = 30_000;

/**
 * Diary answers through cache-manager: a bounded LRU in memory, or Redis when configured (copied
 * from the conversation store: no offline queue, bounded connects, so a Redis outage fails fast).
 * Unlike the conversation store, a failure here never fails a read: `get` answers a miss and `set`
 * does nothing, and a warning is logged at most once per 30 s while the cache keeps failing.
 */
export class DiaryResponseCache {
  private readonly logger = new Logger('DiaryResponseCache');
  private readonly failures = new Map<string, unknown>();
  private readonly operationTimeoutMs: number;
  private readonly warnEveryMs: number;
  private lastWarnAt = Number.NEGATIVE_INFINITY;
  private failuresTotal = 0;
  private closed = false;

  private constructor(
    private readonly cache: Cache,
    private readonly keyv: Keyv,
    readonly store: DiaryCacheStore,
    options: DiaryResponseCacheOptions,
  ) {
    this.operationTimeoutMs = options.operationTimeoutMs ?? DEFAULT_OPERATION_TIMEOUT_MS;
    this.warnEveryMs = options.warnEveryMs ?? DEFAULT_WARN_EVERY_MS;
    // cache-manager swallows a store's failure on `get` and reports it only as an event.
    cache.on('get', (event: { key?: string; error?: unknown }) => {
      if (event.error !== undefined && event.key !== undefined) {
        this.failures.set(event.key, event.error);
      }
    });
  }

  static create(options: DiaryResponseCacheOptions): DiaryResponseCache {
    if (options.redisUrl) {
      const keyv = createFailFastRedisKeyv(options.redisUrl);
      return new DiaryResponseCache(createCache({ stores: [keyv] }), keyv, 'redis', options);
    }
    // Not cloned on every hit (structuredClone of the whole answer, ~3 % of a cached request's
    // CPU): `set` stores its own deep-frozen copy instead, shared by every reader, so no reader
    // can change what the next one gets (a write to it throws) and neither can the writer.
    const keyv = createMemoryKeyv({ lruSize: options.maxEntries, useClone: false });
    return new DiaryResponseCache(createCache({ stores: [keyv] }), keyv, 'memory', options);
  }

  /** The cached answer, or undefined when there is none or the cache cannot be read. */
  async get(key: string): Promise<CachedAnswer | undefined> {
    const value = await this.guard(key, 'read', () => this.cache.get<unknown>(key));
    return isCachedAnswer(value) ? value : undefined;
  }

  /** Stores an answer for `ttlMs` (nothing when the TTL is not positive or the cache fails). */
  async set(key: string, answer: CachedAnswer, ttlMs: number): Promise<void> {
    if (!(ttlMs > 0)) return;
    const stored = this.store === 'memory' ? deepFreeze(structuredClone(answer)) : answer;
    await this.guard(key, 'write', () => this.cache.set(key, stored, ttlMs));
  }

  /** Removes an answer (tests and operators; failures are ignored like any other). */
  async delete(key: string): Promise<void> {
    await this.guard(key, 'write', () => this.cache.del(key));
  }

  /** Cache operations that failed or timed out since start (the read went on without it). */
  get failureCount(): number {
    return this.failuresTotal;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const redis = this.keyv.store as { disconnect?: (force?: boolean) => Promise<void> };
    if (this.store === 'redis' && typeof redis.disconnect === 'function') {
      // Forced, without QUIT's round trip: a hung Redis must not hold up shutdown, and nothing is
      // pending (every write is awaited by the read that made it).
      await redis.disconnect(true).catch(() => undefined);
      return;
    }
    await this.cache.disconnect().catch(() => undefined);
  }

  private async guard<T>(
    key: string,
    operation: 'read' | 'write',
    work: () => Promise<T>,
  ): Promise<T | undefined> {
    this.failures.delete(key);
    let timer: NodeJS.Timeout | undefined;
    try {
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`cache ${operation} timed out`)),
          this.operationTimeoutMs,
        );
        timer.unref();
      });
      const result = await Promise.race([work(), timedOut]);
      const failure = this.failures.get(key);
      if (failure !== undefined) {
        throw failure instanceof Error ? failure : new Error('cache operation failed');
      }
      return result;
    } catch (error) {
      this.failuresTotal++;
      this.warn(operation, error);
      return undefined;
    } finally {
      clearTimeout(timer);
      this.failures.delete(key);
    }
  }

  private warn(operation: 'read' | 'write', error: unknown): void {
    const now = Date.now();
    if (now - this.lastWarnAt < this.warnEveryMs) return;
    this.lastWarnAt = now;
    this.logger.warn(
      {
        store: this.store,
        operation,
        message: error instanceof Error ? error.message : 'unknown',
        failuresTotal: this.failuresTotal,
      },
      'diary response cache failed; reads go on without it',
    );
  }
}

/** Freezes `value` and everything reachable from it (JSON: objects and arrays only). */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function isCachedAnswer(value: unknown): value is CachedAnswer {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { json?: unknown; storedAt?: unknown };
  return 'json' in v && typeof v.storedAt === 'number' && Number.isFinite(v.storedAt);
}
