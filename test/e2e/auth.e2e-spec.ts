import { JwtService } from '@nestjs/jwt';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { PasswordHasher } from '../../src/modules/auth/application/password-hasher';
import { Problem, RunningApp, TEST_JWT_SECRET, TestUser, startIsolatedApp } from '../support/app';
import {
  createTestDatabase,
  ENV_ADMIN_URL,
  insertDiaryRows,
  TestDatabase,
  withClient,
} from '../support/database';

interface Tokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}
interface UserBody {
  id: string;
  email: string;
  role: string;
  person: string | null;
  state: string;
  createdAt: string;
  updatedAt: string;
}
interface OpenApi {
  paths: Record<string, Record<string, { security?: Record<string, string[]>[] }>>;
  components: { securitySchemes?: Record<string, { type: string; scheme: string }> };
}

/** What stays reachable without a token. */
const PUBLIC_OPERATIONS = new Set([
  'POST /api/auth/login',
  'POST /api/auth/refresh',
  'POST /api/auth/logout',
  'GET /health/live',
  'GET /health/ready',
  'POST /api/csp-reports',
  // Prometheus's scrape: METRICS_TOKEN when set (test/e2e/metrics.e2e-spec.ts), no access token.
  'GET /metrics',
]);
const jwt = new JwtService();
const ISSUER = 'symptom-diary-api';
const AUDIENCE = 'symptom-diary-api';

