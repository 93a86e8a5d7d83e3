import { ErrorCaptureService } from '../../src/modules/errors/application/error-capture.service';
import { Problem, RunningApp, startIsolatedApp, TEST_JWT_SECRET } from '../support/app';
import { startBuiltService, type BuiltService } from '../support/built-service';
import { createTestDatabase, insertDiaryRows, TestDatabase, withClient } from '../support/database';

/** Health data the failing requests carry: none of it may reach the store or the logs. */
const SECRET_PERSON = 'Zelda-Secretperson';
const SECRET_UTTERANCE = 'how many headaches did I have in February 2026';
const SECRET_NOTE = 'private-note-about-pills';

interface CapturedErrorJson {
  id: string;
  occurredAt: string;
  requestId: string;
  method: string;
  route: string;
  status: number;
  code: string;
  name: string;
  message: string;
  stack?: string | null;
}

interface ErrorList {
  data: CapturedErrorJson[];
  meta: { total: number; page: number; limit: number };
}

/** The diary "changes under us": a column the queries read is renamed, so every read throws. */
const breakDiary = (url: string) =>
  withClient(url, (c) => c.query('ALTER TABLE symptom_log RENAME COLUMN logged TO logged_gone'));
const repairDiary = (url: string) =>
  withClient(url, (c) => c.query('ALTER TABLE symptom_log RENAME COLUMN logged_gone TO logged'));

/**
 * The store is written in the background (the failed answer never waits for it): reads the
 * list until `requestId` is in it, for up to 5 s.
 */
