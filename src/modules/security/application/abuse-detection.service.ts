import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { abuseConfig, type AbuseConfig } from '../../../config/configuration';
import {
  AbuseThresholds,
  AddressAllowlist,
  AddressBlock,
  BlockReason,
  classifyAnswer,
  Finding,
  newBlock,
  reaches,
} from '../domain/abuse-policy';
import { AbuseMetrics } from './abuse-metrics';
import { AbuseStore, AbuseStoreUnavailableError } from './abuse-store';

/** A client as the rate limiter sees it: Fastify's request.ip and its normalised key. */
export interface Client {
  /** The peer, or X-Forwarded-For's client when the peer is in TRUST_PROXY. */
  readonly ip: string;
  /** The rate limiter's key for it (`normalizeIp`: IPv4 as is, IPv6 per /64). */
  readonly address: string;
}

/** Where a request went, for the log (a route template, or the path when no route matched). */
export interface RequestSite {
  readonly method: string;
  readonly route: string;
  readonly requestId: string;
}

/** The gauge of blocked addresses is refreshed at most this often (on requests; no timer). */
const GAUGE_REFRESH_MS = 10_000;

/**
 * Request-pattern analysis (US-BE-31): counts what the policy (domain/abuse-policy.ts) says
 * counts, per client address and window, and blocks an address whose counts reach a threshold.
 * Every finding is logged with the address, the route, the rule, where it matched and a short
 * sanitised sample (never a free-text value, a secret or a query string). Allowlisted addresses
 * are examined and logged but never blocked.
 */
@Injectable()
export class AbuseDetectionService {
  private readonly logger = new Logger('AbuseDetection');
  private readonly allowlist: AddressAllowlist;
  private readonly thresholds: AbuseThresholds;
  private lastGaugeRefresh = Number.NEGATIVE_INFINITY;

  constructor(
    @Inject(abuseConfig.KEY) private readonly config: AbuseConfig,
    private readonly store: AbuseStore,
    private readonly metrics: AbuseMetrics,
  ) {
    this.allowlist = new AddressAllowlist(config.allowlist);
    this.thresholds = config.thresholds;
  }

  get enabled(): boolean {
    return this.config.enabled;
  }

  /** The block in force for this client, if any (an outage of the store answers none). */
  async blockOf(client: Client, now = Date.now()): Promise<AddressBlock | undefined> {
    this.refreshGaugeSometimes(now);
    const block = await this.store.blockOf(client.address);
    if (block === undefined || block.until <= now) return undefined;
    if (this.allowlist.has(client.ip)) return undefined;
    return block;
  }

  /**
   * A signature or probe path found in a request: logged, counted, and, at the threshold, the
   * address is blocked. Answers the new block (the request is then refused), or undefined.
   */
  async suspiciousRequest(
    client: Client,
    finding: Finding,
    site: RequestSite,
    now = Date.now(),
  ): Promise<AddressBlock | undefined> {
    const allowlisted = this.allowlist.has(client.ip);
    this.logger.warn(
      {
        address: client.address,
        method: site.method,
        route: site.route,
        requestId: site.requestId,
        rule: finding.reason,
        location: finding.location,
        sample: finding.sample ?? '[not logged: free text]',
        ...(allowlisted ? { allowlisted: true } : {}),
      },
      'attack signature in a request',
    );
    const count = await this.store.count(
      counterKey('signature', client.address),
      this.thresholds.windowMs,
    );
    if (!reaches(count, this.thresholds.signatureLimit)) return undefined;
    return this.blockIfAllowed(client, finding.reason, finding.location, allowlisted, now);
  }

