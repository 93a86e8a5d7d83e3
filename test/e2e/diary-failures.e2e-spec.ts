import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DiaryResponseCache } from '../../src/modules/symptoms/infrastructure/resilience/diary-response.cache';
import { startApp, Problem, RunningApp } from '../support/app';
import { createTestDatabase, DiaryRow, insertDiaryRows, TestDatabase } from '../support/database';
import { startTcpProxy, TcpProxy } from '../support/tcp-proxy';
import { redisReachable } from '../support/redis';

/** Read before any app is started (startApp writes its environment into process.env). */
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

const LIST = '/api/health/symptoms?from=2026-02-01&to=2026-03-01';
const COUNT = '/api/health/symptoms/stats/count?symptom=headache&from=2026-02-01&to=2026-03-01';
const STATEMENT_TIMEOUT_MS = 500;
const CONNECT_TIMEOUT_MS = 1000;
const HALF_OPEN_AFTER_MS = 1500;
const APPLICATION_NAME = 'symptom-diary-api';

/** Small timeouts so that the test is quick; fresh TTLs of 0: every read asks the diary. */
const ENV = {
  DIARY_TIMEZONE: 'Europe/Berlin',
  DB_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
  DB_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
  READINESS_TIMEOUT_MS: '1000',
  BREAKER_THRESHOLD: '3',
  BREAKER_HALF_OPEN_AFTER_MS: String(HALF_OPEN_AFTER_MS),
  DIARY_RETRIES: '2',
  DIARY_RETRY_BASE_MS: '10',
  DIARY_RETRY_MAX_MS: '50',
  CACHE_ENABLED: 'true',
  CACHE_TTL_ENTRIES_SECONDS: '0',
  CACHE_TTL_STATS_SECONDS: '0',
  CACHE_TTL_PEOPLE_SECONDS: '0',
};

const ROWS: DiaryRow[] = [
  { sym: 'Headache', sev: 5, logged: '2026-02-02 08:00:00' },
  { sym: 'head ache', sev: 7, logged: '2026-02-03 20:00:00' },
  { sym: 'nausea', sev: 4, logged: '2026-02-10 21:00:00' },
  { sym: 'Headache', sev: 9, logged: '2026-02-17 12:00:00', person: 'Ben' },
];

interface Ready {
  status: string;
  details: Record<string, { status: string; breaker?: string }>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The diary's URL with the proxy in place of the server. */
function through(proxy: TcpProxy, url: string): string {
  const parsed = new URL(url);
  parsed.hostname = '127.0.0.1';
  parsed.port = String(proxy.port);
  return parsed.toString();
}

/**
 * The diary through the proxy; the app's own tables (users, tokens) straight on the server, so
 * that only the diary fails: what is under test is the diary's outage, not authentication's.
 */
function databases(proxy: TcpProxy, db: TestDatabase): Record<string, string> {
  return { DATABASE_URL: through(proxy, db.url), APP_DATABASE_URL: db.url };
}

async function timed(api: RunningApp, path: string) {
  const started = Date.now();
  const res = await api.get(path);
  const body: unknown = await res.json();
  return { res, body, ms: Date.now() - started };
}

/** Polls `path` until it answers 200 without the stale header; the time it took. */
async function untilFresh(api: RunningApp, path: string, withinMs: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    const res = await api.get(path);
    await res.arrayBuffer();
    if (res.status === 200 && !res.headers.has('x-data-stale')) return Date.now() - started;
    if (Date.now() - started > withinMs) {
      throw new Error(
        `${path} still answers ${res.status} (stale: ${res.headers.has('x-data-stale')})`,
      );
    }
    await sleep(100);
  }
}

async function ready(api: RunningApp): Promise<{ status: number; body: Ready }> {
  const res = await api.get('/health/ready');
  return { status: res.status, body: (await res.json()) as Ready };
}

