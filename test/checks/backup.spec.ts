import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource, DataSourceOptions } from 'typeorm';
import {
  appDataSourceOptions,
  openAppDataSource,
} from '../../src/infrastructure/database/app-database.module';
import {
  createTestDatabase,
  insertDiaryRows,
  type TestDatabase,
  withClient,
} from '../support/database';
import { describeWithTools } from '../support/native-tool';

/**
 * docker/scripts/backup.sh and restore.sh against the machine's PostgreSQL: the app's schema made
 * by the real migrations in a database of its own, rows added, dumped, wiped, restored and
 * compared row by row; the diary beside it is never in the dump and never touched by a restore.
 */
const scripts = join(__dirname, '..', '..', 'docker', 'scripts');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}
function run(script: string, args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [join(scripts, script), ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const TABLES = ['users', 'refresh_tokens', 'login_attempts', 'migrations'];
async function snapshot(url: string): Promise<Record<string, unknown[]>> {
  return withClient(url, async (c) => {
    const out: Record<string, unknown[]> = {};
    for (const table of TABLES) {
      const result = await c.query(`SELECT * FROM app.${table} ORDER BY 1`);
      out[table] = result.rows as unknown[];
    }
    return out;
  });
}
const diaryCount = (url: string) =>
  withClient(url, async (c) =>
    Number((await c.query('SELECT count(*) AS n FROM symptom_log')).rows[0].n),
  );

const describeTools = describeWithTools('pg_dump', 'pg_restore', 'shellcheck', 'rsync');
describeTools('backup.sh and restore.sh (the app database)', () => {
  let db: TestDatabase;
  let dir: string;
  let backups: string;
  let app: DataSource;
  let before: Record<string, unknown[]>;

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'backup-'));
    backups = join(dir, 'backups');
    // The app's schema as the service makes it: the real migrations, under their advisory lock.
    app = await openAppDataSource(
      appDataSourceOptions(
        { url: db.url },
        {
          url: db.url,
          diaryUrl: undefined,
          dataSource: 'direct',
          caFile: undefined,
          connectTimeoutMs: 2000,
        },
      ) as DataSourceOptions,
    );
    await app.query(`
      INSERT INTO app.users (id, email, password_hash, role, person, state, created_at, updated_at) VALUES
        ('11111111-1111-4111-8111-111111111111', 'admin@example.org', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', 'admin', NULL, 'active', '2026-01-02T03:04:05Z', '2026-01-02T03:04:05Z'),
        ('22222222-2222-4222-8222-222222222222', 'anna@example.org', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdDI$aGFzaDI', 'user', 'Anna', 'active', '2026-02-03T04:05:06Z', '2026-03-01T00:00:00Z'),
        ('33333333-3333-4333-8333-333333333333', 'ben@example.org', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdDM$aGFzaDM', 'user', 'Ben', 'disabled', '2026-02-04T00:00:00Z', '2026-02-05T00:00:00Z')`);
    await app.query(`
      INSERT INTO app.refresh_tokens (id, user_id, family_id, token_hash, issued_at, expires_at, rotated_at, revoked_at) VALUES
        ('44444444-4444-4444-8444-444444444444', '22222222-2222-4222-8222-222222222222', '55555555-5555-4555-8555-555555555555', repeat('a', 64), '2026-03-01T00:00:00Z', '2026-03-31T00:00:00Z', '2026-03-02T00:00:00Z', NULL),
        ('66666666-6666-4666-8666-666666666666', '22222222-2222-4222-8222-222222222222', '55555555-5555-4555-8555-555555555555', repeat('b', 64), '2026-03-02T00:00:00Z', '2026-04-01T00:00:00Z', NULL, NULL)`);
    await app.query(`
      INSERT INTO app.login_attempts (key, failures, last_failure_at) VALUES
        ('account:ben@example.org', 3, '2026-03-03T10:00:00Z'), ('address:192.0.2.7', 12, '2026-03-03T10:01:00Z')`);
    await insertDiaryRows(db.url, [
      { person: 'Anna', sym: 'migrane', sev: 7, logged: '2026-03-01 08:00', notes: 'private note' },
      { person: 'Ben', sym: 'back pain', logged: '2026-03-02 18:30' },
    ]);
    before = await snapshot(db.url);
  });

  afterAll(async () => {
    await app?.destroy();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('dumps the app schema only, compressed, with a checksum, and copies it off-site', async () => {
    const offsite = join(dir, 'offsite');
    mkdirSync(offsite);
    const textfile = join(dir, 'textfile');
    mkdirSync(textfile);
    const result = await run('backup.sh', [], {
      BACKUP_DATABASE_URL: db.url,
      BACKUP_DIR: backups,
      BACKUP_RSYNC_TARGET: `${offsite}/`,
      BACKUP_TEXTFILE_DIR: textfile,
    });
    expect(result.stderr).toMatch(/wrote .*app-\d{8}T\d{6}Z\.dump/);
    expect(result.status).toBe(0);
    const dumps = readdirSync(backups).filter((f) => f.endsWith('.dump'));
    expect(dumps).toHaveLength(1);
    expect(readdirSync(backups)).toContain(`${dumps[0]}.sha256`);
    expect(readdirSync(offsite).sort()).toEqual([dumps[0], `${dumps[0]}.sha256`].sort());
    expect(readFileSync(join(textfile, 'symptom_diary_backup.prom'), 'utf8')).toMatch(
      /^backup_last_success_timestamp_seconds \d+$/m,
    );

    const listing = await new Promise<string>((resolve) => {
      const child = spawn('pg_restore', ['--list', join(backups, dumps[0])]);
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.on('close', () => resolve(out));
    });
    expect(listing).toMatch(/Compression: (9|gzip)/);
    for (const table of TABLES)
      expect(listing).toMatch(new RegExp(`TABLE (DATA )?app ${table}\\b`));
    expect(listing).not.toMatch(/symptom_log/);
    // Nothing of the diary leaks into the file, not even as bytes.
    expect(readFileSync(join(backups, dumps[0])).includes('private note')).toBe(false);
  });

  it('refuses to restore without --yes and changes nothing', async () => {
    await withClient(db.url, (c) => c.query('DROP SCHEMA app CASCADE'));
    const refused = await run('restore.sh', [], {
      RESTORE_DATABASE_URL: db.url,
      BACKUP_DIR: backups,
    });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/run again with --yes/);
    const schema = await withClient(db.url, (c) =>
      c.query(`SELECT 1 FROM pg_namespace WHERE nspname = 'app'`),
    );
    expect(schema.rowCount).toBe(0);
  });

  it('restores the newest dump row by row, leaving the diary as it is', async () => {
    await insertDiaryRows(db.url, [
      { person: 'Anna', sym: 'headache', logged: '2026-03-05 09:00' },
    ]);
    const result = await run('restore.sh', ['--yes'], {
      RESTORE_DATABASE_URL: db.url,
      BACKUP_DIR: backups,
    });
    expect(result.stderr).toMatch(/restored .*\.dump/);
    expect(result.status).toBe(0);
    expect(await snapshot(db.url)).toEqual(before);
    expect(await diaryCount(db.url)).toBe(3);
  });

  it('restores over live data too (a restore replaces, it does not add)', async () => {
    await withClient(db.url, async (c) => {
      await c.query(`DELETE FROM app.refresh_tokens`);
      await c.query(`UPDATE app.users SET state = 'disabled'`);
      await c.query(
        `INSERT INTO app.login_attempts (key, failures) VALUES ('address:198.51.100.1', 1)`,
      );
    });
    const dump = readdirSync(backups).find((f) => f.endsWith('.dump'))!;
    const result = await run('restore.sh', ['--yes', join(backups, dump)], {
      RESTORE_DATABASE_URL: db.url,
    });
    expect(result.status).toBe(0);
    expect(await snapshot(db.url)).toEqual(before);
  });

  it('refuses a dump that does not match its checksum', async () => {
    const dump = readdirSync(backups).find((f) => f.endsWith('.dump'))!;
    const copy = join(dir, 'tampered');
    mkdirSync(copy);
    const bytes = readFileSync(join(backups, dump));
    bytes[bytes.length - 10] ^= 0xff;
    writeFileSync(join(copy, dump), bytes);
    writeFileSync(join(copy, `${dump}.sha256`), readFileSync(join(backups, `${dump}.sha256`)));
    const result = await run('restore.sh', ['--yes', join(copy, dump)], {
      RESTORE_DATABASE_URL: db.url,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/does not match its checksum/);
    expect(await snapshot(db.url)).toEqual(before);
  });

  it('keeps 30 days of dumps and never deletes the newest', async () => {
    const day = 24 * 3600;
    const now = Date.now() / 1000;
    const aged = (name: string, days: number) => {
      const path = join(backups, name);
      writeFileSync(path, 'old dump');
      writeFileSync(`${path}.sha256`, 'x');
      utimesSync(path, now - days * day, now - days * day);
      return path;
    };
    const old = aged('app-20250101T000000Z.dump', 31);
    const recent = aged('app-20260101T000000Z.dump', 29);
    const result = await run('backup.sh', [], { BACKUP_DATABASE_URL: db.url, BACKUP_DIR: backups });
    expect(result.status).toBe(0);
    expect(existsSync(old)).toBe(false);
    expect(existsSync(`${old}.sha256`)).toBe(false);
    expect(existsSync(recent)).toBe(true);
    expect(result.stderr).toMatch(/deleted app-20250101T000000Z\.dump/);
  });

  it('both scripts are shellcheck-clean', async () => {
    const result = await new Promise<Run>((resolve) => {
      const child = spawn('shellcheck', [
        '--severity=style',
        join(scripts, 'backup.sh'),
        join(scripts, 'restore.sh'),
      ]);
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.on('close', (status) => resolve({ status, stdout, stderr: '' }));
    });
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
  });

  it('fails without a database to dump, and keeps no empty file', async () => {
    const empty = join(dir, 'none');
    const result = await run('backup.sh', [], {
      BACKUP_DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nothing',
      BACKUP_DIR: empty,
    });
    expect(result.status).not.toBe(0);
    expect(readdirSync(empty)).toEqual([]);
  });
});
