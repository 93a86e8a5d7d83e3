import { randomBytes, randomUUID } from 'node:crypto';
import { register } from 'prom-client';
import { createClient } from '@keyv/redis';
import { Problem, RunningApp, startIsolatedApp } from '../support/app';
import { createTestDatabase, insertDiaryRows, TestDatabase } from '../support/database';
import { redisReachable } from '../support/redis';

/**
 * The abuse detection (US-BE-31, docs/security.md "Abuse detection") end to end: the app trusts
 * X-Forwarded-For from the test's loopback peer (TRUST_PROXY), as it trusts nginx, so each test
 * speaks from addresses of its own (documentation ranges 192.0.2/24, 198.51.100/24,
 * 203.0.113/24). Thresholds are low so that a burst is a handful of requests.
 */

/** Read before any app is started (startApp writes its environment into process.env). */
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const redisUp = redisReachable(REDIS_URL);

const ADMIN_ADDRESS = '192.0.2.1';

const BASE_ENV = {
  DIARY_TIMEZONE: 'Europe/Berlin',
  TRUST_PROXY: '127.0.0.1,::1',
  ABUSE_DETECTION_ENABLED: 'true',
  ABUSE_NOT_FOUND_LIMIT: '6',
  ABUSE_SCAN_DISTINCT_PATHS: '4',
  ABUSE_AUTH_FAILURE_LIMIT: '5',
  ABUSE_SIGNATURE_LIMIT: '1',
  ABUSE_BLOCK_MINUTES: '15',
  ABUSE_ALLOWLIST: '198.51.100.0/24',
};

let counter = 0;
/** A fresh address of 203.0.113.0/24 for each test, so that tests never share counts. */
const freshAddress = () => `203.0.113.${++counter}`;

interface Speaker {
  get(path: string, init?: RequestInit): Promise<Response>;
  post(path: string, body: unknown, init?: RequestInit): Promise<Response>;
}

