import { createClient } from '@keyv/redis';
import { Logger } from '@nestjs/common';
import { AbuseStore, AbuseStoreUnavailableError } from '../application/abuse-store';
import { AddressBlock, BLOCK_REASONS } from '../domain/abuse-policy';

/** Fixed-window counter: INCR, and the window opens on the first hit (or a key lost its TTL). */
export const COUNT_SCRIPT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 or redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n
`;

/** Distinct members in a fixed window, at most ARGV[3] of them. */
export const DISTINCT_SCRIPT = `
if redis.call('SCARD', KEYS[1]) < tonumber(ARGV[3]) then redis.call('SADD', KEYS[1], ARGV[2]) end
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return redis.call('SCARD', KEYS[1])
`;

/** A block (JSON, expiring with it) and its place in the index (score: when it ends). */
export const BLOCK_SCRIPT = `
local current = redis.call('ZSCORE', KEYS[2], ARGV[4])
if current and tonumber(current) > tonumber(ARGV[2]) and redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[4])
return 1
`;

/** The blocks in force, soonest to end first; ended ones leave the index. */
export const LIST_SCRIPT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local out = {}
for _, address in ipairs(redis.call('ZRANGE', KEYS[1], 0, 199)) do
  local value = redis.call('GET', ARGV[2] .. address)
  if value then table.insert(out, value) else redis.call('ZREM', KEYS[1], address) end
end
return out
`;

export const LIFT_SCRIPT = `
local n = redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return n
`;

export const FORGET_SCRIPT = `return redis.call('DEL', unpack(KEYS))`;

