import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { EmbeddedPostgresServer } from '../../src/infrastructure/database/embedded-postgres.server';
import { ENV_ADMIN_URL, ENV_TEMPLATE, testDatabasePrefix, withClient } from './database';

/** Drops the template (and any database a crashed test file left), stops an embedded server. */
export default async function globalTeardown(): Promise<void> {
  const adminUrl = process.env[ENV_ADMIN_URL];
  const template = process.env[ENV_TEMPLATE];
  if (adminUrl && template) {
    await withClient(adminUrl, async (c) => {
      const strays = await c.query<{ datname: string }>(
        'SELECT datname FROM pg_database WHERE starts_with(datname, $1)',
        [testDatabasePrefix(template)],
      );
      for (const { datname } of strays.rows) {
        await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      }
      await c.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
    });
  }
  const server = (globalThis as { __embeddedPg?: EmbeddedPostgresServer }).__embeddedPg;
  if (server) {
    await server.stop();
    rmSync(dirname(server.clusterDir), { recursive: true, force: true });
  }
}
