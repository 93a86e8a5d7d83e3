import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { diaryTableDdl, recommendedIndexDdl } from '../../src/infrastructure/database/diary-schema';

/** Set by the global setup: a server URL (any database) and the migrated template's name. */
export const ENV_ADMIN_URL = 'TEST_PG_ADMIN_URL';
export const ENV_TEMPLATE = 'TEST_PG_TEMPLATE';

/** Test databases of one run share a prefix derived from its template, so teardown finds strays. */
export function testDatabasePrefix(template: string): string {
  return `${template.replace(/^sdtpl_/, 'sdtest_')}_`;
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates the template every test database is cloned from: the legacy diary table, empty. */
export async function createTemplate(adminUrl: string, name: string): Promise<void> {
  await withClient(adminUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
  await withClient(withDatabase(adminUrl, name), async (c) => {
    await c.query(diaryTableDdl('public'));
    for (const ddl of recommendedIndexDdl('public')) await c.query(ddl);
  });
}

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

/**
 * A database of its own for one test file, cloned from the template (fast, and nothing to clean
 * but the database itself). Call `drop()` in afterAll.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env[ENV_ADMIN_URL];
  const template = process.env[ENV_TEMPLATE];
  if (!adminUrl || !template) throw new Error('the jest global setup did not run');
  const name = `${testDatabasePrefix(template)}${randomBytes(6).toString('hex')}`;
  await withClient(adminUrl, (c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  return {
    name,
    url: withDatabase(adminUrl, name),
    drop: () =>
      withClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(
        () => undefined,
      ),
  };
}

export interface DiaryRow {
  person?: string;
  sym: string;
  sev?: number | null;
  logged: string;
  dur_mins?: number | null;
  notes?: string | null;
  deleted?: 'Y' | 'N';
}

/** Inserts legacy rows exactly as the home server's diary app would have written them. */
export async function insertDiaryRows(url: string, rows: readonly DiaryRow[]): Promise<void> {
  await withClient(url, async (c) => {
    for (const r of rows) {
      await c.query(
        `INSERT INTO symptom_log (person, sym, sev, logged, dur_mins, notes, deleted)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          r.person ?? 'Anna',
          r.sym,
          r.sev ?? null,
          r.logged,
          r.dur_mins ?? null,
          r.notes ?? null,
          r.deleted ?? 'N',
        ],
      );
    }
  });
}
