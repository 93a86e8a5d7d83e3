import { AbuseMetrics } from '../application/abuse-metrics';
import type { BlockReason } from '../domain/abuse-policy';
import { BLOCK_REASONS } from '../domain/abuse-policy';
import { counter, gauge } from '../../../shared/infrastructure/prometheus';

/** abuse_blocks_total{reason} and abuse_blocked_addresses in the default registry (/metrics). */
export class PrometheusAbuseMetrics extends AbuseMetrics {
  private readonly blocks = counter({
    name: 'abuse_blocks_total',
    help: 'Client addresses blocked by the abuse detection, by the rule that fired (manual: by an admin)',
    labelNames: ['reason'],
  });

  private readonly blockedGauge = gauge({
    name: 'abuse_blocked_addresses',
    help: 'Client addresses blocked now (with Redis: across all instances)',
  });

  constructor() {
    super();
    // Every reason present from the start, so that rate() and alerts see a 0 before the first block.
    for (const reason of BLOCK_REASONS) this.blocks.inc({ reason }, 0);
  }

  blocked(reason: BlockReason): void {
    this.blocks.inc({ reason });
  }

  blockedAddresses(count: number): void {
    this.blockedGauge.set(count);
  }
}
