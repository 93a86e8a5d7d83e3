import { randomUUID } from 'node:crypto';
import {
  createApiClient,
  getSymptomSeverity,
  listSymptomEntries,
  postMessage,
  startConversation,
  unwrap,
  type ApiClient,
  type MessageResponseDto,
} from '../../libs/api-client/src';
import { Problem, RunningApp, TEST_JWT_SECRET, startIsolatedApp } from '../support/app';
import { startBuiltService, type BuiltService } from '../support/built-service';
import { createTestDatabase, insertDiaryRows, TestDatabase } from '../support/database';

interface Range {
  from: string;
  to: string;
  text?: string;
}
interface Frame {
  intent: string;
  confidence: number;
  symptoms: { id: string; text: string; negated: boolean }[];
  timeRange: Range | null;
  comparisonRange: Range | null;
  severity: { min: number | null; max: number | null } | null;
  safety: { urgent: boolean; kind?: string };
}
interface EntryFigure {
  id: number;
  symptom: string | null;
  recordedAs: string;
  occurredAt: string;
  severity: number | null;
  person: string;
}
interface MessageResponse {
  conversationId: string;
  reply: { kind: string; text: string; markdown: string; sections: unknown[]; chart: unknown };
  frame: Frame;
  inherited: string[];
  result: Record<string, unknown> | null;
}
interface Conversation {
  id: string;
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
  timezone: string;
  person: string | null;
  turns: { at: string; question: string; reply: { kind: string; text: string } }[];
}
interface EntryPage {
  data: { id: number; occurredAt: string; symptom: { id: string } | null; person: string }[];
  meta: { total: number; page: number; limit: number };
}

/** Thursday 12 November 2026, 10:00 in Berlin: every message is asked "as of" this moment. */
const REF = '2026-11-12T10:00:00+01:00';
const ZONE = 'Europe/Berlin';
const MINUTE = 60_000;

// Berlin: summer time ends on Sunday 25 October 2026, so October starts at +02:00 and ends at +01:00.
const OCTOBER = { from: '2026-10-01T00:00:00+02:00', to: '2026-11-01T00:00:00+01:00' };
const SEPTEMBER = { from: '2026-09-01T00:00:00+02:00', to: '2026-10-01T00:00:00+02:00' };
const LAST_WEEK = { from: '2026-11-02T00:00:00+01:00', to: '2026-11-09T00:00:00+01:00' };
const WEEK_BEFORE = { from: '2026-10-26T00:00:00+01:00', to: '2026-11-02T00:00:00+01:00' };

const sorted = (list: readonly string[]) => [...list].sort();
const period = (r: { from: string; to: string }) =>
  `from=${encodeURIComponent(r.from)}&to=${encodeURIComponent(r.to)}`;

const boot = startIsolatedApp;