describe('diary failures in direct mode (e2e over HTTP, real PostgreSQL behind a TCP proxy)', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let api: RunningApp;
  let uncached = 0;
  /** A list read nothing has cached yet (a page size never asked before). */
  const fresh = () => `/api/health/symptoms?limit=${++uncached}&from=2026-01-01`;

  beforeAll(async () => {
    db = await createTestDatabase();
    await insertDiaryRows(db.url, ROWS);
    const target = new URL(db.url);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    // REDIS_URL empty: this part uses the in-memory cache, whatever the machine's environment.
    api = await startApp({ ...ENV, ...databases(proxy, db), REDIS_URL: '' });
  });

  afterAll(async () => {
    await api?.close();
    await proxy?.close();
    await db?.drop();
  });

  let warmList: { data: unknown[]; meta: Record<string, unknown> };
  let warmCount: Record<string, unknown>;

  it('answers fresh while the diary is up', async () => {
    const list = await api.get(LIST);
    expect(list.status).toBe(200);
    expect(list.headers.has('x-data-stale')).toBe(false);
    warmList = (await list.json()) as typeof warmList;
    expect(warmList.meta).toEqual({ total: 4, page: 1, limit: 20 });

    const count = await api.get(COUNT);
    expect(count.status).toBe(200);
    warmCount = (await count.json()) as typeof warmCount;
    expect(warmCount).toEqual(expect.objectContaining({ count: 3 }));
    expect(warmCount.meta).toBeUndefined();

    const { status, body } = await ready(api);
    expect(status).toBe(200);
    expect(body.details.diaryReads).toEqual(
      expect.objectContaining({ status: 'up', breaker: 'closed' }),
    );
  });

  it('cancels a statement over the timeout on the server and answers 504', async () => {
    // Another session holds the table: the diary's statement waits and hits statement_timeout.
    const locker = new Client({ connectionString: db.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE symptom_log IN ACCESS EXCLUSIVE MODE');
      const { res, body, ms } = await timed(api, fresh());
      expect(res.status).toBe(504);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      expect((body as Problem).code).toBe('DIARY.TIMEOUT');
      // Not retried: one statement timeout, well before the client-side read timeout.
      expect(ms).toBeLessThan(STATEMENT_TIMEOUT_MS + 1000);
      // Cancelled on the server: no statement of the service is still running or waiting.
      const active = await locker.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = $1 AND application_name = $2 AND state = 'active'`,
        [db.name, APPLICATION_NAME],
      );
      expect(active.rows[0].n).toBe(0);
    } finally {
      await locker.query('ROLLBACK').catch(() => undefined);
      await locker.end();
    }
    expect((await api.get(fresh())).status).toBe(200);
  });

  it('survives losing the connection under a running statement (no crash, 503, recovery)', async () => {
    const locker = new Client({ connectionString: db.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE symptom_log IN ACCESS EXCLUSIVE MODE');
      const pending = timed(api, fresh());
      // Wait until the service's statement is running on the server (waiting for the lock).
      for (let waited = 0; ; waited += 20) {
        const waiting = await locker.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = $1 AND application_name = $2 AND wait_event_type = 'Lock'`,
          [db.name, APPLICATION_NAME],
        );
        if (waiting.rows[0].n > 0) break;
        if (waited > STATEMENT_TIMEOUT_MS) throw new Error('the statement never started');
        await sleep(20);
      }
      await proxy.kill();
      const { res, body } = await pending;
      expect(res.status).toBe(503);
      expect((body as Problem).code).toBe('DIARY.UNAVAILABLE');
    } finally {
      await locker.query('ROLLBACK').catch(() => undefined);
      await locker.end();
      await proxy.restore();
    }
    await untilFresh(api, fresh(), 3000);
  });

  describe('when the database dies', () => {
    beforeAll(() => proxy.kill());

    it('answers cached reads from the cache, marked stale', async () => {
      const list = await api.get(LIST);
      expect(list.status).toBe(200);
      expect(list.headers.get('x-data-stale')).toBe('true');
      const asOf = list.headers.get('x-data-as-of');
      expect(asOf).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(await list.json()).toEqual({
        data: warmList.data,
        meta: { ...warmList.meta, stale: true, asOf },
      });

      const count = await api.get(COUNT);
      expect(count.status).toBe(200);
      expect(count.headers.get('x-data-stale')).toBe('true');
      expect(await count.json()).toEqual({
        ...warmCount,
        meta: { stale: true, asOf: count.headers.get('x-data-as-of') },
      });
    });

    it('answers an uncached read 503 problem+json with Retry-After', async () => {
      const { res, body } = await timed(api, fresh());
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect((body as Problem).code).toBe('DIARY.UNAVAILABLE');
    });

    it('opens the breaker: not ready, and failures answered at once by the breaker', async () => {
      // Enough failed reads to reach the threshold, whatever the earlier steps counted.
      for (let i = 0; i < 3; i++) await api.get(fresh()).then((r) => r.arrayBuffer());
      const { status, body } = await ready(api);
      expect(status).toBe(503);
      expect(body.details.database.status).toBe('down');
      expect(body.details.diaryReads).toEqual(
        expect.objectContaining({ status: 'up', breaker: 'open' }),
      );

      const { res, ms } = await timed(api, fresh());
      expect(res.status).toBe(503);
      // Retry-After: until the breaker lets a trial read through (1.5 s, rounded up).
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(res.headers.get('retry-after'))).toBeLessThanOrEqual(2);
      expect(ms).toBeLessThan(CONNECT_TIMEOUT_MS / 2);
      // Cached reads still answer, stale.
      expect((await api.get(LIST)).headers.get('x-data-stale')).toBe('true');
    });

    it('recovers by itself when the database is back, without a restart', async () => {
      await proxy.restore();
      await untilFresh(api, LIST, HALF_OPEN_AFTER_MS + 3000);
      const count = await api.get(COUNT);
      expect(count.status).toBe(200);
      expect(count.headers.has('x-data-stale')).toBe(false);
      expect(await count.json()).toEqual(warmCount);
      const { status, body } = await ready(api);
      expect(status).toBe(200);
      expect(body.details.diaryReads.breaker).toBe('closed');
    });
  });

  describe('when the database hangs', () => {
    beforeAll(() => proxy.pause());
    afterAll(() => proxy.resume());

    it('answers 503/504 within the configured timeouts, then at once once the breaker opened', async () => {
      const reads = await Promise.all([
        timed(api, fresh()),
        timed(api, fresh()),
        timed(api, fresh()),
      ]);
      for (const { res, ms } of reads) {
        expect([503, 504]).toContain(res.status);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        // The statement's client-side read timeout (statement timeout + 1 s) or the connect
        // timeout, not a retry of either; with a margin.
        expect(ms).toBeLessThan(STATEMENT_TIMEOUT_MS + 1000 + CONNECT_TIMEOUT_MS);
      }
      const { res, ms } = await timed(api, fresh());
      expect(res.status).toBe(503);
      expect(ms).toBeLessThan(CONNECT_TIMEOUT_MS / 2);
      const list = await api.get(LIST);
      expect(list.status).toBe(200);
      expect(list.headers.get('x-data-stale')).toBe('true');
    });

    it('recovers once the database answers again', async () => {
      proxy.resume();
      await untilFresh(api, LIST, HALF_OPEN_AFTER_MS + STATEMENT_TIMEOUT_MS + 1000 + 3000);
      expect((await ready(api)).status).toBe(200);
    });
  });
});

