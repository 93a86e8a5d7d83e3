import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AuthConfig } from '../../../config/configuration';

/** The file in DATA_DIR holding the embedded default's generated key. */
export const JWT_SECRET_FILE_NAME = 'jwt-secret';

/**
 * The key that signs access tokens. JWT_SECRET (or JWT_SECRET_FILE) when set. Otherwise, on the
 * embedded default only, a random 32-byte key generated once into DATA_DIR (mode 0600) and reused,
 * so tokens survive a restart. Anywhere else — a real diary (DATABASE_URL) or the bridge — there
 * is no default key: the service refuses to start.
 */
export function resolveJwtSecret(config: AuthConfig): { secret: string; generated: boolean } {
  assertJwtKeyAvailable(config);
  if (config.jwtSecret) return { secret: config.jwtSecret, generated: false };
  const dir = resolve(config.dataDir);
  const file = resolve(dir, JWT_SECRET_FILE_NAME);
  if (existsSync(file)) {
    const secret = readFileSync(file, 'utf8').trim();
    if (secret.length >= 32) return { secret, generated: false };
  }
  mkdirSync(dir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { secret, generated: true };
}

/** Refuses to go on without a key where none may be generated (called before anything connects). */
export function assertJwtKeyAvailable(
  config: Pick<AuthConfig, 'jwtSecret' | 'embeddedDefault'>,
): void {
  if (config.jwtSecret || config.embeddedDefault) return;
  throw new Error(
    'JWT_SECRET (or JWT_SECRET_FILE) is required with DATABASE_URL or DATA_SOURCE=bridge: ' +
      'at least 32 random bytes, e.g. `openssl rand -base64 48`',
  );
}
