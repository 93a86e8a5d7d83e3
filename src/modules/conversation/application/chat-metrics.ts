/** Port: what the chat reports about its turns (adapter: Prometheus, docs/metrics.md). */
export abstract class ChatMetrics {
  /** One message answered, read as `intent` (a bounded set: never the text). */
  abstract turn(intent: string): void;
}
