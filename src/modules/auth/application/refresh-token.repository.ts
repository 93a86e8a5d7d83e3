import type { RefreshTokenRecord } from '../domain/refresh-token';

/** A token to store: its record and the SHA-256 of the token (the token itself is never stored). */
export interface StoredRefreshToken extends RefreshTokenRecord {
  readonly tokenHash: string;
}

/** Port: refresh tokens (table `app.refresh_tokens`), looked up by hash. */
export abstract class RefreshTokenRepository {
  abstract insert(token: StoredRefreshToken): Promise<void>;
  abstract findByHash(tokenHash: string): Promise<RefreshTokenRecord | undefined>;
  /**
   * Marks `id` rotated and stores its successor, in one transaction. False when `id` was rotated
   * or revoked meanwhile (a concurrent use of the same token): nothing is stored then.
   */
  abstract rotate(id: string, successor: StoredRefreshToken, now: Date): Promise<boolean>;
  abstract revokeFamily(familyId: string, now: Date): Promise<void>;
  abstract revokeAllOfUser(userId: string, now: Date): Promise<void>;
}
