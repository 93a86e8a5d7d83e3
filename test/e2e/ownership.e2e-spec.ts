import { randomUUID } from 'node:crypto';
import { ApiClient, Problem, RunningApp, startApp } from '../support/app';
import { createTestDatabase, insertDiaryRows, TestDatabase } from '../support/database';

interface EntryPage {
  data: { id: number; person: string; symptom: { id: string } | null }[];
  meta: { total: number };
}
interface Conversation {
  id: string;
  person: string | null;
  turns: unknown[];
}
interface MessageResponse {
  reply: { kind: string; text: string };
  result: Record<string, unknown> | null;
}

const REF = '2026-11-12T10:00:00+01:00';
const OCTOBER = 'from=2026-10-01T00:00:00%2B02:00&to=2026-11-01T00:00:00%2B01:00';

/** Every statistics endpoint with parameters it accepts. */
const STATS: readonly string[] = [
  `count?symptom=migraine&${OCTOBER}`,
  `severity?symptom=migraine&${OCTOBER}`,
  `trend?symptom=migraine&${OCTOBER}`,
  `compare?symptom=migraine&${OCTOBER}&compareFrom=2026-09-01&compareTo=2026-10-01`,
  `co-occurrence?symptom=migraine&${OCTOBER}`,
  `top?${OCTOBER}`,
  `summary?${OCTOBER}`,
  'last?symptom=migraine',
  'first?symptom=migraine',
];

/**
 * A user reads only their own person's diary and conversations: another person's answers 404
 * (never 403), however it is asked. Admins read everyone's.
 */
