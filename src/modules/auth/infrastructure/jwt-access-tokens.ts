import { JwtService } from '@nestjs/jwt';
import { createSecretKey, randomUUID } from 'node:crypto';
import { AccessTokens } from '../application/access-tokens';

export const JWT_ISSUER = 'symptom-diary-api';
export const JWT_AUDIENCE = 'symptom-diary-api';
/** The one algorithm accepted: a token naming any other (`none`, RS256 …) is refused. */
export const JWT_ALGORITHM = 'HS256';
/** Clock difference tolerated between instances when checking `exp` and `nbf`. */
const CLOCK_TOLERANCE_SECONDS = 5;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Verified tokens remembered (a household holds a few; each entry is a token string, ~300 B). */
const VERIFIED_MAX_ENTRIES = 2_000;

/**
 * Access tokens as HS256 JWTs (@nestjs/jwt over jsonwebtoken): `sub` is the user id; issuer,
 * audience, expiry and the algorithm are checked on every request. The token carries no role or
 * person: those are read from the user (briefly cached) so that a change applies at once.
 *
 * A token that verified is remembered, by its exact string, until it expires: the next request
 * with it skips the signature check and the claims' parsing (about 5 % of a request's CPU, in a
 * profile of the symptoms list) but not the expiry, which is checked against the clock every
 * time. The answer is the same: a token's signature and claims cannot change, and only a
 * string that verified before is ever found. Nothing else is remembered (a token that fails is
 * checked again each time), and the memory is bounded (oldest entries go first).
 */
export class JwtAccessTokens extends AccessTokens {
  private readonly jwt: JwtService;
  /** Token → its user and the last instant (epoch ms) it is accepted, clock tolerance included. */
  private readonly verified = new Map<string, { userId: string; acceptedUntilMs: number }>();

  constructor(
    secret: string,
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {
    super();
    // A KeyObject made once: given a string, jsonwebtoken first tries (and fails) to parse it as
    // a public key on every verification, which measured 3-5 % of a request's CPU.
    this.jwt = new JwtService({ secret: createSecretKey(Buffer.from(secret, 'utf8')) });
  }

  async issue(userId: string): Promise<{ token: string; expiresInSeconds: number }> {
    const token = await this.jwt.signAsync(
      {},
      {
        algorithm: JWT_ALGORITHM,
        subject: userId,
        issuer: JWT_ISSUER,
        audience: JWT_AUDIENCE,
        expiresIn: this.ttlSeconds,
        jwtid: randomUUID(),
      },
    );
    return { token, expiresInSeconds: this.ttlSeconds };
  }

  async verify(token: string): Promise<{ userId: string } | undefined> {
    const known = this.verified.get(token);
    if (known !== undefined) {
      if (this.now() < known.acceptedUntilMs) return { userId: known.userId };
      this.verified.delete(token);
      return undefined;
    }
    try {
      const claims = await this.jwt.verifyAsync<{ sub?: unknown; exp?: unknown }>(token, {
        algorithms: [JWT_ALGORITHM],
        issuer: JWT_ISSUER,
        audience: JWT_AUDIENCE,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      });
      if (typeof claims.sub !== 'string' || !UUID.test(claims.sub)) return undefined;
      if (typeof claims.exp !== 'number') return undefined;
      this.remember(token, claims.sub, (claims.exp + CLOCK_TOLERANCE_SECONDS) * 1000);
      return { userId: claims.sub };
    } catch {
      return undefined;
    }
  }

  private remember(token: string, userId: string, acceptedUntilMs: number): void {
    if (this.verified.size >= VERIFIED_MAX_ENTRIES) {
      // The oldest entry goes first (a Map keeps insertion order).
      const oldest = this.verified.keys().next().value;
      if (oldest !== undefined) this.verified.delete(oldest);
    }
    this.verified.set(token, { userId, acceptedUntilMs });
  }
}
