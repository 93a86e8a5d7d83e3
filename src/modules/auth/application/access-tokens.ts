/** Port: short-lived signed access tokens (JWT). */
export abstract class AccessTokens {
  /** A token for `userId` and its lifetime in seconds. */
  abstract issue(userId: string): Promise<{ token: string; expiresInSeconds: number }>;
  /** The user of a valid token; undefined for anything else (bad signature, expired, …). */
  abstract verify(token: string): Promise<{ userId: string } | undefined>;
}
