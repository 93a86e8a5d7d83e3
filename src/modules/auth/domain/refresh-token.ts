/**
 * Refresh-token rules. A refresh token is 32 random bytes, handed out once and stored only as its
 * SHA-256. Every use rotates it: the token is marked used and a new one of the same family (one
 * sign-in) is issued. A used token presented again means it was copied — by an attacker or by the
 * client that lost the race — so the whole family is revoked and everyone holding one of its
 * tokens must sign in again. Logging out revokes the family.
 */
export const REFRESH_TOKEN_BYTES = 32;
const DAY_MS = 86_400_000;

export interface RefreshTokenRecord {
  readonly id: string;
  readonly userId: string;
  /** All tokens issued from one sign-in share this id. */
  readonly familyId: string;
  readonly issuedAt: Date;
  readonly expiresAt: Date;
  /** When it was exchanged for its successor; a second use is a reuse. */
  readonly rotatedAt: Date | null;
  readonly revokedAt: Date | null;
}

export type RefreshRejection = 'unknown' | 'expired' | 'revoked' | 'reused';

export type RefreshVerdict =
  | { readonly kind: 'rotate' }
  | { readonly kind: 'reject'; readonly reason: RefreshRejection; readonly revokeFamily: boolean };

/** What to do with a presented refresh token (`undefined`: no token has that hash). */
export function judgeRefresh(record: RefreshTokenRecord | undefined, now: Date): RefreshVerdict {
  if (record === undefined) return { kind: 'reject', reason: 'unknown', revokeFamily: false };
  if (record.rotatedAt !== null) return { kind: 'reject', reason: 'reused', revokeFamily: true };
  if (record.revokedAt !== null) return { kind: 'reject', reason: 'revoked', revokeFamily: true };
  if (record.expiresAt.getTime() <= now.getTime()) {
    return { kind: 'reject', reason: 'expired', revokeFamily: false };
  }
  return { kind: 'rotate' };
}

/** Each token lives `ttlDays` from its own issue: an active session slides, an idle one ends. */
export function refreshExpiry(issuedAt: Date, ttlDays: number): Date {
  return new Date(issuedAt.getTime() + ttlDays * DAY_MS);
}
