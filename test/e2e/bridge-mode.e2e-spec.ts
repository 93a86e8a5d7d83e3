import { getDataSourceToken } from '@nestjs/typeorm';
import { type Problem, type RunningApp, startIsolatedApp } from '../support/app';
import { spawnBridge, type BridgeEnv, type SpawnedBridge } from '../support/bridge';
import { createTestDatabase, insertDiaryRows, type TestDatabase } from '../support/database';
import { createTestPki, type TestPki } from '../support/tls';

/**
 * DATA_SOURCE=bridge end to end, with real processes: the built bridge (dist/src/bridge-main.js,
 * `npx tsc -p tsconfig.build.json`) spawned over HTTPS with a generated CA on a real PostgreSQL
 * database, and API instances in this process reading the diary only through it.
 */

const ZONE = 'Europe/Berlin';
/** Thursday 12 November 2026, 10:00 in Berlin: every chat message is asked "as of" this moment. */
const REF = '2026-11-12T10:00:00+01:00';
const KEY_ID = 'api-e2e';
const SECRET = 'bridge-e2e-secret-0123456789abcdefghij';
const WRONG_SECRET = 'not-the-bridge-secret-0123456789abcdef';
const HALF_OPEN_MS = 500;
const CALL_TIMEOUT_MS = 3000;

const OCTOBER = 'from=2026-10-01T00:00:00%2B02:00&to=2026-11-01T00:00:00%2B01:00';

const boot = startIsolatedApp;

interface Answer {
  status: number;
  body: unknown;
  res: Response;
}

async function send(app: RunningApp, method: string, path: string, body?: unknown) {
  const res = await app.get(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined, res };
}

/** One chat turn in a new conversation; what must agree between the modes (not the ids). */
async function chat(app: RunningApp, text: string): Promise<Answer & { turn?: unknown }> {
  const started = await send(app, 'POST', '/api/conversations', {});
  expect(started.status).toBe(201);
  const { id } = started.body as { id: string };
  const answer = await send(app, 'POST', `/api/conversations/${id}/messages`, {
    text,
    referenceTime: REF,
  });
  const { reply, frame, inherited, result } = (answer.body ?? {}) as Record<string, unknown>;
  return { ...answer, turn: { reply, frame, inherited, result } };
}

