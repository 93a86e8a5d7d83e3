import { DependencyProbe } from '../../../health/domain/dependency-probe';
import type { ResilientQueryExecutor } from './resilient-query.executor';

/**
 * Readiness details of the diary reads' resilience layer: the breaker's state and the cache's
 * counters, for an operator looking at /health/ready. It never fails readiness by itself: whether
 * the diary answers is the database (or bridge) probe's verdict, and an instance with an open
 * breaker may still serve stale answers.
 */
export class DiaryReadsProbe extends DependencyProbe {
  readonly name = 'diaryReads';

  constructor(private readonly executor: ResilientQueryExecutor) {
    super();
  }

  check(): Promise<Record<string, unknown>> {
    const s = this.executor.snapshot();
    return Promise.resolve({
      breaker: s.breaker,
      breakerOpenedTotal: s.breakerOpenedTotal,
      readsFailedTotal: s.readsFailedTotal,
      staleAnswersTotal: s.staleAnswersTotal,
      cache: { store: s.cache.store, failuresTotal: s.cache.failuresTotal, byKind: s.cache.byKind },
    });
  }
}
