import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { Agent, request } from 'undici';
import { generateKey, parseKeyRing, QUERY_PATH } from '../../libs/bridge-protocol/src';
import {
  callBridge,
  queryBridge,
  RunningBridge,
  SignedCallOptions,
  spawnBridge,
  startBridge,
} from '../support/bridge';
import { Problem } from '../support/app';
import {
  createTestDatabase,
  ENV_ADMIN_URL,
  insertDiaryRows,
  TestDatabase,
  withClient,
} from '../support/database';
import { createTestPki, TestPki } from '../support/tls';

const KEY_A = generateKey('api-a');
const KEY_B = generateKey('api-b');
const A = { keyId: KEY_A.id, secret: KEY_A.secret };
const B = { keyId: KEY_B.id, secret: KEY_B.secret };
const FEBRUARY = { from: '2026-02-01T00:00:00.000Z', to: '2026-03-01T00:00:00.000Z' };
const HEADACHE_TOTALS = {
  name: 'stats.totals',
  params: { filter: { conceptIds: ['headache'], ...FEBRUARY }, withSeverity: true },
};

/** A problem body without what differs between any two requests. */
function sameForAll(problem: Problem): Omit<Problem, 'requestId' | 'instance'> {
  const rest: Partial<Problem> = { ...problem };
  delete rest.requestId;
  delete rest.instance;
  return rest as Omit<Problem, 'requestId' | 'instance'>;
}

