import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { EmbeddedPostgresServer } from '../../src/infrastructure/database/embedded-postgres.server';
import { createTemplate, ENV_ADMIN_URL, ENV_TEMPLATE, withDatabase } from './database';

const LOCAL_DEFAULT = 'postgres://postgres@127.0.0.1:5432/postgres';

async function reachable(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Finds a real PostgreSQL for the integration and e2e tests: TEST_DATABASE_URL, else the
 * machine's on 127.0.0.1:5432, else an embedded one in a temporary directory. Then creates the
 * template database each test file clones.
 */
export default async function globalSetup(): Promise<void> {
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (adminUrl) {
    if (!(await reachable(adminUrl))) {
      throw new Error('TEST_DATABASE_URL is set but the server does not answer');
    }
  } else if (await reachable(LOCAL_DEFAULT)) {
    adminUrl = LOCAL_DEFAULT;
  } else {
    process.stdout.write('\nNo PostgreSQL on 127.0.0.1:5432: starting an embedded one for tests\n');
    const server = new EmbeddedPostgresServer({
      dataDir: mkdtempSync(join(tmpdir(), 'sd-test-pg-')),
      port: 0,
      log: () => undefined,
    });
    await server.start();
    (globalThis as { __embeddedPg?: EmbeddedPostgresServer }).__embeddedPg = server;
    adminUrl = server.url('postgres');
  }
  const template = `sdtpl_${randomBytes(5).toString('hex')}`;
  await createTemplate(adminUrl, template);
  process.env[ENV_ADMIN_URL] = withDatabase(adminUrl, 'postgres');
  process.env[ENV_TEMPLATE] = template;
}
