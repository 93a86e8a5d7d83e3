import { Agent, request } from 'undici';
import { generateKey } from '../../libs/bridge-protocol/src';
import { callBridge, RunningBridge, startBridge } from '../support/bridge';
import { createTestDatabase, insertDiaryRows, TestDatabase } from '../support/database';

const KEY = generateKey('api-metrics');
const SIGNER = { keyId: KEY.id, secret: KEY.secret };
const OTHER = generateKey('not-configured');
const METRICS_TOKEN = 'bridge-metrics-token-0123456789';
const QUERY = JSON.stringify({
  name: 'stats.totals',
  params: {
    filter: {
      conceptIds: ['headache'],
      from: '2026-02-01T00:00:00.000Z',
      to: '2026-03-01T00:00:00.000Z',
    },
    withSeverity: true,
  },
});

/** The value of one sample line (`name{labels} value`), or undefined. */
function valueOf(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

// This file boots the bridge only (no API in this process), so the registry is the bridge's own.
describe("the bridge's GET /metrics (e2e)", () => {
  let db: TestDatabase;
  let bridge: RunningBridge;
  const agent = new Agent();

  beforeAll(async () => {
    db = await createTestDatabase();
    await insertDiaryRows(db.url, [{ sym: 'Headache', sev: 5, logged: '2026-02-02 08:00:00' }]);
    bridge = await startBridge({
      DATABASE_URL: db.url,
      DIARY_TIMEZONE: 'UTC',
      BRIDGE_ALLOW_PLAINTEXT: 'true',
      BRIDGE_KEYS: `${KEY.id}:${KEY.secret}`,
      METRICS_TOKEN,
    });
  });

  afterAll(async () => {
    await bridge?.close();
    await agent.close();
    await db?.drop();
  });

  const scrape = async (token?: string) => {
    const res = await request(`${bridge.url}/metrics`, {
      dispatcher: agent,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
  };

  it('requires the metrics token like the API (401 problem without it)', async () => {
    for (const res of [await scrape(), await scrape('wrong-token-wrong-token-wrong')]) {
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(res.text)).toMatchObject({ code: 'METRICS.UNAUTHENTICATED' });
    }
    // Not a bridge request: the signature guard does not apply to /metrics.
    expect((await scrape(METRICS_TOKEN)).status).toBe(200);
  });

  it('counts each refused signature by reason, with app_info role=bridge and default metrics', async () => {
    const call = (options: Parameters<typeof callBridge>[2]) =>
      callBridge(bridge.url, agent, options);
    expect((await call({ ...SIGNER, body: QUERY })).status).toBe(200);
    // A body other than the one signed.
    expect((await call({ ...SIGNER, body: QUERY, sign: { body: '{}' } })).status).toBe(401);
    // A key the bridge does not know.
    expect((await call({ keyId: OTHER.id, secret: OTHER.secret, body: QUERY })).status).toBe(401);
    // A clock ten minutes off.
    const skewed = { ...SIGNER, body: QUERY, sign: { now: Date.now() - 10 * 60_000 } };
    expect((await call(skewed)).status).toBe(401);
    // The same nonce twice.
    const nonce = 'metrics-test-nonce-0123456789abcdef';
    expect((await call({ ...SIGNER, body: QUERY, sign: { nonce } })).status).toBe(200);
    expect((await call({ ...SIGNER, body: QUERY, sign: { nonce } })).status).toBe(401);
    // No signature at all.
    expect(
      (await call({ ...SIGNER, body: QUERY, headers: { 'x-bridge-signature': undefined } })).status,
    ).toBe(401);

    const { status, text } = await scrape(METRICS_TOKEN);
    expect(status).toBe(200);
    const failures = (reason: string) =>
      valueOf(text, `bridge_auth_failures_total{reason="${reason}"}`);
    expect(failures('bad_signature')).toBe(1);
    expect(failures('unknown_key')).toBe(1);
    expect(failures('stale_timestamp')).toBe(1);
    expect(failures('replayed_nonce')).toBe(1);
    expect(failures('missing_header')).toBe(1);
    expect(text).toMatch(/^app_info\{version="[^"]+",node_version="v[^"]+",role="bridge"\} 1$/m);
    expect(text).not.toContain('role="api"');
    expect(text).toContain('process_resident_memory_bytes');
    expect(text).toContain('nodejs_eventloop_lag_p99_seconds');
    expect(text).toMatch(/^db_pool_connections\{pool="diary",state="total"\} \d+$/m);
    expect(
      valueOf(text, 'http_requests_total{method="POST",route="/bridge/v1/query",status="401"}'),
    ).toBe(5);
  });
});
