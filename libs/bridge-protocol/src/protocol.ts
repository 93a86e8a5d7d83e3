/**
 * Constants and wire types of the bridge protocol (version v1). See ../README.md for the
 * complete description and a test vector.
 */

export const PROTOCOL_VERSION = 'v1';

/** How far a request timestamp may be from the verifier's clock, in either direction. */
export const MAX_CLOCK_SKEW_SECONDS = 300;

/** The one query endpoint of the bridge. */
export const QUERY_PATH = '/bridge/v1/query';

/** Header names, lowercase (lookups by the verifier are case-insensitive). */
export const HEADER_KEY_ID = 'x-bridge-key-id';
export const HEADER_TIMESTAMP = 'x-bridge-timestamp';
export const HEADER_NONCE = 'x-bridge-nonce';
export const HEADER_SIGNATURE = 'x-bridge-signature';

export const BRIDGE_HEADERS = [
  HEADER_KEY_ID,
  HEADER_TIMESTAMP,
  HEADER_NONCE,
  HEADER_SIGNATURE,
] as const;
export type BridgeHeaderName = (typeof BRIDGE_HEADERS)[number];

/** Syntax of the wire values. */
export const KEY_ID_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
export const NONCE_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;
export const TIMESTAMP_PATTERN = /^[0-9]{1,12}$/;
export const SIGNATURE_PATTERN = /^v1=[0-9a-f]{64}$/;

/** Shortest accepted secret, in bytes (UTF-8 of the configured string). */
export const MIN_SECRET_LENGTH = 32;

/** Body of `POST /bridge/v1/query`. */
export interface BridgeQueryRequest {
  name: string;
  params: Record<string, unknown>;
}

/** Successful answer of `POST /bridge/v1/query`. */
export interface BridgeQueryResponse<T> {
  name: string;
  result: T;
  tookMs: number;
}
