import { createKeyv as createMemoryKeyv } from '@cacheable/memory';
import { Logger } from '@nestjs/common';
import { Cache, createCache } from 'cache-manager';
import type Keyv from 'keyv';
import { DependencyUnavailableError } from '../../../shared/domain/domain-error';
import { cacheRequests } from '../../../shared/infrastructure/cache-metrics';
import { createFailFastRedisKeyv } from '../../../shared/infrastructure/fail-fast-redis';
import { ConversationStore } from '../application/conversation.store';
import type { ConversationState } from '../domain/conversation';

const PREFIX = 'conversation:';

/**
 * Conversations through cache-manager: a bounded LRU in memory, or Redis when configured.
 * cache-manager reports a store's failure as an event and answers "nothing"; this adapter turns
 * such a failure into DependencyUnavailableError, so that Redis being down is a 503 and never a
 * conversation silently lost ("404") or a write silently dropped.
 */
export class CacheConversationStore extends ConversationStore {
  private readonly logger = new Logger('ConversationStore');
  private readonly failures = new Map<string, unknown>();

  private constructor(
    private readonly cache: Cache,
    private readonly keyv: Keyv,
    readonly kind: 'memory' | 'redis',
  ) {
    super();
    const record = (event: { key?: string; error?: unknown }) => {
      if (event.error !== undefined && event.key !== undefined) {
        this.failures.set(event.key, event.error);
      }
    };
    cache.on('get', record);
    cache.on('set', record);
    cache.on('del', record);
  }

  static create(options: { redisUrl?: string; memoryMax: number }): CacheConversationStore {
    if (options.redisUrl) {
      // Fail fast while Redis is away (no offline queue, bounded connects): the API answers 503
      // at once and the client reconnects in the background with backoff.
      const keyv = createFailFastRedisKeyv(options.redisUrl);
      return new CacheConversationStore(createCache({ stores: [keyv] }), keyv, 'redis');
    }
    const keyv = createMemoryKeyv({ lruSize: options.memoryMax });
    return new CacheConversationStore(createCache({ stores: [keyv] }), keyv, 'memory');
  }

  async get(id: string): Promise<ConversationState | undefined> {
    const key = PREFIX + id;
    const state = await this.guard(
      key,
      async () => (await this.cache.get<ConversationState>(key)) ?? undefined,
    );
    cacheRequests().inc({ cache: 'conversation', result: state ? 'hit' : 'miss' });
    return state;
  }

  async save(state: ConversationState, ttlMs: number): Promise<void> {
    const key = PREFIX + state.id;
    await this.guard(key, () => this.cache.set(key, state, ttlMs));
  }

  async delete(id: string): Promise<boolean> {
    const key = PREFIX + id;
    // cache-manager's `del` always answers true. Redis's DEL says whether it removed something
    // (one round trip, so a Redis outage fails as fast as get and save); the in-memory store
    // does not, and is asked first, which costs nothing.
    return this.guard(key, async () => {
      if (this.kind === 'memory' && !(await this.keyv.has(key))) return false;
      return this.keyv.delete(key);
    });
  }

  async ping(): Promise<void> {
    const key = `${PREFIX}__ping__`;
    await this.guard(key, () => this.cache.get(key));
  }

  async close(): Promise<void> {
    await this.cache.disconnect().catch(() => undefined);
    await this.keyv.disconnect().catch(() => undefined);
  }

  private async guard<T>(key: string, work: () => Promise<T>): Promise<T> {
    this.failures.delete(key);
    try {
      const result = await work();
      const failure = this.failures.get(key);
      if (failure !== undefined) {
        throw failure instanceof Error ? failure : new Error('store operation failed');
      }
      return result;
    } catch (error) {
      this.failures.delete(key);
      this.logger.error(
        { kind: this.kind, message: error instanceof Error ? error.message : 'unknown' },
        'conversation store failed',
      );
      throw new DependencyUnavailableError(
        'CONVERSATION.STORE_UNAVAILABLE',
        'Conversations cannot be stored right now. Try again shortly.',
        5,
      );
    }
  }
}
