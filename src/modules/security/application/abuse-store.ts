import { DependencyUnavailableError } from '../../../shared/domain/domain-error';
import type { AddressBlock } from '../domain/abuse-policy';

/**
 * Where abuse counts and address blocks live: Redis when REDIS_URL is set (shared by every
 * instance), a bounded memory store otherwise (infrastructure/). Counting fails open: a store
 * that cannot answer counts nothing and knows no block (the adapters log it), so an outage of
 * Redis never refuses a request. Only the admin operations report a store that is away
 * (AbuseStoreUnavailableError, answered as 503).
 */
export abstract class AbuseStore {
  /** Adds one to `key`'s count in a fixed window of `windowMs`; answers the count (0: unknown). */
  abstract count(key: string, windowMs: number): Promise<number>;
  /** Adds `member` to `key`'s set in a fixed window; answers how many distinct members it holds. */
  abstract countDistinct(key: string, member: string, windowMs: number): Promise<number>;
  /**
   * Stores a block until `block.until` (a longer block of the same address is kept). Throws
   * AbuseStoreUnavailableError.
   */
  abstract block(block: AddressBlock): Promise<void>;
  /** The block of `address` in force, or undefined (also when the store does not answer). */
  abstract blockOf(address: string): Promise<AddressBlock | undefined>;
  /** The blocks in force, soonest to end first. Throws AbuseStoreUnavailableError. */
  abstract list(): Promise<AddressBlock[]>;
  /** Lifts a block; false when there was none. Throws AbuseStoreUnavailableError. */
  abstract lift(address: string): Promise<boolean>;
  /** Forgets counts (a lifted address starts afresh); best effort. */
  abstract forget(keys: readonly string[]): Promise<void>;
  /** Blocks in force, for the gauge; undefined when unknown. */
  abstract activeCount(): Promise<number | undefined>;
  abstract close(): Promise<void>;
}

/** The store (Redis) does not answer: a 503 for an admin, fail-open for the detection. */
export class AbuseStoreUnavailableError extends DependencyUnavailableError {
  constructor() {
    super(
      'ABUSE.STORE_UNAVAILABLE',
      'The store of address blocks (Redis) cannot be reached right now. Try again shortly.',
      5,
    );
  }
}
