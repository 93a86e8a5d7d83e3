import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseConfig } from '../../config/configuration';
import { APPLICATION_NAME, diaryDataSourceOptions } from './database.module';

const base: DatabaseConfig = {
  diaryUrl: 'postgres://reader@diary.lan/diary',
  diarySchema: 'public',
  poolSize: 4,
  statementTimeoutMs: 3000,
  connectTimeoutMs: 2000,
  slowQueryMs: 200,
  caFile: undefined,
  readinessTimeoutMs: 1000,
  embedded: { dataDir: '', port: 0, demoData: false },
};

describe('diaryDataSourceOptions', () => {
  it('reads the diary read-only, bounded and named, never synchronising the legacy table', () => {
    const options = diaryDataSourceOptions(base.diaryUrl as string, base) as unknown as Record<
      string,
      unknown
    >;
    expect(options.synchronize).toBe(false);
    expect(options.migrationsRun).toBe(false);
    expect(options.applicationName).toBe(APPLICATION_NAME);
    expect(options.poolSize).toBe(4);
    expect(options.extra).toMatchObject({
      options: '-c default_transaction_read_only=on',
      statement_timeout: 3000,
    });
    expect(options.ssl).toBeUndefined();
  });

  it('with DATABASE_CA_FILE, speaks TLS and verifies the server against that CA (verify-full)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sd-db-ca-'));
    try {
      const caFile = join(dir, 'ca.pem');
      writeFileSync(caFile, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
      const options = diaryDataSourceOptions(base.diaryUrl as string, {
        ...base,
        caFile,
      }) as unknown as {
        ssl: { ca: string; rejectUnauthorized: boolean; checkServerIdentity?: unknown };
      };
      // node-postgres hands these to tls.connect: the chain must lead to this CA and, with no
      // checkServerIdentity override, the certificate must name the host of the URL.
      expect(options.ssl.ca).toContain('BEGIN CERTIFICATE');
      expect(options.ssl.rejectUnauthorized).toBe(true);
      expect(options.ssl.checkServerIdentity).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