async function storedFor(
  read: (query: string) => Promise<ErrorList>,
  requestId: string,
): Promise<ErrorList> {
  for (let started = Date.now(); ;) {
    const found = await read(`?requestId=${requestId}`);
    if (found.data.length > 0 || Date.now() - started > 5000) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
}

function expectNoHealthData(text: string): void {
  for (const secret of [SECRET_PERSON, SECRET_UTTERANCE, 'February 2026', SECRET_NOTE]) {
    expect(text).not.toContain(secret);
  }
}

describe('the error store (e2e, real PostgreSQL)', () => {
  let db: TestDatabase;
  let api: RunningApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    await insertDiaryRows(db.url, [
      { sym: 'Headache', sev: 5, logged: '2026-02-03 08:15:00', notes: SECRET_NOTE },
      { sym: 'Headache', sev: 6, logged: '2026-02-04 08:15:00', person: SECRET_PERSON },
    ]);
    api = await startIsolatedApp(
      {
        DATABASE_URL: db.url,
        DIARY_TIMEZONE: 'UTC',
        REDIS_URL: '',
        CACHE_ENABLED: 'false',
        ERROR_STORE_MAX_ROWS: '10',
        ERROR_STORE_RETENTION_DAYS: '30',
      },
      { people: [SECRET_PERSON] },
    );
  });

  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  const errors = async (query: string): Promise<ErrorList> => {
    const res = await api.get(`/api/admin/errors${query}`);
    expect(res.status).toBe(200);
    return (await res.json()) as ErrorList;
  };

  describe('with the diary broken', () => {
    beforeAll(() => breakDiary(db.url));
    afterAll(() => repairDiary(db.url));

    it('captures an unexpected error once, findable by time, route, code and request id', async () => {
      const before = new Date(Date.now() - 1000).toISOString();
      const res = await api.get(
        `/api/health/symptoms?symptom=headache&person=${encodeURIComponent(SECRET_PERSON)}`,
      );
      expect(res.status).toBe(500);
      const problem = (await res.json()) as Problem;
      expect(problem).toMatchObject({ status: 500, code: 'INTERNAL' });
      expect(JSON.stringify(problem)).not.toMatch(/logged_gone|column|QueryFailed/);

      await storedFor(errors, problem.requestId);
      const found = await errors(
        `?route=${encodeURIComponent('/api/health/symptoms')}&code=INTERNAL&from=${encodeURIComponent(before)}`,
      );
      const mine = found.data.filter((e) => e.requestId === problem.requestId);
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({
        method: 'GET',
        route: '/api/health/symptoms',
        status: 500,
        code: 'INTERNAL',
        name: 'QueryFailedError',
      });
      expect(mine[0].message).toContain('logged');
      expect(mine[0]).not.toHaveProperty('stack');
      expect(new Date(mine[0].occurredAt).getTime()).toBeGreaterThanOrEqual(Date.parse(before));

      const byRequest = await errors(`?requestId=${problem.requestId}`);
      expect(byRequest.meta.total).toBe(1);

      const detail = await api.get(`/api/admin/errors/${mine[0].id}`);
      expect(detail.status).toBe(200);
      const full = (await detail.json()) as CapturedErrorJson;
      expect(full.id).toBe(mine[0].id);
      expect(full.stack).toEqual(expect.stringContaining('QueryFailedError'));
      expectNoHealthData(JSON.stringify(full));
      expect(JSON.stringify(full)).not.toContain('?');

      // Filters that exclude it.
      expect((await errors(`?code=DIARY.UNAVAILABLE&requestId=${problem.requestId}`)).data).toEqual(
        [],
      );
      expect(
        (await errors(`?to=${encodeURIComponent(before)}&requestId=${problem.requestId}`)).data,
      ).toEqual([]);
    });

    it('keeps utterances and bodies out of what it stores', async () => {
      const started = await api.as(SECRET_PERSON).get('/api/conversations', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(started.status).toBe(201);
      const { id } = (await started.json()) as { id: string };
      const res = await api.as(SECRET_PERSON).get(`/api/conversations/${id}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: SECRET_UTTERANCE }),
      });
      const problem = (await res.json()) as Problem;
      expect([res.status, problem]).toMatchObject([500, { code: 'INTERNAL' }]);
      const found = await storedFor(errors, problem.requestId);
      expect(found.data).toHaveLength(1);
      expect(found.data[0].route).toBe('/api/conversations/:id/messages');
      const full = (await (
        await api.get(`/api/admin/errors/${found.data[0].id}`)
      ).json()) as CapturedErrorJson;
      expectNoHealthData(JSON.stringify(full));
      expect(JSON.stringify(full)).not.toContain(id);
    });

    it('counts captures in errors_captured_total{route,code}', async () => {
      const text = await (await api.get('/metrics')).text();
      expect(text).toMatch(
        /^errors_captured_total\{route="\/api\/health\/symptoms",code="INTERNAL"\} 1$/m,
      );
      expectNoHealthData(text);
    });

    it('never fails a request worse when the store itself is down (logged and counted)', async () => {
      await withClient(db.url, (c) =>
        c.query('ALTER TABLE app.captured_errors RENAME TO captured_errors_away'),
      );
      try {
        const res = await api.get('/api/health/symptoms?symptom=headache');
        expect(res.status).toBe(500);
        expect(((await res.json()) as Problem).code).toBe('INTERNAL');
        // The write runs in the background: give it a moment, then read the failure count.
        let failures = 0;
        for (let i = 0; i < 50 && failures === 0; i++) {
          await new Promise((r) => setTimeout(r, 50));
          const text = await (await api.get('/metrics')).text();
          failures = Number(/^error_store_write_failures_total (\d+)$/m.exec(text)?.[1] ?? 0);
        }
        expect(failures).toBe(1);
        const unreadable = await api.get('/api/admin/errors');
        expect(unreadable.status).toBe(503);
        expect(((await unreadable.json()) as Problem).code).toBe('ERRORS.STORE_UNAVAILABLE');
      } finally {
        await withClient(db.url, (c) =>
          c.query('ALTER TABLE app.captured_errors_away RENAME TO captured_errors'),
        );
      }
    });
  });

  it('answers only admins: 401 without a token, 403 for a user', async () => {
    expect((await api.anonymous.get('/api/admin/errors')).status).toBe(401);
    expect((await api.as(SECRET_PERSON).get('/api/admin/errors')).status).toBe(403);
    expect(
      (await api.as(SECRET_PERSON).get(`/api/admin/errors/${crypto.randomUUID()}`)).status,
    ).toBe(403);
  });

  it('refuses bad filters with a 400 naming the parameter, and an unknown id with a 404', async () => {
    const cases: [string, string][] = [
      ['?from=yesterday', 'from'],
      ['?from=2026-12-02&to=2026-12-01', 'from'],
      ['?limit=1000', 'limit'],
      ['?code=drop%20table', 'code'],
      ['?route=%27%20or%201%3D1', 'route'],
      ['?unknown=1', 'unknown'],
    ];
    for (const [query, name] of cases) {
      const res = await api.get(`/api/admin/errors${query}`);
      expect(res.status).toBe(400);
      const problem = (await res.json()) as Problem;
      expect(problem.errors?.map((e) => e.name)).toContain(name);
    }
    expect((await api.get('/api/admin/errors/not-a-uuid')).status).toBe(400);
    const missing = await api.get(`/api/admin/errors/${crypto.randomUUID()}`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as Problem).code).toBe('ERROR.NOT_FOUND');
  });

  it('pages newest first', async () => {
    const first = await errors('?limit=1&page=1');
    const second = await errors('?limit=1&page=2');
    expect(first.meta).toMatchObject({ page: 1, limit: 1 });
    expect(first.meta.total).toBeGreaterThanOrEqual(2);
    expect(Date.parse(first.data[0].occurredAt)).toBeGreaterThanOrEqual(
      Date.parse(second.data[0].occurredAt),
    );
    const past = await errors('?limit=100&page=50');
    expect(past.data).toEqual([]);
    expect(past.meta.total).toBe(first.meta.total);
  });

  it('is pruned by retention and row count', async () => {
    await withClient(db.url, async (c) => {
      await c.query(`
        INSERT INTO app.captured_errors
          (id, occurred_at, request_id, method, route, status, code, name, message, stack)
        SELECT gen_random_uuid(), now() - (i || ' minutes')::interval, 'req-' || i, 'GET',
               '/api/test', 500, 'INTERNAL', 'Error', 'old ' || i, NULL
        FROM generate_series(1, 12) AS i`);
      await c.query(`
        INSERT INTO app.captured_errors
          (id, occurred_at, request_id, method, route, status, code, name, message, stack)
        VALUES (gen_random_uuid(), now() - interval '40 days', 'ancient', 'GET', '/api/test',
                500, 'INTERNAL', 'Error', 'ancient', NULL)`);
    });
    const removed = await api.app.get(ErrorCaptureService).prune();
    expect(removed).toBeGreaterThanOrEqual(3);
    const left = await errors('?limit=100');
    expect(left.meta.total).toBe(10);
    expect(left.data.map((e) => e.requestId)).not.toContain('ancient');
  });
});

describe('the error store in the logs (the built service, LOG_LEVEL=info)', () => {
  let db: TestDatabase;
  let api: RunningApp;
  let child: BuiltService | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    await insertDiaryRows(db.url, [{ sym: 'Headache', sev: 5, logged: '2026-02-03 08:15:00' }]);
    // Creates the admin (and migrates the app's schema) in this database; the built service
    // below then runs on the same database.
    api = await startIsolatedApp({ DATABASE_URL: db.url, DIARY_TIMEZONE: 'UTC', REDIS_URL: '' });
  });

  afterAll(async () => {
    child?.kill();
    await api?.close();
    await db?.drop();
  });

  it('writes one "unexpected error" line with errorId, requestId, route and code', async () => {
    const service = await startBuiltService({
      DATABASE_URL: db.url,
      DIARY_TIMEZONE: 'UTC',
      JWT_SECRET: TEST_JWT_SECRET,
      CACHE_ENABLED: 'false',
    });
    child = service;
    const { base } = service;
    const signIn = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: api.admin.email, password: api.admin.password }),
    });
    expect(signIn.status).toBe(200);
    const { accessToken } = (await signIn.json()) as { accessToken: string };
    const get = (path: string) =>
      fetch(`${base}${path}`, { headers: { authorization: `Bearer ${accessToken}` } });

    await breakDiary(db.url);
    const failed = await get(
      `/api/health/symptoms?symptom=headache&person=${encodeURIComponent(SECRET_PERSON)}`,
    );
    expect(failed.status).toBe(500);
    const { requestId } = (await failed.json()) as Problem;
    const stored = await storedFor(
      async (query) => (await (await get(`/api/admin/errors${query}`)).json()) as ErrorList,
      requestId,
    );
    expect(stored.data).toHaveLength(1);

    expect(await service.stop()).toBe(0);

    const output = service.output();
    const lines = output
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const captured = lines.filter((l) => l.msg === 'unexpected error');
    expect(captured).toHaveLength(1);
    expect(captured[0]).toMatchObject({
      level: 50,
      errorId: stored.data[0].id,
      requestId,
      route: '/api/health/symptoms',
      code: 'INTERNAL',
      status: 500,
    });
    expect(String(captured[0].errorMessage)).toContain('logged');
    expectNoHealthData(output);
  });
});
