import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { countHit, RateLimitOutcome, RateWindow } from '../domain/rate-limit';

/** How often the "store is full" warning may be logged. */
const WARN_EVERY_MS = 30_000;
/** Expired windows removed from the oldest end per request: bounded work, no timer. */
const SWEEP_STEPS = 8;

/**
 * Rate-limit counters in this process, for a single instance without REDIS_URL.
 *
 * @nestjs/throttler 6.7's own ThrottlerStorageService no longer starts a timer per key (earlier
 * versions did, and leaked under many distinct clients), but it still has no upper bound: it
 * keeps a record and a list of hit timestamps for every key until a sweep every minute, so a
 * flood from many addresses (IPv6 makes them cheap) grows it without limit for that minute.
 * This store keeps one small window per key in a Map, expires windows lazily (on access and a few
 * from the oldest end per request), and never holds more than `maxKeys`: when full, the oldest
 * window is dropped (that client starts afresh, which errs towards letting requests through).
 */
export class MemoryThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger('RateLimit');
  private readonly windows = new Map<string, RateWindow>();
  private lastFullWarning = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly maxKeys = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counters currently held (for tests and diagnostics). */
  get size(): number {
    return this.windows.size;
  }

  increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<RateLimitOutcome> {
    const now = this.now();
    const mapKey = `${throttlerName}\u0000${key}`;
    this.sweep(now);
    let window = this.windows.get(mapKey);
    if (window !== undefined && window.expiresAt <= now) {
      // Renewed windows move to the young end, keeping the Map roughly ordered by expiry.
      this.windows.delete(mapKey);
      window = undefined;
    }
    if (window === undefined) this.makeRoom(now);
    const counted = countHit(window, now, ttl, limit, blockDuration);
    if (window === undefined) this.windows.set(mapKey, counted.window);
    return Promise.resolve(counted.outcome);
  }

  /** Removes expired windows from the oldest end, a few per call. */
  private sweep(now: number): void {
    let steps = 0;
    for (const [key, window] of this.windows) {
      if (steps++ >= SWEEP_STEPS || window.expiresAt > now) return;
      this.windows.delete(key);
    }
  }

  private makeRoom(now: number): void {
    if (this.windows.size < this.maxKeys) return;
    const oldest = this.windows.keys().next();
    if (!oldest.done) this.windows.delete(oldest.value);
    if (now - this.lastFullWarning >= WARN_EVERY_MS) {
      this.lastFullWarning = now;
      this.logger.warn(
        { maxKeys: this.maxKeys },
        'rate-limit memory store is full: the oldest counters are dropped (many distinct clients)',
      );
    }
  }

  close(): Promise<void> {
    this.windows.clear();
    return Promise.resolve();
  }
}
