import { Logger } from '@nestjs/common';
import { Problem, RunningApp, startApp } from '../support/app';
import { createTestDatabase, TestDatabase } from '../support/database';

const FRONTEND = 'https://app.example';

/** The headers every answer carries, whatever its status (docs/security.md). */
function expectSecurityHeaders(res: Response): void {
  const csp = res.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain('report-uri /api/csp-reports');
  expect(csp).toContain('report-to csp-endpoint');
  expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  expect(res.headers.get('x-frame-options')).toBe('DENY');
  expect(res.headers.get('reporting-endpoints')).toBe('csp-endpoint="/api/csp-reports"');
  expect(res.headers.get('x-powered-by')).toBeNull();
}

function expectRateLimitHeaders(res: Response): void {
  expect(res.headers.get('x-ratelimit-limit')).toBe('100000');
  expect(Number(res.headers.get('x-ratelimit-remaining'))).toBeGreaterThan(0);
  const reset = Number(res.headers.get('x-ratelimit-reset'));
  expect(reset).toBeGreaterThanOrEqual(1);
  expect(reset).toBeLessThanOrEqual(60);
}

async function expectProblem(res: Response, status: number, code: string): Promise<Problem> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = (await res.json()) as Problem;
  expect(body).toMatchObject({ status, code });
  expect(JSON.stringify(body)).not.toMatch(/at .*\.(ts|js):\d+/);
  return body;
}

const legacyReport = {
  'csp-report': {
    'document-uri': 'https://api.example/docs/?token=secret#frag',
    referrer: '',
    'violated-directive': 'script-src-elem',
    'effective-directive': 'script-src-elem',
    'original-policy': "default-src 'none'",
    'blocked-uri': 'https://cdn.evil.example/x.js?q=migraine',
    'script-sample': 'my migraine notes',
    'status-code': 200,
  },
};

const reportingApiReports = [
  {
    type: 'csp-violation',
    age: 10,
    url: 'https://api.example/docs',
    user_agent: 'Mozilla/5.0',
    body: {
      documentURL: 'https://api.example/docs?person=Anna',
      blockedURL: 'inline',
      effectiveDirective: 'style-src-attr',
      disposition: 'enforce',
      sample: 'color: red',
    },
  },
];

