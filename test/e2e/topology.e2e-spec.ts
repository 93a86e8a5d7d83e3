import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect as connectH2, constants as h2, type IncomingHttpHeaders } from 'node:http2';
import { connect as connectTcp } from 'node:net';
import { join, resolve } from 'node:path';
import { connect as connectTls, type TLSSocket } from 'node:tls';
import { chromium, type Browser } from 'playwright-core';
import { startTopology, type Topology } from '../../src/cli/support/native-topology';
import { TEST_JWT_SECRET } from '../support/app';
import { createTestDatabase, insertDiaryRows, type TestDatabase } from '../support/database';
import { describeWithTools } from '../support/native-tool';
import { redisReachable } from '../support/redis';

/**
 * The compose topology on loopback (src/cli/support/native-topology.ts): the Debian nginx with
 * the repository's docker/nginx/ files in front of two built API instances (dist/src/main.js),
 * a throwaway CA, a seeded diary, Redis for the shared rate limit. What a user relies on at the
 * edge: HTTPS only, HTTP/2, the headers, both instances used, /metrics hidden, size and rate
 * limits that see the real client, a log without query strings, and readable error pages when
 * every instance is down.
 */

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const withRedis = redisReachable(REDIS_URL);
const itWithRedis = withRedis ? it : it.skip;
/** The app's limit in this test (the default, 60, would make the test slow). */
const LIMIT = 8;
const PASSWORD = 'topology-test-password';
const CHROMIUM = '/usr/bin/chromium';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Every test sends from a loopback address of its own: nginx (and the app) see it as the client. */
let nextAddress = 2;
const newClientAddress = () => `127.0.0.${nextAddress++}`;

/** What a reader of a page gets (run in the page: this file has no DOM types). */
interface Layout {
  scrollWidth: number;
  innerWidth: number;
  heading: string;
  headingInside: boolean;
  fontSize: number;
  text: string;
}
const LAYOUT = `(() => {
  const h1 = document.querySelector('h1');
  const box = h1 ? h1.getBoundingClientRect() : undefined;
  const paragraph = document.querySelector('main p:not(.brand):not(.code)');
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    heading: h1 ? h1.textContent : '',
    headingInside: box ? box.left >= 0 && box.right <= window.innerWidth && box.height > 0 : false,
    fontSize: paragraph ? parseFloat(getComputedStyle(paragraph).fontSize) : 0,
    text: document.body.innerText,
  };
})()`;

const describeNative = describeWithTools('nginx', 'openssl');

