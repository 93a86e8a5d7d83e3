import type { ConversationState } from '../domain/conversation';

/**
 * Port: where conversations live between turns. Adapters: cache-manager over a bounded
 * in-memory LRU (default) or Redis (REDIS_URL), so that several instances share conversations.
 * Every write renews the time to live. Unreachable storage raises DependencyUnavailableError.
 */
export abstract class ConversationStore {
  abstract get(id: string): Promise<ConversationState | undefined>;
  abstract save(state: ConversationState, ttlMs: number): Promise<void>;
  /** True when there was something to delete. */
  abstract delete(id: string): Promise<boolean>;
  /** 'memory' or 'redis', for readiness details. */
  abstract readonly kind: 'memory' | 'redis';
  /** Resolves when the store answers; throws otherwise (readiness). */
  abstract ping(): Promise<void>;
}
