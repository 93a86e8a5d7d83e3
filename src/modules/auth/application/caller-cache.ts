import { Injectable } from '@nestjs/common';
import type { Caller } from '../domain/caller';

/** How long a user's state is trusted before it is read again. */
export const CALLER_CACHE_TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

/**
 * The caller behind each user id, remembered briefly so that checking "is this user still active?"
 * on every request costs a database lookup at most once per user every few seconds. `null`
 * remembers "no such user, or disabled". Changes made through this instance forget the entry at
 * once; another instance notices within CALLER_CACHE_TTL_MS.
 */
@Injectable()
export class CallerCache {
  private readonly entries = new Map<string, { caller: Caller | null; until: number }>();

  get(userId: string, now = Date.now()): Caller | null | undefined {
    const entry = this.entries.get(userId);
    if (entry === undefined) return undefined;
    if (entry.until <= now) {
      this.entries.delete(userId);
      return undefined;
    }
    return entry.caller;
  }

  set(userId: string, caller: Caller | null, now = Date.now()): void {
    if (this.entries.size >= MAX_ENTRIES && !this.entries.has(userId)) {
      // The oldest entry goes first (a Map keeps insertion order).
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(userId, { caller, until: now + CALLER_CACHE_TTL_MS });
  }

  forget(userId: string): void {
    this.entries.delete(userId);
  }
}
