import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateEnvironment } from './environment';

describe('validateEnvironment', () => {
  it('gives every variable its default', () => {
    const env = validateEnvironment({});
    expect(env).toMatchObject({
      NODE_ENV: 'development',
      PORT: 3000,
      DATA_DIR: './.data',
      DB_POOL_SIZE: 10,
      DB_STATEMENT_TIMEOUT_MS: 3000,
      DEMO_DATA: true,
      SWAGGER_ENABLED: true,
    });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.DIARY_TIMEZONE.length).toBeGreaterThan(0);
  });

  it('converts numbers and booleans from their text', () => {
    const env = validateEnvironment({ PORT: '8080', DEMO_DATA: 'false', SWAGGER_ENABLED: '0' });
    expect(env.PORT).toBe(8080);
    expect(env.DEMO_DATA).toBe(false);
    expect(env.SWAGGER_ENABLED).toBe(false);
  });

  it('treats an empty variable as unset', () => {
    expect(validateEnvironment({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
  });

  it('lists every wrong variable at once, without echoing secrets', () => {
    let message = '';
    try {
      validateEnvironment({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://user:hunter2@db/diary',
        DIARY_TIMEZONE: 'Mars/Olympus',
        DB_POOL_SIZE: '0',
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^Invalid configuration:/);
    expect(message).toMatch(/PORT must be an integer/);
    expect(message).toMatch(/DATABASE_URL must be a postgres/);
    expect(message).toMatch(/DIARY_TIMEZONE must be an IANA time zone/);
    expect(message).toMatch(/DB_POOL_SIZE must not be less than 1/);
    expect(message).not.toContain('hunter2');
  });

  it('reads DATABASE_URL from DATABASE_URL_FILE (Docker secrets)', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'env-')), 'db-url');
    writeFileSync(file, 'postgres://diary@pi3/diary\n');
    expect(validateEnvironment({ DATABASE_URL_FILE: file }).DATABASE_URL).toBe(
      'postgres://diary@pi3/diary',
    );
    expect(() => validateEnvironment({ DATABASE_URL_FILE: `${file}.missing` })).toThrow(
      /DATABASE_URL_FILE points to a missing file/,
    );
  });
});
