import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { authConfig, type AuthConfig } from '../../../config/configuration';
import {
  InvalidCredentialsError,
  InvalidRefreshTokenError,
  InvalidTokenError,
  TooManyLoginAttemptsError,
} from '../domain/auth-errors';
import type { Caller } from '../domain/caller';
import {
  AttemptCounter,
  assessAttempt,
  countAttempt,
  forgiveAttempt,
  LockoutPolicy,
  NO_FAILURES,
} from '../domain/login-lockout';
import { judgeRefresh, REFRESH_TOKEN_BYTES, refreshExpiry } from '../domain/refresh-token';
import { normaliseEmail, type User } from '../domain/user';
import { AccessTokens } from './access-tokens';
import { CallerCache } from './caller-cache';
import { LoginAttemptStore } from './login-attempt.store';
import { PasswordHasher } from './password-hasher';
import { RefreshTokenRepository, StoredRefreshToken } from './refresh-token.repository';
import { UserRepository } from './user.repository';

export interface TokenPair {
  readonly accessToken: string;
  readonly refreshToken: string;
  /** Seconds the access token is valid. */
  readonly expiresIn: number;
}

/** The first slow-down wait after the free failed sign-ins; it doubles with each failure. */
const BASE_DELAY_MS = 1000;
/** A refresh token as issued: 32 bytes in base64url. Anything else is not looked up. */
const REFRESH_TOKEN_FORMAT = /^[A-Za-z0-9_-]{43}$/;
/** Longer headers than this are not worth verifying. */
const MAX_ACCESS_TOKEN_LENGTH = 4096;

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
/** Counter keys: a digest, so that the store never holds an email or an address in the clear. */
const accountKey = (email: string) => `account:${sha256(email)}`;
const addressKey = (address: string) => `address:${sha256(address)}`;

/**
 * Signing in, refreshing, signing out, and recognising the caller of a request. Failed sign-ins
 * are logged (never with the password) and slow down, then lock, per account and per address.
 */
