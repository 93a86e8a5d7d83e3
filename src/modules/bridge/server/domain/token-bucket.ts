/** What a token bucket says to one request. */
export type TokenDecision =
  { readonly ok: true } | { readonly ok: false; readonly retryAfterMs: number };

/**
 * Requests per second as a token bucket: `ratePerSecond` tokens flow in every second, up to
 * `capacity` (a burst of at most one second's worth by default). A request takes one token or is
 * refused with the time until the next one. Pure: the clock (milliseconds) is injected.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  private readonly capacity: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly clock: () => number = Date.now,
    capacity?: number,
  ) {
    if (!Number.isFinite(ratePerSecond) || ratePerSecond <= 0) {
      throw new RangeError('ratePerSecond must be a positive number');
    }
    this.capacity = capacity ?? Math.max(1, ratePerSecond);
    if (!Number.isFinite(this.capacity) || this.capacity < 1) {
      throw new RangeError('capacity must be at least 1');
    }
    this.tokens = this.capacity;
    this.updatedAt = clock();
  }

  /** Takes one token when there is one. */
  take(): TokenDecision {
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterMs: Math.ceil(((1 - this.tokens) * 1000) / this.ratePerSecond) };
  }

  /** Tokens available now (for tests and diagnostics). */
  available(): number {
    this.refill();
    return this.tokens;
  }

  private refill(): void {
    const now = this.clock();
    // A clock that goes backwards (NTP step) adds nothing rather than removing tokens.
    const elapsed = Math.max(0, now - this.updatedAt);
    this.updatedAt = now;
    this.tokens = Math.min(this.capacity, this.tokens + (elapsed * this.ratePerSecond) / 1000);
  }
}
