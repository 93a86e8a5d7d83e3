/** Port: what the NLU reports about its work (adapter: Prometheus, docs/metrics.md). */
export abstract class NluMetrics {
  /** One question parsed in `seconds`, read as `intent` (a bounded set: never the text). */
  abstract parsed(intent: string, seconds: number): void;
}
