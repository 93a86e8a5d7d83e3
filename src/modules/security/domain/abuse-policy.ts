import { BlockList, isIP } from 'node:net';
import { isProbePath, matchSignature, SignatureRule, ValueKind } from './attack-signatures';

/**
 * Request-pattern analysis (US-BE-31), the policy: which requests count against an address,
 * when an address is blocked, and what a block is. Pure: the application service
 * (application/abuse-detection.service.ts) feeds it requests and answers and keeps the counts in
 * an AbuseStore; docs/security.md describes the rules and their defaults.
 */

/** Why an address is blocked: the rule that fired (the `reason` label of abuse_blocks_total). */
export type BlockReason =
  SignatureRule | 'probe-path' | 'scan' | 'not-found-burst' | 'auth-failure-burst' | 'manual';

export const BLOCK_REASONS: readonly BlockReason[] = [
  'sql-injection',
  'xss',
  'path-traversal',
  'command-injection',
  'probe-path',
  'scan',
  'not-found-burst',
  'auth-failure-burst',
  'manual',
];

/** A temporary block of one client address (as the rate limiter keys it: IPv6 per /64). */
export interface AddressBlock {
  readonly address: string;
  readonly reason: BlockReason;
  /** Epoch milliseconds. */
  readonly since: number;
  readonly until: number;
  /** `detector`, or the id of the admin who blocked by hand. */
  readonly by: string;
  /** Where the rule matched (`query:symptom`, `body:text`, `path`) or an admin's note. */
  readonly detail: string;
}

export interface AbuseThresholds {
  /** Counts are kept over windows of this length. */
  readonly windowMs: number;
  readonly blockMs: number;
  /** Signature or probe-path matches in a window that block (1: the first one). */
  readonly signatureLimit: number;
  /** 401 answers in a window that block. */
  readonly authFailureLimit: number;
  /** 404 answers in a window that block. */
  readonly notFoundLimit: number;
  /** Distinct unknown paths (no route) in a window that block. */
  readonly scanDistinctPaths: number;
}

export const DEFAULT_THRESHOLDS: AbuseThresholds = {
  windowMs: 60_000,
  blockMs: 15 * 60_000,
  signatureLimit: 1,
  authFailureLimit: 20,
  notFoundLimit: 30,
  scanDistinctPaths: 15,
};

/** A request's suspicious content: the rule, where it matched, and a log-safe sample. */
export interface Finding {
  readonly reason: SignatureRule | 'probe-path';
  /** `path`, `query:<name>` or `body:<field>` (names sanitised). */
  readonly location: string;
  /** The matched text (truncated, sanitised), or null where the value is private (free text). */
  readonly sample: string | null;
}

/**
 * Body fields whose value is whatever a person types (a question for the chat or the NLU, a
 * note): only the strong signatures apply, and the value is never logged, not even in part.
 */
export const FREE_TEXT_FIELDS: ReadonlySet<string> = new Set([
  'text',
  'utterance',
  'message',
  'question',
  'notes',
  'note',
  'comment',
]);

/** Fields never examined nor logged: any character is legitimate in a secret. */
export const SECRET_FIELDS: ReadonlySet<string> = new Set([
  'password',
  'currentpassword',
  'newpassword',
  'refreshtoken',
  'accesstoken',
  'token',
  'secret',
]);

/** Paths whose bodies are reports about other content (CSP violation reports quote scripts). */
export const UNEXAMINED_BODY_PATHS: readonly string[] = ['/api/csp-reports'];

export interface InspectedRequest {
  readonly path: string;
  readonly query: Readonly<Record<string, unknown>>;
  readonly body?: unknown;
}

/** Bounds on walking a JSON body (at most 16 KiB anyway). */
const MAX_DEPTH = 6;
const MAX_STRINGS = 256;

/** The path and query string: the first finding, or undefined. */
export function inspectUrl(path: string, query: Readonly<Record<string, unknown>>) {
  if (isProbePath(path)) return finding('probe-path', 'path', path);
  const inPath = matchSignature(path, 'structured');
  if (inPath) return { reason: inPath.rule, location: 'path', sample: inPath.sample };
  for (const [name, raw] of Object.entries(query)) {
    const values = Array.isArray(raw) ? (raw as unknown[]) : [raw];
    const location = `query:${safeName(name)}`;
    const inName = matchSignature(name, 'structured');
    if (inName) return { reason: inName.rule, location, sample: inName.sample };
    for (const value of values) {
      if (typeof value !== 'string') continue;
      const found = matchSignature(value, 'structured');
      if (found) return { reason: found.rule, location, sample: found.sample };
    }
  }
  return undefined;
}

