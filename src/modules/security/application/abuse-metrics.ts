import type { BlockReason } from '../domain/abuse-policy';

/** Metrics of the abuse detection (abuse_blocks_total{reason}, abuse_blocked_addresses). */
export abstract class AbuseMetrics {
  /** A new block, by the rule that caused it (or `manual`). */
  abstract blocked(reason: BlockReason): void;
  /** How many addresses are blocked now. */
  abstract blockedAddresses(count: number): void;
}
