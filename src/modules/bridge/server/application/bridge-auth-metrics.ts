/** Port: requests the bridge refused as unauthenticated (adapter: Prometheus, docs/metrics.md). */
export abstract class BridgeAuthMetrics {
  /**
   * One rejection, with the verifier's reason: missing_header, malformed_header, unknown_key,
   * bad_signature, stale_timestamp (the clocks disagree), replayed_nonce.
   */
  abstract rejected(reason: string): void;
}