/** A client address of its own for each sign-in (the login route's rate limit is per address). */
let lastOctet = 0;
const nextAddress = () => `198.51.100.${++lastOctet}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const boot = startIsolatedApp;

describe('authentication and authorisation (e2e, real PostgreSQL)', () => {
  let db: TestDatabase;
  let api: RunningApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    await insertDiaryRows(db.url, [
      { sym: 'headache', sev: 5, logged: '2026-10-03 09:00:00', person: 'Anna' },
      { sym: 'nausea', sev: 3, logged: '2026-10-04 09:00:00', person: 'Ben' },
    ]);
    api = await boot(
      {
        DATABASE_URL: db.url,
        DIARY_TIMEZONE: 'UTC',
        // The client address comes from X-Forwarded-For (the test is its own proxy).
        TRUST_PROXY: '127.0.0.1',
        LOGIN_MAX_FAILURES_PER_ACCOUNT: '3',
        LOGIN_MAX_FAILURES_PER_ADDRESS: '3',
      },
      { people: ['Anna', 'Ben'] },
    );
  });

  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  // --- helpers -------------------------------------------------------------------------------

  async function call(
    method: string,
    path: string,
    options: { body?: unknown; token?: string | null; address?: string } = {},
  ): Promise<{ status: number; body: unknown; res: Response }> {
    const headers: Record<string, string> = {};
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.address) headers['x-forwarded-for'] = options.address;
    const client =
      options.token === undefined
        ? api
        : options.token === null
          ? api.anonymous
          : api.withToken(options.token);
    const res = await client.get(path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined, res };
  }

  const login = (email: string, password: string, address = nextAddress()) =>
    call('POST', '/api/auth/login', { body: { email, password }, token: null, address });
  const refresh = (refreshToken: string) =>
    call('POST', '/api/auth/refresh', { body: { refreshToken }, token: null });
  const me = (token: string) => call('GET', '/api/auth/me', { token });

  async function signIn(user: { email: string; password: string }): Promise<Tokens> {
    const answer = await login(user.email, user.password);
    expect(answer.status).toBe(200);
    return answer.body as Tokens;
  }

  function expectProblem(
    answer: { status: number; body: unknown; res: Response },
    status: number,
    code: string,
  ): Problem {
    expect({ status: answer.status, code: (answer.body as Problem | undefined)?.code }).toEqual({
      status,
      code,
    });
    expect(answer.res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = answer.body as Problem;
    expect(problem.requestId).toBe(answer.res.headers.get('x-request-id'));
    return problem;
  }

  function signed(claims: Record<string, unknown>, options: Record<string, unknown> = {}): string {
    return jwt.sign(claims, {
      secret: TEST_JWT_SECRET,
      algorithm: 'HS256',
      issuer: ISSUER,
      audience: AUDIENCE,
      ...options,
    });
  }

  const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  // --- every endpoint needs a token ----------------------------------------------------------

  describe('without a token', () => {
    let doc: OpenApi;
    beforeAll(async () => {
      const res = await api.anonymous.get('/docs-json');
      expect(res.status).toBe(200);
      doc = (await res.json()) as OpenApi;
    });

    it('every diary, chat, NLU and admin endpoint answers 401 problem+json with a Bearer challenge', async () => {
      const checked: string[] = [];
      for (const [path, operations] of Object.entries(doc.paths)) {
        for (const method of Object.keys(operations)) {
          const name = `${method.toUpperCase()} ${path}`;
          if (PUBLIC_OPERATIONS.has(name)) continue;
          const url = path.replace(/\{[^}]+\}/g, randomUUID());
          const answer = await call(method.toUpperCase(), url, {
            token: null,
            body: ['post', 'patch', 'put'].includes(method) ? { text: 'hi' } : undefined,
          });
          expect({ name, status: answer.status }).toEqual({ name, status: 401 });
          expectProblem(answer, 401, 'AUTH.UNAUTHENTICATED');
          expect(answer.res.headers.get('www-authenticate')).toBe('Bearer');
          checked.push(name);
        }
      }
      expect(checked).toEqual(
        expect.arrayContaining([
          'GET /api/health/symptoms',
          'GET /api/health/symptoms/catalog',
          'GET /api/health/symptoms/stats/count',
          'GET /api/health/symptoms/stats/summary',
          'POST /api/conversations',
          'POST /api/conversations/{id}/messages',
          'GET /api/conversations/{id}',
          'DELETE /api/conversations/{id}',
          'POST /api/nlu/parse',
          'GET /api/auth/me',
          'GET /api/admin/users',
          'POST /api/admin/users',
          'GET /api/admin/users/{id}',
          'PATCH /api/admin/users/{id}',
        ]),
      );
    });

    it('the OpenAPI document says how to authorise: bearer JWT on every protected operation', () => {
      expect(doc.components.securitySchemes?.bearer).toMatchObject({
        type: 'http',
        scheme: 'bearer',
      });
      for (const [path, operations] of Object.entries(doc.paths)) {
        for (const [method, operation] of Object.entries(operations)) {
          const name = `${method.toUpperCase()} ${path}`;
          const secured = (operation.security ?? []).some((s) => 'bearer' in s);
          expect({ name, secured }).toEqual({ name, secured: !PUBLIC_OPERATIONS.has(name) });
        }
      }
    });

    it('probes and the documentation stay public', async () => {
      for (const path of ['/health/live', '/health/ready', '/docs', '/docs-json']) {
        expect({ path, status: (await api.anonymous.get(path)).status }).toEqual({
          path,
          status: 200,
        });
      }
    });

    it.each([
      ['a Basic header', 'Basic YWRtaW46YWRtaW4='],
      ['Bearer without a token', 'Bearer'],
      ['two tokens', 'Bearer a.b.c d.e.f'],
    ])('%s answers 401', async (_label, header) => {
      const res = await api.get('/api/health/symptoms', { headers: { authorization: header } });
      expect(res.status).toBe(401);
      expect(((await res.json()) as Problem).code).toBe('AUTH.UNAUTHENTICATED');
    });
  });

  // --- tokens --------------------------------------------------------------------------------

  describe('access tokens', () => {
    it('a token made the service’s way works (so the refusals below are about what they change)', async () => {
      const token = signed({}, { subject: api.admin.id, expiresIn: 60 });
      expect((await me(token)).status).toBe(200);
    });

    it.each<[string, () => string]>([
      [
        'expired',
        () => signed({ exp: Math.floor(Date.now() / 1000) - 60 }, { subject: api.admin.id }),
      ],
      [
        'signed with another key',
        () =>
          jwt.sign(
            {},
            {
              secret: 'another-secret-of-at-least-32-bytes!!',
              algorithm: 'HS256',
              issuer: ISSUER,
              audience: AUDIENCE,
              subject: api.admin.id,
              expiresIn: 60,
            },
          ),
      ],
      [
        'of another issuer',
        () => signed({}, { subject: api.admin.id, expiresIn: 60, issuer: 'someone-else' }),
      ],
      [
        'for another audience',
        () => signed({}, { subject: api.admin.id, expiresIn: 60, audience: 'someone-else' }),
      ],
      [
        'HS512 with the right key (the algorithm is pinned)',
        () => signed({}, { subject: api.admin.id, expiresIn: 60, algorithm: 'HS512' }),
      ],
      ['without an expiry', () => signed({}, { subject: api.admin.id })],
      ['of a user that does not exist', () => signed({}, { subject: randomUUID(), expiresIn: 60 })],
      [
        'with alg none',
        () => {
          const now = Math.floor(Date.now() / 1000);
          return `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: api.admin.id, iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + 60 })}.`;
        },
      ],
    ])('a token %s answers 401 invalid_token', async (_label, make) => {
      const answer = await me(make());
      expectProblem(answer, 401, 'AUTH.INVALID_TOKEN');
      expect(answer.res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    });

    it('a tampered token answers 401: another subject in the payload, or a changed signature', async () => {
      const { accessToken } = await signIn(await api.createUser({ role: 'user', person: 'Anna' }));
      const [header, payload, signature] = accessToken.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<
        string,
        unknown
      >;
      const asAdmin = `${header}.${base64url({ ...claims, sub: api.admin.id })}.${signature}`;
      expectProblem(await me(asAdmin), 401, 'AUTH.INVALID_TOKEN');
      const flipped = signature.startsWith('A')
        ? `B${signature.slice(1)}`
        : `A${signature.slice(1)}`;
      expectProblem(await me(`${header}.${payload}.${flipped}`), 401, 'AUTH.INVALID_TOKEN');
      expect((await me(accessToken)).status).toBe(200);
    });
  });

  // --- signing in ----------------------------------------------------------------------------

  describe('POST /api/auth/login', () => {
    let anna: TestUser;
    beforeAll(async () => {
      anna = await api.createUser({ role: 'user', person: 'Anna' });
    });

    it('answers exactly accessToken, refreshToken and expiresIn (900 s by default)', async () => {
      const answer = await login(anna.email.toUpperCase(), anna.password);
      expect(answer.status).toBe(200);
      const tokens = answer.body as Tokens;
      expect(Object.keys(tokens).sort()).toEqual(['accessToken', 'expiresIn', 'refreshToken']);
      expect(tokens.expiresIn).toBe(900);
      expect(tokens.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const header = JSON.parse(
        Buffer.from(tokens.accessToken.split('.')[0], 'base64url').toString(),
      ) as { alg: string };
      expect(header.alg).toBe('HS256');
      const who = await me(tokens.accessToken);
      expect(who.status).toBe(200);
      expect(who.body).toEqual({
        id: anna.id,
        email: anna.email,
        role: 'user',
        person: 'Anna',
        state: 'active',
        createdAt: expect.any(String) as string,
        updatedAt: expect.any(String) as string,
      });
    });

    it('a wrong password and an unknown email get the same 401, after the same hashing work', async () => {
      const hasher = api.app.get(PasswordHasher);
      const verify = jest.spyOn(hasher, 'verify');
      try {
        const wrong = await login(anna.email, 'not-the-password-at-all');
        expect(verify).toHaveBeenCalledTimes(1);
        const unknown = await login(
          `nobody-${randomUUID()}@example.com`,
          'not-the-password-at-all',
        );
        // The unknown email's password is checked against a dummy hash: one argon2 verify as well.
        expect(verify).toHaveBeenCalledTimes(2);
        expect(verify.mock.calls[1][0]).toMatch(/^\$argon2id\$/);
        const comparable = (p: Problem) => ({ ...p, requestId: '', instance: '' });
        expect(comparable(expectProblem(unknown, 401, 'AUTH.INVALID_CREDENTIALS'))).toEqual(
          comparable(expectProblem(wrong, 401, 'AUTH.INVALID_CREDENTIALS')),
        );
      } finally {
        verify.mockRestore();
      }
    });

    it('refuses a body without the fields (400), never echoing the password', async () => {
      const answer = await call('POST', '/api/auth/login', {
        body: { email: anna.email, password: '', extra: 1 },
        token: null,
        address: nextAddress(),
      });
      const problem = expectProblem(answer, 400, 'REQUEST.VALIDATION_FAILED');
      expect(problem.errors?.map((e) => e.name).sort()).toEqual(['extra', 'password']);
    });

    it('stores the password as argon2id and refresh tokens as SHA-256 only, in the app schema', async () => {
      const tokens = await signIn(anna);
      await withClient(db.url, async (c) => {
        const users = await c.query<{ password_hash: string }>(
          'SELECT password_hash FROM app.users WHERE id = $1',
          [anna.id],
        );
        expect(users.rows[0].password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=5\$/);
        expect(users.rows[0].password_hash).not.toContain(anna.password);
        const hash = createHash('sha256').update(tokens.refreshToken).digest('hex');
        const stored = await c.query<{ token_hash: string }>(
          'SELECT token_hash FROM app.refresh_tokens WHERE token_hash = $1',
          [hash],
        );
        expect(stored.rowCount).toBe(1);
        const tables = await c.query<{ table_schema: string; table_name: string }>(
          `SELECT table_schema, table_name FROM information_schema.tables
            WHERE table_schema IN ('public', 'app') ORDER BY 1, 2`,
        );
        expect(tables.rows.map((t) => `${t.table_schema}.${t.table_name}`)).toEqual([
          'app.captured_errors',
          'app.login_attempts',
          'app.migrations',
          'app.refresh_tokens',
          'app.users',
          'public.symptom_log',
        ]);
      });
    });
  });

  // --- refresh and logout --------------------------------------------------------------------

  describe('refresh tokens', () => {
    let user: TestUser;
    beforeAll(async () => {
      user = await api.createUser({ role: 'user', person: 'Ben' });
    });

    it('rotate on every refresh: a new pair, and the old refresh token is used up', async () => {
      const first = await signIn(user);
      const answer = await refresh(first.refreshToken);
      expect(answer.status).toBe(200);
      const second = answer.body as Tokens;
      expect(second.refreshToken).not.toBe(first.refreshToken);
      expect(second.expiresIn).toBe(900);
      expect((await me(second.accessToken)).status).toBe(200);
      const third = (await refresh(second.refreshToken)).body as Tokens;
      expect((await me(third.accessToken)).status).toBe(200);
    });

    it('a reused refresh token revokes its whole family; other sign-ins are untouched', async () => {
      const other = await signIn(user);
      const first = await signIn(user);
      const second = (await refresh(first.refreshToken)).body as Tokens;
      const reuse = await refresh(first.refreshToken);
      expectProblem(reuse, 401, 'AUTH.INVALID_REFRESH_TOKEN');
      // The thief or the owner: whoever holds the newest token of the family is out too.
      expectProblem(await refresh(second.refreshToken), 401, 'AUTH.INVALID_REFRESH_TOKEN');
      expect((await refresh(other.refreshToken)).status).toBe(200);
    });

    it('two refreshes with one token at once: one may win, and then the family is revoked', async () => {
      const tokens = await signIn(user);
      const answers = await Promise.all([
        refresh(tokens.refreshToken),
        refresh(tokens.refreshToken),
      ]);
      const winners = answers.filter((a) => a.status === 200);
      expect(winners.length).toBeLessThanOrEqual(1);
      for (const winner of winners) {
        expectProblem(
          await refresh((winner.body as Tokens).refreshToken),
          401,
          'AUTH.INVALID_REFRESH_TOKEN',
        );
      }
    });

    it.each([['garbage'], ['x'.repeat(43)], [randomBytes(32).toString('base64url')]])(
      'an unknown refresh token (%s) answers 401',
      async (token) => {
        expectProblem(await refresh(token), 401, 'AUTH.INVALID_REFRESH_TOKEN');
      },
    );

    it('logout revokes the sign-in (204); the access token lasts until it expires', async () => {
      const tokens = await signIn(user);
      const out = await call('POST', '/api/auth/logout', {
        body: { refreshToken: tokens.refreshToken },
        token: null,
      });
      expect(out.status).toBe(204);
      expectProblem(await refresh(tokens.refreshToken), 401, 'AUTH.INVALID_REFRESH_TOKEN');
      expect((await me(tokens.accessToken)).status).toBe(200);
      const again = await call('POST', '/api/auth/logout', {
        body: { refreshToken: 'not-a-token' },
        token: null,
      });
      expect(again.status).toBe(204);
    });
  });

  // --- admins --------------------------------------------------------------------------------

  describe('/api/admin/users', () => {
    it.each([
      ['GET', '/api/admin/users', undefined],
      [
        'POST',
        '/api/admin/users',
        { email: 'x@example.com', password: 'a fine long password', role: 'user', person: 'Anna' },
      ],
      ['GET', `/api/admin/users/${randomUUID()}`, undefined],
      ['PATCH', `/api/admin/users/${randomUUID()}`, { state: 'disabled' }],
    ])('%s %s with a user token answers 403', async (method, path, body) => {
      const res = await api.as('Anna').get(path, {
        method,
        headers: body ? { 'content-type': 'application/json' } : {},
        body: body ? JSON.stringify(body) : undefined,
      });
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(((await res.json()) as Problem).code).toBe('AUTH.FORBIDDEN');
    });

    it('creates a user (201), lists and shows users, never with a password or hash', async () => {
      const email = `Mia-${randomUUID().slice(0, 8)}@Example.com`;
      const created = await call('POST', '/api/admin/users', {
        body: { email, password: 'mia has a long password', role: 'user', person: 'Mia' },
      });
      expect(created.status).toBe(201);
      const user = created.body as UserBody;
      expect(user).toMatchObject({
        email: email.toLowerCase(),
        role: 'user',
        person: 'Mia',
        state: 'active',
      });
      const list = await call('GET', '/api/admin/users');
      expect((list.body as { data: UserBody[] }).data.map((u) => u.id)).toContain(user.id);
      const shown = await call('GET', `/api/admin/users/${user.id}`);
      expect(shown.body).toEqual(user);
      expect(JSON.stringify([created.body, list.body])).not.toMatch(/password|argon2/i);
      expect((await signIn({ email, password: 'mia has a long password' })).expiresIn).toBe(900);
    });

    it.each<[string, Record<string, unknown>, string[]]>([
      [
        'a short password',
        { email: 'a@example.com', password: 'short', role: 'user', person: 'Anna' },
        ['password'],
      ],
      [
        'a common password',
        { email: 'a@example.com', password: 'password1234', role: 'admin' },
        ['password'],
      ],
      [
        'a user without a person',
        { email: 'a@example.com', password: 'a fine long password', role: 'user' },
        ['person'],
      ],
      [
        'an unknown role',
        { email: 'a@example.com', password: 'a fine long password', role: 'root' },
        ['role'],
      ],
      [
        'an email that is none',
        { email: 'anna', password: 'a fine long password', role: 'admin' },
        ['email'],
      ],
    ])('refuses %s with 400 naming the field', async (_label, body, fields) => {
      const problem = expectProblem(
        await call('POST', '/api/admin/users', { body }),
        400,
        'REQUEST.VALIDATION_FAILED',
      );
      expect([...new Set(problem.errors?.map((e) => e.name))].sort()).toEqual(fields);
      expect(JSON.stringify(problem)).not.toContain(String(body.password));
    });

    it('refuses a taken email with 409, however it is capitalised', async () => {
      const existing = await api.createUser({ role: 'user', person: 'Anna' });
      const problem = expectProblem(
        await call('POST', '/api/admin/users', {
          body: {
            email: existing.email.toUpperCase(),
            password: 'a fine long password',
            role: 'admin',
          },
        }),
        409,
        'USER.EMAIL_TAKEN',
      );
      expect(problem.detail).toMatch(/exists/);
    });

    it('answers 404 for an unknown user and 400 for an id that is not one', async () => {
      expectProblem(await call('GET', `/api/admin/users/${randomUUID()}`), 404, 'USER.NOT_FOUND');
      expectProblem(await call('GET', '/api/admin/users/42'), 400, 'REQUEST.VALIDATION_FAILED');
      expectProblem(
        await call('PATCH', `/api/admin/users/${randomUUID()}`, { body: { state: 'disabled' } }),
        404,
        'USER.NOT_FOUND',
      );
    });

    it('an admin cannot disable themselves (409)', async () => {
      expectProblem(
        await call('PATCH', `/api/admin/users/${api.admin.id}`, { body: { state: 'disabled' } }),
        409,
        'USER.CANNOT_DISABLE_SELF',
      );
    });

    it('a disabled user is out at once: access token, refresh token and sign-in; enabled again, signs in', async () => {
      const user = await api.createUser({ role: 'user', person: 'Ben' });
      const tokens = await signIn(user);
      expect(
        (await call('GET', '/api/health/symptoms', { token: tokens.accessToken })).status,
      ).toBe(200);

      const disabled = await call('PATCH', `/api/admin/users/${user.id}`, {
        body: { state: 'disabled' },
      });
      expect(disabled.status).toBe(200);
      expect((disabled.body as UserBody).state).toBe('disabled');

      expectProblem(
        await call('GET', '/api/health/symptoms', { token: tokens.accessToken }),
        401,
        'AUTH.INVALID_TOKEN',
      );
      expectProblem(await refresh(tokens.refreshToken), 401, 'AUTH.INVALID_REFRESH_TOKEN');
      expectProblem(await login(user.email, user.password), 401, 'AUTH.INVALID_CREDENTIALS');

      const enabled = await call('PATCH', `/api/admin/users/${user.id}`, {
        body: { state: 'active' },
      });
      expect((enabled.body as UserBody).state).toBe('active');
      expect((await signIn(user)).expiresIn).toBe(900);
      // Refresh tokens revoked by the disabling stay revoked.
      expectProblem(await refresh(tokens.refreshToken), 401, 'AUTH.INVALID_REFRESH_TOKEN');
    });
  });

  // --- lockout -------------------------------------------------------------------------------

  describe('repeated failed sign-ins (3 at most per account and per address here)', () => {
    it('an account slows down, then locks, even for the right password from anywhere', async () => {
      const user = await api.createUser({ role: 'user', person: 'Anna' });
      expectProblem(await login(user.email, 'wrong password one'), 401, 'AUTH.INVALID_CREDENTIALS');
      expectProblem(await login(user.email, 'wrong password two'), 401, 'AUTH.INVALID_CREDENTIALS');
      // Two failures: the next attempt must wait a second, whatever the password and address.
      const slowed = await login(user.email, user.password);
      expectProblem(slowed, 429, 'AUTH.TOO_MANY_ATTEMPTS');
      expect(Number(slowed.res.headers.get('retry-after'))).toBe(1);
      await sleep(1100);
      expectProblem(
        await login(user.email, 'wrong password three'),
        401,
        'AUTH.INVALID_CREDENTIALS',
      );
      // Three: locked for LOGIN_LOCK_MINUTES (15).
      const locked = await login(user.email, user.password);
      const problem = expectProblem(locked, 429, 'AUTH.TOO_MANY_ATTEMPTS');
      expect(Number(locked.res.headers.get('retry-after'))).toBeGreaterThan(800);
      expect(problem.detail).toMatch(/Try again in \d+ s/);
      // Another account is not affected.
      expect((await login(api.admin.email, api.admin.password)).status).toBe(200);
    });

    it('an unknown email locks the same way (no hint whether it exists)', async () => {
      const email = `ghost-${randomUUID()}@example.com`;
      await login(email, 'first guess here');
      await login(email, 'second guess here');
      expectProblem(await login(email, 'third guess here'), 429, 'AUTH.TOO_MANY_ATTEMPTS');
    });

    it('an address slows down, then locks, whichever accounts it tries; other addresses are fine', async () => {
      const address = nextAddress();
      const user = await api.createUser({ role: 'user', person: 'Ben' });
      const guess = (n: number) =>
        login(`nobody-${n}-${randomUUID()}@example.com`, 'some guess here', address);
      expectProblem(await guess(1), 401, 'AUTH.INVALID_CREDENTIALS');
      expectProblem(await guess(2), 401, 'AUTH.INVALID_CREDENTIALS');
      expectProblem(await guess(3), 429, 'AUTH.TOO_MANY_ATTEMPTS');
      await sleep(1100);
      expectProblem(await guess(4), 401, 'AUTH.INVALID_CREDENTIALS');
      expectProblem(await login(user.email, user.password, address), 429, 'AUTH.TOO_MANY_ATTEMPTS');
      expect((await login(user.email, user.password)).status).toBe(200);
    });
  });

  // --- the user:create script ----------------------------------------------------------------

  describe('npm run user:create (the built script)', () => {
    const script = resolve(__dirname, '../../dist/src/cli/user-create.js');
    const run = (args: string[], password: string) =>
      spawnSync(process.execPath, [script, ...args], {
        env: { ...process.env, DATABASE_URL: db.url, USER_PASSWORD: password, LOG_LEVEL: 'silent' },
        encoding: 'utf8',
        timeout: 60_000,
      });

    it('creates an admin who can then sign in and manage users', async () => {
      const email = `first-admin-${randomUUID().slice(0, 8)}@example.com`;
      const done = run(['--email', email], 'the first admin password');
      expect({ status: done.status, stderr: done.stderr }).toEqual({ status: 0, stderr: '' });
      expect(done.stdout).toMatch(new RegExp(`created admin ${email}`));
      expect(done.stdout).not.toContain('the first admin password');
      const tokens = await signIn({ email, password: 'the first admin password' });
      expect((await call('GET', '/api/admin/users', { token: tokens.accessToken })).status).toBe(
        200,
      );
    });

    it('refuses a weak password, saying why', () => {
      const done = run(
        [
          '--email',
          `weak-${randomUUID().slice(0, 8)}@example.com`,
          '--role',
          'user',
          '--person',
          'Anna',
        ],
        'short',
      );
      expect(done.status).toBe(1);
      expect(done.stderr).toMatch(/password must be at least 12 characters/);
      expect(done.stderr).not.toContain('short\n');
    });
  });
});

describe('start-up of the authentication (e2e)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('instances starting together migrate the app schema once (advisory lock)', async () => {
    const env = { DATABASE_URL: db.url, DIARY_TIMEZONE: 'UTC' };
    const started = await Promise.allSettled([boot(env), boot(env), boot(env)]);
    const apps = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    try {
      expect(started.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
      for (const app of apps) expect((await app.get('/api/auth/me')).status).toBe(200);
      await withClient(db.url, async (c) => {
        const migrations = await c.query<{ name: string }>('SELECT name FROM app.migrations');
        expect(migrations.rows.map((m) => m.name)).toEqual([
          'CreateAuthTables1767225600000',
          'CreateErrorStore1767312000000',
        ]);
      });
    } finally {
      await Promise.all(apps.map((a) => a.close()));
    }
  });

  it('fails closed with 503 while the app database is away, and recovers', async () => {
    const appDb = await createTestDatabase();
    const admin = (sql: string) =>
      withClient(process.env[ENV_ADMIN_URL] as string, (c) => c.query(sql));
    const app = await boot({
      DATABASE_URL: db.url,
      APP_DATABASE_URL: appDb.url,
      DIARY_TIMEZONE: 'UTC',
    });
    try {
      const user = await app.createUser({ role: 'user', person: 'Anna' });
      const { accessToken } = await app.login(user);
      await admin(`ALTER DATABASE "${appDb.name}" ALLOW_CONNECTIONS false`);
      await admin(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${appDb.name}'`,
      );
      // A token never checked before: its user must be read, and cannot be.
      const res = await app.withToken(accessToken).get('/api/health/symptoms');
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(((await res.json()) as Problem).code).toBe('AUTH.STORE_UNAVAILABLE');
      const login = await app.anonymous.get('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': nextAddress() },
        body: JSON.stringify({ email: user.email, password: user.password }),
      });
      expect(login.status).toBe(503);

      await admin(`ALTER DATABASE "${appDb.name}" ALLOW_CONNECTIONS true`);
      const statuses: number[] = [];
      for (let i = 0; i < 12 && statuses.at(-1) !== 200; i++) {
        statuses.push((await app.withToken(accessToken).get('/api/health/symptoms')).status);
      }
      expect(statuses.at(-1)).toBe(200);
      expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
    } finally {
      await admin(`ALTER DATABASE "${appDb.name}" ALLOW_CONNECTIONS true`).catch(() => undefined);
      await app.close();
      await appDb.drop();
    }
  });

  // Last: a failed boot leaves Nest's buffered start-up logs attached to the console.
  it('refuses to start on a real database without a JWT key', async () => {
    const quiet = [
      jest.spyOn(process.stdout, 'write').mockImplementation(() => true),
      jest.spyOn(process.stderr, 'write').mockImplementation(() => true),
    ];
    try {
      await expect(
        boot({ DATABASE_URL: db.url, DIARY_TIMEZONE: 'UTC', JWT_SECRET: '' }),
      ).rejects.toThrow(/JWT_SECRET \(or JWT_SECRET_FILE\) is required/);
    } finally {
      for (const spy of quiet) spy.mockRestore();
    }
  });
});
