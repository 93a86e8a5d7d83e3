import type { Counter } from 'prom-client';
import { counter } from './prometheus';

export type CacheResult = 'hit' | 'miss' | 'stale';

/**
 * `cache_requests_total{cache,result}`, shared by every cache adapter: `diary` (the diary
 * answers: hit fresh, stale when the diary failed and an older answer served, miss) and
 * `conversation` (a conversation found or not).
 */
export function cacheRequests(): Counter<'cache' | 'result'> {
  return counter({
    name: 'cache_requests_total',
    help: 'Cache lookups by cache and result (hit, miss, stale: an expired answer served because the source failed)',
    labelNames: ['cache', 'result'] as const,
  });
}