describe('/api/conversations (e2e over HTTP, real PostgreSQL)', () => {
  let db: TestDatabase;
  let api: RunningApp;
  let sdk: ApiClient;

  beforeAll(async () => {
    db = await createTestDatabase();
    // Anna unless said otherwise; wall-clock times in Berlin.
    await insertDiaryRows(db.url, [
      { sym: 'Migraine', sev: 6, logged: '2026-10-03 09:00:00' },
      { sym: 'migrane', sev: 8, logged: '2026-10-15 20:00:00' },
      { sym: 'migraine', sev: null, logged: '2026-10-31 23:30:00' },
      { sym: 'Migraine', sev: 10, logged: '2026-10-20 12:00:00', deleted: 'Y' },
      { sym: 'migraine', sev: 5, logged: '2026-10-10 14:00:00', person: 'Ben' },
      // October in Berlin, still 30 September in New York (21:00).
      { sym: 'migraine', sev: 3, logged: '2026-10-01 03:00:00' },
      { sym: 'Migraine', sev: 4, logged: '2026-09-05 08:00:00' },
      { sym: 'migraine', sev: 9, logged: '2026-09-30 23:30:00' },
      { sym: 'migraine', sev: null, logged: '2026-09-12 10:00:00' },
      { sym: 'Migraine', sev: 7, logged: '2026-11-03 18:45:00' },
      { sym: 'Headache', sev: 5, logged: '2026-10-05 08:15:00' },
      { sym: 'head ache', sev: 3, logged: '2026-10-20 19:00:00' },
      { sym: 'headache', sev: null, logged: '2026-10-22 07:00:00', person: 'Ben' },
      { sym: 'nausea', sev: 4, logged: '2026-11-03 08:00:00' },
      { sym: 'feeling sick', sev: null, logged: '2026-11-06 19:00:00' },
      { sym: 'nausea', sev: 9, logged: '2026-11-05 12:00:00', deleted: 'Y' },
      { sym: 'nausea', sev: 2, logged: '2026-11-10 08:00:00' },
      { sym: 'vomiting', sev: 6, logged: '2026-11-04 07:00:00' },
      { sym: 'vomiting', sev: 5, logged: '2026-10-28 22:00:00' },
      { sym: 'threw up', sev: 7, logged: '2026-11-01 23:30:00', person: 'Ben' },
      { sym: 'chest pain', sev: 6, logged: '2026-08-14 16:00:00' },
      { sym: 'cough', sev: 3, logged: '2026-11-09 09:00:00' },
    ]);
    api = await boot({ DATABASE_URL: db.url, DIARY_TIMEZONE: ZONE });
    // The generated client (libs/api-client), as the admin: where a test reads as API calls.
    sdk = createApiClient({ baseUrl: api.baseUrl, tokens: await api.login(api.admin) });
  });

  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  // --- helpers -------------------------------------------------------------------------------

  async function send(
    app: RunningApp,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: unknown; res: Response }> {
    const res = await app.get(path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined, res };
  }

  async function start(
    body: Record<string, unknown> = {},
    app: RunningApp = api,
  ): Promise<Conversation> {
    const { status, body: conversation } = await send(app, 'POST', '/api/conversations', body);
    expect(status).toBe(201);
    return conversation as Conversation;
  }

  async function ask(
    id: string,
    text: string,
    extra: Record<string, unknown> = {},
    app: RunningApp = api,
  ): Promise<MessageResponse> {
    const { status, body } = await send(app, 'POST', `/api/conversations/${id}/messages`, {
      text,
      referenceTime: REF,
      ...extra,
    });
    expect({ text, status }).toEqual({ text, status: 200 });
    return body as MessageResponse;
  }

  async function conversation(id: string, app: RunningApp = api): Promise<Conversation> {
    const { status, body } = await send(app, 'GET', `/api/conversations/${id}`);
    expect(status).toBe(200);
    return body as Conversation;
  }

  async function rest<T>(path: string): Promise<T> {
    const res = await api.get(path);
    expect({ path, status: res.status }).toEqual({ path, status: 200 });
    return (await res.json()) as T;
  }

  async function restTotal(query: string): Promise<number> {
    return (await rest<EntryPage>(`/api/health/symptoms?${query}&limit=1`)).meta.total;
  }

  function expectProblem(
    answer: { status: number; body: unknown; res: Response },
    status: number,
    code: string,
  ): Problem {
    expect(answer.status).toBe(status);
    expect(answer.res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = answer.body as Problem;
    expect(problem).toMatchObject({ status, code });
    expect(problem.requestId).toBe(answer.res.headers.get('x-request-id'));
    return problem;
  }

  // --- lifecycle -----------------------------------------------------------------------------

  describe('lifecycle', () => {
    it('starts a conversation (201, a UUID, expiring 30 minutes after its last message)', async () => {
      const before = Date.now();
      const { status, body, res } = await send(api, 'POST', '/api/conversations', {});
      expect(status).toBe(201);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const started = body as Conversation;
      expect(started.id).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      expect(started).toMatchObject({ timezone: ZONE, person: null, turns: [] });
      const expires = Date.parse(started.expiresAt);
      expect(expires).toBeGreaterThanOrEqual(before + 30 * MINUTE - 1000);
      expect(expires).toBeLessThanOrEqual(Date.now() + 30 * MINUTE + 1000);
      expect(expires - Date.parse(started.updatedAt)).toBe(30 * MINUTE);

      const fetched = await conversation(started.id);
      expect(fetched).toEqual(started);
    });

    it('ends a conversation: DELETE 204, then GET, DELETE and messages answer 404', async () => {
      const { id } = await start();
      const deleted = await send(api, 'DELETE', `/api/conversations/${id}`);
      expect(deleted.status).toBe(204);
      expect(deleted.body).toBeUndefined();

      const gone = await send(api, 'GET', `/api/conversations/${id}`);
      const problem = expectProblem(gone, 404, 'CONVERSATION.NOT_FOUND');
      expect(problem.instance).toBe(`/api/conversations/${id}`);
      expectProblem(
        await send(api, 'DELETE', `/api/conversations/${id}`),
        404,
        'CONVERSATION.NOT_FOUND',
      );
      expectProblem(
        await send(api, 'POST', `/api/conversations/${id}/messages`, { text: 'hi' }),
        404,
        'CONVERSATION.NOT_FOUND',
      );
    });

    it('answers 404 for a conversation that never existed', async () => {
      const id = randomUUID();
      expectProblem(
        await send(api, 'GET', `/api/conversations/${id}`),
        404,
        'CONVERSATION.NOT_FOUND',
      );
      expectProblem(
        await send(api, 'POST', `/api/conversations/${id}/messages`, { text: 'hi' }),
        404,
        'CONVERSATION.NOT_FOUND',
      );
    });

    it.each([
      ['GET', '/api/conversations/not-a-uuid'],
      ['DELETE', '/api/conversations/123'],
      ['POST', "/api/conversations/x'%20OR%201=1/messages"],
    ])('%s %s: a malformed id answers 400 naming id', async (method, path) => {
      const answer = await send(api, method, path, method === 'POST' ? { text: 'hi' } : undefined);
      const problem = expectProblem(answer, 400, 'REQUEST.VALIDATION_FAILED');
      expect(problem.errors?.map((e) => e.name)).toEqual(['id']);
    });

    // Messages sent to one conversation at once (a double submit, two tabs) are answered one
    // after the other, each seeing the turn before: none is lost.
    it('keeps every message of several sent at once', async () => {
      const { id } = await start();
      const questions = [
        'how many migraines did I have in october',
        'show my nausea entries from last week',
        'what bothered me most in october',
        'when did I last have chest pain',
      ];
      await Promise.all(questions.map((text) => ask(id, text)));
      const { turns } = await conversation(id);
      expect(sorted(turns.map((t) => t.question))).toEqual(sorted(questions));
    });

    it('keeps the turns, oldest first, with the question and the reply', async () => {
      const { id } = await start();
      await ask(id, 'hi');
      await ask(id, 'how many migraines did I have in october');
      const { turns } = await conversation(id);
      expect(turns.map((t) => t.question)).toEqual([
        'hi',
        'how many migraines did I have in october',
      ]);
      expect(turns.map((t) => t.reply.kind)).toEqual(['small_talk', 'answer']);
      expect(turns[1].reply.text).toContain('In October 2026');
    });
  });

  // --- validation ----------------------------------------------------------------------------

  describe('bad input answers 400 problem+json naming the field', () => {
    let id: string;
    beforeAll(async () => {
      id = (await start()).id;
    });

    it.each<[string, Record<string, unknown>, string]>([
      ['empty text', { text: '' }, 'text'],
      ['no text', {}, 'text'],
      ['text not a string', { text: 42 }, 'text'],
      ['text over 500 characters', { text: 'a'.repeat(501) }, 'text'],
      ['an unknown field', { text: 'hi', colour: 'blue' }, 'colour'],
      ['an unknown time zone', { text: 'hi', timezone: 'Mars/Olympus' }, 'timezone'],
      ['a time zone that is not a string', { text: 'hi', timezone: 7 }, 'timezone'],
      ['a reference time in words', { text: 'hi', referenceTime: 'yesterday' }, 'referenceTime'],
      [
        'an impossible reference time',
        { text: 'hi', referenceTime: '2026-11-31T10:00:00Z' },
        'referenceTime',
      ],
    ])('message with %s', async (_label, body, field) => {
      const answer = await send(api, 'POST', `/api/conversations/${id}/messages`, body);
      const problem = expectProblem(answer, 400, 'REQUEST.VALIDATION_FAILED');
      expect(problem.title).toBe('Bad Request');
      expect(problem.errors?.map((e) => e.name)).toContain(field);
      // Never echoes what was sent.
      expect(JSON.stringify(problem)).not.toContain('Mars/Olympus');
      expect(JSON.stringify(problem)).not.toContain('aaaaaaaaaa');
    });

    it('a body over 16 KiB answers 413 before any work', async () => {
      const answer = await send(api, 'POST', `/api/conversations/${id}/messages`, {
        text: 'a'.repeat(20_000),
      });
      expectProblem(answer, 413, 'REQUEST.BODY_TOO_LARGE');
    });

    it('accepts exactly 500 characters', async () => {
      const reply = await ask(id, `how many migraines did I have in october ${'x'.repeat(459)}`);
      expect(reply.reply.kind).toBeDefined();
    });

    it.each<[string, Record<string, unknown>, string]>([
      ['an unknown time zone', { timezone: 'Mars/Olympus' }, 'timezone'],
      ['an unknown field', { colour: 'blue' }, 'colour'],
      ['an empty person', { person: '' }, 'person'],
    ])('start with %s', async (_label, body, field) => {
      const answer = await send(api, 'POST', '/api/conversations', body);
      const problem = expectProblem(answer, 400, 'REQUEST.VALIDATION_FAILED');
      expect(problem.errors?.map((e) => e.name)).toContain(field);
    });

    it('a bad message changes nothing in the conversation', async () => {
      const before = await conversation(id);
      await send(api, 'POST', `/api/conversations/${id}/messages`, { text: '' });
      expect((await conversation(id)).turns).toHaveLength(before.turns.length);
    });
  });

  // --- follow-ups ----------------------------------------------------------------------------

  describe('a dialogue about migraines: count → another month → how bad → most recent', () => {
    // Through the generated client: the conversation and the cross-checks against the REST API.
    const turns: MessageResponseDto[] = [];
    const migraine = ['migraine' as const];
    const total = async (range: Range) =>
      unwrap(
        await listSymptomEntries({
          client: sdk.client,
          query: { symptom: migraine, ...range, limit: 1 },
        }),
      ).meta.total;

    beforeAll(async () => {
      const started = await startConversation({ client: sdk.client, body: {} });
      expect(started.response?.status).toBe(201);
      const { id } = unwrap(started);
      for (const text of [
        'how many migraines did I have in october',
        'and in september?',
        'how bad were they?',
        'when was the most recent one?',
      ]) {
        const answer = await postMessage({
          client: sdk.client,
          path: { id },
          body: { text, referenceTime: REF },
        });
        expect({ text, status: answer.response?.status }).toEqual({ text, status: 200 });
        turns.push(unwrap(answer));
      }
    });

    it('1. "how many migraines did I have in october": count, migraine, October in Berlin', async () => {
      const [t] = turns;
      expect(t.reply.kind).toBe('answer');
      expect(t.frame).toMatchObject({
        intent: 'count',
        symptoms: [{ id: 'migraine', negated: false }],
        timeRange: OCTOBER,
        comparisonRange: null,
        severity: null,
        safety: { urgent: false },
      });
      expect(t.inherited).toEqual([]);
      // 'Migraine', 'migrane', 'migraine' of Anna and Ben; the deleted entry left out.
      expect(t.result).toMatchObject({ period: OCTOBER, count: 5, days: 5 });
      expect(t.result?.count).toBe(await total(OCTOBER));
      expect(t.reply.text).toContain('In October 2026');
      expect(t.reply.markdown).toContain('**5 times**');
    });

    it('2. "and in september?": keeps intent and symptom, moves to September', async () => {
      const t = turns[1];
      expect(t.frame).toMatchObject({
        intent: 'count',
        symptoms: [{ id: 'migraine', negated: false }],
        timeRange: SEPTEMBER,
      });
      expect(sorted(t.inherited)).toEqual(['intent', 'symptoms']);
      expect(t.result).toMatchObject({ period: SEPTEMBER, count: 3 });
      expect(t.result?.count).toBe(await total(SEPTEMBER));
      expect(t.reply.text).toContain('In September 2026');
    });

    it('3. "how bad were they?": severity of September migraines, as the stats API says', async () => {
      const t = turns[2];
      expect(t.frame).toMatchObject({
        intent: 'severity',
        symptoms: [{ id: 'migraine' }],
        timeRange: SEPTEMBER,
        severity: null,
      });
      expect(sorted(t.inherited)).toEqual(['symptoms', 'timeRange']);
      const stats = unwrap(
        await getSymptomSeverity({
          client: sdk.client,
          query: { symptom: migraine, ...SEPTEMBER },
        }),
      );
      expect(t.result).toMatchObject({
        average: stats.average,
        max: stats.max,
        rated: stats.rated,
        unrated: stats.unrated,
      });
      expect(t.result).toMatchObject({ average: 6.5, max: 9, rated: 2, unrated: 1 });
      expect(t.reply.text).toContain('In September 2026');
      // 30 September 23:30 in Berlin (21:30 UTC) is still September there.
      expect(t.reply.text).toContain('30 September 2026');
    });

    it('4. "when was the most recent one?": last occurrence in the whole diary (no period inherited)', async () => {
      const t = turns[3];
      expect(t.frame).toMatchObject({
        intent: 'last_occurrence',
        symptoms: [{ id: 'migraine' }],
        timeRange: null,
      });
      expect(t.inherited).toEqual(['symptoms']);
      const newest = unwrap(
        await listSymptomEntries({
          client: sdk.client,
          query: { symptom: migraine, sort: '-occurredAt', limit: 1 },
        }),
      );
      expect(t.result).toMatchObject({
        period: null,
        lastOccurredAt: newest.data[0].occurredAt,
        entry: { id: newest.data[0].id },
      });
      expect(t.result?.lastOccurredAt).toBe('2026-11-03T18:45:00+01:00');
      expect(t.reply.text).toContain('Tuesday 3 November 2026 at 18:45');
    });
  });

  describe('a dialogue about entries: list → another symptom → the week before', () => {
    const turns: MessageResponse[] = [];
    beforeAll(async () => {
      const { id } = await start();
      for (const text of [
        'show my nausea entries from last week',
        'what about vomiting?',
        'and the week before?',
      ]) {
        turns.push(await ask(id, text));
      }
    });

    async function restList(symptom: string, range: Range): Promise<EntryPage> {
      return rest<EntryPage>(
        `/api/health/symptoms?symptom=${symptom}&${period(range)}&sort=-occurredAt&limit=10`,
      );
    }

    it('1. "show my nausea entries from last week": the entries the list API gives', async () => {
      const [t] = turns;
      expect(t.frame).toMatchObject({
        intent: 'list',
        symptoms: [{ id: 'nausea', negated: false }],
        timeRange: LAST_WEEK,
      });
      expect(t.inherited).toEqual([]);
      const page = await restList('nausea', LAST_WEEK);
      const entries = t.result?.entries as EntryFigure[];
      expect(entries.map((e) => e.id)).toEqual(page.data.map((e) => e.id));
      expect(t.result?.total).toBe(page.meta.total);
      // 'nausea' and 'feeling sick'; the deleted one left out.
      expect(entries.map((e) => e.recordedAs)).toEqual(['feeling sick', 'nausea']);
      expect(entries[0].occurredAt).toBe('2026-11-06T19:00:00+01:00');
      expect(t.reply.text).toContain('Between 2 and 8 November 2026');
    });

    it('2. "what about vomiting?": keeps intent and week, replaces the symptom', async () => {
      const t = turns[1];
      expect(t.frame).toMatchObject({
        intent: 'list',
        symptoms: [{ id: 'vomiting', negated: false }],
        timeRange: LAST_WEEK,
      });
      expect(sorted(t.inherited)).toEqual(['intent', 'timeRange']);
      const page = await restList('vomiting', LAST_WEEK);
      expect((t.result?.entries as EntryFigure[]).map((e) => e.id)).toEqual(
        page.data.map((e) => e.id),
      );
      expect(t.reply.text).toContain('Between 2 and 8 November 2026');
    });

    it('3. "and the week before?": keeps intent and symptom, moves back one week', async () => {
      const t = turns[2];
      expect(t.frame).toMatchObject({
        intent: 'list',
        symptoms: [{ id: 'vomiting' }],
        timeRange: WEEK_BEFORE,
      });
      expect(sorted(t.inherited)).toEqual(['intent', 'symptoms', 'timeRange']);
      const page = await restList('vomiting', WEEK_BEFORE);
      const entries = t.result?.entries as EntryFigure[];
      expect(entries.map((e) => e.id)).toEqual(page.data.map((e) => e.id));
      // Ben's 'threw up' late on Sunday 1 November is in that week, however it was typed.
      expect(entries.map((e) => [e.recordedAs, e.person])).toEqual([
        ['threw up', 'Ben'],
        ['vomiting', 'Anna'],
      ]);
      expect(t.reply.text).toContain('Between 26 October and 1 November 2026');
    });
  });

  it('keeps a severity filter across "and in september?", as the list API filters', async () => {
    const { id } = await start();
    const bad = await ask(id, 'how many bad migraines did I have in october');
    expect(bad.frame).toMatchObject({ severity: { min: 7, max: null }, timeRange: OCTOBER });
    expect(bad.result?.count).toBe(
      await restTotal(`symptom=migraine&minSeverity=7&${period(OCTOBER)}`),
    );
    const next = await ask(id, 'and in september?');
    expect(next.frame).toMatchObject({ severity: { min: 7, max: null }, timeRange: SEPTEMBER });
    expect(sorted(next.inherited)).toEqual(['intent', 'severity', 'symptoms']);
    expect(next.result?.count).toBe(
      await restTotal(`symptom=migraine&minSeverity=7&${period(SEPTEMBER)}`),
    );
  });

  it('"how bad was it?" after "when did I last…" asks about that day', async () => {
    const { id } = await start();
    await ask(id, 'when did I last have a migraine');
    const t = await ask(id, 'how bad was it?');
    const day = { from: '2026-11-03T00:00:00+01:00', to: '2026-11-04T00:00:00+01:00' };
    expect(t.frame).toMatchObject({ intent: 'severity', symptoms: [{ id: 'migraine' }] });
    expect(t.frame.timeRange).toMatchObject(day);
    const stats = await rest<{ average: number; max: number }>(
      `/api/health/symptoms/stats/severity?symptom=migraine&${period(day)}`,
    );
    expect(t.result).toMatchObject({ average: stats.average, max: stats.max });
    expect(t.reply.text).toContain('On Tuesday 3 November 2026');
  });

  it('small talk in between does not break the thread', async () => {
    const { id } = await start();
    await ask(id, 'how many migraines did I have in october');
    expect((await ask(id, 'thanks!')).reply.kind).toBe('small_talk');
    const t = await ask(id, 'and in september?');
    expect(t.frame).toMatchObject({ intent: 'count', timeRange: SEPTEMBER });
    expect(t.frame.symptoms.map((s) => s.id)).toEqual(['migraine']);
  });

  // --- figures and wording -------------------------------------------------------------------

  describe('figures equal the REST API and every reply states its period in words', () => {
    it.each<[string, string, RegExp]>([
      ['how many migraines did I have yesterday', 'migraine', /^On Wednesday 11 November 2026 /],
      ['how many migraines this month', 'migraine', /^Since 1 November 2026 /],
      ['how many times did I feel sick in the past 2 weeks', 'nausea', /^Over the past 2 weeks /],
      ['how many migraines lately', 'migraine', /^Over the past 30 days /],
      ['how many headaches did I have in october', 'headache', /^In October 2026 /],
      [
        'how many migraines between october 10 and october 20',
        'migraine',
        /^Between 10 and 20 October 2026 /,
      ],
    ])('"%s"', async (question, symptom, words) => {
      const { id } = await start();
      const t = await ask(id, question);
      expect(t.reply.kind).toBe('answer');
      expect(t.frame.intent).toBe('count');
      expect(t.frame.symptoms.map((s) => s.id)).toEqual([symptom]);
      const range = t.frame.timeRange;
      expect(range).not.toBeNull();
      expect(t.result?.period).toEqual({ from: range?.from, to: range?.to });
      expect(t.result?.count).toBe(await restTotal(`symptom=${symptom}&${period(range!)}`));
      expect(t.reply.text).toMatch(words);
    });

    it('asks the diary one read for the same question about "now" within a minute (the cache answers the rest)', async () => {
      // Without a reference time "the last 30 days" ends at the turn's instant; read to the
      // millisecond, no two turns would ever share a cached answer (diary-bounds.ts).
      const statsReads = async () => {
        const res = await api.get('/health/ready');
        const body = (await res.json()) as {
          info: { diaryReads: { cache: { byKind: { stats: Record<string, number> } } } };
        };
        return body.info.diaryReads.cache.byKind.stats;
      };
      const now = { referenceTime: undefined };
      // Two attempts: the turns of one may straddle a minute boundary, never those of both.
      for (let attempt = 0; attempt < 2; attempt++) {
        const minute = Math.floor(Date.now() / MINUTE);
        const first = await ask((await start()).id, 'how many migraines in the last 30 days', now);
        const between = await statsReads();
        const second = await ask((await start()).id, 'how many migraines in the last 30 days', now);
        const after = await statsReads();
        if (Math.floor(Date.now() / MINUTE) !== minute) continue;
        // The second turn's reads (a count and the latest entry) all come from the cache.
        expect(after.miss - between.miss).toBe(0);
        expect(after.fresh_hit - between.fresh_hit).toBeGreaterThan(0);
        expect({ ...second.result, period: null }).toEqual({ ...first.result, period: null });
        expect(second.reply.text).toBe(first.reply.text);
        // Each answer still states the period it was asked about, to the instant.
        for (const turn of [first, second]) {
          const range = turn.frame.timeRange!;
          expect(turn.result?.period).toEqual({ from: range.from, to: range.to });
        }
        return;
      }
      throw new Error('both attempts straddled a minute boundary');
    });

    it('counts headaches however they were typed, of both people', async () => {
      const { id } = await start();
      const t = await ask(id, 'how many headaches did I have in october');
      // 'Headache', 'head ache' (Anna) and 'headache' (Ben).
      expect(t.result).toMatchObject({ count: 3, days: 3 });
      expect(t.result?.count).toBe(await restTotal(`name=head%20ache&${period(OCTOBER)}`));
    });

    it('top symptoms equal GET /stats/top', async () => {
      const { id } = await start();
      const t = await ask(id, 'what bothered me most in october');
      expect(t.frame).toMatchObject({ intent: 'top_symptoms', timeRange: OCTOBER });
      const top = await rest<{
        symptoms: { symptom: { id: string }; count: number; days: number }[];
      }>(`/api/health/symptoms/stats/top?${period(OCTOBER)}`);
      expect(t.result?.symptoms).toEqual(
        top.symptoms.map((s) => ({ id: s.symptom.id, count: s.count, days: s.days })),
      );
      expect((t.result?.symptoms as { id: string }[])[0].id).toBe('migraine');
      expect(t.reply.text).toMatch(/^In October 2026 your most logged symptom was migraine/);
    });

    it('a comparison equals GET /stats/compare', async () => {
      const { id } = await start();
      const t = await ask(id, 'did I have more migraines in september or october?');
      expect(t.frame).toMatchObject({
        intent: 'compare',
        timeRange: SEPTEMBER,
        comparisonRange: OCTOBER,
      });
      const stats = await rest<{ first: { count: number }; second: { count: number } }>(
        `/api/health/symptoms/stats/compare?symptom=migraine&${period(SEPTEMBER)}&compareFrom=${encodeURIComponent(OCTOBER.from)}&compareTo=${encodeURIComponent(OCTOBER.to)}`,
      );
      const periods = t.result?.periods as { count: number; from: string; to: string }[];
      expect(periods.map((p) => p.count)).toEqual([stats.first.count, stats.second.count]);
      expect(periods[0]).toMatchObject(SEPTEMBER);
      expect(t.reply.text).toMatch(/^In September 2026 .*in October 2026/);
    });

    it('reads only the conversation person’s entries', async () => {
      const { id } = await start({ person: 'Ben' });
      const t = await ask(id, 'how many migraines did I have in october');
      expect(t.result?.count).toBe(1);
      expect(t.result?.count).toBe(
        await restTotal(`symptom=migraine&person=Ben&${period(OCTOBER)}`),
      );
    });

    it('answers an empty period helpfully, naming the last one before it', async () => {
      const { id } = await start();
      const t = await ask(id, 'how many headaches did I have last week');
      expect(t.result).toMatchObject({ period: LAST_WEEK, count: 0 });
      expect(t.result?.count).toBe(await restTotal(`symptom=headache&${period(LAST_WEEK)}`));
      const before = await rest<EntryPage>(
        `/api/health/symptoms?symptom=headache&to=${encodeURIComponent(LAST_WEEK.from)}&sort=-occurredAt&limit=1`,
      );
      expect((t.result?.lastBefore as EntryFigure).id).toBe(before.data[0].id);
      expect(t.reply.text).toBe(
        'Between 2 and 8 November 2026 you logged no headache. The last one before that was on Thursday 22 October 2026.',
      );
    });

    it('uses the conversation’s zone for periods, figures and dates', async () => {
      const { id, timezone } = await start({ timezone: 'America/New_York' });
      expect(timezone).toBe('America/New_York');
      const october = { from: '2026-10-01T00:00:00-04:00', to: '2026-11-01T00:00:00-04:00' };
      const count = await ask(id, 'how many migraines did I have in october');
      expect(count.frame.timeRange).toMatchObject(october);
      // 1 October 03:00 in Berlin is 30 September 21:00 in New York.
      expect(count.result?.count).toBe(4);
      expect(count.result?.count).toBe(await restTotal(`symptom=migraine&${period(october)}`));
      expect(count.reply.text).toContain('In October 2026');

      const last = await ask(id, 'when did I last have chest pain');
      expect(last.result?.lastOccurredAt).toBe('2026-08-14T10:00:00-04:00');
      expect(last.reply.text).toContain('Friday 14 August 2026 at 10:00');
    });

    it('a message may name its own zone', async () => {
      const { id } = await start();
      const t = await ask(id, 'when did I last have chest pain', { timezone: 'Asia/Tokyo' });
      expect(t.result?.lastOccurredAt).toBe('2026-08-14T23:00:00+09:00');
      expect(t.reply.text).toContain('Friday 14 August 2026 at 23:00');
    });

    // A count of everything but one symptom is answered, not asked back.
    it('everything but one symptom: "other than migraines" is answered, not asked back', async () => {
      const { id } = await start();
      const t = await ask(id, 'how many symptoms other than migraines did I log in october');
      expect(t.frame.symptoms).toEqual([{ id: 'migraine', text: 'migraines', negated: true }]);
      expect(t.frame.intent).toBe('count');
      expect(t.reply.kind).toBe('answer');
      expect(t.result?.count).toBe(await restTotal(`exclude=migraine&${period(OCTOBER)}`));
      expect(t.reply.text).toMatch(/^In October 2026 you logged any symptom except migraine /);
    });

    // The day a "when did I last…" answer found is cut in the zone the message named.
    it('"that day" is the day in the zone the message named', async () => {
      const { id } = await start();
      const tokyo = { timezone: 'Asia/Tokyo' };
      await ask(id, 'when did I last have chest pain', tokyo);
      const t = await ask(id, 'how bad was it?', tokyo);
      expect(t.frame.timeRange).toMatchObject({
        from: '2026-08-14T00:00:00+09:00',
        to: '2026-08-15T00:00:00+09:00',
      });
      expect(t.reply.text).toContain('On Friday 14 August 2026');
    });
  });

  // --- safety, advice, clarification, small talk ---------------------------------------------

  describe('safety', () => {
    it('an emergency now gets the emergency number and nothing else', async () => {
      const { id } = await start();
      await ask(id, 'how many migraines did I have in october');
      const t = await ask(id, 'I have crushing chest pain right now');
      expect(t.reply.kind).toBe('safety');
      expect(t.frame.safety).toMatchObject({ urgent: true, kind: 'chest_pain' });
      expect(t.frame.symptoms.map((s) => s.id)).toEqual(['chest_pain']);
      expect(t.inherited).toEqual([]);
      expect(t.reply.text).toMatch(/emergency number/);
      expect(t.reply.text).toMatch(/112/);
      expect(t.result).toBeNull();
    });

    it('a question about past chest pain is not urgent', async () => {
      const { id } = await start();
      const t = await ask(id, 'when did I last have chest pain');
      expect(t.frame.safety).toEqual({ urgent: false });
      expect(t.reply.kind).toBe('answer');
      expect(t.frame.intent).toBe('last_occurrence');
      expect(t.result?.lastOccurredAt).toBe('2026-08-14T16:00:00+02:00');
      expect(t.reply.text).not.toMatch(/emergency/i);
    });
  });

  it('advice: no treatment, a professional suggested, only what the diary shows', async () => {
    const { id } = await start();
    const t = await ask(id, 'what should I take for my cough');
    expect(t.frame.intent).toBe('advice');
    expect(t.reply.text).toMatch(/doctor|pharmacist|professional/i);
    expect(t.reply.text).toMatch(/can.t advise/i);
    expect(t.reply.text).not.toMatch(
      /\b(ibuprofen|paracetamol|acetaminophen|syrup|\d+ ?mg|try taking)\b/i,
    );
    const from = new Date(Date.parse(REF) - 30 * 24 * 60 * MINUTE).toISOString();
    expect(t.result?.count).toBe(
      await restTotal(`symptom=cough&from=${from}&to=${encodeURIComponent(REF)}`),
    );
  });

  describe('clarification', () => {
    it('a symptom it cannot place is asked about', async () => {
      const { id } = await start();
      const t = await ask(id, 'how many zorbles last week');
      expect(t.reply.kind).toBe('clarification');
      expect(t.reply.text).toContain('zorbles');
      expect(t.result).toBeNull();
    });

    it('an unplaceable symptom is asked about even with a symptom in context', async () => {
      const { id } = await start();
      await ask(id, 'how many migraines did I have in october');
      const t = await ask(id, 'how many zorbles last week');
      expect(t.reply.kind).toBe('clarification');
      expect(t.frame.symptoms).toEqual([]);
    });

    it('a count with no symptom and no context asks which symptom', async () => {
      const { id } = await start();
      const t = await ask(id, 'how many times last week?');
      expect(t.reply.kind).toBe('clarification');
      expect(t.reply.text).toMatch(/which symptom/i);
      expect(t.result).toBeNull();
    });
  });

  describe('small talk', () => {
    it.each([
      ['hi', 'greeting', 'small_talk', /Hello/],
      ['thanks!', 'thanks', 'small_talk', /welcome/],
      ['what can I ask?', 'help', 'small_talk', /How many headaches did I have last month\?/],
      [
        "what's the weather tomorrow",
        'unknown',
        'out_of_scope',
        /only answer questions about your symptom diary/,
      ],
    ])('"%s"', async (text, intent, kind, words) => {
      const { id } = await start();
      const t = await ask(id, text);
      expect(t.frame.intent).toBe(intent);
      expect(t.reply.kind).toBe(kind);
      expect(t.reply.text).toMatch(words);
      expect(t.result).toBeNull();
    });
  });

  // --- configuration: expiry and bounds ------------------------------------------------------

  describe('CONVERSATION_TTL_MINUTES', () => {
    let short: RunningApp;
    beforeAll(async () => {
      short = await boot({
        DATABASE_URL: db.url,
        DIARY_TIMEZONE: ZONE,
        CONVERSATION_TTL_MINUTES: '10',
      });
    });
    afterAll(async () => {
      await short?.close();
    });

    it('10 minutes: every message renews the conversation for 10 more', async () => {
      const started = await start({}, short);
      expect(Date.parse(started.expiresAt) - Date.parse(started.updatedAt)).toBe(10 * MINUTE);
      expect(Math.abs(Date.parse(started.expiresAt) - (Date.now() + 10 * MINUTE))).toBeLessThan(
        5000,
      );
      let previous = started.expiresAt;
      for (const text of ['how many migraines did I have in october', 'and in september?']) {
        await new Promise((r) => setTimeout(r, 25));
        await ask(started.id, text, {}, short);
        const now = await conversation(started.id, short);
        expect(Date.parse(now.expiresAt)).toBeGreaterThan(Date.parse(previous));
        expect(Date.parse(now.expiresAt) - Date.parse(now.updatedAt)).toBe(10 * MINUTE);
        previous = now.expiresAt;
      }
    });
  });

  describe('CONVERSATION_MAX_TURNS=3', () => {
    let bounded: RunningApp;
    beforeAll(async () => {
      bounded = await boot({
        DATABASE_URL: db.url,
        DIARY_TIMEZONE: ZONE,
        CONVERSATION_MAX_TURNS: '3',
      });
    });
    afterAll(async () => {
      await bounded?.close();
    });

    it('keeps the last 3 turns of 5, and the thread still follows', async () => {
      const { id } = await start({}, bounded);
      const questions = [
        'hi',
        'how many migraines did I have in october',
        'and in september?',
        'how bad were they?',
        'and in october?',
      ];
      let last: MessageResponse | undefined;
      for (const text of questions) last = await ask(id, text, {}, bounded);
      const { turns } = await conversation(id, bounded);
      expect(turns.map((t) => t.question)).toEqual(questions.slice(2));
      expect(last?.frame).toMatchObject({ intent: 'severity', timeRange: OCTOBER });
    });
  });

  // --- privacy -------------------------------------------------------------------------------

  describe('logs (the built service, LOG_LEVEL=info)', () => {
    let child: BuiltService | undefined;

    afterAll(() => {
      child?.kill();
    });

    it('carry the request path but never the question or the reply', async () => {
      const service = await startBuiltService({
        DATABASE_URL: db.url,
        DIARY_TIMEZONE: ZONE,
        // A real database: no default key. The users are those `api` created in this database.
        JWT_SECRET: TEST_JWT_SECRET,
      });
      child = service;
      const { base } = service;

      const signIn = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: api.admin.email, password: api.admin.password }),
      });
      expect(signIn.status).toBe(200);
      const tokens = (await signIn.json()) as { accessToken: string; refreshToken: string };
      const post = (path: string, body: unknown) =>
        fetch(`${base}${path}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${tokens.accessToken}`,
          },
          body: JSON.stringify(body),
        });
      const { id } = (await (await post('/api/conversations', {})).json()) as { id: string };
      const question = 'how many migraines did I have in october';
      const answer = (await (
        await post(`/api/conversations/${id}/messages`, { text: question, referenceTime: REF })
      ).json()) as MessageResponse;
      expect(answer.reply.text).toContain('In October 2026 you logged migraine');
      const urgent = 'I have crushing chest pain right now';
      const safety = (await (
        await post(`/api/conversations/${id}/messages`, { text: urgent, referenceTime: REF })
      ).json()) as MessageResponse;
      expect(safety.reply.kind).toBe('safety');
      const refused = await post(`/api/conversations/${id}/messages`, {
        text: `zzsecret ${'q'.repeat(600)}`,
      });
      expect(refused.status).toBe(400);

      // SIGTERM: the service writes its last log lines before it exits.
      expect(await service.stop()).toBe(0);
      const output = service.output();

      expect(output).toContain(`"path":"/api/conversations/${id}/messages"`);
      expect(output).toContain('"path":"/api/conversations"');
      for (const secret of [
        question,
        urgent,
        answer.reply.text,
        answer.reply.text.slice(0, 30),
        safety.reply.text.slice(0, 40),
        'crushing',
        'zzsecret',
        // Nor credentials.
        api.admin.password,
        tokens.accessToken,
        tokens.refreshToken,
      ]) {
        expect(output).not.toContain(secret);
      }
      expect(output).not.toMatch(/migrain/i);
    });
  });

  // Last: a failed boot leaves Nest's buffered start-up logs attached to the console.
  it('CONVERSATION_TTL_MINUTES=5 is refused at boot, naming the variable', async () => {
    const quiet = [
      jest.spyOn(process.stdout, 'write').mockImplementation(() => true),
      jest.spyOn(process.stderr, 'write').mockImplementation(() => true),
    ];
    try {
      await expect(
        boot({ DATABASE_URL: db.url, DIARY_TIMEZONE: ZONE, CONVERSATION_TTL_MINUTES: '5' }),
      ).rejects.toThrow(/CONVERSATION_TTL_MINUTES must be at least 10/);
    } finally {
      for (const spy of quiet) spy.mockRestore();
    }
  });
});
