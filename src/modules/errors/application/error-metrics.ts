/** Port: what the error store reports (adapter: Prometheus, docs/metrics.md). */
export abstract class ErrorMetrics {
  /** One error captured on `route` (template) with `code`. */
  abstract captured(route: string, code: string): void;
  /** A captured error that could not be written (the store is down, or too many writes pending). */
  abstract storeFailed(): void;
}