async function until<T>(what: string, timeoutMs: number, attempt: () => Promise<T | undefined>) {
  const started = Date.now();
  for (;;) {
    const value = await attempt();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('DATA_SOURCE=bridge (e2e: a spawned bridge over HTTPS, real PostgreSQL)', () => {
  let db: TestDatabase;
  let pki: TestPki;
  let bridge: SpawnedBridge | undefined;
  let bridgeEnv: BridgeEnv;
  let direct: RunningApp;
  let api: RunningApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    await insertDiaryRows(db.url, [
      { sym: 'Migraine', sev: 6, logged: '2026-10-03 09:00:00' },
      { sym: 'migrane', sev: 8, logged: '2026-10-15 20:00:00' },
      { sym: 'Headache', sev: 5, logged: '2026-10-05 08:15:00' },
      { sym: 'head ache', sev: 3, logged: '2026-10-20 19:00:00' },
      { sym: 'headache', sev: null, logged: '2026-10-22 07:00:00', person: 'Ben' },
      { sym: 'headache', sev: 4, logged: '2026-11-09 07:30:00' },
      { sym: 'Headache', sev: 9, logged: '2026-10-25 12:00:00', deleted: 'Y' },
      { sym: 'nausea', sev: 4, logged: '2026-11-03 08:00:00' },
      { sym: 'feeling sick', sev: null, logged: '2026-11-06 19:00:00' },
      { sym: 'cough', sev: 3, logged: '2026-11-09 09:00:00' },
    ]);
    pki = createTestPki();
    bridgeEnv = {
      DATABASE_URL: db.url,
      DIARY_TIMEZONE: ZONE,
      BRIDGE_TLS_CERT: pki.serverCert,
      BRIDGE_TLS_KEY: pki.serverKey,
      BRIDGE_KEYS: `${KEY_ID}:${SECRET}`,
    };
    bridge = await spawnBridge(bridgeEnv);
    direct = await boot({ DATABASE_URL: db.url, DIARY_TIMEZONE: ZONE });
    api = await boot({
      DATA_SOURCE: 'bridge',
      BRIDGE_URL: bridge.url,
      BRIDGE_CA: pki.caCert,
      BRIDGE_KEY_ID: KEY_ID,
      BRIDGE_SECRET: SECRET,
      BRIDGE_TIMEOUT_MS: String(CALL_TIMEOUT_MS),
      DIARY_TIMEZONE: ZONE,
      // Every read goes to the bridge (nothing is fresh for long), and every answer is kept to
      // serve stale when the bridge is gone.
      CACHE_TTL_ENTRIES_SECONDS: '0',
      CACHE_TTL_STATS_SECONDS: '0',
      CACHE_TTL_PEOPLE_SECONDS: '0',
      DIARY_RETRY_MAX_MS: '100',
      BREAKER_HALF_OPEN_AFTER_MS: String(HALF_OPEN_MS),
    });
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    await direct?.close();
    await bridge?.close();
    await db?.drop();
    pki?.cleanup();
  });

  it('opens no database connection of its own: the diary is only read through the bridge', () => {
    expect(bridge?.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(() => api.app.get(getDataSourceToken('diary'), { strict: false })).toThrow();
    expect(direct.app.get(getDataSourceToken('diary'), { strict: false })).toBeDefined();
  });

  it('/health/ready shows the bridge up', async () => {
    const ready = await send(api, 'GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      status: 'ok',
      info: { bridge: { status: 'up', url: bridge?.url, httpStatus: 200 } },
    });
    expect(JSON.stringify(ready.body)).not.toContain(SECRET);
  });

  it.each([
    ['the entry list', `/api/health/symptoms?name=headache&${OCTOBER}`],
    ['the entry list, all of it', '/api/health/symptoms?limit=100'],
    ['a count', `/api/health/symptoms/stats/count?name=headache&${OCTOBER}`],
    ['the summary', `/api/health/symptoms/stats/summary?${OCTOBER}`],
  ])('answers %s exactly as direct mode does', async (_, path) => {
    const [viaBridge, viaDatabase] = await Promise.all([
      send(api, 'GET', path),
      send(direct, 'GET', path),
    ]);
    expect(viaDatabase.status).toBe(200);
    expect(viaBridge.status).toBe(200);
    expect(viaBridge.res.headers.get('x-data-stale')).toBeNull();
    expect(viaBridge.body).toEqual(viaDatabase.body);
  });

  it('answers a chat question exactly as direct mode does', async () => {
    const question = 'how many headaches did I have?';
    const [viaBridge, viaDatabase] = await Promise.all([
      chat(api, question),
      chat(direct, question),
    ]);
    expect(viaDatabase.status).toBe(200);
    expect(viaBridge.status).toBe(200);
    expect(viaBridge.turn).toEqual(viaDatabase.turn);
    // The four headaches not deleted, whoever logged them: real figures crossed the bridge.
    expect(viaBridge.turn).toMatchObject({ reply: { kind: 'answer' }, result: { count: 4 } });
  });

  it('a client with a wrong secret gets 503 (the bridge answered 401), and the bridge logs it', async () => {
    const impostor = await boot({
      DATA_SOURCE: 'bridge',
      BRIDGE_URL: bridge?.url ?? '',
      BRIDGE_CA: pki.caCert,
      BRIDGE_KEY_ID: KEY_ID,
      BRIDGE_SECRET: WRONG_SECRET,
      DIARY_TIMEZONE: ZONE,
      DIARY_RETRIES: '0',
    });
    try {
      const answer = await send(impostor, 'GET', '/api/health/symptoms?limit=5');
      expect(answer.status).toBe(503);
      expect(answer.res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const problem = answer.body as Problem;
      expect(problem).toMatchObject({ status: 503, code: 'BRIDGE.REFUSED' });
      expect(problem.detail).toBe('The diary cannot be reached right now. Try again shortly.');
      expect(JSON.stringify(problem)).not.toContain(WRONG_SECRET);

      const logged = await until('the rejection in the bridge log', 5000, () =>
        Promise.resolve(
          bridge
            ?.output()
            .split('\n')
            .find((line) => line.includes('"bridge.auth_rejected"')),
        ),
      );
      expect(JSON.parse(logged)).toMatchObject({
        reason: 'bad_signature',
        keyId: KEY_ID,
      });
      expect(bridge?.output()).not.toContain(WRONG_SECRET);
      expect(bridge?.output()).not.toContain(SECRET);
    } finally {
      await impostor.close();
    }
  });

  describe('when the bridge dies and comes back', () => {
    const cachedPath = `/api/health/symptoms/stats/count?name=headache&${OCTOBER}`;
    const uncachedPath = `/api/health/symptoms/stats/count?name=nausea&${OCTOBER}`;
    let freshCount: unknown;

    it('serves cached answers stale and refuses uncached ones fast (503) once it is killed', async () => {
      const warm = await send(api, 'GET', cachedPath);
      expect(warm.status).toBe(200);
      freshCount = warm.body;

      const killed = await bridge?.kill('SIGKILL');
      expect(killed?.signal).toBe('SIGKILL');

      const stale = await send(api, 'GET', cachedPath);
      expect(stale.status).toBe(200);
      expect(stale.res.headers.get('x-data-stale')).toBe('true');
      expect(stale.body).toMatchObject({ meta: { stale: true } });
      // The same figures as before the bridge died, only marked.
      expect({ ...(stale.body as object), meta: undefined }).toEqual({
        ...(freshCount as object),
        meta: undefined,
      });

      // Connection refused is known at once: no wait for the call timeout (generous margin).
      const started = Date.now();
      const refused = await send(api, 'GET', uncachedPath);
      expect(Date.now() - started).toBeLessThan(CALL_TIMEOUT_MS);
      expect(refused.status).toBe(503);
      expect(refused.res.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(refused.body).toMatchObject({ status: 503 });

      const ready = await send(api, 'GET', '/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({ error: { bridge: { status: 'down' } } });
    });

    it('recovers by itself within the breaker half-open delay once the bridge is back on its port', async () => {
      // Enough failures to open the breaker for sure.
      for (let i = 0; i < 6; i += 1) await send(api, 'GET', uncachedPath);

      const port = new URL(bridge?.url ?? '').port;
      bridge = await spawnBridge({ ...bridgeEnv, BRIDGE_PORT: port });
      expect(new URL(bridge.url).port).toBe(port);

      const recovered = await until('a fresh answer after the restart', 15_000, async () => {
        const answer = await send(api, 'GET', uncachedPath);
        return answer.status === 200 ? answer : undefined;
      });
      expect(recovered.res.headers.get('x-data-stale')).toBeNull();
      expect(recovered.body).toEqual((await send(direct, 'GET', uncachedPath)).body);

      const fresh = await send(api, 'GET', cachedPath);
      expect(fresh.status).toBe(200);
      expect(fresh.res.headers.get('x-data-stale')).toBeNull();
      expect(fresh.body).toEqual(freshCount);
      expect((await send(api, 'GET', '/health/ready')).status).toBe(200);
    });
  });
});
