import { startApp, Problem, RunningApp } from '../support/app';
import { createTestDatabase, insertDiaryRows, TestDatabase, withClient } from '../support/database';

interface EntryPage {
  data: {
    id: number;
    symptom: { id: string; name: string } | null;
    recordedAs: string;
    occurredAt: string;
    severity: number | null;
    durationMinutes: number | null;
    notes: string | null;
    person: string;
  }[];
  meta: { total: number; page: number; limit: number };
}

describe('GET /api/health/symptoms (e2e over HTTP, real PostgreSQL)', () => {
  let db: TestDatabase;
  let api: RunningApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    await insertDiaryRows(db.url, [
      { sym: 'Headache', sev: 5, logged: '2026-02-03 08:15:00', dur_mins: 90, notes: 'screen' },
      { sym: 'head ache', sev: 7, logged: '2026-02-10 19:00:00' },
      { sym: 'headach', sev: null, logged: '2026-07-02 21:00:00' },
      { sym: 'Headache', sev: 8, logged: '2026-02-15 12:00:00', deleted: 'Y' },
      { sym: 'migrane', sev: 8, logged: '2026-02-12 07:00:00', person: 'Ben' },
      { sym: 'feeling sick', sev: 4, logged: '2026-02-12 07:30:00', person: 'Ben' },
    ]);
    api = await startApp({
      DATABASE_URL: db.url,
      DIARY_TIMEZONE: 'Europe/Berlin',
      DB_STATEMENT_TIMEOUT_MS: '400',
    });
  });

  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  async function json<T>(path: string): Promise<{ status: number; body: T; res: Response }> {
    const res = await api.get(path);
    return { status: res.status, body: (await res.json()) as T, res };
  }

  it('lists headaches however they were typed, newest first, with the zone offset', async () => {
    const { status, body } = await json<EntryPage>('/api/health/symptoms?symptom=headache');
    expect(status).toBe(200);
    expect(body.meta).toEqual({ total: 3, page: 1, limit: 20 });
    expect(body.data.map((e) => e.recordedAs)).toEqual(['headach', 'head ache', 'Headache']);
    expect(body.data[0].occurredAt).toBe('2026-07-02T21:00:00+02:00');
    expect(body.data[2]).toEqual({
      id: 1,
      symptom: { id: 'headache', name: 'Headache' },
      recordedAs: 'Headache',
      occurredAt: '2026-02-03T08:15:00+01:00',
      severity: 5,
      durationMinutes: 90,
      notes: 'screen',
      person: 'Anna',
    });
  });

  it('normalises a free-text name through the vocabulary', async () => {
    const byName = await json<EntryPage>('/api/health/symptoms?name=head%20ache');
    expect(byName.body.meta.total).toBe(3);
    const typo = await json<EntryPage>('/api/health/symptoms?name=migrain');
    expect(typo.body.data.map((e) => e.recordedAs)).toEqual(['migrane']);
  });

  it('combines symptoms, a period (bare dates in the diary zone, to exclusive) and a person', async () => {
    const { body } = await json<EntryPage>(
      '/api/health/symptoms?symptom=migraine&symptom=nausea&from=2026-02-12&to=2026-02-13&person=Ben&sort=occurredAt',
    );
    expect(body.data.map((e) => e.symptom?.id)).toEqual(['migraine', 'nausea']);
    const none = await json<EntryPage>(
      '/api/health/symptoms?symptom=headache&from=2026-02-04&to=2026-02-10',
    );
    expect(none.body).toEqual({ data: [], meta: { total: 0, page: 1, limit: 20 } });
  });

  it('filters by severity and pages', async () => {
    const { body } = await json<EntryPage>(
      '/api/health/symptoms?minSeverity=5&limit=2&page=2&sort=-severity',
    );
    // 8 (migrane), 7 (head ache), 5 (Headache); unrated, deleted and milder entries left out.
    expect(body.meta).toEqual({ total: 3, page: 2, limit: 2 });
    expect(body.data.map((e) => e.severity)).toEqual([5]);
  });

  it('answers the catalog with entry counts', async () => {
    const { status, body } = await json<{
      data: { id: string; name: string; entryCount: number }[];
    }>('/api/health/symptoms/catalog');
    expect(status).toBe(200);
    expect(body.data).toHaveLength(50);
    expect(body.data.find((c) => c.id === 'headache')).toMatchObject({
      name: 'Headache',
      entryCount: 3,
    });
    expect(body.data.find((c) => c.id === 'tinnitus')?.entryCount).toBe(0);
  });

  describe('bad input answers 400 problem+json naming the parameter', () => {
    it.each([
      ['symptom=not_a_symptom', 'symptom'],
      ['from=2026-02-30', 'from'],
      ['from=last%20tuesday', 'from'],
      ['from=2026-03-01&to=2026-02-01', 'from'],
      ['limit=10000', 'limit'],
      ['limit=abc', 'limit'],
      ['page=0', 'page'],
      ['minSeverity=11', 'minSeverity'],
      ['minSeverity=8&maxSeverity=2', 'minSeverity'],
      ['sort=sym', 'sort'],
      ['name=' + 'x'.repeat(81), 'name'],
      ['name=qwertyuiop', 'name'],
      ['colour=blue', 'colour'],
      ['symptom=headache;DROP%20TABLE%20symptom_log', 'symptom'],
    ])('%s', async (query, parameter) => {
      const res = await api.get(`/api/health/symptoms?${query}`);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const problem = (await res.json()) as Problem;
      expect(problem).toMatchObject({
        status: 400,
        title: 'Bad Request',
        instance: '/api/health/symptoms',
      });
      expect(problem.code).toMatch(/^(REQUEST\.VALIDATION_FAILED|SYMPTOM\.UNKNOWN_NAME)$/);
      expect(problem.errors?.map((e) => e.name)).toContain(parameter);
      expect(problem.requestId).toBe(res.headers.get('x-request-id'));
      expect(JSON.stringify(problem)).not.toMatch(/at .*\.(ts|js):\d+|stack/i);
    });

    it('suggests the closest symptoms for a name it cannot place', async () => {
      const res = await api.get('/api/health/symptoms?name=qwertyuiop');
      const problem = (await res.json()) as Problem;
      expect(problem.code).toBe('SYMPTOM.UNKNOWN_NAME');
    });
  });

  it('keeps the diary intact after injection attempts', async () => {
    await api.get(`/api/health/symptoms?person=${encodeURIComponent("Anna' OR '1'='1")}`);
    await api.get(
      `/api/health/symptoms?name=${encodeURIComponent("x'); DELETE FROM symptom_log;--")}`,
    );
    const count = await withClient(db.url, (c) =>
      c.query('SELECT count(*)::int AS n FROM symptom_log'),
    );
    expect(count.rows[0].n).toBe(6);
    const { body } = await json<EntryPage>(
      `/api/health/symptoms?person=${encodeURIComponent("Anna' OR '1'='1")}`,
    );
    expect(body.meta.total).toBe(0);
  });

  it('answers an unknown route with a 404 problem', async () => {
    const res = await api.get('/api/health/nothing-here?x=secret');
    expect(res.status).toBe(404);
    const problem = (await res.json()) as Problem;
    expect(problem).toMatchObject({
      code: 'ROUTE.NOT_FOUND',
      instance: '/api/health/nothing-here',
    });
  });

  it('takes the caller’s request id, or makes one', async () => {
    const given = await api.get('/api/health/symptoms?limit=1', {
      headers: { 'x-request-id': 'frontend-42' },
    });
    expect(given.headers.get('x-request-id')).toBe('frontend-42');
    const made = await api.get('/api/health/symptoms?limit=1', {
      headers: { 'x-request-id': 'not a valid id <script>' },
    });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers 504 with Retry-After when the diary is too slow, and recovers', async () => {
    await withClient(db.url, async (locker) => {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE symptom_log IN ACCESS EXCLUSIVE MODE');
      try {
        const res = await api.get('/api/health/symptoms?symptom=headache&page=3');
        expect(res.status).toBe(504);
        expect(res.headers.get('retry-after')).toBe('5');
        expect(((await res.json()) as Problem).code).toBe('DIARY.TIMEOUT');
      } finally {
        await locker.query('ROLLBACK');
      }
    });
    const after = await api.get('/api/health/symptoms?symptom=headache');
    expect(after.status).toBe(200);
  });
});
