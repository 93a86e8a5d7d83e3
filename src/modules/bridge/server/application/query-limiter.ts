import { bulkhead, BulkheadRejectedError, type BulkheadPolicy } from 'cockatiel';
import { TokenBucket } from '../domain/token-bucket';
import { BridgeOverloadedError } from './bridge-overloaded.error';

export interface QueryLimits {
  /** Queries running at once; one more is refused (no queue: the caller retries instead). */
  readonly maxConcurrency: number;
  /** Queries admitted per second, all clients together (a burst of one second's worth). */
  readonly maxRps: number;
}

/** Seconds a refused caller waits before the concurrency limit is worth trying again. */
export const BUSY_RETRY_AFTER_SECONDS = 1;

/**
 * The bridge's own limits, so that the small machine next to the diary database is never asked
 * for more than it can do whatever the clients send: a token bucket for the rate, a bulkhead
 * without queue for the concurrency. A refusal costs nothing and throws BridgeOverloadedError.
 */
export class QueryLimiter {
  private readonly bucket: TokenBucket;
  private readonly slots: BulkheadPolicy;

  constructor(limits: QueryLimits, clock: () => number = Date.now) {
    this.bucket = new TokenBucket(limits.maxRps, clock);
    // No queue: a queued query would wait past the client's own timeout and then still run.
    this.slots = bulkhead(limits.maxConcurrency, 0);
  }

  /** Runs the work when both limits admit it. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    const decision = this.bucket.take();
    if (!decision.ok) {
      throw new BridgeOverloadedError('rate', Math.max(1, Math.ceil(decision.retryAfterMs / 1000)));
    }
    try {
      return await this.slots.execute(() => work());
    } catch (error) {
      if (error instanceof BulkheadRejectedError) {
        throw new BridgeOverloadedError('concurrency', BUSY_RETRY_AFTER_SECONDS);
      }
      throw error;
    }
  }

  /** Free execution slots now. */
  get freeSlots(): number {
    return this.slots.executionSlots;
  }
}
