/** Port: requests the rate limit refused (adapter: Prometheus, docs/metrics.md). */
export abstract class RateLimitMetrics {
  /** A 429 on `route` (the route template, or `unmatched`; never the path as sent). */
  abstract rejected(route: string): void;
}