  /** An answer sent: 401s, 404s and unknown paths are counted, and may block the address. */
  async answered(
    client: Client,
    status: number,
    routeMatched: boolean,
    path: string,
    now = Date.now(),
  ): Promise<AddressBlock | undefined> {
    const kind = classifyAnswer(status, routeMatched);
    if (kind === 'other') return undefined;
    const { windowMs } = this.thresholds;
    if (kind === 'auth-failure') {
      const count = await this.store.count(counterKey('401', client.address), windowMs);
      if (reaches(count, this.thresholds.authFailureLimit)) {
        return this.blockIfAllowed(client, 'auth-failure-burst', `${count} answers 401`, null, now);
      }
      return undefined;
    }
    const notFound = await this.store.count(counterKey('404', client.address), windowMs);
    if (kind === 'unknown-path') {
      const distinct = await this.store.countDistinct(
        counterKey('paths', client.address),
        digest(path.toLowerCase()),
        windowMs,
      );
      if (reaches(distinct, this.thresholds.scanDistinctPaths)) {
        return this.blockIfAllowed(client, 'scan', `${distinct} distinct unknown paths`, null, now);
      }
    }
    if (reaches(notFound, this.thresholds.notFoundLimit)) {
      return this.blockIfAllowed(client, 'not-found-burst', `${notFound} answers 404`, null, now);
    }
    return undefined;
  }

  /** The blocks in force (admin). */
  async list(): Promise<AddressBlock[]> {
    const blocks = await this.store.list();
    this.metrics.blockedAddresses(blocks.length);
    return blocks;
  }

  /** Blocks an address by hand (admin); answers the block. */
  async blockByHand(
    address: string,
    minutes: number,
    note: string,
    adminId: string,
    now = Date.now(),
  ): Promise<AddressBlock> {
    const block = newBlock(address, 'manual', now, minutes * 60_000, note, adminId);
    await this.store.block(block);
    this.metrics.blocked('manual');
    this.logger.warn(
      { address, by: adminId, until: new Date(block.until).toISOString() },
      'address blocked by an admin',
    );
    await this.refreshGauge(now);
    return block;
  }

  /** Lifts a block (admin); false when there was none. */
  async lift(address: string, adminId: string, now = Date.now()): Promise<boolean> {
    const lifted = await this.store.lift(address);
    await this.store.forget(COUNTERS.map((kind) => counterKey(kind, address)));
    if (lifted) this.logger.log({ address, by: adminId }, 'address block lifted by an admin');
    await this.refreshGauge(now);
    return lifted;
  }

  private async blockIfAllowed(
    client: Client,
    reason: BlockReason,
    detail: string,
    allowlisted: boolean | null,
    now: number,
  ): Promise<AddressBlock | undefined> {
    if (allowlisted ?? this.allowlist.has(client.ip)) {
      this.logger.warn(
        { address: client.address, rule: reason, detail },
        'would block this address, but it is allowlisted (ABUSE_ALLOWLIST)',
      );
      return undefined;
    }
    const block = newBlock(client.address, reason, now, this.thresholds.blockMs, detail);
    try {
      await this.store.block(block);
    } catch (error) {
      // The store is away (logged by it): fail open, the request goes on as if not blocked.
      if (error instanceof AbuseStoreUnavailableError) return undefined;
      throw error;
    }
    this.metrics.blocked(reason);
    this.logger.warn(
      {
        address: client.address,
        rule: reason,
        detail,
        until: new Date(block.until).toISOString(),
      },
      'address blocked',
    );
    await this.refreshGauge(now);
    return block;
  }

  private refreshGaugeSometimes(now: number): void {
    if (now - this.lastGaugeRefresh < GAUGE_REFRESH_MS) return;
    this.lastGaugeRefresh = now;
    void this.refreshGauge(now);
  }

  private async refreshGauge(now: number): Promise<void> {
    this.lastGaugeRefresh = now;
    const count = await this.store.activeCount();
    if (count !== undefined) this.metrics.blockedAddresses(count);
  }
}

/** Every count kept per address. */
const COUNTERS = ['signature', '401', '404', 'paths'] as const;

/** Counter keys hold a hash of the address, as the rate limiter's do (blocks hold it in clear). */
function counterKey(kind: (typeof COUNTERS)[number], address: string): string {
  return `${kind}:${digest(address)}`;
}

function digest(value: string): string {
  return createHash('sha256').update(value).digest('base64url').slice(0, 24);
}
