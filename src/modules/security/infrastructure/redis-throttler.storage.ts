import { createClient } from '@keyv/redis';
import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { createHash } from 'node:crypto';
import { failOpenOutcome, RateLimitOutcome, secondsUntil } from '../domain/rate-limit';

/**
 * The fixed window of `countHit` (domain/rate-limit.ts) as one atomic script: INCR, open the
 * window on the first hit (or if the key lost its expiry), stretch it when the request that
 * crosses the limit starts a block longer than the window. Answers `{hits, pttl}`.
 */
export const RATE_LIMIT_SCRIPT = `
local hits = redis.call('INCR', KEYS[1])
local pttl = redis.call('PTTL', KEYS[1])
local ttl = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local block = tonumber(ARGV[3])
if hits == 1 or pttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ttl)
  pttl = ttl
end
if hits == limit + 1 and block > pttl then
  redis.call('PEXPIRE', KEYS[1], block)
  pttl = block
end
return { hits, pttl }
`;
const SCRIPT_SHA = createHash('sha1').update(RATE_LIMIT_SCRIPT).digest('hex');

/** The few commands this store needs (node-redis's client has them; tests pass a fake). */
export interface RateLimitRedis {
  readonly isReady: boolean;
  evalSha(sha: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  destroy(): void;
}

export interface RedisThrottlerOptions {
  /** Prepended to every key, so that only these counters are touched (RATE_LIMIT_REDIS_PREFIX). */
  readonly prefix: string;
  /** A counter that takes longer than this is given up on (fail open). */
  readonly commandTimeoutMs?: number;
  /** At most one warning per this many milliseconds while Redis is failing. */
  readonly warnEveryMs?: number;
  readonly now?: () => number;
}

/**
 * Rate-limit counters in Redis, shared by every instance of the API (REDIS_URL).
 *
 * When Redis is down or slow the limit fails open: requests are let through uncounted and a
 * warning is logged at most every 30 s. Refusing every request because a counter store is away
 * would turn a Redis outage into a full outage of the API; nginx's own limits still stand.
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger('RateLimit');
  private readonly prefix: string;
  private readonly commandTimeoutMs: number;
  private readonly warnEveryMs: number;
  private readonly now: () => number;
  private lastWarning = Number.NEGATIVE_INFINITY;
  private closed = false;

  constructor(
    private readonly redis: RateLimitRedis,
    options: RedisThrottlerOptions,
  ) {
    this.prefix = options.prefix;
    this.commandTimeoutMs = options.commandTimeoutMs ?? 500;
    this.warnEveryMs = options.warnEveryMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  /** Connects in the background; until Redis answers, limits fail open. */
  static connect(url: string, prefix: string): RedisThrottlerStorage {
    // No offline queue and bounded connects: while Redis is away a counter fails at once
    // instead of queueing, and the client reconnects in the background with backoff.
    const client = createClient({
      url,
      disableOfflineQueue: true,
      socket: {
        connectTimeout: 2000,
        reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 5000),
      },
    });
    const storage = new RedisThrottlerStorage(client, { prefix });
    client.on('error', (error: unknown) => storage.warn(error));
    client.connect().catch((error: unknown) => storage.warn(error));
    return storage;
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<RateLimitOutcome> {
    if (this.closed || !this.redis.isReady) {
      this.warn(new Error('Redis is not connected'));
      return failOpenOutcome(ttl);
    }
    const options = {
      keys: [`${this.prefix}${throttlerName}:${key}`],
      arguments: [String(ttl), String(limit), String(blockDuration)],
    };
    try {
      const reply = await this.withTimeout(this.run(options));
      const [hits, pttl] = parseReply(reply);
      const blocked = hits > limit;
      const seconds = secondsUntil(pttl, 0);
      return {
        totalHits: hits,
        timeToExpire: seconds,
        isBlocked: blocked,
        timeToBlockExpire: blocked ? seconds : 0,
      };
    } catch (error) {
      this.warn(error);
      return failOpenOutcome(ttl);
    }
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      try {
        this.redis.destroy();
      } catch {
        // Already closed: nothing to release.
      }
    }
    return Promise.resolve();
  }

  private async run(options: { keys: string[]; arguments: string[] }): Promise<unknown> {
    try {
      return await this.redis.evalSha(SCRIPT_SHA, options);
    } catch (error) {
      // First use on this Redis (or after a restart/SCRIPT FLUSH): send the script itself.
      if (error instanceof Error && error.message.startsWith('NOSCRIPT')) {
        return this.redis.eval(RATE_LIMIT_SCRIPT, options);
      }
      throw error;
    }
  }

  private withTimeout<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Redis took over ${this.commandTimeoutMs} ms`)),
        this.commandTimeoutMs,
      );
    });
    return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
  }

  private warn(error: unknown): void {
    if (this.closed) return;
    const now = this.now();
    if (now - this.lastWarning < this.warnEveryMs) return;
    this.lastWarning = now;
    this.logger.warn(
      { reason: error instanceof Error ? error.message : 'unknown' },
      'rate limits are not enforced: Redis does not answer (failing open)',
    );
  }
}

function parseReply(reply: unknown): [number, number] {
  if (Array.isArray(reply) && reply.length === 2) {
    const [hits, pttl] = reply.map(Number);
    if (Number.isInteger(hits) && Number.isInteger(pttl)) return [hits, pttl];
  }
  throw new Error('unexpected reply from the rate-limit script');
}
