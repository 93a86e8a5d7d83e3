import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuthConfig } from '../../../config/configuration';
import { JWT_SECRET_FILE_NAME, resolveJwtSecret } from './jwt-secret';

describe('resolveJwtSecret', () => {
  let dataDir: string;
  const config = (over: Partial<AuthConfig>): AuthConfig =>
    ({ jwtSecret: undefined, embeddedDefault: false, dataDir, ...over }) as AuthConfig;

  beforeEach(() => {
    dataDir = join(mkdtempSync(join(tmpdir(), 'jwt-')), 'data');
  });
  afterEach(() => rmSync(join(dataDir, '..'), { recursive: true, force: true }));

  it('uses JWT_SECRET when set, anywhere', () => {
    const secret = 's'.repeat(40);
    expect(resolveJwtSecret(config({ jwtSecret: secret }))).toEqual({ secret, generated: false });
    expect(resolveJwtSecret(config({ jwtSecret: secret, embeddedDefault: true })).secret).toBe(
      secret,
    );
  });

  it('refuses to start without one on a real database or the bridge', () => {
    expect(() => resolveJwtSecret(config({}))).toThrow(
      /JWT_SECRET \(or JWT_SECRET_FILE\) is required/,
    );
  });

  it('on the embedded default, generates 32 random bytes into DATA_DIR once (0600), then reuses them', () => {
    const first = resolveJwtSecret(config({ embeddedDefault: true }));
    expect(first.generated).toBe(true);
    expect(Buffer.from(first.secret, 'base64url')).toHaveLength(32);
    const file = join(dataDir, JWT_SECRET_FILE_NAME);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.secret);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(resolveJwtSecret(config({ embeddedDefault: true }))).toEqual({
      secret: first.secret,
      generated: false,
    });
  });
});