describe('the bridge server (e2e over HTTPS, real PostgreSQL)', () => {
  let pki: TestPki;
  let db: TestDatabase;
  let bridge: RunningBridge;
  let agent: Agent;
  const others: { close(): Promise<unknown> }[] = [];

  const base = (): Record<string, string> => ({
    DATABASE_URL: db.url,
    DIARY_TIMEZONE: 'UTC',
    BRIDGE_TLS_CERT: pki.serverCert,
    BRIDGE_TLS_KEY: pki.serverKey,
    BRIDGE_KEYS: `${KEY_A.id}:${KEY_A.secret},${KEY_B.id}:${KEY_B.secret}`,
  });
  const admin = (sql: string) =>
    withClient(process.env[ENV_ADMIN_URL] as string, (c) => c.query(sql));
  const call = (options: Omit<SignedCallOptions, 'keyId' | 'secret'> & Partial<typeof A> = {}) =>
    callBridge(bridge.url, agent, {
      ...A,
      body: JSON.stringify(HEADACHE_TOTALS),
      ...options,
    });

  beforeAll(async () => {
    pki = createTestPki();
    db = await createTestDatabase();
    await insertDiaryRows(db.url, [
      { sym: 'Headache', sev: 5, logged: '2026-02-02 08:00:00' },
      { sym: 'head ache', sev: 7, logged: '2026-02-02 20:00:00' },
      { sym: 'nausea', sev: 4, logged: '2026-02-03 09:00:00' },
      { sym: 'Headache', sev: null, logged: '2026-02-05 23:30:00' },
      { sym: 'Headache', sev: 10, logged: '2026-02-20 10:00:00', deleted: 'Y' },
      { sym: 'Headache', sev: 6, logged: '2026-02-10 15:00:00', person: 'Ben' },
      { sym: 'Headache', sev: 3, logged: '2026-01-20 18:00:00' },
    ]);
    agent = new Agent({ connect: { ca: pki.pem(pki.caCert) } });
    bridge = await startBridge(base());
  });

  afterAll(async () => {
    for (const other of others) await other.close().catch(() => undefined);
    await bridge?.close();
    await agent?.close();
    await db?.drop();
    pki?.cleanup();
  });

  describe('signed queries', () => {
    it('answers a valid signed query with the figures of the diary', async () => {
      const res = await call();
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers['x-request-id']).toEqual(expect.any(String));
      const body = res.json<{ name: string; result: unknown; tookMs: number }>();
      expect(body).toEqual({
        name: 'stats.totals',
        // Anna's 2 Feb (two, one typed "head ache"), 5 Feb (unrated), Ben's 10 Feb; not the
        // deleted one nor January's.
        result: { count: 4, days: 3, rated: 3, severitySum: 18 },
        tookMs: expect.any(Number),
      });
      expect(body.tookMs).toBeGreaterThanOrEqual(0);
    });

    it('encodes results as the query does (dates as ISO strings)', async () => {
      const res = await queryBridge(bridge.url, agent, A, 'stats.occurrence', {
        filter: { conceptIds: ['headache'], ...FEBRUARY },
        order: 'most_severe',
      });
      expect(res.status).toBe(200);
      expect(res.json<{ result: unknown }>().result).toMatchObject({
        person: 'Anna',
        conceptId: 'headache',
        recordedAs: 'head ache',
        occurredAt: '2026-02-02T20:00:00.000Z',
        severity: 7,
      });
      const people = await queryBridge(bridge.url, agent, A, 'entries.people');
      expect(people.json<{ result: string[] }>().result).toEqual(['Anna', 'Ben']);
    });

    it('accepts either key while two are configured (rotation)', async () => {
      expect((await call({ ...A })).status).toBe(200);
      expect((await call({ ...B })).status).toBe(200);
    });

    it('keeps connections alive', async () => {
      const res = await call();
      expect(res.headers.connection).toBe('keep-alive');
      expect(res.headers['keep-alive']).toMatch(/timeout=\d+/);
    });
  });

  describe('authentication: every rejection is the same 401', () => {
    const now = () => Date.now();
    const otherNonce = 'tampered-nonce-0123456789';
    const cases: [string, () => Omit<SignedCallOptions, 'keyId' | 'secret'> & Partial<typeof A>][] =
      [
        [
          'a tampered body',
          () => ({
            body: JSON.stringify({ ...HEADACHE_TOTALS, name: 'stats.severity' }),
            sign: { body: JSON.stringify(HEADACHE_TOTALS) },
          }),
        ],
        ['a tampered path', () => ({ sign: { path: '/bridge/v1/querz' } })],
        [
          'an added query string',
          () => ({ path: `${QUERY_PATH}?a=1`, sign: { path: QUERY_PATH } }),
        ],
        [
          'a tampered query string',
          () => ({ path: `${QUERY_PATH}?a=2`, sign: { path: `${QUERY_PATH}?a=1` } }),
        ],
        ['a tampered method', () => ({ sign: { method: 'PUT' } })],
        [
          'a tampered timestamp header',
          () => ({ headers: { 'x-bridge-timestamp': String(Math.floor(now() / 1000) - 1) } }),
        ],
        ['a tampered nonce header', () => ({ headers: { 'x-bridge-nonce': otherNonce } })],
        ['a tampered key id header', () => ({ headers: { 'x-bridge-key-id': B.keyId } })],
        ['a timestamp 301 s old', () => ({ sign: { now: now() - 301_000 } })],
        ['a timestamp 301 s ahead', () => ({ sign: { now: now() + 301_000 } })],
        ['an unknown key', () => ({ keyId: 'retired-key', secret: KEY_A.secret })],
        ['a wrong secret', () => ({ secret: KEY_B.secret })],
        ['a malformed signature', () => ({ headers: { 'x-bridge-signature': 'v1=zz' } })],
        ['no key id header', () => ({ headers: { 'x-bridge-key-id': undefined } })],
        ['no timestamp header', () => ({ headers: { 'x-bridge-timestamp': undefined } })],
        ['no nonce header', () => ({ headers: { 'x-bridge-nonce': undefined } })],
        ['no signature header', () => ({ headers: { 'x-bridge-signature': undefined } })],
        [
          'no headers at all, and a body that is not even JSON',
          () => ({
            body: '{not json',
            headers: {
              'x-bridge-key-id': undefined,
              'x-bridge-timestamp': undefined,
              'x-bridge-nonce': undefined,
              'x-bridge-signature': undefined,
            },
          }),
        ],
      ];

    let reference: Omit<Problem, 'requestId' | 'instance'>;

    beforeAll(async () => {
      const res = await call({ secret: 'x'.repeat(40) });
      expect(res.status).toBe(401);
      reference = sameForAll(res.json<Problem>());
    });

    it('answers a problem that says nothing about the reason', () => {
      expect(reference).toEqual({
        type: 'urn:problem-type:bridge-unauthenticated',
        title: 'Unauthorized',
        status: 401,
        detail: 'The request is not signed with a valid bridge key.',
        code: 'BRIDGE.UNAUTHENTICATED',
      });
    });

    it.each(cases)('refuses %s', async (_name, make) => {
      const res = await call(make());
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.headers['www-authenticate']).toMatch(/^BridgeHMAC/);
      const problem = res.json<Problem>();
      expect(problem.instance).toBe('/bridge/v1/query');
      expect(problem.requestId).toBe(res.headers['x-request-id']);
      expect(sameForAll(problem)).toEqual(reference);
    });

    it('refuses a replayed request: the same headers and body a second time', async () => {
      const first = await call({ sign: { nonce: 'replayed-nonce-0123456789' } });
      expect(first.status).toBe(200);
      const replay = await call({ sign: { nonce: 'replayed-nonce-0123456789' } });
      expect(replay.status).toBe(401);
      expect(sameForAll(replay.json<Problem>())).toEqual(reference);
    });

    it('does not sign the health routes', async () => {
      const live = await request(`${bridge.url}/health/live`, { dispatcher: agent });
      expect(live.statusCode).toBe(200);
      expect(await live.body.json()).toMatchObject({ status: 'ok' });
      const ready = await request(`${bridge.url}/health/ready`, { dispatcher: agent });
      expect(ready.statusCode).toBe(200);
      expect(await ready.body.json()).toMatchObject({
        status: 'ok',
        info: { database: { status: 'up', mode: 'external' } },
      });
    });
  });

  describe('bad queries are 4xx problems, never 500', () => {
    it('refuses an unknown query name with 400', async () => {
      const res = await queryBridge(bridge.url, agent, A, 'stats.dropTables', {});
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json<Problem>()).toMatchObject({
        status: 400,
        code: 'BRIDGE.UNKNOWN_QUERY',
        errors: [{ name: 'name', reason: 'is not a known query' }],
      });
    });

    it('refuses bad params with 400 naming each, never echoing a value', async () => {
      const res = await queryBridge(bridge.url, agent, A, 'stats.totals', {
        filter: { conceptIds: ['headache'], from: 'yesterday', secretThing: 1 },
        withSeverity: 'yes',
      });
      expect(res.status).toBe(400);
      const problem = res.json<Problem>();
      expect(problem.code).toBe('REQUEST.VALIDATION_FAILED');
      expect(problem.errors?.map((e) => e.name).sort()).toEqual(
        ['filter.from', 'filter.secretThing', 'withSeverity'].sort(),
      );
      expect(res.text).not.toContain('yesterday');
    });

    it('refuses an unknown concept and impossible ranges with 400', async () => {
      const res = await queryBridge(bridge.url, agent, A, 'stats.severity', {
        filter: { conceptIds: ['not-a-concept'] },
      });
      expect(res.status).toBe(400);
    });

    it.each([
      ['a body that is not JSON', '{"name":', 'REQUEST.MALFORMED'],
      ['an array', '[]', 'REQUEST.VALIDATION_FAILED'],
      [
        'unknown envelope fields',
        '{"name":"entries.people","params":{},"sql":"x"}',
        'REQUEST.VALIDATION_FAILED',
      ],
      ['a name that is no name', '{"name":"a b","params":{}}', 'REQUEST.VALIDATION_FAILED'],
      [
        'params that are no object',
        '{"name":"entries.people","params":[1]}',
        'REQUEST.VALIDATION_FAILED',
      ],
      ['an empty body', '', 'REQUEST.MALFORMED'],
    ])('refuses %s (signed) with 400', async (_name, body, code) => {
      const res = await call({ body });
      expect(res.status).toBe(400);
      expect(res.json<Problem>().code).toBe(code);
    });

    it.each([['text/plain'], [undefined]])(
      'refuses a signed body with content type %j with 415',
      async (contentType) => {
        const res = await call({ headers: { 'content-type': contentType } });
        expect(res.status).toBe(415);
        expect(res.json<Problem>().code).toBe('REQUEST.UNSUPPORTED_MEDIA_TYPE');
      },
    );

    it('refuses an oversized body with 413 before reading it', async () => {
      const res = await call({
        body: JSON.stringify({ name: 'x', params: { p: 'y'.repeat(20_000) } }),
      });
      expect(res.status).toBe(413);
    });

    it('answers 404 for other paths', async () => {
      const res = await call({ path: '/bridge/v1/other' });
      expect(res.status).toBe(404);
    });
  });

  describe('limits', () => {
    it('answers 429 with Retry-After over the concurrency limit, and 504 at the statement timeout', async () => {
      const limited = await startBridge({
        ...base(),
        BRIDGE_MAX_CONCURRENCY: '1',
        DB_STATEMENT_TIMEOUT_MS: '2000',
      });
      others.push(limited);
      // Hold the table so that the first query waits inside its slot.
      await withClient(db.url, async (locker) => {
        await locker.query('BEGIN');
        await locker.query('LOCK TABLE symptom_log IN ACCESS EXCLUSIVE MODE');
        const first = queryBridge(
          limited.url,
          agent,
          A,
          HEADACHE_TOTALS.name,
          HEADACHE_TOTALS.params,
        );
        try {
          for (let i = 0; ; i++) {
            const waiting = await locker.query<{ n: string }>(
              `SELECT count(*) AS n FROM pg_stat_activity
               WHERE application_name = 'symptom-diary-bridge' AND wait_event_type = 'Lock'`,
            );
            if (Number(waiting.rows[0].n) > 0) break;
            if (i > 200) throw new Error('the first query never reached the database');
            await new Promise((r) => setTimeout(r, 25));
          }
          const second = await queryBridge(limited.url, agent, A, 'entries.people');
          expect(second.status).toBe(429);
          expect(second.headers['retry-after']).toBe('1');
          expect(second.headers['content-type']).toMatch(/^application\/problem\+json/);
          expect(second.json<Problem>()).toMatchObject({
            status: 429,
            code: 'REQUEST.RATE_LIMITED',
            detail: expect.stringMatching(/at once/),
          });
        } finally {
          // The first query is cancelled by the statement timeout while the lock is held.
          const timedOut = await first;
          await locker.query('ROLLBACK');
          expect(timedOut.status).toBe(504);
          expect(timedOut.json<Problem>().code).toBe('DIARY.TIMEOUT');
          expect(Number(timedOut.headers['retry-after'])).toBeGreaterThan(0);
        }
      });
      const after = await queryBridge(
        limited.url,
        agent,
        A,
        HEADACHE_TOTALS.name,
        HEADACHE_TOTALS.params,
      );
      expect(after.status).toBe(200);
    });

    it('answers 429 with Retry-After over the requests per second', async () => {
      const limited = await startBridge({ ...base(), BRIDGE_MAX_RPS: '1' });
      others.push(limited);
      const answers = await Promise.all(
        Array.from({ length: 10 }, () => queryBridge(limited.url, agent, A, 'entries.people')),
      );
      const refused = answers.filter((a) => a.status === 429);
      expect(answers.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(1);
      expect(refused.length).toBeGreaterThanOrEqual(1);
      expect(answers.every((a) => a.status === 200 || a.status === 429)).toBe(true);
      for (const a of refused) {
        expect(Number(a.headers['retry-after'])).toBeGreaterThanOrEqual(1);
        expect(a.json<Problem>()).toMatchObject({
          code: 'REQUEST.RATE_LIMITED',
          detail: expect.stringMatching(/per second/),
        });
      }
    });
  });

  describe('transport', () => {
    it('refuses to start without TLS unless plaintext is allowed', async () => {
      const env = { ...base(), BRIDGE_TLS_CERT: undefined, BRIDGE_TLS_KEY: undefined };
      await expect(startBridge(env)).rejects.toThrow(
        /HTTPS only: set BRIDGE_TLS_CERT and BRIDGE_TLS_KEY.*BRIDGE_ALLOW_PLAINTEXT=true/,
      );
      const plain = await startBridge({ ...env, BRIDGE_ALLOW_PLAINTEXT: 'true' });
      others.push(plain);
      expect(plain.url).toMatch(/^http:\/\//);
      const res = await queryBridge(plain.url, agent, A, 'entries.people');
      expect(res.status).toBe(200);
    });

    it('refuses to start without keys', async () => {
      await expect(startBridge({ ...base(), BRIDGE_KEYS: undefined })).rejects.toThrow(
        /BRIDGE_KEYS is not set/,
      );
      await expect(startBridge({ ...base(), BRIDGE_KEYS: 'k1:short' })).rejects.toThrow(
        /BRIDGE_KEYS: key "k1": secret is shorter than 32/,
      );
    });

    it('refuses TLS 1.1 and speaks TLS 1.2 and 1.3', async () => {
      const handshake = (options: ConnectionOptions) =>
        new Promise<string>((resolve, reject) => {
          const socket = tlsConnect({
            host: '127.0.0.1',
            port: bridge.port,
            ca: pki.pem(pki.caCert),
            ...options,
          });
          socket.once('secureConnect', () => {
            resolve(socket.getProtocol() ?? 'unknown');
            socket.end();
          });
          socket.once('error', reject);
        });
      // The client offers TLS 1.1 at most (and lowers its own security level to be able to):
      // the server's alert is what fails the handshake.
      await expect(
        handshake({ minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' }),
      ).rejects.toMatchObject({ code: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION' });
      await expect(
        handshake({ maxVersion: 'TLSv1.2', ciphers: 'DEFAULT@SECLEVEL=0' }),
      ).resolves.toBe('TLSv1.2');
      await expect(handshake({})).resolves.toBe('TLSv1.3');
    });

    it('with BRIDGE_TLS_CLIENT_CA, lets in only clients with a certificate that CA signed', async () => {
      const mtls = await startBridge({ ...base(), BRIDGE_TLS_CLIENT_CA: pki.caCert });
      others.push(mtls);
      const ca = pki.pem(pki.caCert);
      const withCert = new Agent({
        connect: { ca, cert: pki.pem(pki.clientCert), key: pki.pem(pki.clientKey) },
      });
      const stranger = new Agent({
        connect: { ca, cert: pki.pem(pki.strangerCert), key: pki.pem(pki.strangerKey) },
      });
      const anonymous = new Agent({ connect: { ca } });
      others.push(withCert, stranger, anonymous);
      const ok = await queryBridge(mtls.url, withCert, A, 'entries.people');
      expect(ok.status).toBe(200);
      await expect(queryBridge(mtls.url, anonymous, A, 'entries.people')).rejects.toThrow();
      await expect(queryBridge(mtls.url, stranger, A, 'entries.people')).rejects.toThrow();
    });

    it('names its database sessions symptom-diary-bridge', async () => {
      const sessions = await admin(
        `SELECT count(*) AS n FROM pg_stat_activity
         WHERE datname = '${db.name}' AND application_name = 'symptom-diary-bridge'`,
      );
      expect(Number((sessions.rows[0] as { n: string }).n)).toBeGreaterThan(0);
    });
  });
  describe('the real process (dist/src/bridge-main.js, as npm run start:bridge runs it)', () => {
    /** Logs leave in batches at least once a second: wait for a line rather than race it. */
    async function logged(output: () => string, pattern: RegExp): Promise<string> {
      for (let waited = 0; waited < 5000 && !pattern.test(output()); waited += 100) {
        await new Promise((r) => setTimeout(r, 100));
      }
      return output();
    }

    it('serves, logs rejections without secrets and queries without params, stops on SIGTERM', async () => {
      const child = await spawnBridge({ ...base(), LOG_LEVEL: 'debug' });
      others.push(child);
      expect(child.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const ok = await queryBridge(
        child.url,
        agent,
        A,
        HEADACHE_TOTALS.name,
        HEADACHE_TOTALS.params,
      );
      expect(ok.status).toBe(200);
      const bad = await callBridge(child.url, agent, {
        ...A,
        secret: KEY_B.secret,
        body: JSON.stringify(HEADACHE_TOTALS),
      });
      expect(bad.status).toBe(401);
      // A secret sent as the key id (swapped variables) is not written down either.
      const swapped = await callBridge(child.url, agent, {
        keyId: KEY_A.secret,
        secret: KEY_A.secret,
        body: '{}',
      });
      expect(swapped.status).toBe(401);

      const output = await logged(child.output, /"reason":"unknown_key"/);
      const lines = output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines).toContainEqual(
        expect.objectContaining({
          msg: 'bridge request rejected',
          reason: 'bad_signature',
          keyId: KEY_A.id,
          clientAddress: '127.0.0.1',
        }),
      );
      expect(lines).toContainEqual(
        expect.objectContaining({ reason: 'unknown_key', clientAddress: '127.0.0.1' }),
      );
      expect(lines).toContainEqual(
        expect.objectContaining({
          msg: 'query served',
          query: 'stats.totals',
          tookMs: expect.any(Number),
        }),
      );
      expect(lines).toContainEqual(
        expect.objectContaining({
          msg: expect.stringMatching(/^bridge listening on https:/),
          transport: 'https',
        }),
      );
      for (const secret of [KEY_A.secret, KEY_B.secret]) expect(output).not.toContain(secret);
      expect(output).not.toContain('headache'); // the params of the query
      expect(output).not.toContain('x-bridge-signature');

      expect(await child.kill('SIGTERM')).toEqual({ code: 0, signal: null });
      expect(await logged(child.output, /shut down cleanly/)).toMatch(/shut down cleanly/);
    });

    it('exits 1 with a clear message when plain HTTP is not allowed', async () => {
      await expect(
        spawnBridge({ ...base(), BRIDGE_TLS_CERT: undefined, BRIDGE_TLS_KEY: undefined }),
      ).rejects.toThrow(/bridge startup failed: The bridge serves HTTPS only/);
    });

    it('npm run bridge:keygen prints a key and the lines to paste', () => {
      const text = execFileSync(process.execPath, [
        resolve(__dirname, '../../dist/src/cli/bridge-keygen.js'),
        'home',
      ]).toString();
      const keys = /^ {2}BRIDGE_KEYS=(\S+)$/m.exec(text)?.[1] ?? '';
      const id = /^ {2}BRIDGE_KEY_ID=(\S+)$/m.exec(text)?.[1];
      const secret = /^ {2}BRIDGE_SECRET=(\S+)$/m.exec(text)?.[1];
      expect(id).toMatch(/^home-\d{8}-[0-9a-f]{6}$/);
      expect(keys).toBe(`${id}:${secret}`);
      expect(parseKeyRing(keys).ids()).toEqual([id]);
    });
  });
});
