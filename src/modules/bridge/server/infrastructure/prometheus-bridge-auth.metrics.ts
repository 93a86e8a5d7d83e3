import { counter } from '../../../../shared/infrastructure/prometheus';
import { BridgeAuthMetrics } from '../application/bridge-auth-metrics';

/** `bridge_auth_failures_total{reason}` on the bridge's own /metrics. */
export class PrometheusBridgeAuthMetrics extends BridgeAuthMetrics {
  private readonly failures = counter({
    name: 'bridge_auth_failures_total',
    help: 'Bridge requests refused as unauthenticated, by reason (bad_signature, unknown_key, stale_timestamp, replayed_nonce, missing_header, malformed_header)',
    labelNames: ['reason'] as const,
  });

  rejected(reason: string): void {
    this.failures.inc({ reason });
  }
}
