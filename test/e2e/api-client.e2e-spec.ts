import {
  ApiProblemError,
  call,
  createApiClient,
  createUser,
  endConversation,
  getConversation,
  getCurrentUser,
  getSymptomCatalog,
  getSymptomCount,
  getSymptomSeverity,
  listSymptomEntries,
  parseQuestion,
  postMessage,
  startConversation,
  type ApiClient,
  type ApiClientOptions,
  type ApiResult,
  type ApiTokens,
} from '../../libs/api-client/src';
import { RunningApp, TestUser, startIsolatedApp } from '../support/app';
import { createTestDatabase, insertDiaryRows, TestDatabase } from '../support/database';

/**
 * The live server through the generated client (libs/api-client) only: every request below is a
 * generated function; the test support is used for nothing but booting the app and creating the
 * first accounts.
 */
const ZONE = 'Europe/Berlin';
/** Thursday 12 March 2026, 10:00 in Berlin: questions are asked "as of" this moment. */
const REF = '2026-03-12T10:00:00+01:00';
const FEBRUARY = { from: '2026-02-01T00:00:00+01:00', to: '2026-03-01T00:00:00+01:00' };
const MARCH = { from: '2026-03-01T00:00:00+01:00', to: '2026-04-01T00:00:00+02:00' };
const HEADACHE = { id: 'headache', name: 'Headache' };

/** A client address of its own for each session (sign-ins are limited to 5 a minute per address). */
let lastOctet = 0;
const nextAddress = () => `198.51.100.${++lastOctet}`;

