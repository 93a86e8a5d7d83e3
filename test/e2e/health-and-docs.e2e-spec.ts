import { startApp, Problem, RunningApp } from '../support/app';
import { createTestDatabase, ENV_ADMIN_URL, TestDatabase, withClient } from '../support/database';

describe('health probes, degraded dependencies and the OpenAPI document (e2e)', () => {
  let db: TestDatabase;
  /** The app's own tables (users, tokens), apart: the test takes the diary's database away. */
  let appDb: TestDatabase;
  let api: RunningApp;

  const admin = (sql: string) =>
    withClient(process.env[ENV_ADMIN_URL] as string, (c) => c.query(sql));

  beforeAll(async () => {
    db = await createTestDatabase();
    appDb = await createTestDatabase();
    api = await startApp({
      DATABASE_URL: db.url,
      APP_DATABASE_URL: appDb.url,
      DIARY_TIMEZONE: 'UTC',
      READINESS_TIMEOUT_MS: '500',
      DB_CONNECT_TIMEOUT_MS: '500',
    });
  });

  afterAll(async () => {
    await api?.close();
    await admin(`ALTER DATABASE "${db.name}" ALLOW_CONNECTIONS true`).catch(() => undefined);
    await db?.drop();
    await appDb?.drop();
  });

  it('is live without touching anything', async () => {
    const res = await api.get('/health/live');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', info: { process: { status: 'up' } } });
  });

  it('is ready when the diary answers', async () => {
    const res = await api.get('/health/ready');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'ok',
      info: { database: { status: 'up', mode: 'external' } },
    });
  });

  it('documents every endpoint, parameter and problem in /docs-json', async () => {
    const res = await api.get('/docs-json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<
        string,
        Record<string, { parameters?: { name: string }[]; responses: Record<string, unknown> }>
      >;
      components: { schemas: Record<string, unknown> };
    };
    expect(doc.openapi).toMatch(/^3\./);
    const list = doc.paths['/api/health/symptoms'].get;
    expect(list.parameters?.map((p) => p.name).sort()).toEqual(
      [
        'exclude',
        'from',
        'limit',
        'maxSeverity',
        'minSeverity',
        'name',
        'page',
        'person',
        'sort',
        'symptom',
        'to',
      ].sort(),
    );
    expect(Object.keys(list.responses)).toEqual(
      expect.arrayContaining(['200', '400', '503', '504']),
    );
    expect(doc.paths['/api/health/symptoms/catalog'].get).toBeDefined();
    expect(doc.paths['/health/ready'].get).toBeDefined();
    expect(doc.components.schemas).toHaveProperty('ProblemDetailsDto');
    expect(doc.components.schemas).toHaveProperty('SymptomEntryDto');
    const ui = await api.get('/docs');
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
  });

  it('reports not ready and answers 503 fast when the diary is gone, then recovers', async () => {
    await admin(`ALTER DATABASE "${db.name}" ALLOW_CONNECTIONS false`);
    await admin(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${db.name}'`,
    );

    const notReady = await api.get('/health/ready');
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({
      status: 'error',
      error: { database: { status: 'down' } },
    });

    const started = Date.now();
    const res = await api.get('/api/health/symptoms');
    expect(res.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(res.headers.get('retry-after')).toBe('10');
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await res.json()) as Problem).code).toBe('DIARY.UNAVAILABLE');

    await admin(`ALTER DATABASE "${db.name}" ALLOW_CONNECTIONS true`);
    // Recovers by itself; a pooled connection that died meanwhile may fail once more (503).
    const settles = async (path: string) => {
      const seen: number[] = [];
      for (let i = 0; i < 12 && seen.at(-1) !== 200; i++) {
        seen.push((await api.get(path)).status);
      }
      return seen;
    };
    const ready = await settles('/health/ready');
    expect(ready.at(-1)).toBe(200);
    expect(ready.every((s) => s === 200 || s === 503)).toBe(true);
    const list = await settles('/api/health/symptoms');
    expect(list.at(-1)).toBe(200);
    expect(list.every((s) => s === 200 || s === 503)).toBe(true);
  });
});