export const ACTIVE_SCRIPT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
return redis.call('ZCARD', KEYS[1])
`;

/** Members a distinct set holds at most. */
const MAX_MEMBERS = 1000;

/** The commands this store needs (node-redis's client has them). */
export interface AbuseRedis {
  readonly isReady: boolean;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  get(key: string): Promise<string | null>;
  destroy(): void;
}

/**
 * Abuse counts and blocks in Redis, shared by every instance (REDIS_URL), under ABUSE_REDIS_PREFIX:
 * `<prefix>count:…`/`<prefix>paths:…` (hashed addresses, expiring with their window),
 * `<prefix>block:<address>` (the block as JSON, expiring with it) and `<prefix>blocks` (a sorted
 * set of the blocked addresses by end, for the admin's list). Counting and looking up blocks fail
 * open when Redis is down or slow (no block is known, nothing is counted; a warning at most every
 * 30 s); the admin operations answer 503.
 */
export class RedisAbuseStore extends AbuseStore {
  private readonly logger = new Logger('AbuseDetection');
  private lastWarning = Number.NEGATIVE_INFINITY;
  private closed = false;

  constructor(
    private readonly redis: AbuseRedis,
    private readonly prefix: string,
    private readonly commandTimeoutMs = 300,
    private readonly now: () => number = Date.now,
  ) {
    super();
  }

  /** Connects in the background; until Redis answers, the detection fails open. */
  static connect(url: string, prefix: string): RedisAbuseStore {
    const client = createClient({
      url,
      disableOfflineQueue: true,
      socket: {
        connectTimeout: 2000,
        reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 5000),
      },
    });
    const store = new RedisAbuseStore(client, prefix);
    client.on('error', (error: unknown) => store.warn(error));
    client.connect().catch((error: unknown) => store.warn(error));
    return store;
  }

  async count(key: string, windowMs: number): Promise<number> {
    const reply = await this.failOpen(() =>
      this.redis.eval(COUNT_SCRIPT, {
        keys: [`${this.prefix}count:${key}`],
        arguments: [String(windowMs)],
      }),
    );
    return toCount(reply);
  }

  async countDistinct(key: string, member: string, windowMs: number): Promise<number> {
    const reply = await this.failOpen(() =>
      this.redis.eval(DISTINCT_SCRIPT, {
        keys: [`${this.prefix}count:${key}`],
        arguments: [String(windowMs), member, String(MAX_MEMBERS)],
      }),
    );
    return toCount(reply);
  }

  async block(block: AddressBlock): Promise<void> {
    const ttl = Math.max(1, block.until - this.now());
    await this.orUnavailable(() =>
      this.redis.eval(BLOCK_SCRIPT, {
        keys: [this.blockKey(block.address), this.indexKey()],
        arguments: [JSON.stringify(block), String(block.until), String(ttl), block.address],
      }),
    );
  }

  async blockOf(address: string): Promise<AddressBlock | undefined> {
    const value = await this.failOpen(() => this.redis.get(this.blockKey(address)));
    return typeof value === 'string' ? parseBlock(value) : undefined;
  }

  async list(): Promise<AddressBlock[]> {
    const reply = await this.orUnavailable(() =>
      this.redis.eval(LIST_SCRIPT, {
        keys: [this.indexKey()],
        arguments: [String(this.now()), `${this.prefix}block:`],
      }),
    );
    const values = Array.isArray(reply) ? reply : [];
    return values
      .map((value) => (typeof value === 'string' ? parseBlock(value) : undefined))
      .filter((block): block is AddressBlock => block !== undefined)
      .sort((a, b) => a.until - b.until);
  }

  async lift(address: string): Promise<boolean> {
    const reply = await this.orUnavailable(() =>
      this.redis.eval(LIFT_SCRIPT, {
        keys: [this.blockKey(address), this.indexKey()],
        arguments: [address],
      }),
    );
    return Number(reply) > 0;
  }

  async forget(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.failOpen(() =>
      this.redis.eval(FORGET_SCRIPT, {
        keys: keys.map((key) => `${this.prefix}count:${key}`),
        arguments: [],
      }),
    );
  }

  async activeCount(): Promise<number | undefined> {
    const reply = await this.failOpen(() =>
      this.redis.eval(ACTIVE_SCRIPT, { keys: [this.indexKey()], arguments: [String(this.now())] }),
    );
    return reply === undefined ? undefined : toCount(reply);
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      try {
        this.redis.destroy();
      } catch {
        // Already closed.
      }
    }
    return Promise.resolve();
  }

  private blockKey(address: string): string {
    return `${this.prefix}block:${address}`;
  }

  private indexKey(): string {
    return `${this.prefix}blocks`;
  }

  /** The command's answer, or undefined when Redis is away or slow (logged). */
  private async failOpen<T>(command: () => Promise<T>): Promise<T | undefined> {
    try {
      return await this.run(command);
    } catch (error) {
      this.warn(error);
      return undefined;
    }
  }

  private async orUnavailable<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await this.run(command);
    } catch (error) {
      this.warn(error);
      throw new AbuseStoreUnavailableError();
    }
  }

  private run<T>(command: () => Promise<T>): Promise<T> {
    if (this.closed || !this.redis.isReady) {
      return Promise.reject(new Error('Redis is not connected'));
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Redis took over ${this.commandTimeoutMs} ms`)),
        this.commandTimeoutMs,
      );
    });
    return Promise.race([command(), timeout]).finally(() => clearTimeout(timer));
  }

  private warn(error: unknown): void {
    if (this.closed) return;
    const now = this.now();
    if (now - this.lastWarning < 30_000) return;
    this.lastWarning = now;
    this.logger.warn(
      { reason: error instanceof Error ? error.message : 'unknown' },
      'abuse detection is not enforced: Redis does not answer (failing open)',
    );
  }
}

function toCount(reply: unknown): number {
  const n = Number(reply);
  return Number.isInteger(n) && n >= 0 ? n : 0;
}

/** A stored block, checked field by field (a foreign value under the prefix is ignored). */
function parseBlock(value: string): AddressBlock | undefined {
  try {
    const raw = JSON.parse(value) as Partial<AddressBlock>;
    if (
      typeof raw.address === 'string' &&
      typeof raw.since === 'number' &&
      typeof raw.until === 'number' &&
      typeof raw.by === 'string' &&
      typeof raw.detail === 'string' &&
      BLOCK_REASONS.includes(raw.reason as AddressBlock['reason'])
    ) {
      return raw as AddressBlock;
    }
  } catch {
    // Not JSON: ignored.
  }
  return undefined;
}
