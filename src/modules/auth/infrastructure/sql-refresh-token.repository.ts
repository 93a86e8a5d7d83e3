import type { DataSource } from 'typeorm';
import { APP_SCHEMA } from '../../../infrastructure/database/app-database.module';
import {
  RefreshTokenRepository,
  StoredRefreshToken,
} from '../application/refresh-token.repository';
import type { RefreshTokenRecord } from '../domain/refresh-token';
import { inTransaction, once, run } from './sql';

interface TokenRow {
  id: string;
  user_id: string;
  family_id: string;
  issued_at: Date;
  expires_at: Date;
  rotated_at: Date | null;
  revoked_at: Date | null;
}

const TABLE = `${APP_SCHEMA}.refresh_tokens`;
/** Expired tokens are kept this long (a late reuse is still recognised), then deleted. */
const KEEP_EXPIRED_MS = 86_400_000;
const PURGE_EVERY_MS = 3_600_000;

const date = (value: Date | null) => (value === null ? null : new Date(value));

/** RefreshTokenRepository on `app.refresh_tokens`: looked up by the SHA-256 of the token. */
export class SqlRefreshTokenRepository extends RefreshTokenRepository {
  private nextPurge = 0;

  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async insert(token: StoredRefreshToken): Promise<void> {
    await this.purgeNowAndThen(token.issuedAt);
    await once(this.dataSource, INSERT, values(token));
  }

  async findByHash(tokenHash: string): Promise<RefreshTokenRecord | undefined> {
    const { rows } = await once<TokenRow>(
      this.dataSource,
      `SELECT id, user_id, family_id, issued_at, expires_at, rotated_at, revoked_at
         FROM ${TABLE} WHERE token_hash = $1`,
      [tokenHash],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      id: row.id,
      userId: row.user_id,
      familyId: row.family_id,
      issuedAt: new Date(row.issued_at),
      expiresAt: new Date(row.expires_at),
      rotatedAt: date(row.rotated_at),
      revokedAt: date(row.revoked_at),
    };
  }

  async rotate(id: string, successor: StoredRefreshToken, now: Date): Promise<boolean> {
    return inTransaction(this.dataSource, async (runner) => {
      const { affected } = await run(
        runner,
        `UPDATE ${TABLE} SET rotated_at = $2
          WHERE id = $1 AND rotated_at IS NULL AND revoked_at IS NULL`,
        [id, now],
      );
      if (affected !== 1) return false;
      await run(runner, INSERT, values(successor));
      return true;
    });
  }

  async revokeFamily(familyId: string, now: Date): Promise<void> {
    await once(
      this.dataSource,
      `UPDATE ${TABLE} SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL`,
      [familyId, now],
    );
  }

  async revokeAllOfUser(userId: string, now: Date): Promise<void> {
    await once(
      this.dataSource,
      `UPDATE ${TABLE} SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL`,
      [userId, now],
    );
  }

  /** Deletes long-expired tokens, at most once an hour per instance. */
  private async purgeNowAndThen(now: Date): Promise<void> {
    if (now.getTime() < this.nextPurge) return;
    this.nextPurge = now.getTime() + PURGE_EVERY_MS;
    await once(this.dataSource, `DELETE FROM ${TABLE} WHERE expires_at < $1`, [
      new Date(now.getTime() - KEEP_EXPIRED_MS),
    ]);
  }
}

const INSERT = `INSERT INTO ${TABLE}
  (id, user_id, family_id, token_hash, issued_at, expires_at, rotated_at, revoked_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`;

function values(token: StoredRefreshToken): unknown[] {
  return [
    token.id,
    token.userId,
    token.familyId,
    token.tokenHash,
    token.issuedAt,
    token.expiresAt,
    token.rotatedAt,
    token.revokedAt,
  ];
}
