import { scanMainEndpoints, SCANNABLE_ENV } from '../../src/cli/check-sqlmap';
import { RunningApp, startIsolatedApp } from '../support/app';
import { createTestDatabase, insertDiaryRows, TestDatabase } from '../support/database';
import { describeWithTools } from '../support/native-tool';

/**
 * sqlmap (the Debian package) against a running instance's main endpoints (docs/security.md,
 * "sqlmap"): the same scan as `npm run check:sqlmap`, here against the app on the test
 * PostgreSQL. The instance lets the scanner through (SCANNABLE_ENV: every address allowlisted
 * for the abuse detection, which would otherwise block sqlmap at its first payload; high rate
 * and sign-in limits; X-Forwarded-For from loopback, one address per payload). Fails when
 * sqlmap reports an injectable parameter, or could not test a target to the end.
 */
const describeSqlmap = describeWithTools('sqlmap');

describeSqlmap('sqlmap finds nothing injectable (level 1, risk 1)', () => {
  let db: TestDatabase;
  let api: RunningApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    await insertDiaryRows(db.url, [
      { person: 'Anna', sym: 'migraine', sev: 6, logged: '2026-10-03 09:00:00', notes: 'n1' },
      { person: 'Anna', sym: 'nausea', sev: 3, logged: '2026-10-15 21:00:00' },
      { person: 'Anna', sym: 'migraine', sev: 8, logged: '2026-10-20 07:30:00' },
      { person: 'Ben', sym: 'migraine', sev: 9, logged: '2026-10-10 14:00:00' },
    ]);
    api = await startIsolatedApp({
      DATABASE_URL: db.url,
      DIARY_TIMEZONE: 'Europe/Berlin',
      REDIS_URL: '',
      ...SCANNABLE_ENV,
    });
  });

  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  it('scans the diary, stats, login, conversation and NLU endpoints', async () => {
    const user = await api.createUser({ role: 'user', person: 'Anna' });
    const lines: string[] = [];
    const credentials = { email: user.email, password: user.password };
    const results = await scanMainEndpoints(api.baseUrl, credentials, (line) => lines.push(line));
    process.stderr.write(`sqlmap:\n${lines.join('\n')}\n`);
    expect(results.map((r) => r.target).sort()).toEqual([
      'GET /api/health/symptoms',
      'GET /api/health/symptoms/stats/count',
      'GET /api/health/symptoms/stats/summary',
      'POST /api/auth/login',
      'POST /api/conversations',
      'POST /api/conversations/{id}/messages',
      'POST /api/nlu/parse',
    ]);
    expect(results.filter((r) => !r.tested).map((r) => r.target)).toEqual([]);
    expect(results.filter((r) => r.injectable).map((r) => r.target)).toEqual([]);
  }, 240_000);
});