describeNative('nginx in front of two instances (e2e, native topology)', () => {
  let db: TestDatabase;
  let topology: Topology;
  let accessToken: string;

  /** One HTTP/2 request to nginx over TLS, trusting only the test CA, from `localAddress`. */
  async function request(
    path: string,
    init: {
      method?: string;
      headers?: Record<string, string>;
      body?: string;
      from?: string;
    } = {},
  ): Promise<Answer> {
    const session = connectH2(topology.httpsUrl, {
      createConnection: () =>
        connectTls({
          host: '127.0.0.1',
          port: topology.httpsPort,
          ca: topology.caPem,
          servername: 'localhost',
          ALPNProtocols: ['h2'],
          socket: connectTcp({
            host: '127.0.0.1',
            port: topology.httpsPort,
            localAddress: init.from ?? '127.0.0.1',
          }),
        }),
    });
    try {
      return await new Promise<Answer>((resolveAnswer, reject) => {
        session.once('error', reject);
        const stream = session.request({
          [h2.HTTP2_HEADER_METHOD]: init.method ?? 'GET',
          [h2.HTTP2_HEADER_PATH]: path,
          ...init.headers,
        });
        let status = 0;
        let headers: IncomingHttpHeaders = {};
        const chunks: Buffer[] = [];
        stream.on('response', (h) => {
          headers = h;
          status = Number(h[h2.HTTP2_HEADER_STATUS]);
        });
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () =>
          resolveAnswer({ status, headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
        stream.on('error', reject);
        stream.end(init.body);
      });
    } finally {
      session.close();
    }
  }

  /**
   * The access log lines of these request ids: nginx writes a line after it has answered, so
   * wait (up to 3 s) until there are `count` of them.
   */
  async function logged(ids: string | readonly string[], count = 1) {
    const wanted = new Set(typeof ids === 'string' ? [ids] : ids);
    for (let waited = 0; ; waited += 50) {
      const lines = topology.accessLog().filter((line) => wanted.has(line.request_id));
      if (lines.length >= count || waited >= 3000) return lines;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    await insertDiaryRows(db.url, [
      { sym: 'Migraine', sev: 7, logged: '2026-11-02 08:30:00', notes: 'private note' },
      { sym: 'headache', sev: 4, logged: '2026-11-05 18:00:00' },
      { sym: 'nausea', logged: '2026-11-02 09:00:00' },
    ]);
    topology = await startTopology({
      apiEnv: {
        DATABASE_URL: db.url,
        JWT_SECRET: TEST_JWT_SECRET,
        RATE_LIMIT_PER_MINUTE: String(LIMIT),
        CACHE_ENABLED: 'false',
        ...(withRedis
          ? {
              REDIS_URL,
              RATE_LIMIT_REDIS_PREFIX: `topology-${randomBytes(6).toString('hex')}:`,
            }
          : {}),
      },
    });
    // A user of the seeded diary, made with the built script as an operator would.
    const created = spawnSync(
      process.execPath,
      [
        resolve(__dirname, '../../dist/src/cli/user-create.js'),
        '--email',
        'anna@topology.example',
        '--role',
        'user',
        '--person',
        'Anna',
      ],
      {
        env: { ...process.env, DATABASE_URL: db.url, USER_PASSWORD: PASSWORD, LOG_LEVEL: 'silent' },
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    if (created.status !== 0) throw new Error(`user:create failed: ${created.stderr}`);
    const login = await request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'anna@topology.example', password: PASSWORD }),
      from: newClientAddress(),
    });
    if (login.status !== 200) throw new Error(`login through nginx: ${login.status} ${login.body}`);
    accessToken = (JSON.parse(login.body) as { accessToken: string }).accessToken;
  }, 120_000);

  afterAll(async () => {
    await topology?.stop();
    await db?.drop();
  }, 30_000);

  describe('TLS, HTTP/2 and the redirect', () => {
    it('redirects http:// to the same https:// URL with a 301, but serves the ACME challenge', async () => {
      const res = await fetch(`${topology.httpUrl}/api/health/symptoms?name=x`, {
        redirect: 'manual',
      });
      expect(res.status).toBe(301);
      // $host: the name without nginx's (test-only) port; in production 443 is the default.
      expect(res.headers.get('location')).toBe('https://127.0.0.1/api/health/symptoms?name=x');
      expect(res.headers.get('server')).toBe('nginx');

      const challenge = await fetch(`${topology.httpUrl}/.well-known/acme-challenge/token`, {
        redirect: 'manual',
      });
      expect(challenge.status).toBe(404);
    });

    it('negotiates HTTP/2 (ALPN h2) on TLS 1.3, and TLS 1.2 only with forward-secret AEAD suites', async () => {
      const handshake = (options: { maxVersion?: 'TLSv1.2' | 'TLSv1.3' }) =>
        new Promise<TLSSocket>((resolveSocket, reject) => {
          const socket = connectTls(
            {
              host: '127.0.0.1',
              port: topology.httpsPort,
              ca: topology.caPem,
              servername: 'localhost',
              ALPNProtocols: ['h2', 'http/1.1'],
              ...options,
            },
            () => resolveSocket(socket),
          );
          socket.once('error', reject);
        });
      const modern = await handshake({});
      expect(modern.alpnProtocol).toBe('h2');
      expect(modern.getProtocol()).toBe('TLSv1.3');
      modern.destroy();
      const older = await handshake({ maxVersion: 'TLSv1.2' });
      expect(older.getProtocol()).toBe('TLSv1.2');
      expect(older.getCipher().name).toMatch(
        /^ECDHE-ECDSA-(AES(128|256)-GCM-SHA(256|384)|CHACHA20-POLY1305)$/,
      );
      expect(older.getEphemeralKeyInfo()).toMatchObject({ type: 'ECDH' });
      older.destroy();
    });

    it("passes the app's security headers once each, and hides nginx's version", async () => {
      const res = await request('/health/live', { headers: { 'x-request-id': 'headers-check-1' } });
      expect(res.status).toBe(200);
      expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['content-security-policy']).toMatch(/default-src 'none'/);
      expect(res.headers.server).toBe('nginx');
      expect(res.headers['x-powered-by']).toBeUndefined();
      // The client's id reaches the app, which echoes it.
      expect(res.headers['x-request-id']).toBe('headers-check-1');
    });
  });

  describe('the proxy', () => {
    it('spreads requests over both instances (as the access log records)', async () => {
      const from = newClientAddress();
      const ids: string[] = [];
      for (let i = 0; i < LIMIT; i++) {
        const id = `spread-${i}-${randomBytes(4).toString('hex')}`;
        ids.push(id);
        const res = await request('/api/health/symptoms/catalog', {
          headers: { 'x-request-id': id },
          from,
        });
        expect(res.status).toBe(401);
      }
      const upstreams = (await logged(ids, LIMIT)).map((line) => line.upstream);
      expect(upstreams).toHaveLength(LIMIT);
      const counts = new Map<string, number>();
      for (const u of upstreams) counts.set(u, (counts.get(u) ?? 0) + 1);
      expect([...counts.keys()].sort()).toEqual(topology.apis.map((api) => api.address).sort());
      for (const count of counts.values()) expect(count).toBeGreaterThanOrEqual(LIMIT / 4);
    });

    it('serves the seeded diary to its user, and gives nginx-made ids to requests without one', async () => {
      const res = await request('/api/health/symptoms?name=migraine', {
        headers: { authorization: `Bearer ${accessToken}` },
        from: newClientAddress(),
      });
      expect(res.status).toBe(200);
      const body = JSON.parse(res.body) as { data: { recordedAs: string }[] };
      expect(body.data.map((e) => e.recordedAs)).toEqual(['Migraine']);
      // nginx made the id ($request_id: 32 hex digits) and the app used it.
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
      expect(await logged(String(res.headers['x-request-id']))).toHaveLength(1);
    });

    it('compresses JSON for clients that accept gzip', async () => {
      const res = await request('/docs-json', {
        headers: { 'accept-encoding': 'gzip' },
        from: newClientAddress(),
      });
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBe('gzip');
      expect(res.headers.vary).toMatch(/Accept-Encoding/i);
    });

    it("serves Swagger UI's files with a browser cache of an hour", async () => {
      const res = await request('/docs/swagger-ui.css', { from: newClientAddress() });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/css/);
      expect(res.headers['cache-control']).toBe('public, max-age=3600');
    });

    it("passes the app's problem+json 4xx through untouched", async () => {
      const from = newClientAddress();
      const unauthenticated = await request('/api/health/symptoms', { from });
      expect(unauthenticated.status).toBe(401);
      expect(unauthenticated.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(unauthenticated.body)).toMatchObject({ code: 'AUTH.UNAUTHENTICATED' });
      expect(unauthenticated.headers['www-authenticate']).toMatch(/^Bearer/);

      const unknown = await request('/api/no-such-route', { from });
      expect(unknown.status).toBe(404);
      expect(JSON.parse(unknown.body)).toMatchObject({ code: 'ROUTE.NOT_FOUND' });
      expect(unknown.headers['x-ratelimit-limit']).toBe(String(LIMIT));
    });

    it('never proxies /metrics, however the path is spelled', async () => {
      const from = newClientAddress();
      for (const path of [
        '/metrics',
        '/metrics/',
        '/metrics?name[]=x',
        '//metrics',
        '/%6detrics',
        '/api/../metrics',
      ]) {
        const id = `metrics-${randomBytes(4).toString('hex')}`;
        const res = await request(path, { headers: { 'x-request-id': id }, from });
        expect({ path, status: res.status }).toEqual({ path, status: 404 });
        expect(res.body).not.toMatch(/process_cpu|# HELP/);
        expect(await logged(id)).toEqual([expect.objectContaining({ upstream: '', status: 404 })]);
      }
    });

    it.each([
      ['with a Content-Length', true],
      ['streamed without one', false],
    ])(
      'refuses a 20 KiB body (%s) with a 413 problem before any instance sees it',
      async (_, withLength) => {
        const id = `too-large-${randomBytes(4).toString('hex')}`;
        const body = JSON.stringify({ email: 'a@b.example', password: 'x'.repeat(20 * 1024) });
        const res = await request('/api/auth/login', {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-request-id': id,
            ...(withLength ? { 'content-length': String(Buffer.byteLength(body)) } : {}),
          },
          body,
          from: newClientAddress(),
        });
        expect(res.status).toBe(413);
        expect(res.headers['content-type']).toBe('application/problem+json');
        expect(JSON.parse(res.body)).toEqual({
          type: 'urn:problem-type:request-body-too-large',
          title: 'Payload Too Large',
          status: 413,
          detail: 'The request body is too large.',
          instance: '/api/auth/login',
          code: 'REQUEST.BODY_TOO_LARGE',
          requestId: id,
        });
        expect(await logged(id)).toEqual([expect.objectContaining({ status: 413, upstream: '' })]);
      },
    );

    it('lets a body within the 16 KiB limit through to the app', async () => {
      const res = await request('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'nobody@topology.example', password: 'y'.repeat(12 * 1024) }),
        from: newClientAddress(),
      });
      // The app's own answer (its validation bounds the password), not nginx's 413.
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).not.toBe(413);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(res.body)).toHaveProperty('code');
    });
  });

  describe("the app's rate limit behind nginx", () => {
    itWithRedis(
      'counts per client address as nginx sees it, and a forged X-Forwarded-For does not reset it',
      async () => {
        const client = newClientAddress();
        const neighbour = newClientAddress();
        const remaining: number[] = [];
        for (let i = 0; i < LIMIT; i++) {
          const res = await request('/api/health/symptoms/catalog', { from: client });
          expect(res.status).toBe(401);
          remaining.push(Number(res.headers['x-ratelimit-remaining']));
        }
        // One budget across both instances (Redis), counted down for this client alone.
        expect(remaining).toEqual(Array.from({ length: LIMIT }, (_, i) => LIMIT - 1 - i));

        const over = await request('/api/health/symptoms/catalog', { from: client });
        expect(over.status).toBe(429);
        expect(JSON.parse(over.body)).toMatchObject({ code: 'REQUEST.RATE_LIMITED' });
        expect(Number(over.headers['retry-after'])).toBeGreaterThanOrEqual(1);

        // A client that claims to be someone else is still itself (nginx sets the header).
        for (const forged of ['203.0.113.9', '203.0.113.9, 127.0.0.1', neighbour]) {
          const res = await request('/api/health/symptoms/catalog', {
            headers: { 'x-forwarded-for': forged, 'x-real-ip': forged },
            from: client,
          });
          expect({ forged, status: res.status }).toEqual({ forged, status: 429 });
        }

        // Another address nginx sees has a budget of its own: the app does not see nginx's address.
        const otherId = `neighbour-${randomBytes(4).toString('hex')}`;
        const other = await request('/api/health/symptoms/catalog', {
          headers: { 'x-request-id': otherId },
          from: neighbour,
        });
        expect(other.status).toBe(401);
        expect(other.headers['x-ratelimit-remaining']).toBe(String(LIMIT - 1));
        expect(await logged(otherId)).toEqual([expect.objectContaining({ client: neighbour })]);
      },
    );
  });

  describe('the access log', () => {
    it('is one JSON object a line, with the path but never the query string, and no probes', async () => {
      const id = `log-${randomBytes(4).toString('hex')}`;
      await request('/api/health/symptoms?name=migraine&person=Anna&from=2026-11-01', {
        headers: { authorization: `Bearer ${accessToken}`, 'x-request-id': id },
        from: newClientAddress(),
      });
      const [line] = await logged(id);
      expect(line).toMatchObject({
        method: 'GET',
        path: '/api/health/symptoms',
        protocol: 'HTTP/2.0',
        status: 200,
        request_id: id,
      });
      expect(line.client).toMatch(/^127\.0\.0\.\d+$/);
      expect(topology.apis.map((api) => api.address)).toContain(line.upstream);
      expect(typeof line.latency).toBe('number');
      expect(Number(line.upstream_time)).toBeGreaterThanOrEqual(0);
      const text = topology.accessLogText();
      for (const secret of ['migraine', 'Anna', '2026-11-01', 'Bearer', accessToken, PASSWORD]) {
        expect(text).not.toContain(secret);
      }
      expect(topology.accessLog().filter((l) => l.path.startsWith('/health/'))).toEqual([]);
    });
  });

  describe('error pages', () => {
    let browser: Browser;

    beforeAll(async () => {
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
    }, 30_000);

    afterAll(async () => {
      await browser?.close();
    });

    /** Opens `url` (or renders `html`) at a size; what a reader of the page gets. */
    async function render(
      target: { url: string } | { html: string },
      viewport: { width: number; height: number },
    ) {
      const context = await browser.newContext({ viewport, ignoreHTTPSErrors: true });
      const page = await context.newPage();
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      try {
        const response =
          'url' in target
            ? await page.goto(target.url)
            : (await page.setContent(target.html), undefined);
        const layout = await page.evaluate<Layout>(LAYOUT);
        return { status: response?.status(), requests, layout };
      } finally {
        await context.close();
      }
    }

    const PHONE = { width: 390, height: 844 };
    const DESKTOP = { width: 1280, height: 800 };

    function expectReadable(layout: Layout, code: string) {
      expect(layout.scrollWidth).toBeLessThanOrEqual(layout.innerWidth);
      expect(layout.headingInside).toBe(true);
      expect(layout.fontSize).toBeGreaterThanOrEqual(16);
      expect(layout.text).toMatch(/symptom diary/i);
      expect(layout.text).toContain(code);
    }

    it('shows the 404 page for a browser path the app does not know, at phone and desktop widths', async () => {
      const url = `${topology.httpsUrl}/no-such-page`;
      for (const viewport of [PHONE, DESKTOP]) {
        const { status, requests, layout } = await render({ url }, viewport);
        expect(status).toBe(404);
        expectReadable(layout, '404');
        expect(layout.heading).toBe('Page not found');
        // The page and, at most, the browser's own favicon request: nothing from elsewhere.
        expect(requests.filter((r) => !r.endsWith('/favicon.ico'))).toEqual([url]);
        expect(requests.every((r) => r.startsWith(`${topology.httpsUrl}/`))).toBe(true);
      }
    });

    it.each(['429', '500', '503'])(
      'renders the %s page readably at phone and desktop widths, loading nothing',
      async (code) => {
        const html = readFileSync(
          join(__dirname, '../../docker/nginx/errors', `${code}.html`),
          'utf8',
        );
        for (const viewport of [PHONE, DESKTOP]) {
          const { requests, layout } = await render({ html }, viewport);
          expectReadable(layout, code);
          expect(requests).toEqual([]);
        }
      },
    );

    it('when every instance is down: the 502 page for browsers, a 502 problem for /api', async () => {
      await topology.stopApis();
      expect(topology.apis.every((api) => !api.running)).toBe(true);

      const page = await request('/docs', { from: newClientAddress() });
      expect(page.status).toBe(502);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.body).toContain('Symptom diary');
      expect(page.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      expect(page.headers['content-security-policy']).toMatch(
        /default-src 'none'; style-src 'unsafe-inline'/,
      );
      expect(page.headers['cache-control']).toBe('no-store');
      expect(page.headers['retry-after']).toBe('10');

      const api = await request('/api/health/symptoms?name=migraine', { from: newClientAddress() });
      expect(api.status).toBe(502);
      expect(api.headers['content-type']).toBe('application/problem+json');
      const problem = JSON.parse(api.body) as Record<string, unknown>;
      expect(problem).toMatchObject({
        status: 502,
        code: 'UPSTREAM.UNAVAILABLE',
        instance: '/api/health/symptoms',
        requestId: api.headers['x-request-id'],
      });
      expect(api.headers['retry-after']).toBe('10');

      const url = `${topology.httpsUrl}/docs`;
      for (const viewport of [PHONE, DESKTOP]) {
        const { status, requests, layout } = await render({ url }, viewport);
        expect(status).toBe(502);
        expectReadable(layout, '502');
        expect(requests.filter((r) => !r.endsWith('/favicon.ico'))).toEqual([url]);
      }
    });
  });
});
