import { timingSafeEqual } from 'node:crypto';
import { KeyRing } from './keys';
import type { NonceStore } from './nonce-store';
import {
  BRIDGE_HEADERS,
  type BridgeHeaderName,
  HEADER_KEY_ID,
  HEADER_NONCE,
  HEADER_SIGNATURE,
  HEADER_TIMESTAMP,
  KEY_ID_PATTERN,
  MAX_CLOCK_SKEW_SECONDS,
  NONCE_PATTERN,
  PROTOCOL_VERSION,
  SIGNATURE_PATTERN,
  TIMESTAMP_PATTERN,
} from './protocol';
import { computeSignature, stringToSign } from './signing';

export type RejectionReason =
  | 'missing_header'
  | 'malformed_header'
  | 'unknown_key'
  | 'bad_signature'
  | 'stale_timestamp'
  | 'replayed_nonce';

/**
 * The outcome of a verification. On failure `keyId` is set once it is well-formed, and
 * `header` names the offending header for missing_header / malformed_header. No secrets.
 */
export type VerificationResult =
  | { ok: true; keyId: string }
  | { ok: false; reason: RejectionReason; keyId?: string; header?: BridgeHeaderName };

export interface VerifiableRequest {
  method: string;
  /** Path and query string exactly as in the request line (the raw URL, not a decoded one). */
  pathWithQuery: string;
  headers: Record<string, string | string[] | undefined>;
  /** The exact body bytes received; undefined means an empty body. */
  rawBody: Buffer | undefined;
}

export interface RequestVerifierOptions {
  keys: ReadonlyMap<string, Buffer | string> | KeyRing;
  nonces: NonceStore;
  /** Clock in milliseconds (default `Date.now`). */
  clock?: () => number;
  maxSkewSeconds?: number;
}

type HeaderValue = { value: string } | { problem: 'missing_header' | 'malformed_header' };

/**
 * Case-insensitive lookup. Several values (an array, or two spellings of the name) are
 * malformed; an empty array counts as missing.
 */
function header(headers: VerifiableRequest['headers'], name: string): HeaderValue {
  const values: string[] = [];
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name || value === undefined) continue;
    values.push(...(Array.isArray(value) ? value : [value]));
  }
  if (values.length === 0) return { problem: 'missing_header' };
  if (values.length > 1) return { problem: 'malformed_header' };
  return { value: values[0] };
}

/**
 * Verifies signed requests. Checks, in order: headers present and well-formed → key known →
 * timestamp within ±maxSkewSeconds → signature → nonce unseen. The nonce is recorded only after
 * the signature verified, so unauthenticated traffic cannot fill the nonce store.
 * Keys are copied at construction: to rotate, build a new verifier.
 */
export class RequestVerifier {
  private readonly keys: KeyRing;
  private readonly nonces: NonceStore;
  private readonly clock: () => number;
  private readonly maxSkewSeconds: number;

  constructor(options: RequestVerifierOptions) {
    this.keys = options.keys instanceof KeyRing ? options.keys : new KeyRing(options.keys);
    this.nonces = options.nonces;
    this.clock = options.clock ?? Date.now;
    this.maxSkewSeconds = options.maxSkewSeconds ?? MAX_CLOCK_SKEW_SECONDS;
  }

  /** Never throws for a bad request; a failing NonceStore's error is passed through. */
  async verify(req: VerifiableRequest): Promise<VerificationResult> {
    const values = new Map<BridgeHeaderName, string>();
    for (const name of BRIDGE_HEADERS) {
      const found = header(req.headers, name);
      if ('problem' in found) return { ok: false, reason: found.problem, header: name };
      values.set(name, found.value);
    }
    const get = (name: BridgeHeaderName): string => values.get(name) ?? '';
    const keyId = get(HEADER_KEY_ID);
    const timestamp = get(HEADER_TIMESTAMP);
    const nonce = get(HEADER_NONCE);
    const signature = get(HEADER_SIGNATURE);
    const malformed = (name: BridgeHeaderName, withKey = true): VerificationResult => ({
      ok: false,
      reason: 'malformed_header',
      header: name,
      ...(withKey ? { keyId } : {}),
    });
    if (!KEY_ID_PATTERN.test(keyId)) return malformed(HEADER_KEY_ID, false);
    if (!TIMESTAMP_PATTERN.test(timestamp)) return malformed(HEADER_TIMESTAMP);
    if (!NONCE_PATTERN.test(nonce)) return malformed(HEADER_NONCE);
    if (!SIGNATURE_PATTERN.test(signature)) return malformed(HEADER_SIGNATURE);

    const secret = this.keys.get(keyId);
    if (secret === undefined) return { ok: false, reason: 'unknown_key', keyId };

    if (Math.abs(this.clock() / 1000 - Number(timestamp)) > this.maxSkewSeconds) {
      return { ok: false, reason: 'stale_timestamp', keyId };
    }

    if (/[\r\n]/.test(req.method) || /[\r\n]/.test(req.pathWithQuery)) {
      return { ok: false, reason: 'bad_signature', keyId }; // no signer can produce these
    }
    const expected = computeSignature(
      secret,
      stringToSign({ ...req, timestamp, nonce, body: req.rawBody }),
    );
    // Both are 32 bytes: the pattern above fixed the received one at 64 hex digits.
    const received = Buffer.from(signature.slice(PROTOCOL_VERSION.length + 1), 'hex');
    if (received.length !== expected.length || !timingSafeEqual(received, expected)) {
      return { ok: false, reason: 'bad_signature', keyId };
    }

    // Remember the nonce as long as its timestamp can still be accepted: up to 2 × skew.
    const ttl = 2 * this.maxSkewSeconds + 1;
    if (!(await this.nonces.checkAndRemember(keyId, nonce, ttl))) {
      return { ok: false, reason: 'replayed_nonce', keyId };
    }
    return { ok: true, keyId };
  }
}