describe('who reads what (e2e, real PostgreSQL)', () => {
  let db: TestDatabase;
  let api: RunningApp;
  let anna: ApiClient;
  let ben: ApiClient;

  beforeAll(async () => {
    db = await createTestDatabase();
    await insertDiaryRows(db.url, [
      { person: 'Anna', sym: 'migraine', sev: 6, logged: '2026-10-03 09:00:00', notes: 'anna-1' },
      { person: 'Anna', sym: 'migrane', sev: 8, logged: '2026-10-15 20:00:00' },
      { person: 'Anna', sym: 'nausea', sev: 3, logged: '2026-10-15 21:00:00' },
      { person: 'Anna', sym: 'migraine', sev: 4, logged: '2026-09-05 08:00:00' },
      { person: 'Ben', sym: 'migraine', sev: 9, logged: '2026-10-10 14:00:00', notes: 'ben-1' },
      { person: 'Ben', sym: 'Migraine', sev: 2, logged: '2026-10-11 14:00:00' },
      { person: 'Ben', sym: 'Migraine', sev: 2, logged: '2026-10-12 14:00:00' },
      { person: 'Ben', sym: 'back pain', sev: 5, logged: '2026-10-12 15:00:00' },
      { person: 'Mia', sym: 'cough', sev: 2, logged: '2026-10-20 10:00:00' },
    ]);
    api = await startApp(
      { DATABASE_URL: db.url, DIARY_TIMEZONE: 'Europe/Berlin' },
      { people: ['Anna', 'Ben'] },
    );
    anna = api.as('Anna');
    ben = api.as('Ben');
  });

  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  async function json<T>(
    client: ApiClient,
    path: string,
    method = 'GET',
    body?: unknown,
  ): Promise<{ status: number; body: T; res: Response }> {
    const res = await client.get(path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, res };
  }

  async function expectNotFound(
    answer: Promise<{ status: number; body: unknown; res: Response }>,
    code: string,
  ): Promise<void> {
    const { status, body, res } = await answer;
    expect({ status, code: (body as Problem).code }).toEqual({ status: 404, code });
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    // Nothing of the other person's diary leaks into the problem.
    expect(JSON.stringify(body)).not.toMatch(/ben-1|anna-1|back pain/);
  }

  describe('diary entries', () => {
    it("a user's list holds only their person's entries", async () => {
      const { status, body } = await json<EntryPage>(anna, '/api/health/symptoms?limit=100');
      expect(status).toBe(200);
      expect(body.meta.total).toBe(4);
      expect(new Set(body.data.map((e) => e.person))).toEqual(new Set(['Anna']));
      const named = await json<EntryPage>(anna, '/api/health/symptoms?person=Anna&limit=100');
      expect(named.body).toEqual(body);
    });

    it.each(['Ben', 'Mia', 'Nobody', 'anna'])(
      "a user asking for %s's entries gets 404",
      async (person) => {
        await expectNotFound(
          json(anna, `/api/health/symptoms?person=${person}`),
          'DIARY.PERSON_NOT_FOUND',
        );
      },
    );

    it('an admin reads everyone, or the person named', async () => {
      expect((await json<EntryPage>(api, '/api/health/symptoms')).body.meta.total).toBe(9);
      const bens = await json<EntryPage>(api, '/api/health/symptoms?person=Ben&limit=100');
      expect(bens.body.meta.total).toBe(4);
      expect(new Set(bens.body.data.map((e) => e.person))).toEqual(new Set(['Ben']));
    });

    it("the catalog counts only a user's own entries", async () => {
      type Catalog = { data: { id: string; entryCount: number }[] };
      const count = (c: Catalog, id: string) => c.data.find((s) => s.id === id)?.entryCount;
      const mine = (await json<Catalog>(anna, '/api/health/symptoms/catalog')).body;
      const all = (await json<Catalog>(api, '/api/health/symptoms/catalog')).body;
      expect(count(mine, 'migraine')).toBe(3);
      expect(count(mine, 'back_pain')).toBe(0);
      expect(count(mine, 'cough')).toBe(0);
      expect(count(all, 'migraine')).toBe(6);
      expect(count(all, 'back_pain')).toBe(1);
    });
  });

  describe('statistics', () => {
    it.each(STATS)("%s: a user's figures are their person's, as an admin sees them", async (q) => {
      const mine = await json<unknown>(anna, `/api/health/symptoms/stats/${q}`);
      expect(mine.status).toBe(200);
      const annas = await json<unknown>(api, `/api/health/symptoms/stats/${q}&person=Anna`);
      expect(mine.body).toEqual(annas.body);
    });

    it.each(STATS)("%s: another person's figures answer 404", async (q) => {
      await expectNotFound(
        json(anna, `/api/health/symptoms/stats/${q}&person=Ben`),
        'DIARY.PERSON_NOT_FOUND',
      );
    });

    it('a summary per person shows a user no one else', async () => {
      const mine = await json<{ byPerson: { person: string }[] }>(
        anna,
        `/api/health/symptoms/stats/summary?${OCTOBER}`,
      );
      expect(mine.body.byPerson.map((p) => p.person)).toEqual(['Anna']);
      const all = await json<{ byPerson: { person: string }[] }>(
        api,
        `/api/health/symptoms/stats/summary?${OCTOBER}`,
      );
      expect(all.body.byPerson.map((p) => p.person).sort()).toEqual(['Anna', 'Ben', 'Mia']);
    });
  });

  describe('conversations', () => {
    let annas: Conversation;
    beforeAll(async () => {
      const started = await json<Conversation>(anna, '/api/conversations', 'POST', {});
      expect(started.status).toBe(201);
      annas = started.body;
    });

    it("a user's conversation reads their person's diary, whoever the question names", async () => {
      expect(annas.person).toBe('Anna');
      const mine = await json<MessageResponse>(
        anna,
        `/api/conversations/${annas.id}/messages`,
        'POST',
        {
          text: 'how many migraines did I have in october',
          referenceTime: REF,
        },
      );
      expect(mine.status).toBe(200);
      expect(mine.body.result).toMatchObject({ count: 2 });
      const named = await json<MessageResponse>(
        anna,
        `/api/conversations/${annas.id}/messages`,
        'POST',
        {
          text: 'how many migraines did Ben have in october',
          referenceTime: REF,
        },
      );
      expect(named.body.result).toMatchObject({ count: 2 });
      expect(named.body.reply.text).not.toContain('Ben');
    });

    it('a user cannot start a conversation about another person (404)', async () => {
      await expectNotFound(
        json(anna, '/api/conversations', 'POST', { person: 'Ben' }),
        'DIARY.PERSON_NOT_FOUND',
      );
      const own = await json<Conversation>(anna, '/api/conversations', 'POST', { person: 'Anna' });
      expect(own.status).toBe(201);
    });

    it("another user's conversation answers 404 to every verb, and is left as it was", async () => {
      const before = (await json<Conversation>(anna, `/api/conversations/${annas.id}`)).body;
      await expectNotFound(json(ben, `/api/conversations/${annas.id}`), 'CONVERSATION.NOT_FOUND');
      await expectNotFound(
        json(ben, `/api/conversations/${annas.id}/messages`, 'POST', { text: 'hi' }),
        'CONVERSATION.NOT_FOUND',
      );
      await expectNotFound(
        json(ben, `/api/conversations/${annas.id}`, 'DELETE'),
        'CONVERSATION.NOT_FOUND',
      );
      // The same answer as for an id that never existed.
      const never = await json<Problem>(ben, `/api/conversations/${randomUUID()}`);
      const theirs = await json<Problem>(ben, `/api/conversations/${annas.id}`);
      expect({ ...theirs.body, instance: '', requestId: '' }).toEqual({
        ...never.body,
        instance: '',
        requestId: '',
      });
      const after = await json<Conversation>(anna, `/api/conversations/${annas.id}`);
      expect(after.status).toBe(200);
      expect(after.body).toEqual(before);
    });

    it('conversations are private to their owner, admins included', async () => {
      await expectNotFound(json(api, `/api/conversations/${annas.id}`), 'CONVERSATION.NOT_FOUND');
      const admins = await json<Conversation>(api, '/api/conversations', 'POST', { person: 'Ben' });
      expect(admins.body.person).toBe('Ben');
      await expectNotFound(
        json(anna, `/api/conversations/${admins.body.id}`),
        'CONVERSATION.NOT_FOUND',
      );
      const all = await json<Conversation>(api, '/api/conversations', 'POST', {});
      expect(all.body.person).toBeNull();
    });

    it('a user can end their own conversation', async () => {
      const own = await json<Conversation>(ben, '/api/conversations', 'POST', {});
      expect((await json(ben, `/api/conversations/${own.body.id}`, 'DELETE')).status).toBe(204);
    });
  });

  describe('POST /api/nlu/parse', () => {
    const parse = (client: ApiClient) =>
      json<{ person: string | null }>(client, '/api/nlu/parse', 'POST', {
        text: 'how many headaches did Ben have last week',
        referenceTime: REF,
      });

    it("recognises only the user's own name; an admin's, the household's", async () => {
      expect((await parse(api)).body.person).toBe('Ben');
      const mine = await parse(anna);
      expect(mine.status).toBe(200);
      expect(mine.body.person).toBeNull();
    });
  });
});
