import { Logger } from '@nestjs/common';
import { AbuseStore } from '../application/abuse-store';
import type { AddressBlock } from '../domain/abuse-policy';

interface Counter {
  count: number;
  expiresAt: number;
}

interface DistinctSet {
  members: Set<string>;
  expiresAt: number;
}

/** Members a distinct set holds at most (a scan is decided long before). */
const MAX_MEMBERS = 1000;
const WARN_EVERY_MS = 30_000;

/**
 * Abuse counts and blocks in this process, for a single instance without REDIS_URL. Bounded:
 * at most `maxKeys` counters and `maxKeys` blocks, expired lazily (on access, and a few from the
 * oldest end per call: no timer); when full the oldest entry goes (a counter starts afresh, which
 * errs towards letting requests through; a block ends early), with a warning.
 */
export class MemoryAbuseStore extends AbuseStore {
  private readonly logger = new Logger('AbuseDetection');
  private readonly counters = new Map<string, Counter>();
  private readonly sets = new Map<string, DistinctSet>();
  private readonly blocks = new Map<string, AddressBlock>();
  private lastFullWarning = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly maxKeys = 100_000,
    private readonly now: () => number = Date.now,
  ) {
    super();
  }

  /** Entries held (for tests). */
  get size(): { counters: number; sets: number; blocks: number } {
    return { counters: this.counters.size, sets: this.sets.size, blocks: this.blocks.size };
  }

  count(key: string, windowMs: number): Promise<number> {
    const now = this.now();
    this.sweep(this.counters, now);
    let counter = this.counters.get(key);
    if (counter === undefined || counter.expiresAt <= now) {
      this.counters.delete(key);
      this.makeRoom(this.counters, now);
      counter = { count: 0, expiresAt: now + windowMs };
      this.counters.set(key, counter);
    }
    counter.count += 1;
    return Promise.resolve(counter.count);
  }

  countDistinct(key: string, member: string, windowMs: number): Promise<number> {
    const now = this.now();
    this.sweep(this.sets, now);
    let set = this.sets.get(key);
    if (set === undefined || set.expiresAt <= now) {
      this.sets.delete(key);
      this.makeRoom(this.sets, now);
      set = { members: new Set(), expiresAt: now + windowMs };
      this.sets.set(key, set);
    }
    if (set.members.size < MAX_MEMBERS) set.members.add(member);
    return Promise.resolve(set.members.size);
  }

  block(block: AddressBlock): Promise<void> {
    const now = this.now();
    this.sweep(this.blocks, now, (b) => b.until);
    const existing = this.blocks.get(block.address);
    if (existing !== undefined && existing.until > block.until) return Promise.resolve();
    this.blocks.delete(block.address);
    this.makeRoom(this.blocks, now);
    this.blocks.set(block.address, block);
    return Promise.resolve();
  }

  blockOf(address: string): Promise<AddressBlock | undefined> {
    const block = this.blocks.get(address);
    if (block === undefined) return Promise.resolve(undefined);
    if (block.until <= this.now()) {
      this.blocks.delete(address);
      return Promise.resolve(undefined);
    }
    return Promise.resolve(block);
  }

  list(): Promise<AddressBlock[]> {
    const now = this.now();
    const live = [...this.blocks.values()].filter((b) => b.until > now);
    for (const block of this.blocks.values()) {
      if (block.until <= now) this.blocks.delete(block.address);
    }
    return Promise.resolve(live.sort((a, b) => a.until - b.until));
  }

  lift(address: string): Promise<boolean> {
    const block = this.blocks.get(address);
    this.blocks.delete(address);
    return Promise.resolve(block !== undefined && block.until > this.now());
  }

  forget(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      this.counters.delete(key);
      this.sets.delete(key);
    }
    return Promise.resolve();
  }

  async activeCount(): Promise<number> {
    return (await this.list()).length;
  }

  close(): Promise<void> {
    this.counters.clear();
    this.sets.clear();
    this.blocks.clear();
    return Promise.resolve();
  }

  /** Removes expired entries from the oldest end, a few per call. */
  private sweep<T>(
    map: Map<string, T>,
    now: number,
    end: (value: T) => number = (v) => (v as { expiresAt: number }).expiresAt,
  ): void {
    let steps = 0;
    for (const [key, value] of map) {
      if (steps++ >= 8 || end(value) > now) return;
      map.delete(key);
    }
  }

  private makeRoom<T>(map: Map<string, T>, now: number): void {
    if (map.size < this.maxKeys) return;
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
    if (now - this.lastFullWarning >= WARN_EVERY_MS) {
      this.lastFullWarning = now;
      this.logger.warn(
        { maxKeys: this.maxKeys },
        'abuse memory store is full: the oldest entries are dropped (many distinct clients)',
      );
    }
  }
}