describe('the generated API client against the live server (e2e, real PostgreSQL)', () => {
  let db: TestDatabase;
  let app: RunningApp;
  let anna: TestUser;
  let ben: TestUser;
  /** Anna, signed in through the client. */
  let api: ApiClient;
  const seen: (ApiTokens | undefined)[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    await insertDiaryRows(db.url, [
      { sym: 'Headache', sev: 5, logged: '2026-02-02 08:00:00', notes: 'screen' },
      { sym: 'head ache', sev: 7, logged: '2026-02-02 20:00:00' },
      { sym: 'nausea', sev: 4, logged: '2026-02-05 07:00:00' },
      { sym: 'migrane', sev: 8, logged: '2026-02-10 09:00:00' },
      { sym: 'Headache', sev: 9, logged: '2026-03-03 12:00:00' },
      { sym: 'Headache', sev: 3, logged: '2026-02-20 12:00:00', deleted: 'Y' },
      { sym: 'Headache', sev: 6, logged: '2026-02-12 15:00:00', person: 'Ben' },
      { sym: 'nausea', sev: 5, logged: '2026-02-10 16:00:00', person: 'Ben' },
    ]);
    app = await startIsolatedApp({
      DATABASE_URL: db.url,
      DIARY_TIMEZONE: ZONE,
      // The client address comes from X-Forwarded-For (the test is its own proxy).
      TRUST_PROXY: '127.0.0.1',
    });
    anna = await app.createUser({ role: 'user', person: 'Anna' });
    ben = await app.createUser({ role: 'user', person: 'Ben' });
    api = newSession({ onTokens: (t) => seen.push(t) });
    await api.login(anna);
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  /** A client of the app from an address of its own. */
  function newSession(options: Omit<ApiClientOptions, 'baseUrl'> = {}): ApiClient {
    return createApiClient({
      baseUrl: app.baseUrl,
      headers: { 'x-forwarded-for': nextAddress() },
      ...options,
    });
  }

  /** The ApiProblemError a call throws, checked to be a real problem+json answer of the server. */
  async function problemOf(pending: Promise<ApiResult>): Promise<ApiProblemError> {
    const thrown = await call(pending).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(thrown).toBeInstanceOf(ApiProblemError);
    const error = thrown as ApiProblemError;
    expect(error.response?.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(error.problem.status).toBe(error.response?.status);
    expect(error.problem.requestId).toBe(error.response?.headers.get('x-request-id'));
    return error;
  }

  describe('auth', () => {
    it('login keeps the pair and the client sends it: me is Anna', async () => {
      expect(seen[0]).toEqual(api.tokens);
      expect(api.tokens?.accessToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      const me = await call(getCurrentUser({ client: api.client }));
      expect(me).toMatchObject({ id: anna.id, email: anna.email, role: 'user', person: 'Anna' });
    });

    it('refresh exchanges the refresh token for a new pair, which works', async () => {
      const session = newSession();
      const first = await session.login(anna);
      const second = await session.refresh();
      expect(second.refreshToken).not.toBe(first.refreshToken);
      expect(session.tokens).toEqual({
        accessToken: second.accessToken,
        refreshToken: second.refreshToken,
      });
      expect(await call(getCurrentUser({ client: session.client }))).toMatchObject({
        email: anna.email,
      });
    });

    it('on a 401 it refreshes once by itself and sends the request again', async () => {
      const pair = await newSession().login(anna);
      const changes: (ApiTokens | undefined)[] = [];
      const session = newSession({
        tokens: { accessToken: `${pair.accessToken}tampered`, refreshToken: pair.refreshToken },
        onTokens: (t) => changes.push(t),
      });
      const [a, b] = await Promise.all([
        call(getCurrentUser({ client: session.client })),
        call(getCurrentUser({ client: session.client })),
      ]);
      expect(a.email).toBe(anna.email);
      expect(b.email).toBe(anna.email);
      // One refresh for both requests: a second would have presented a used token.
      expect(changes).toHaveLength(1);
      expect(session.tokens?.refreshToken).not.toBe(pair.refreshToken);
    });

    it('logout revokes the refresh token and forgets the tokens', async () => {
      const session = newSession();
      const pair = await session.login(anna);
      await session.logout();
      expect(session.tokens).toBeUndefined();
      session.setTokens({ accessToken: pair.accessToken, refreshToken: pair.refreshToken });
      const refused = await session.refresh().then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(ApiProblemError);
      expect((refused as ApiProblemError).status).toBe(401);
      expect(session.tokens).toBeUndefined();
    });
  });

  describe('the diary', () => {
    it('lists entries with filters, typed as the document says', async () => {
      const page = await call(
        listSymptomEntries({
          client: api.client,
          query: {
            symptom: ['headache'],
            from: '2026-02-01',
            to: '2026-03-01',
            sort: 'occurredAt',
          },
        }),
      );
      expect(page.meta).toEqual({ total: 2, page: 1, limit: 20 });
      expect(page.data.map((e) => e.recordedAs)).toEqual(['Headache', 'head ache']);
      expect(page.data[0]).toMatchObject({
        symptom: HEADACHE,
        occurredAt: '2026-02-02T08:00:00+01:00',
        severity: 5,
        notes: 'screen',
      });

      const severe = await call(
        listSymptomEntries({
          client: api.client,
          query: { name: 'head ache', minSeverity: 6, limit: 1 },
        }),
      );
      expect(severe.meta).toEqual({ total: 2, page: 1, limit: 1 });
      expect(severe.data.map((e) => e.severity)).toEqual([9]);
    });

    it('the catalog counts only Anna’s entries', async () => {
      const catalog = await call(getSymptomCatalog({ client: api.client }));
      const count = (id: string) => catalog.data.find((s) => s.id === id)?.entryCount;
      expect({
        headache: count('headache'),
        nausea: count('nausea'),
        migraine: count('migraine'),
      }).toEqual({ headache: 3, nausea: 1, migraine: 1 });
    });

    it('stats: count and severity of February headaches', async () => {
      const query = { symptom: ['headache' as const], ...FEBRUARY };
      expect(await call(getSymptomCount({ client: api.client, query }))).toMatchObject({
        count: 2,
        days: 1,
        bySymptom: [{ symptom: HEADACHE, count: 2, days: 1 }],
        lastBefore: null,
      });
      expect(await call(getSymptomSeverity({ client: api.client, query }))).toMatchObject({
        average: 6,
        max: 7,
        min: 5,
        rated: 2,
        unrated: 0,
      });
    });
  });

  describe('NLU and chat', () => {
    it('parses a question into a frame', async () => {
      const frame = await call(
        parseQuestion({
          client: api.client,
          body: { text: 'how many headaches did I have in february', referenceTime: REF },
        }),
      );
      expect(frame).toMatchObject({
        intent: 'count',
        symptoms: [{ id: 'headache', negated: false }],
        timeRange: FEBRUARY,
        safety: { urgent: false },
      });
    });

    it('a conversation with a follow-up, and its turns', async () => {
      const { id } = await call(startConversation({ client: api.client, body: {} }));
      const first = await call(
        postMessage({
          client: api.client,
          path: { id },
          body: { text: 'how many headaches did I have in february', referenceTime: REF },
        }),
      );
      expect(first.reply.kind).toBe('answer');
      expect(first.frame).toMatchObject({ intent: 'count', timeRange: FEBRUARY });
      expect(first.result).toMatchObject({ count: 2 });

      const next = await call(
        postMessage({
          client: api.client,
          path: { id },
          body: { text: 'and in march?', referenceTime: REF },
        }),
      );
      expect([...next.inherited].sort()).toEqual(['intent', 'symptoms']);
      expect(next.frame).toMatchObject({ intent: 'count', symptoms: [{ id: 'headache' }] });
      expect(next.frame.timeRange).toMatchObject({ from: MARCH.from });
      expect(next.result).toMatchObject({ count: 1 });

      const conversation = await call(getConversation({ client: api.client, path: { id } }));
      expect(conversation.turns.map((t) => t.question)).toEqual([
        'how many headaches did I have in february',
        'and in march?',
      ]);
      await call(endConversation({ client: api.client, path: { id } }));
    });
  });

  describe('admin', () => {
    it('an admin creates a user, who then signs in through the client', async () => {
      const admin = newSession();
      await admin.login(app.admin);
      const email = `client-${Date.now()}@test.example`;
      const created = await call(
        createUser({
          client: admin.client,
          body: { email, password: 'a-long-enough-password', role: 'user', person: 'Ben' },
        }),
      );
      expect(created).toMatchObject({ email, role: 'user', person: 'Ben', state: 'active' });

      const newcomer = newSession();
      await newcomer.login({ email, password: 'a-long-enough-password' });
      expect(await call(getCurrentUser({ client: newcomer.client }))).toMatchObject({
        id: created.id,
        person: 'Ben',
      });
    });
  });

  describe('typed problems', () => {
    it('400: a bad parameter, named', async () => {
      const error = await problemOf(
        listSymptomEntries({ client: api.client, query: { limit: 10000 } }),
      );
      expect(error.problem).toMatchObject({ status: 400, code: 'REQUEST.VALIDATION_FAILED' });
      expect(Object.keys(error.invalidParameters)).toEqual(['limit']);
    });

    it('401: no token, and a wrong password', async () => {
      const anonymous = newSession();
      const noToken = await problemOf(getCurrentUser({ client: anonymous.client }));
      expect(noToken.problem).toMatchObject({ status: 401, code: 'AUTH.UNAUTHENTICATED' });

      const refused = await anonymous
        .login({ email: anna.email, password: 'wrong-password-1' })
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      expect(refused).toBeInstanceOf(ApiProblemError);
      expect((refused as ApiProblemError).status).toBe(401);
      expect(anonymous.tokens).toBeUndefined();
    });

    it('404: another user’s conversation', async () => {
      const bens = newSession();
      await bens.login(ben);
      const { id } = await call(startConversation({ client: bens.client, body: {} }));
      const error = await problemOf(getConversation({ client: api.client, path: { id } }));
      expect(error.problem).toMatchObject({ status: 404, code: 'CONVERSATION.NOT_FOUND' });
      // Still there for Ben.
      expect((await call(getConversation({ client: bens.client, path: { id } }))).id).toBe(id);
    });
  });
});
