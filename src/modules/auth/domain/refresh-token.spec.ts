import { judgeRefresh, RefreshTokenRecord, refreshExpiry } from './refresh-token';

const now = new Date('2026-11-12T10:00:00Z');
const DAY = 86_400_000;
const token: RefreshTokenRecord = {
  id: 't1',
  userId: 'u1',
  familyId: 'f1',
  issuedAt: new Date(now.getTime() - DAY),
  expiresAt: new Date(now.getTime() + 29 * DAY),
  rotatedAt: null,
  revokedAt: null,
};

describe('refresh token rules', () => {
  it('rotates a live token', () => {
    expect(judgeRefresh(token, now)).toEqual({ kind: 'rotate' });
  });

  it('rejects an unknown token without touching any family', () => {
    expect(judgeRefresh(undefined, now)).toEqual({
      kind: 'reject',
      reason: 'unknown',
      revokeFamily: false,
    });
  });

  it('treats a second use of a rotated token as theft: the whole family goes', () => {
    expect(judgeRefresh({ ...token, rotatedAt: now }, now)).toEqual({
      kind: 'reject',
      reason: 'reused',
      revokeFamily: true,
    });
    // Even once it has expired, or was revoked since.
    expect(
      judgeRefresh({ ...token, rotatedAt: now, revokedAt: now, expiresAt: now }, now),
    ).toMatchObject({ reason: 'reused', revokeFamily: true });
  });

  it('rejects a revoked token (signed out) and keeps its family revoked', () => {
    expect(judgeRefresh({ ...token, revokedAt: now }, now)).toEqual({
      kind: 'reject',
      reason: 'revoked',
      revokeFamily: true,
    });
  });

  it('rejects an expired token at its expiry instant, without revoking its family', () => {
    expect(judgeRefresh({ ...token, expiresAt: now }, now)).toEqual({
      kind: 'reject',
      reason: 'expired',
      revokeFamily: false,
    });
    expect(judgeRefresh({ ...token, expiresAt: new Date(now.getTime() + 1) }, now)).toEqual({
      kind: 'rotate',
    });
  });

  it('lets each token live REFRESH_TTL_DAYS from its own issue', () => {
    expect(refreshExpiry(now, 30).toISOString()).toBe('2026-12-12T10:00:00.000Z');
  });
});