/** Requests from `address` (X-Forwarded-For): the admin's token, another, or none (null). */
function from(api: RunningApp, address: string, token?: string | null): Speaker {
  const headers = (init?: RequestInit) => {
    const h = new Headers(init?.headers);
    h.set('x-forwarded-for', address);
    if (typeof token === 'string') h.set('authorization', `Bearer ${token}`);
    return h;
  };
  const send = (path: string, init: RequestInit = {}) =>
    token === null
      ? fetch(`${api.baseUrl}${path}`, { ...init, headers: headers(init) })
      : api.get(path, { ...init, headers: headers(init) });
  return {
    get: (path, init) => send(path, init),
    post: (path, body, init) =>
      send(path, {
        ...init,
        method: 'POST',
        headers: { ...Object.fromEntries(headers(init)), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
  };
}

/** Polls until the address is refused (a count is recorded once its answer has been sent). */
async function refusedSoon(speaker: Speaker): Promise<Response> {
  for (let i = 0; i < 40; i++) {
    const res = await speaker.get('/api/auth/me');
    if (res.status === 403) return res;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('the address was not blocked');
}

async function expectBlocked(res: Response): Promise<Problem> {
  expect(res.status).toBe(403);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(800);
  // The security headers are there: the refusal comes after helmet's hook.
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  const body = (await res.json()) as Problem;
  expect(body).toMatchObject({
    status: 403,
    code: 'ABUSE.ADDRESS_BLOCKED',
    type: 'urn:problem-type:abuse-address-blocked',
  });
  return body;
}

async function blocksOf(admin: Speaker): Promise<{ address: string; reason: string }[]> {
  const res = await admin.get('/api/admin/blocks');
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: { address: string; reason: string }[] }).data;
}

function blocksTotal(reason: string): Promise<number> {
  return register
    .getSingleMetric('abuse_blocks_total')!
    .get()
    .then((m) => m.values.find((v) => v.labels.reason === reason)?.value ?? 0);
}

describe('abuse blocking (e2e, memory store)', () => {
  let db: TestDatabase;
  let api: RunningApp;
  let admin: Speaker;

  beforeAll(async () => {
    db = await createTestDatabase();
    await insertDiaryRows(db.url, [
      { person: 'Anna', sym: 'migraine', sev: 6, logged: '2026-10-03 09:00:00' },
    ]);
    api = await startIsolatedApp(
      { ...BASE_ENV, DATABASE_URL: db.url, REDIS_URL: '' },
      { people: ['Anna'] },
    );
    admin = from(api, ADMIN_ADDRESS);
  });

  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  it('blocks an address after a burst of 404s, with 403 problem+json and Retry-After', async () => {
    const before = await blocksTotal('not-found-burst');
    const client = from(api, freshAddress());
    for (let i = 0; i < 5; i++) {
      expect((await client.get(`/api/conversations/${randomUUID()}`)).status).toBe(404);
    }
    expect((await client.get('/api/auth/me')).status).toBe(200);
    expect((await client.get(`/api/conversations/${randomUUID()}`)).status).toBe(404);
    await expectBlocked(await refusedSoon(client));
    expect(await blocksTotal('not-found-burst')).toBe(before + 1);
  });

  it('blocks a scan of distinct unknown paths, and a probe path at once', async () => {
    const scanner = from(api, freshAddress());
    for (const path of ['/admin', '/api/v2/users', '/backup', '/old']) {
      expect((await scanner.get(path)).status).toBe(404);
    }
    await expectBlocked(await refusedSoon(scanner));

    const prober = from(api, freshAddress());
    await expectBlocked(await prober.get('/.env'));
    await expectBlocked(await prober.get('/api/auth/me'));
    const reasons = new Map((await blocksOf(admin)).map((b) => [b.address, b.reason]));
    expect(reasons.get(`203.0.113.${counter - 1}`)).toBe('scan');
    expect(reasons.get(`203.0.113.${counter}`)).toBe('probe-path');
  });

  it('blocks an address after a burst of 401s', async () => {
    const client = from(api, freshAddress(), null);
    for (let i = 0; i < 5; i++) expect((await client.get('/api/auth/me')).status).toBe(401);
    const res = await client.get('/api/health/symptoms');
    await expectBlocked(res.status === 403 ? res : await refusedSoon(client));
  });

  it('blocks an SQL injection payload at once: that request and every next one', async () => {
    const before = await blocksTotal('sql-injection');
    const address = freshAddress();
    const client = from(api, address);
    const attack = await client.get(
      `/api/health/symptoms?${new URLSearchParams({ symptom: "' OR '1'='1" }).toString()}`,
    );
    const body = await expectBlocked(attack);
    expect(JSON.stringify(body)).not.toContain("'1'='1");
    await expectBlocked(await client.get('/api/health/symptoms'));
    expect(await blocksTotal('sql-injection')).toBe(before + 1);
    expect(await blocksOf(admin)).toContainEqual(
      expect.objectContaining({ address, reason: 'sql-injection', detail: 'query:symptom' }),
    );
  });

  it('blocks signatures in bodies, the chat text included, before any work', async () => {
    const client = from(api, freshAddress());
    await expectBlocked(
      await client.post('/api/nlu/parse', { text: 'x UNION SELECT password FROM users' }),
    );
    const other = from(api, freshAddress());
    await expectBlocked(
      await other.post('/api/conversations', { timezone: '../../../../etc/passwd' }),
    );
  });

  it('leaves plain-English questions alone, apostrophes, "--" and "<" included', async () => {
    const client = from(api, freshAddress(), null);
    const token = (await api.login(await api.createUser({ role: 'user', person: 'Anna' })))
      .accessToken;
    const anna = from(api, `203.0.113.${counter}`, token);
    const started = await anna.post('/api/conversations', {});
    expect(started.status).toBe(201);
    const { id } = (await started.json()) as { id: string };
    for (const text of [
      "did I have pain after 'select' meetings?",
      'back pain < 3 days',
      "I'm not sure -- was it Tuesday or Wednesday?",
      'how many migraines or headaches = bad days in October?',
      "my doctor's note says 'rest'; how many days did I rest?",
    ]) {
      const res = await anna.post(`/api/conversations/${id}/messages`, { text });
      expect([text, res.status]).toEqual([text, 200]);
      expect((await anna.post('/api/nlu/parse', { text })).status).toBe(200);
    }
    expect((await anna.get('/api/health/symptoms?name=back%20pain')).status).toBe(200);
    expect((await client.get('/health/live')).status).toBe(200);
    expect((await blocksOf(admin)).map((b) => b.address)).not.toContain(`203.0.113.${counter}`);
  });

  it('refuses a blocked address even its sign-in, and leaves other addresses alone', async () => {
    const user = await api.createUser({ role: 'user', person: 'Anna' });
    const blocked = from(api, freshAddress(), null);
    await expectBlocked(await blocked.get('/wp-login.php'));
    await expectBlocked(
      await blocked.post('/api/auth/login', { email: user.email, password: user.password }),
    );
    const neighbour = from(api, freshAddress(), null);
    const signIn = await neighbour.post('/api/auth/login', {
      email: user.email,
      password: user.password,
    });
    expect(signIn.status).toBe(200);
    expect((await from(api, freshAddress()).get('/api/health/symptoms')).status).toBe(200);
  });

  it('never blocks an allowlisted address (the request meets the validation instead)', async () => {
    const friend = from(api, '198.51.100.7');
    const attack = await friend.get(
      `/api/health/symptoms?${new URLSearchParams({ symptom: "' OR '1'='1" }).toString()}`,
    );
    expect(attack.status).toBe(400);
    expect((await friend.get('/.env')).status).toBe(404);
    for (let i = 0; i < 8; i++) await friend.get(`/api/conversations/${randomUUID()}`);
    expect((await friend.get('/api/health/symptoms')).status).toBe(200);
    expect((await blocksOf(admin)).map((b) => b.address)).not.toContain('198.51.100.7');
  });

  it('lets an admin list and lift blocks, and block by hand; users may not', async () => {
    const address = freshAddress();
    const client = from(api, address);
    await expectBlocked(await client.get('/.git/config'));

    const listed = await blocksOf(admin);
    const block = listed.find((b) => b.address === address);
    expect(block).toMatchObject({ reason: 'probe-path', by: 'detector', detail: 'path' });

    const userToken = (await api.login(await api.createUser({ role: 'user', person: 'Anna' })))
      .accessToken;
    const asUser = from(api, ADMIN_ADDRESS, userToken);
    expect((await asUser.get('/api/admin/blocks')).status).toBe(403);
    expect((await asUser.get(`/api/admin/blocks/${address}`, { method: 'DELETE' })).status).toBe(
      403,
    );
    expect((await from(api, ADMIN_ADDRESS, null).get('/api/admin/blocks')).status).toBe(401);

    expect((await admin.get(`/api/admin/blocks/${address}`, { method: 'DELETE' })).status).toBe(
      204,
    );
    expect((await client.get('/api/health/symptoms')).status).toBe(200);
    expect((await admin.get(`/api/admin/blocks/${address}`, { method: 'DELETE' })).status).toBe(
      404,
    );
    expect((await admin.get('/api/admin/blocks/not-an-address', { method: 'DELETE' })).status).toBe(
      400,
    );

    const manual = freshAddress();
    const created = await admin.post('/api/admin/blocks', {
      address: manual,
      minutes: 30,
      note: 'seen in the nginx log',
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({
      address: manual,
      reason: 'manual',
      detail: 'seen in the nginx log',
    });
    await expectBlocked(await from(api, manual).get('/api/health/symptoms'));
    expect((await admin.post('/api/admin/blocks', { address: ADMIN_ADDRESS })).status).toBe(409);
    expect((await admin.post('/api/admin/blocks', { address: 'nobody' })).status).toBe(400);
    expect((await admin.post('/api/admin/blocks', { address: manual, extra: 1 })).status).toBe(400);
  });

  it('counts blocks in abuse_blocks_total{reason} and abuse_blocked_addresses', async () => {
    await blocksOf(admin);
    const gauge = await register.getSingleMetric('abuse_blocked_addresses')!.get();
    expect(gauge.values[0].value).toBeGreaterThan(0);
    expect(await blocksTotal('manual')).toBeGreaterThanOrEqual(1);
  });
});

describe('abuse blocking switched off', () => {
  let db: TestDatabase;
  let api: RunningApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startIsolatedApp({
      ...BASE_ENV,
      DATABASE_URL: db.url,
      REDIS_URL: '',
      ABUSE_DETECTION_ENABLED: 'false',
    });
  });

  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  it('examines nothing and blocks nobody with ABUSE_DETECTION_ENABLED=false', async () => {
    const client = from(api, freshAddress());
    expect((await client.get('/.env')).status).toBe(404);
    expect(
      (await client.get(`/api/health/symptoms?symptom=${encodeURIComponent("' OR 1=1--")}`)).status,
    ).toBe(400);
    expect((await client.get('/api/health/symptoms')).status).toBe(200);
  });
});

if (!redisUp && process.env.CI !== 'true') {
  process.stderr.write(`SKIPPED: abuse blocking on Redis: no Redis at ${REDIS_URL}\n`);
}
const describeWithRedis = redisUp || process.env.CI === 'true' ? describe : describe.skip;

describeWithRedis('abuse blocking (e2e, Redis shared by two instances)', () => {
  const prefix = `test-abuse-${randomBytes(4).toString('hex')}:`;
  let db: TestDatabase;
  let first: RunningApp;
  let second: RunningApp;
  let down: RunningApp | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    const env = { ...BASE_ENV, DATABASE_URL: db.url, REDIS_URL, ABUSE_REDIS_PREFIX: prefix };
    first = await startIsolatedApp(env);
    second = await startIsolatedApp(env);
    // Wait until both stores are connected (they connect in the background).
    for (let i = 0; i < 100; i++) {
      const [a, b] = await Promise.all([
        from(first, ADMIN_ADDRESS).get('/api/admin/blocks'),
        from(second, ADMIN_ADDRESS).get('/api/admin/blocks'),
      ]);
      if (a.status === 200 && b.status === 200) break;
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  afterAll(async () => {
    await down?.close();
    await first?.close();
    await second?.close();
    await db?.drop();
    const redis = createClient({ url: REDIS_URL });
    await redis.connect();
    for await (const keys of redis.scanIterator({ MATCH: `${prefix}*` })) {
      if (keys.length > 0) await redis.del(keys);
    }
    await redis.quit();
  });

  it('a block made by one instance is enforced, listed and lifted by the other', async () => {
    const address = freshAddress();
    await expectBlocked(await from(first, address).get('/phpmyadmin/'));
    await expectBlocked(await from(second, address).get('/api/health/symptoms'));
    expect(await blocksOf(from(second, ADMIN_ADDRESS))).toContainEqual(
      expect.objectContaining({ address, reason: 'probe-path' }),
    );
    expect(
      (await from(second, ADMIN_ADDRESS).get(`/api/admin/blocks/${address}`, { method: 'DELETE' }))
        .status,
    ).toBe(204);
    expect((await from(first, address).get('/api/health/symptoms')).status).toBe(200);
  });

  it('counts a burst across instances: 404s answered by either add up', async () => {
    const address = freshAddress();
    for (let i = 0; i < 6; i++) {
      const instance = i % 2 === 0 ? first : second;
      await from(instance, address).get(`/api/conversations/${randomUUID()}`);
    }
    await expectBlocked(await refusedSoon(from(first, address)));
    await expectBlocked(await from(second, address).get('/api/health/symptoms'));
  });

  it('fails open when Redis is unreachable: no block, no 500; the admin list answers 503', async () => {
    down = await startIsolatedApp({
      ...BASE_ENV,
      DATABASE_URL: db.url,
      REDIS_URL: 'redis://127.0.0.1:1',
      ABUSE_REDIS_PREFIX: prefix,
    });
    const client = from(down, freshAddress());
    expect((await client.get('/.env')).status).toBe(404);
    expect((await client.get('/api/health/symptoms')).status).toBe(200);
    const list = await from(down, ADMIN_ADDRESS).get('/api/admin/blocks');
    expect(list.status).toBe(503);
    expect(list.headers.get('retry-after')).toBe('5');
    expect(((await list.json()) as Problem).code).toBe('ABUSE.STORE_UNAVAILABLE');
  });
});