const redisUp = redisReachable(REDIS_URL);
if (!redisUp && process.env.CI !== 'true') {
  console.warn(`\nNo Redis at ${REDIS_URL}: skipping the shared response cache e2e test\n`);
}
const describeWithRedis = redisUp || process.env.CI === 'true' ? describe : describe.skip;

describeWithRedis('the response cache in Redis, shared by two instances', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let a: RunningApp;
  let b: RunningApp;
  let written: jest.SpyInstance;
  // A person of this run only: the cache key (params) is this run's, whoever shares the Redis.
  const person = `Run${randomBytes(6).toString('hex')}`;
  const path = `/api/health/symptoms?person=${person}&from=2026-02-01&to=2026-03-01`;

  beforeAll(async () => {
    written = jest.spyOn(DiaryResponseCache.prototype, 'set');
    db = await createTestDatabase();
    await insertDiaryRows(
      db.url,
      ROWS.map((row) => ({ ...row, person })),
    );
    const target = new URL(db.url);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const env = { ...ENV, ...databases(proxy, db), REDIS_URL };
    a = await startApp(env);
    b = await startApp(env);
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    // Only the keys this test wrote.
    const keys = new Set((written?.mock.calls ?? []).map((call: unknown[]) => call[0] as string));
    const cache = DiaryResponseCache.create({ redisUrl: REDIS_URL, maxEntries: 10 });
    for (const key of keys) await cache.delete(key);
    await cache.close();
    written?.mockRestore();
    await proxy?.close();
    await db?.drop();
  });

  it('answers on instance B, stale, what instance A read before the database died', async () => {
    const fromA = await a.get(path);
    expect(fromA.status).toBe(200);
    const body = (await fromA.json()) as { data: unknown[]; meta: Record<string, unknown> };
    expect(body.meta.total).toBe(4);

    await proxy.kill();
    const fromB = await b.get(path);
    expect(fromB.status).toBe(200);
    expect(fromB.headers.get('x-data-stale')).toBe('true');
    const stale = (await fromB.json()) as typeof body;
    expect(stale.data).toEqual(body.data);
    expect(stale.meta).toEqual(expect.objectContaining({ total: 4, stale: true }));
  });
});