/** A parsed JSON body: the first finding, or undefined. Secrets are skipped, free text is gentle. */
export function inspectBody(path: string, body: unknown): Finding | undefined {
  if (body === undefined || body === null || UNEXAMINED_BODY_PATHS.includes(path)) return undefined;
  let budget = MAX_STRINGS;
  const walk = (value: unknown, field: string, depth: number): Finding | undefined => {
    if (budget <= 0 || depth > MAX_DEPTH) return undefined;
    if (typeof value === 'string') {
      budget--;
      const key = field.slice(field.lastIndexOf('.') + 1).toLowerCase();
      if (SECRET_FIELDS.has(key)) return undefined;
      const kind: ValueKind = FREE_TEXT_FIELDS.has(key) ? 'free-text' : 'structured';
      const found = matchSignature(value, kind);
      if (!found) return undefined;
      return {
        reason: found.rule,
        location: `body:${field || '(root)'}`,
        sample: kind === 'free-text' ? null : found.sample,
      };
    }
    if (Array.isArray(value)) {
      for (const item of value) {
        const found = walk(item, field, depth + 1);
        if (found) return found;
      }
      return undefined;
    }
    if (typeof value === 'object' && value !== null) {
      for (const [name, item] of Object.entries(value)) {
        budget--;
        const nameFound = matchSignature(name, 'structured');
        const child = field ? `${field}.${safeName(name)}` : safeName(name);
        if (nameFound) {
          return { reason: nameFound.rule, location: `body:${child}`, sample: nameFound.sample };
        }
        const found = walk(item, child, depth + 1);
        if (found) return found;
      }
    }
    return undefined;
  };
  return walk(body, '', 0);
}

function finding(reason: Finding['reason'], location: string, value: string): Finding {
  return { reason, location, sample: logSampleOfPath(value) };
}

function logSampleOfPath(path: string): string {
  const clean = path.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 48 ? `${clean.slice(0, 47)}…` : clean;
}

/** A parameter or field name fit for a log line (names are chosen by the caller). */
export function safeName(name: string): string {
  const clean = name.replace(/[^A-Za-z0-9_-]/g, '?');
  return clean.length > 32 ? `${clean.slice(0, 31)}…` : clean;
}

/** What an answer's status says about its client. */
export type AnswerKind = 'auth-failure' | 'not-found' | 'unknown-path' | 'other';

/**
 * 401 is a failed authentication (a bad token, a bad password); 404 on a route that exists is a
 * miss (an id that is not yours, or gone); a request no route matched is an unknown path (a
 * 404 too, and also counted among the distinct paths that make a scan).
 */
export function classifyAnswer(status: number, routeMatched: boolean): AnswerKind {
  if (status === 401) return 'auth-failure';
  if (status === 404) return routeMatched ? 'not-found' : 'unknown-path';
  return 'other';
}

/** Whether `count` (after this request) reaches `limit`: the request that reaches it blocks. */
export function reaches(count: number, limit: number): boolean {
  return count >= limit;
}

/** A block of `address` for `reason`, starting `now`. */
export function newBlock(
  address: string,
  reason: BlockReason,
  now: number,
  blockMs: number,
  detail: string,
  by = 'detector',
): AddressBlock {
  return { address, reason, since: now, until: now + blockMs, by, detail };
}

/** Whole seconds until a block ends, at least 1 (for Retry-After). */
export function retryAfterSeconds(block: AddressBlock, now: number): number {
  return Math.max(1, Math.ceil((block.until - now) / 1000));
}

/**
 * Addresses and networks that are never blocked (ABUSE_ALLOWLIST): a monitoring host, the
 * scanner of the sqlmap check, an office network. Requests from them are still examined and a
 * match is logged ("allowlisted"), so a rule firing on them is seen.
 */
export class AddressAllowlist {
  private readonly list = new BlockList();
  readonly size: number;

  constructor(entries: readonly string[]) {
    for (const entry of entries) {
      const [address, bits] = entry.split('/');
      const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
      if (bits === undefined) this.list.addAddress(address, family);
      else this.list.addSubnet(address, Number(bits), family);
    }
    this.size = entries.length;
  }

  /** Whether a peer address (as Fastify's request.ip gives it) is allowlisted. */
  has(ip: string): boolean {
    if (this.size === 0) return false;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
    const address = mapped ? mapped[1] : ip;
    const family = isIP(address);
    if (family === 0) return false;
    return this.list.check(address, family === 6 ? 'ipv6' : 'ipv4');
  }
}

/** The items of an allowlist that are neither an IP address nor a CIDR. */
export function invalidAllowlistItems(entries: readonly string[]): string[] {
  return entries.filter((entry) => {
    const parts = entry.split('/');
    if (parts.length > 2) return true;
    const family = isIP(parts[0]);
    if (family === 0) return true;
    if (parts.length === 1) return false;
    if (!/^\d{1,3}$/.test(parts[1])) return true;
    return Number(parts[1]) > (family === 4 ? 32 : 128);
  });
}

/** ABUSE_ALLOWLIST as a list of entries. */
export function parseAllowlist(list: string | undefined): string[] {
  return (list ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** A client address as the admin API accepts it: an IPv4/IPv6 address or an IPv6 /64 key. */
export function isBlockableAddress(address: string): boolean {
  if (address.length > 64) return false;
  if (isIP(address) !== 0) return true;
  const slash = address.indexOf('/');
  return (
    slash > 0 && isIP(address.slice(0, slash)) === 6 && /^\/\d{1,3}$/.test(address.slice(slash))
  );
}
