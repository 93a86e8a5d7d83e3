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

/**
 * Access tokens as HS256 JWTs (@nestjs/jwt over jsonwebtoken): `sub` is the user id; issuer,
 * audience, expiry and the algorithm are checked on every request. The token carries no role or
 * person: those are read from the user (briefly cached) so that a change applies at once.
 */
export class JwtAccessTokens extends AccessTokens {
  private readonly jwt: JwtService;

  constructor(
    secret: string,
    private readonly ttlSeconds: number,
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
    try {
      const claims = await this.jwt.verifyAsync<{ sub?: unknown; exp?: unknown }>(token, {
        algorithms: [JWT_ALGORITHM],
        issuer: JWT_ISSUER,
        audience: JWT_AUDIENCE,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      });
      if (typeof claims.sub !== 'string' || !UUID.test(claims.sub)) return undefined;
      if (typeof claims.exp !== 'number') return undefined;
      return { userId: claims.sub };
    } catch {
      return undefined;
    }
  }
}