@Injectable()
export class AuthService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Auth');
  /** Verified when the email is unknown, so that the answer takes as long as for a known one. */
  private dummyHash?: Promise<string>;

  constructor(
    private readonly users: UserRepository,
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly attempts: LoginAttemptStore,
    private readonly hasher: PasswordHasher,
    private readonly accessTokens: AccessTokens,
    private readonly callers: CallerCache,
    @Inject(authConfig.KEY) private readonly config: AuthConfig,
  ) {}

  /** Hashes the dummy password at boot, so the first unknown email costs no more than others. */
  async onApplicationBootstrap(): Promise<void> {
    await this.dummy();
  }

  /**
   * Signs in with email and password from `address`. Refused with 429 while the account or the
   * address is slowed down or locked; 401 for a wrong password, an unknown email or a disabled
   * account alike (the same answer, after the same work).
   */
  async login(email: string, password: string, address: string): Promise<TokenPair> {
    const normalised = normaliseEmail(email);
    const account = accountKey(normalised);
    const origin = addressKey(address);
    const now = new Date();
    await this.attempts
      .update([account, origin], (current) => {
        let retryAfterMs = 0;
        const next = new Map<string, AttemptCounter>();
        for (const [key, policy] of [
          [account, this.policy('account')],
          [origin, this.policy('address')],
        ] as const) {
          const counter = current.get(key) ?? NO_FAILURES;
          const verdict = assessAttempt(counter, now, policy);
          if (!verdict.allowed) retryAfterMs = Math.max(retryAfterMs, verdict.retryAfterMs);
          next.set(key, countAttempt(counter, now, policy));
        }
        if (retryAfterMs > 0) throw new TooManyLoginAttemptsError(Math.ceil(retryAfterMs / 1000));
        return { next, result: undefined };
      })
      .catch((error: unknown) => {
        if (error instanceof TooManyLoginAttemptsError) {
          this.logger.warn(
            { event: 'login_throttled', address, account },
            'sign-in refused: too many failures',
          );
        }
        throw error;
      });

    const user = await this.users.findByEmail(normalised);
    const matches = user
      ? await this.hasher.verify(user.passwordHash, password)
      : await this.hasher.verify(await this.dummy(), password).then(() => false);
    if (!user || !matches || user.state !== 'active') {
      this.logger.warn(
        {
          event: 'login_failed',
          reason: !user ? 'unknown_email' : !matches ? 'wrong_password' : 'disabled',
          userId: user?.id,
          account,
          address,
        },
        'sign-in failed',
      );
      throw new InvalidCredentialsError();
    }

    await this.attempts.update([account, origin], (current) => ({
      next: new Map([
        [account, NO_FAILURES],
        [origin, forgiveAttempt(current.get(origin) ?? NO_FAILURES)],
      ]),
      result: undefined,
    }));
    this.logger.log({ event: 'login', userId: user.id, address }, 'signed in');
    return this.issue(user, randomUUID(), now);
  }

  /** Exchanges a refresh token for a new pair; the old one is used up (see refresh-token.ts). */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const now = new Date();
    const record = REFRESH_TOKEN_FORMAT.test(refreshToken)
      ? await this.refreshTokens.findByHash(sha256(refreshToken))
      : undefined;
    const verdict = judgeRefresh(record, now);
    if (verdict.kind === 'reject' || record === undefined) {
      if (verdict.kind === 'reject' && verdict.revokeFamily && record) {
        await this.refreshTokens.revokeFamily(record.familyId, now);
        this.logger.warn(
          {
            event: 'refresh_reuse',
            reason: verdict.reason,
            userId: record.userId,
            familyId: record.familyId,
          },
          'a used or revoked refresh token was presented: its family is revoked',
        );
      }
      throw new InvalidRefreshTokenError();
    }
    const user = await this.users.findById(record.userId);
    if (!user || user.state !== 'active') {
      await this.refreshTokens.revokeFamily(record.familyId, now);
      throw new InvalidRefreshTokenError();
    }
    const successor = this.newRefreshToken(user.id, record.familyId, now);
    if (!(await this.refreshTokens.rotate(record.id, successor.stored, now))) {
      // Used by someone else between our read and our write: a reuse like any other.
      await this.refreshTokens.revokeFamily(record.familyId, now);
      this.logger.warn(
        {
          event: 'refresh_reuse',
          reason: 'concurrent',
          userId: record.userId,
          familyId: record.familyId,
        },
        'a refresh token was used twice at once: its family is revoked',
      );
      throw new InvalidRefreshTokenError();
    }
    const access = await this.accessTokens.issue(user.id);
    return {
      accessToken: access.token,
      refreshToken: successor.token,
      expiresIn: access.expiresInSeconds,
    };
  }

  /** Signs out the session a refresh token belongs to (its whole family). Unknown tokens: nothing. */
  async logout(refreshToken: string): Promise<void> {
    if (!REFRESH_TOKEN_FORMAT.test(refreshToken)) return;
    const record = await this.refreshTokens.findByHash(sha256(refreshToken));
    if (!record) return;
    await this.refreshTokens.revokeFamily(record.familyId, new Date());
    this.logger.log({ event: 'logout', userId: record.userId }, 'signed out');
  }

  /**
   * The caller behind an access token, checked against the user's current state (cached for a
   * few seconds): a disabled user's tokens stop working at once on this instance.
   */
  async authenticate(accessToken: string): Promise<Caller> {
    if (accessToken.length > MAX_ACCESS_TOKEN_LENGTH) throw new InvalidTokenError();
    const claims = await this.accessTokens.verify(accessToken);
    if (!claims) throw new InvalidTokenError();
    const caller = await this.callerOf(claims.userId);
    if (!caller) throw new InvalidTokenError();
    return caller;
  }

  /** The active user `userId` as a caller, or null (no such user, disabled). */
  async callerOf(userId: string): Promise<Caller | null> {
    const cached = this.callers.get(userId);
    if (cached !== undefined) return cached;
    const user = await this.users.findById(userId);
    const caller: Caller | null =
      user && user.state === 'active'
        ? { userId: user.id, role: user.role, person: user.person }
        : null;
    this.callers.set(userId, caller);
    return caller;
  }

  private async issue(user: User, familyId: string, now: Date): Promise<TokenPair> {
    const refresh = this.newRefreshToken(user.id, familyId, now);
    await this.refreshTokens.insert(refresh.stored);
    const access = await this.accessTokens.issue(user.id);
    return {
      accessToken: access.token,
      refreshToken: refresh.token,
      expiresIn: access.expiresInSeconds,
    };
  }

  private newRefreshToken(
    userId: string,
    familyId: string,
    now: Date,
  ): { token: string; stored: StoredRefreshToken } {
    const token = randomBytes(REFRESH_TOKEN_BYTES).toString('base64url');
    return {
      token,
      stored: {
        id: randomUUID(),
        userId,
        familyId,
        tokenHash: sha256(token),
        issuedAt: now,
        expiresAt: refreshExpiry(now, this.config.refreshTtlDays),
        rotatedAt: null,
        revokedAt: null,
      },
    };
  }

  private policy(kind: 'account' | 'address'): LockoutPolicy {
    const { lockout } = this.config;
    return {
      maxFailures:
        kind === 'account' ? lockout.maxFailuresPerAccount : lockout.maxFailuresPerAddress,
      lockMs: lockout.lockMs,
      baseDelayMs: BASE_DELAY_MS,
    };
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= this.hasher.hash(randomBytes(24).toString('base64url'));
    return this.dummyHash;
  }
}