describe('security headers, CSP reports, CORS, body limits (e2e)', () => {
  let db: TestDatabase;
  let api: RunningApp;

  /** Browsers send reports (and most of these requests) without any credentials. */
  const post = (path: string, body: string, contentType: string) =>
    api.anonymous.get(path, { method: 'POST', body, headers: { 'content-type': contentType } });

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startApp({
      DATABASE_URL: db.url,
      DIARY_TIMEZONE: 'UTC',
      REDIS_URL: '',
      TRUST_PROXY: '',
      CORS_ORIGINS: `${FRONTEND}, https://admin.example:8443`,
    });
  });

  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  describe('headers on every answer', () => {
    it('an API answer: the strict API policy, HSTS, nosniff, referrer policy, rate-limit headers', async () => {
      const res = await api.get('/api/health/symptoms/catalog');
      expect(res.status).toBe(200);
      expectSecurityHeaders(res);
      expectRateLimitHeaders(res);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'none'");
      expect(csp).not.toContain('script-src');
      expect(res.headers.get('x-request-id')).toBeTruthy();
    });

    it('a request without a token: 401 problem, counted before the token is checked', async () => {
      const res = await api.anonymous.get('/api/health/symptoms/catalog');
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expectSecurityHeaders(res);
      expectRateLimitHeaders(res);
    });

    it('a probe: the security headers, and no rate limit', async () => {
      const res = await api.get('/health/live');
      expect(res.status).toBe(200);
      expectSecurityHeaders(res);
      expect(res.headers.get('x-ratelimit-limit')).toBeNull();
    });

    it('a 404 problem: the headers and the rate limit too', async () => {
      const res = await api.get('/no/such/path?name=migraine');
      await expectProblem(res, 404, 'ROUTE.NOT_FOUND');
      expectSecurityHeaders(res);
      expectRateLimitHeaders(res);
    });

    it('Swagger UI gets the policy it needs (same-origin scripts, no framing), and is limited', async () => {
      const ui = await api.get('/docs');
      expect(ui.status).toBe(200);
      expectSecurityHeaders(ui);
      expectRateLimitHeaders(ui);
      const csp = ui.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self' 'unsafe-inline'");
      expect(csp).toContain("img-src 'self' data:");
      expect(csp).not.toContain('unsafe-eval');
      // Everything the page loads is same-origin and allowed by that policy.
      const html = await ui.text();
      const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
      expect(assets.length).toBeGreaterThan(0);
      for (const asset of assets) {
        expect(asset).not.toMatch(/^(https?:)?\/\//);
        const res = await api.get(new URL(asset, `${api.baseUrl}/docs`).pathname);
        expect(res.status).toBe(200);
        expectSecurityHeaders(res);
      }
      expect(html).not.toMatch(/<script>(?!\s*<\/script>)/);
      const json = await api.get('/docs-json');
      expect(json.status).toBe(200);
      expectSecurityHeaders(json);
    });
  });

  describe('bodies', () => {
    it('a body over 16 KiB answers 413 problem+json, with the headers', async () => {
      const res = await post(
        '/api/nlu/parse',
        JSON.stringify({ text: 'x'.repeat(17 * 1024) }),
        'application/json',
      );
      await expectProblem(res, 413, 'REQUEST.BODY_TOO_LARGE');
      expectSecurityHeaders(res);
      expectRateLimitHeaders(res);
    });

    it('malformed JSON answers 400 problem+json, with the headers', async () => {
      const res = await post('/api/nlu/parse', '{"text": "headache', 'application/json');
      const problem = await expectProblem(res, 400, 'REQUEST.MALFORMED');
      expect(problem.detail).toMatch(/not valid JSON/);
      expectSecurityHeaders(res);
      expectRateLimitHeaders(res);
    });
  });

  describe('CSP violation reports', () => {
    let warn: jest.SpyInstance;
    beforeEach(() => {
      warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    });
    afterEach(() => warn.mockRestore());

    const logged = () =>
      warn.mock.calls
        .map(([first]: unknown[]) => first)
        .filter((first): first is { cspViolation: unknown } => {
          return typeof first === 'object' && first !== null && 'cspViolation' in first;
        })
        .map((first) => first.cspViolation);

    it('accepts application/csp-report: 204, logs directive, blocked origin and document path only', async () => {
      const res = await post(
        '/api/csp-reports',
        JSON.stringify(legacyReport),
        'application/csp-report',
      );
      expect(res.status).toBe(204);
      expect(await res.text()).toBe('');
      expect(logged()).toEqual([
        {
          directive: 'script-src-elem',
          blockedOrigin: 'https://cdn.evil.example',
          documentPath: '/docs/',
        },
      ]);
      const everything = JSON.stringify(warn.mock.calls);
      for (const secret of ['token', 'secret', 'migraine', 'q=', 'frag', 'x.js']) {
        expect(everything).not.toContain(secret);
      }
    });

    it('accepts application/reports+json (Reporting API batches)', async () => {
      const res = await post(
        '/api/csp-reports',
        JSON.stringify(reportingApiReports),
        'application/reports+json',
      );
      expect(res.status).toBe(204);
      expect(logged()).toEqual([
        { directive: 'style-src-attr', blockedOrigin: 'inline', documentPath: '/docs' },
      ]);
      expect(JSON.stringify(warn.mock.calls)).not.toContain('Anna');
    });

    it('answers 204 to a report it does not understand, and logs nothing', async () => {
      const res = await post('/api/csp-reports', '{"hello": "world"}', 'application/csp-report');
      expect(res.status).toBe(204);
      expect(logged()).toEqual([]);
    });

    it('refuses a report over 8 KiB (413), malformed (400) and of a foreign type (415)', async () => {
      const big = {
        'csp-report': { ...legacyReport['csp-report'], 'script-sample': 'x'.repeat(9000) },
      };
      await expectProblem(
        await post('/api/csp-reports', JSON.stringify(big), 'application/csp-report'),
        413,
        'REQUEST.BODY_TOO_LARGE',
      );
      await expectProblem(
        await post('/api/csp-reports', '{"csp-report": ', 'application/csp-report'),
        400,
        'REQUEST.MALFORMED',
      );
      await expectProblem(
        await post('/api/csp-reports', '<csp/>', 'application/xml'),
        415,
        'REQUEST.UNSUPPORTED_MEDIA_TYPE',
      );
      expect(logged()).toEqual([]);
    });

    it('the report endpoint counts in a budget of its own', async () => {
      const res = await post(
        '/api/csp-reports',
        JSON.stringify(legacyReport),
        'application/csp-report',
      );
      expect(res.headers.get('x-ratelimit-limit')).toBe('30');
    });

    it('is documented in OpenAPI', async () => {
      const doc = (await (await api.get('/docs-json')).json()) as {
        paths: Record<
          string,
          Record<string, { requestBody?: { content: object }; responses: object }>
        >;
      };
      const operation = doc.paths['/api/csp-reports'].post;
      expect(Object.keys(operation.requestBody?.content ?? {})).toEqual(
        expect.arrayContaining(['application/csp-report', 'application/reports+json']),
      );
      expect(Object.keys(operation.responses)).toEqual(
        expect.arrayContaining(['204', '400', '413', '415', '429']),
      );
    });
  });

  describe('CORS', () => {
    const preflight = (origin: string) =>
      api.get('/api/nlu/parse', {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
      });

    it('answers the preflight of a listed origin: methods, Authorization allowed, no credentials', async () => {
      const res = await preflight(FRONTEND);
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(FRONTEND);
      expect(res.headers.get('access-control-allow-methods')).toContain('POST');
      expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain(
        'authorization',
      );
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
      expect(res.headers.get('access-control-max-age')).toBe('600');
      expect(res.headers.get('vary')).toContain('Origin');
      expectSecurityHeaders(res);
      expect(
        (await preflight('https://admin.example:8443')).headers.get('access-control-allow-origin'),
      ).toBe('https://admin.example:8443');
    });

    it('lets a listed origin read answers and the rate-limit and request-id headers', async () => {
      const res = await api.get('/api/health/symptoms/catalog', { headers: { origin: FRONTEND } });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe(FRONTEND);
      const exposed = res.headers.get('access-control-expose-headers') ?? '';
      for (const name of ['X-Request-Id', 'X-RateLimit-Remaining', 'Retry-After']) {
        expect(exposed).toContain(name);
      }
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    });

    it('gives any other origin nothing: no CORS headers, preflight not answered', async () => {
      for (const origin of ['https://evil.example', 'https://app.example.evil.example', 'null']) {
        const res = await api.get('/api/health/symptoms/catalog', { headers: { origin } });
        expect(res.status).toBe(200);
        expect(res.headers.get('access-control-allow-origin')).toBeNull();
        const pre = await preflight(origin);
        expect(pre.status).toBe(404);
        expect(pre.headers.get('access-control-allow-origin')).toBeNull();
        expect(pre.headers.get('access-control-allow-methods')).toBeNull();
      }
    });
  });
});

describe('CORS with CORS_ORIGINS empty (e2e)', () => {
  let db: TestDatabase;
  let api: RunningApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startApp({
      DATABASE_URL: db.url,
      DIARY_TIMEZONE: 'UTC',
      REDIS_URL: '',
      CORS_ORIGINS: '',
    });
  });

  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  it('allows no cross-origin access at all', async () => {
    const res = await api.get('/api/health/symptoms/catalog', {
      headers: { origin: 'https://app.example' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const pre = await api.get('/api/nlu/parse', {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
    });
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    expect(pre.status).toBe(404);
  });
});
