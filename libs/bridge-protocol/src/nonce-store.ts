/** Remembers nonces per key id, so that a signed request cannot be replayed. */
export interface NonceStore {
  /**
   * Records the nonce for `ttlSeconds` and returns true when it was not already recorded
   * (false: a replay, or the store refuses to take more).
   */
  checkAndRemember(keyId: string, nonce: string, ttlSeconds: number): Promise<boolean>;
}

export interface MemoryNonceStoreOptions {
  /** Hard cap on remembered nonces (default 100 000). */
  maxEntries?: number;
  /** Clock in milliseconds (default `Date.now`). */
  clock?: () => number;
}

/**
 * A single-process NonceStore. Entries expire after their ttl; expired ones are dropped lazily
 * (from the oldest end on every insert, and in a full sweep when the cap is reached).
 *
 * When the store is full even after the sweep it answers false (the verifier reports a replay).
 * Refusing is deliberate: evicting a nonce that is still inside the timestamp window would let
 * that request be replayed. Only requests with a valid signature reach the store, so filling it
 * takes a key holder sending more than `maxEntries` requests per window.
 */
export class MemoryNonceStore implements NonceStore {
  /** `keyId \n nonce` → expiry (ms). Insertion order ≈ expiry order. */
  private readonly entries = new Map<string, number>();
  private readonly maxEntries: number;
  private readonly clock: () => number;

  constructor(options: MemoryNonceStoreOptions = {}) {
    this.maxEntries = options.maxEntries ?? 100_000;
    if (!Number.isInteger(this.maxEntries) || this.maxEntries < 1) {
      throw new RangeError('maxEntries must be a positive integer');
    }
    this.clock = options.clock ?? Date.now;
  }

  /** Entries currently held (expired ones included until purged). */
  get size(): number {
    return this.entries.size;
  }

  checkAndRemember(keyId: string, nonce: string, ttlSeconds: number): Promise<boolean> {
    const now = this.clock();
    const key = `${keyId}\n${nonce}`;
    const expiresAt = this.entries.get(key);
    if (expiresAt !== undefined && expiresAt >= now) return Promise.resolve(false);
    this.entries.delete(key);
    this.purgeOldest(now);
    if (this.entries.size >= this.maxEntries) {
      this.purgeAll(now);
      if (this.entries.size >= this.maxEntries) return Promise.resolve(false);
    }
    this.entries.set(key, now + ttlSeconds * 1000);
    return Promise.resolve(true);
  }

  /** Drops expired entries from the oldest end, stopping at the first live one (cheap). */
  private purgeOldest(now: number): void {
    for (const [key, expiresAt] of this.entries) {
      if (expiresAt >= now) return;
      this.entries.delete(key);
    }
  }

  /** Drops every expired entry (ttls may differ, so expiry order is not guaranteed). */
  private purgeAll(now: number): void {
    for (const [key, expiresAt] of this.entries) {
      if (expiresAt < now) this.entries.delete(key);
    }
  }
}
