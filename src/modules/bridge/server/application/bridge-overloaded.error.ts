/** Which of the bridge's own limits refused a query. */
export type BridgeLimit = 'rate' | 'concurrency';

/**
 * The bridge is at one of its limits (requests per second, or queries at once) and refused the
 * query without touching the database; the caller may retry after `retryAfterSeconds`. The edge
 * answers 429 with Retry-After.
 */
export class BridgeOverloadedError extends Error {
  constructor(
    readonly limit: BridgeLimit,
    readonly retryAfterSeconds: number,
  ) {
    super(
      limit === 'rate'
        ? 'The bridge takes no more queries per second right now. Retry after the given delay.'
        : 'The bridge is running as many queries as it may at once. Retry after the given delay.',
    );
    this.name = 'BridgeOverloadedError';
  }
}
