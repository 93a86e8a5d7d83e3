import { createHash, createHmac, randomBytes } from 'node:crypto';
import {
  HEADER_KEY_ID,
  HEADER_NONCE,
  HEADER_SIGNATURE,
  HEADER_TIMESTAMP,
  KEY_ID_PATTERN,
  MIN_SECRET_LENGTH,
  NONCE_PATTERN,
  PROTOCOL_VERSION,
} from './protocol';

export interface StringToSignInput {
  method: string;
  /** Path and query string exactly as in the request line, e.g. `/x?a=1`. */
  pathWithQuery: string;
  /** Unix seconds, as sent in the timestamp header. */
  timestamp: string | number;
  nonce: string;
  body: Buffer | string | undefined;
}

export interface SignRequestInput {
  keyId: string;
  secret: Buffer | string;
  method: string;
  pathWithQuery: string;
  /** The exact bytes sent; a string is signed as its UTF-8 encoding. */
  body: Buffer | string;
  /** Clock in milliseconds; defaults to `Date.now()`. */
  now?: number;
  /** Defaults to 16 random bytes, base64url (22 characters). */
  nonce?: string;
}

/** Lowercase hex SHA-256 of the bytes (a string is taken as UTF-8). */
export function sha256Hex(data: Buffer | string | undefined): string {
  return createHash('sha256')
    .update(data ?? '')
    .digest('hex');
}

/** `v1\nMETHOD\npathWithQuery\ntimestamp\nnonce\nsha256hex(body)`. */
export function stringToSign(input: StringToSignInput): string {
  const method = input.method.toUpperCase();
  // A line break in a field would make two different requests sign the same string.
  if (/[\r\n]/.test(method) || /[\r\n]/.test(input.pathWithQuery)) {
    throw new TypeError('method and path must not contain line breaks');
  }
  return [
    PROTOCOL_VERSION,
    method,
    input.pathWithQuery,
    String(input.timestamp),
    input.nonce,
    sha256Hex(input.body),
  ].join('\n');
}

/** Raw HMAC-SHA256 of the string to sign (32 bytes). */
export function computeSignature(secret: Buffer | string, toSign: string): Buffer {
  return createHmac('sha256', secret).update(toSign, 'utf8').digest();
}

/** A fresh nonce: 16 random bytes, base64url (22 characters). */
export function generateNonce(): string {
  return randomBytes(16).toString('base64url');
}

/** The byte length of a secret, for the minimum-length check. */
export function secretLength(secret: Buffer | string): number {
  return typeof secret === 'string' ? Buffer.byteLength(secret, 'utf8') : secret.length;
}

/** The four authentication headers (lowercase names) for one request. */
export function signRequest(input: SignRequestInput): Record<string, string> {
  if (!KEY_ID_PATTERN.test(input.keyId)) throw new TypeError('invalid key id');
  if (secretLength(input.secret) < MIN_SECRET_LENGTH) {
    throw new TypeError(`secret of key "${input.keyId}" is shorter than ${MIN_SECRET_LENGTH}`);
  }
  const nonce = input.nonce ?? generateNonce();
  if (!NONCE_PATTERN.test(nonce)) throw new TypeError('invalid nonce');
  const timestamp = String(Math.floor((input.now ?? Date.now()) / 1000));
  const toSign = stringToSign({ ...input, timestamp, nonce });
  return {
    [HEADER_KEY_ID]: input.keyId,
    [HEADER_TIMESTAMP]: timestamp,
    [HEADER_NONCE]: nonce,
    [HEADER_SIGNATURE]: `${PROTOCOL_VERSION}=${computeSignature(input.secret, toSign).toString('hex')}`,
  };
}
