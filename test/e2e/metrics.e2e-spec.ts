import { Problem, RunningApp, startIsolatedApp } from '../support/app';
import { createTestDatabase, insertDiaryRows, TestDatabase } from '../support/database';

const METRICS_TOKEN = 'metrics-token-for-tests-0123456789';
/** Health data the traffic below carries; none of it may become a label value. */
const SECRET_SYMPTOM = 'zebrafluenza';
const SECRET_NOTE = 'private-note-7f3a';
const SECRET_QUESTION = 'how often did I have zebrafluenza';

interface Sample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

/** Prometheus text format, samples only (label values here never hold an escaped quote). */
function parseSamples(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[pair[1]] = pair[2];
    }
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

function find(samples: Sample[], name: string, labels: Record<string, string> = {}): Sample[] {
  return samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
}

describe('GET /metrics (e2e)', () => {
  let db: TestDatabase;
  let api: RunningApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    await insertDiaryRows(db.url, [
      { sym: 'Headache', sev: 5, logged: '2026-02-03 08:15:00', notes: SECRET_NOTE },
      { sym: SECRET_SYMPTOM, sev: 3, logged: '2026-02-04 08:15:00' },
    ]);
    api = await startIsolatedApp({
      DATABASE_URL: db.url,
      DIARY_TIMEZONE: 'UTC',
      METRICS_TOKEN,
      REDIS_URL: '',
    });
  });

  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  const scrape = (token: string | undefined = METRICS_TOKEN) =>
    api.anonymous.get('/metrics', token ? { headers: { authorization: `Bearer ${token}` } } : {});

  async function samples(): Promise<Sample[]> {
    const res = await scrape();
    expect(res.status).toBe(200);
    return parseSamples(await res.text());
  }

  const post = (path: string, body: unknown) =>
    api.get(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('refuses a scrape without the token, or with a wrong one, as a 401 problem', async () => {
    for (const res of [
      await scrape(''),
      await scrape('wrong-token-wrong-token-wrong'),
      await api.get('/metrics'), // an access token is not the metrics token
    ]) {
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
      const problem = (await res.json()) as Problem;
      expect(problem).toMatchObject({ status: 401, code: 'METRICS.UNAUTHENTICATED' });
    }
  });

  it('answers the Prometheus text format with the default metrics and app_info', async () => {
    const res = await scrape();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.headers.get('x-ratelimit-limit')).toBeNull(); // never rate limited
    const all = parseSamples(await res.text());
    const info = find(all, 'app_info', { role: 'api' });
    expect(info).toHaveLength(1);
    expect(info[0].labels).toEqual({
      version: '0.1.0',
      node_version: process.version,
      role: 'api',
    });
    expect(info[0].value).toBe(1);
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_p99_seconds',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect(find(all, name).length).toBeGreaterThan(0);
    }
  });

  it('counts requests by method, route template and status; 404s as unmatched; not /metrics', async () => {
    // An unknown name is a 400; either way, the query string never reaches a label.
    await (await api.get(`/api/health/symptoms?name=${SECRET_SYMPTOM}`)).arrayBuffer();
    await (await api.get('/api/health/symptoms?symptom=headache')).arrayBuffer();
    await (await api.get('/api/health/symptoms/catalog')).arrayBuffer();
    await (
      await api.get(`/api/admin/users/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`)
    ).arrayBuffer();
    await (await api.get(`/no/such/${SECRET_SYMPTOM}`)).arrayBuffer();
    await (await api.anonymous.get('/api/health/symptoms')).arrayBuffer();
    await scrape();

    const all = await samples();
    const requests = (labels: Record<string, string>) =>
      find(all, 'http_requests_total', labels).reduce((sum, s) => sum + s.value, 0);
    expect(
      requests({ method: 'GET', route: '/api/health/symptoms', status: '200' }),
    ).toBeGreaterThanOrEqual(1);
    expect(requests({ method: 'GET', route: '/api/health/symptoms', status: '400' })).toBe(1);
    expect(
      requests({ method: 'GET', route: '/api/health/symptoms', status: '401' }),
    ).toBeGreaterThanOrEqual(1);
    expect(requests({ method: 'GET', route: '/api/admin/users/:id', status: '404' })).toBe(1);
    expect(requests({ method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
    expect(requests({ route: '/metrics' })).toBe(0);
    const histogram = find(all, 'http_request_duration_seconds_count', {
      method: 'GET',
      route: '/api/health/symptoms',
      status: '200',
    });
    expect(histogram[0]?.value).toBeGreaterThanOrEqual(1);
    expect(
      find(all, 'http_request_duration_seconds_bucket', {
        route: '/api/health/symptoms',
        le: '0.2',
      }),
    ).not.toHaveLength(0);
  });

  it('records NLU parses and chat turns by intent, and the caches', async () => {
    expect((await post('/api/nlu/parse', { text: SECRET_QUESTION })).status).toBe(200);
    const started = await post('/api/conversations', {});
    expect(started.status).toBe(201);
    const { id } = (await started.json()) as { id: string };
    const turn = await post(`/api/conversations/${id}/messages`, { text: SECRET_QUESTION });
    expect(turn.status).toBe(200);
    // The same read twice: the second is a hit of the diary cache.
    await (await api.get('/api/health/symptoms/catalog')).arrayBuffer();
    await (await api.get('/api/health/symptoms/catalog')).arrayBuffer();

    const all = await samples();
    const parses = find(all, 'nlu_parse_duration_seconds_count');
    expect(parses.reduce((sum, s) => sum + s.value, 0)).toBeGreaterThanOrEqual(2);
    expect(parses.every((s) => /^[a-z_]+$/.test(s.labels.intent))).toBe(true);
    const turns = find(all, 'chat_turns_total');
    expect(turns.reduce((sum, s) => sum + s.value, 0)).toBe(1);
    expect(
      find(all, 'cache_requests_total', { cache: 'diary', result: 'hit' })[0]?.value,
    ).toBeGreaterThanOrEqual(1);
    expect(
      find(all, 'cache_requests_total', { cache: 'diary', result: 'miss' })[0]?.value,
    ).toBeGreaterThanOrEqual(1);
    expect(
      find(all, 'cache_requests_total', { cache: 'conversation', result: 'hit' })[0]?.value,
    ).toBeGreaterThanOrEqual(1);
  });

  it('shows the breaker, the database pools and the dependencies', async () => {
    const all = await samples();
    expect(find(all, 'circuit_breaker_state', { breaker: 'diary' })[0]?.value).toBe(0);
    for (const pool of ['diary', 'app']) {
      for (const state of ['total', 'idle', 'waiting']) {
        expect(find(all, 'db_pool_connections', { pool, state })).toHaveLength(1);
      }
      expect(find(all, 'db_pool_connections', { pool, state: 'total' })[0].value).toBeGreaterThan(
        0,
      );
    }
    expect(find(all, 'dependency_up', { dependency: 'database' })[0]?.value).toBe(1);
  });

  it('carries no health data, query string or path as sent in any label value', async () => {
    const res = await scrape();
    const text = await res.text();
    for (const secret of [SECRET_SYMPTOM, SECRET_NOTE, SECRET_QUESTION, 'Headache', '?name=']) {
      expect(text).not.toContain(secret);
    }
    for (const sample of parseSamples(text)) {
      for (const value of Object.values(sample.labels)) {
        expect(value).not.toMatch(/\?|zebra|private-note/i);
      }
    }
  });
});

describe('GET /metrics without METRICS_TOKEN (e2e)', () => {
  let db: TestDatabase;
  let api: RunningApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startIsolatedApp({ DATABASE_URL: db.url, DIARY_TIMEZONE: 'UTC', REDIS_URL: '' });
  });

  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  it('answers anyone (the port is reachable from the monitoring network only)', async () => {
    const res = await api.anonymous.get('/metrics');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('http_requests_total');
  });
});

describe('rate_limit_rejections_total (e2e)', () => {
  let db: TestDatabase;
  let api: RunningApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startIsolatedApp({
      DATABASE_URL: db.url,
      DIARY_TIMEZONE: 'UTC',
      REDIS_URL: '',
      RATE_LIMIT_PER_MINUTE: '3',
      CACHE_ENABLED: 'false',
    });
  });

  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  it('counts 429s by route template, unknown paths as unmatched', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await api.get('/api/health/symptoms/catalog');
      await res.arrayBuffer();
      statuses.push(res.status);
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(2);
    const unknown = await api.get('/no/such/path');
    await unknown.arrayBuffer();
    expect(unknown.status).toBe(429);

    const all = parseSamples(await (await api.anonymous.get('/metrics')).text());
    expect(
      find(all, 'rate_limit_rejections_total', { route: '/api/health/symptoms/catalog' })[0]?.value,
    ).toBe(statuses.filter((s) => s === 429).length);
    expect(find(all, 'rate_limit_rejections_total', { route: 'unmatched' })[0]?.value).toBe(1);
  });
});
