import { SOURCE_EXECUTOR } from '../../src/modules/symptoms/application/diary-sources';
import type { SourceQueryExecutor } from '../../src/modules/symptoms/infrastructure/queries/diary-query';
import { SymptomNameIndex } from '../../src/modules/symptoms/infrastructure/symptom-name-index';
import type { TypeOrmDiaryStatisticsRepository } from '../../src/modules/symptoms/infrastructure/typeorm-diary-statistics.repository';
import type { TypeOrmSymptomEntryRepository } from '../../src/modules/symptoms/infrastructure/typeorm-symptom-entry.repository';
import { startApp, Problem, RunningApp } from '../support/app';
import { createTestDatabase, insertDiaryRows, TestDatabase } from '../support/database';

interface Entry {
  id: number;
  symptom: { id: string; name: string } | null;
  recordedAs: string;
  occurredAt: string;
  severity: number | null;
  person: string;
}
interface Tally {
  symptom: { id: string; name: string };
  count: number;
  days: number;
}

const STATS = '/api/health/symptoms/stats';
const FEBRUARY = 'from=2026-02-01&to=2026-03-01';
const HEADACHE = { id: 'headache', name: 'Headache' };
const NAUSEA = { id: 'nausea', name: 'Nausea' };

describe('GET /api/health/symptoms/stats/* (e2e over HTTP, real PostgreSQL)', () => {
  let db: TestDatabase;
  let api: RunningApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    // Anna unless said otherwise; Berlin time (DST starts 29 March 2026 at 02:00).
    await insertDiaryRows(db.url, [
      /* 1 */ { sym: 'Headache', sev: 5, logged: '2026-02-02 08:00:00' },
      /* 2 */ { sym: 'head ache', sev: 7, logged: '2026-02-02 20:00:00' },
      /* 3 */ { sym: 'nausea', sev: 4, logged: '2026-02-02 21:00:00' },
      /* 4 */ { sym: 'hedache', sev: null, logged: '2026-02-05 23:30:00' },
      /* 5 */ { sym: 'feeling sick', sev: 6, logged: '2026-02-05 07:00:00' },
      /* 6 */ { sym: 'Headache', sev: 9, logged: '2026-02-10 12:00:00' },
      /* 7 */ { sym: 'Headache', sev: 9, logged: '2026-02-17 00:30:00' },
      /* 8 */ { sym: 'Headache', sev: 10, logged: '2026-02-20 10:00:00', deleted: 'Y' },
      /* 9 */ { sym: 'dizzy', sev: 3, logged: '2026-02-17 09:00:00' },
      /* 10 */ { sym: 'Cold', sev: 2, logged: '2026-02-10 09:00:00' },
      /* 11 */ { sym: 'Headache', sev: 6, logged: '2026-02-12 15:00:00', person: 'Ben' },
      /* 12 */ { sym: 'nausea', sev: 5, logged: '2026-02-10 16:00:00', person: 'Ben' },
      /* 13 */ { sym: 'Headache', sev: 4, logged: '2026-01-20 18:00:00' },
      /* 14 */ { sym: 'tummy pain', sev: 3, logged: '2026-01-20 19:00:00' },
      /* 15 */ { sym: 'Headache', sev: 6, logged: '2026-03-29 01:30:00' },
      /* 16 */ { sym: 'Headache', sev: 8, logged: '2026-03-29 03:30:00' },
      /* 17 */ { sym: 'Headache', sev: null, logged: '2026-03-30 00:30:00' },
      /* 18 */ { sym: 'nausea', sev: 5, logged: '2026-03-29 12:00:00' },
      /* 19 */ { sym: 'Headache', sev: 7, logged: '2026-03-23 09:00:00' },
    ]);
    api = await startApp({ DATABASE_URL: db.url, DIARY_TIMEZONE: 'Europe/Berlin' });
  });

  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  async function ok<T>(path: string): Promise<T> {
    const res = await api.get(path);
    const body = (await res.json()) as T;
    expect({ path, status: res.status }).toEqual({ path, status: 200 });
    return body;
  }

  describe('count', () => {
    it('counts entries and days, per symptom, with names however typed', async () => {
      expect(await ok(`${STATS}/count?symptom=headache&${FEBRUARY}`)).toEqual({
        count: 6,
        days: 5,
        bySymptom: [{ symptom: HEADACHE, count: 6, days: 5 }],
        lastBefore: null,
      });
      expect(await ok(`${STATS}/count?name=feeling%20sick&symptom=headache&${FEBRUARY}`)).toEqual({
        count: 9,
        days: 5,
        bySymptom: [
          { symptom: HEADACHE, count: 6, days: 5 },
          { symptom: NAUSEA, count: 3, days: 3 },
        ],
        lastBefore: null,
      });
    });

    it('names the last entry before an empty period', async () => {
      const body = await ok<{ count: number; lastBefore: Entry | null }>(
        `${STATS}/count?symptom=dizziness&from=2026-03-01&to=2026-04-01`,
      );
      expect(body.count).toBe(0);
      expect(body.lastBefore).toMatchObject({
        id: 9,
        symptom: { id: 'dizziness' },
        recordedAs: 'dizzy',
        occurredAt: '2026-02-17T09:00:00+01:00',
      });
    });

    it.each([
      '',
      'symptom=headache',
      'name=migrane',
      `exclude=headache&${FEBRUARY}`,
      'exclude=headache&exclude=nausea&person=Anna',
      'symptom=headache&minSeverity=7',
      'maxSeverity=5&from=2026-02-01',
      'symptom=nausea&symptom=headache&to=2026-03-01T00:00:00%2B01:00',
      'person=Ben',
      'symptom=headache&from=2026-03-23&to=2026-03-30',
    ])('equals meta.total of the list for "%s"', async (query) => {
      const count = await ok<{ count: number }>(`${STATS}/count?${query}`);
      const list = await ok<{ meta: { total: number } }>(`/api/health/symptoms?${query}`);
      expect(count.count).toBe(list.meta.total);
    });
  });

  it('lists everything but the excluded symptoms', async () => {
    const body = await ok<{ data: Entry[]; meta: { total: number } }>(
      `/api/health/symptoms?exclude=headache&${FEBRUARY}&sort=occurredAt`,
    );
    expect(body.meta.total).toBe(5);
    expect(body.data.map((e) => e.recordedAs)).toEqual([
      'nausea',
      'feeling sick',
      'Cold',
      'nausea',
      'dizzy',
    ]);
  });

  it('severity: average, worst and on which days, rated and unrated', async () => {
    expect(await ok(`${STATS}/severity?symptom=headache&symptom=nausea&${FEBRUARY}`)).toEqual({
      average: 6.4,
      max: 9,
      maxDays: ['2026-02-10', '2026-02-17'],
      maxDayCount: 2,
      min: 4,
      rated: 8,
      unrated: 1,
      bySymptom: [
        { symptom: HEADACHE, rated: 5, average: 7.2, max: 9, min: 5 },
        { symptom: NAUSEA, rated: 3, average: 5, max: 6, min: 4 },
      ],
      lastBefore: null,
    });
  });

  describe('trend', () => {
    it('buckets weeks from the local Monday across the DST change', async () => {
      const body = await ok<{
        from: string;
        to: string;
        bucket: string;
        direction: string;
        buckets: { start: string; end: string; count: number; averageSeverity: number | null }[];
        counts: { direction: string };
      }>(`${STATS}/trend?symptom=headache&from=2026-03-16&to=2026-04-06`);
      expect(body).toMatchObject({
        from: '2026-03-16T00:00:00+01:00',
        to: '2026-04-06T00:00:00+02:00',
        bucket: 'week',
        direction: 'not_enough_data',
      });
      expect(body.buckets).toEqual([
        {
          start: '2026-03-16',
          end: '2026-03-23',
          count: 0,
          rated: 0,
          averageSeverity: null,
          coverage: 1,
        },
        {
          start: '2026-03-23',
          end: '2026-03-30',
          count: 3,
          rated: 3,
          averageSeverity: 7,
          coverage: 1,
        },
        {
          start: '2026-03-30',
          end: '2026-04-06',
          count: 1,
          rated: 0,
          averageSeverity: null,
          coverage: 1,
        },
      ]);
    });

    it('buckets months beyond 12 weeks and reads the direction', async () => {
      const body = await ok<{
        bucket: string;
        direction: string;
        buckets: { start: string; count: number }[];
        counts: Record<string, unknown>;
        severity: { direction: string };
      }>(`${STATS}/trend?symptom=headache&from=2026-01-01&to=2026-04-01`);
      expect(body.bucket).toBe('month');
      expect(body.buckets.map((b) => [b.start, b.count])).toEqual([
        ['2026-01-01', 1],
        ['2026-02-01', 6],
        ['2026-03-01', 4],
      ]);
      expect(body.direction).toBe('worsening');
      expect(body.counts).toEqual({
        direction: 'worsening',
        buckets: 3,
        mean: 3.67,
        slopePerBucket: 1.5,
        relativeSlope: 0.409,
        relativeChange: 0.818,
        firstHalfMean: 1,
        secondHalfMean: 4,
      });
      expect(body.severity.direction).toBe('worsening');
    });

    it('takes an explicit bucket, and the last 6 months without a period', async () => {
      const weekly = await ok<{ bucket: string; buckets: unknown[] }>(
        `${STATS}/trend?symptom=headache&from=2026-01-01&to=2026-04-01&bucket=week`,
      );
      expect(weekly.bucket).toBe('week');
      expect(weekly.buckets).toHaveLength(14); // 29 Dec 2025 .. 30 Mar 2026
      const recent = await ok<{ from: string; to: string; bucket: string; buckets: unknown[] }>(
        `${STATS}/trend`,
      );
      expect(recent.bucket).toBe('month');
      const days = (Date.parse(recent.to) - Date.parse(recent.from)) / 86_400_000;
      expect(days).toBeGreaterThanOrEqual(180);
      expect(days).toBeLessThanOrEqual(185);
      expect(Math.abs(Date.parse(recent.to) - Date.now())).toBeLessThan(60_000);
    });
  });

  it('compare: two periods side by side, second minus first', async () => {
    expect(
      await ok(
        `${STATS}/compare?symptom=headache&from=2026-01-01&to=2026-02-01` +
          `&compareFrom=2026-02-01&compareTo=2026-03-01`,
      ),
    ).toEqual({
      first: {
        from: '2026-01-01T00:00:00+01:00',
        to: '2026-02-01T00:00:00+01:00',
        count: 1,
        days: 1,
        rated: 1,
        averageSeverity: 4,
      },
      second: {
        from: '2026-02-01T00:00:00+01:00',
        to: '2026-03-01T00:00:00+01:00',
        count: 6,
        days: 5,
        rated: 5,
        averageSeverity: 7.2,
      },
      difference: { count: 5, days: 4, averageSeverity: 3.2, countChangePercent: 500 },
    });
  });

  it('co-occurrence: what comes with a symptom, and how often two share a day', async () => {
    expect(await ok(`${STATS}/co-occurrence?symptom=headache`)).toEqual({
      askedDays: 9,
      symptoms: [
        { symptom: NAUSEA, sharedDays: 3, share: 0.33 },
        { symptom: { id: 'abdominal_pain', name: 'Abdominal pain' }, sharedDays: 1, share: 0.11 },
        { symptom: { id: 'dizziness', name: 'Dizziness' }, sharedDays: 1, share: 0.11 },
      ],
      pairs: [],
    });
    const two = await ok<{ pairs: unknown[] }>(
      `${STATS}/co-occurrence?symptom=headache&symptom=nausea`,
    );
    expect(two.pairs).toEqual([
      {
        first: HEADACHE,
        second: NAUSEA,
        firstDays: 9,
        secondDays: 4,
        sharedDays: 3,
        shareOfFirst: 0.33,
        shareOfSecond: 0.75,
      },
    ]);
  });

  it('top: the most logged symptoms, excluded ones left out', async () => {
    expect(await ok<{ symptoms: Tally[] }>(`${STATS}/top?${FEBRUARY}`)).toEqual({
      symptoms: [
        { symptom: HEADACHE, count: 6, days: 5 },
        { symptom: NAUSEA, count: 3, days: 3 },
        { symptom: { id: 'dizziness', name: 'Dizziness' }, count: 1, days: 1 },
      ],
    });
    const without = await ok<{ symptoms: Tally[] }>(`${STATS}/top?exclude=headache`);
    expect(without.symptoms.map((s) => [s.symptom.id, s.count])).toEqual([
      ['nausea', 4],
      ['abdominal_pain', 1],
      ['dizziness', 1],
    ]);
  });

  it('summary: totals, top five, the worst entry, per person', async () => {
    const body = await ok<{ mostSevere: Entry | null }>(`${STATS}/summary?${FEBRUARY}`);
    expect(body).toEqual({
      count: 11,
      days: 5,
      averageSeverity: 5.6,
      topSymptoms: [
        { symptom: HEADACHE, count: 6, days: 5 },
        { symptom: NAUSEA, count: 3, days: 3 },
        { symptom: { id: 'dizziness', name: 'Dizziness' }, count: 1, days: 1 },
      ],
      mostSevere: expect.objectContaining({
        id: 7,
        severity: 9,
        occurredAt: '2026-02-17T00:30:00+01:00',
      }) as unknown,
      byPerson: [
        { person: 'Anna', count: 9, days: 4 },
        { person: 'Ben', count: 2, days: 2 },
      ],
    });
  });

  it('last and first: the entries, with the zone offset', async () => {
    const last = await ok<{ entry: Entry | null; lastBefore: Entry | null }>(
      `${STATS}/last?name=head%20ache`,
    );
    expect(last.entry).toMatchObject({
      id: 17,
      symptom: HEADACHE,
      occurredAt: '2026-03-30T00:30:00+02:00',
    });
    expect(last.lastBefore).toBeNull();
    const first = await ok<{ entry: Entry | null }>(`${STATS}/first?symptom=headache`);
    expect(first.entry).toMatchObject({ id: 13, occurredAt: '2026-01-20T18:00:00+01:00' });
    const none = await ok<{ entry: Entry | null; lastBefore: Entry | null }>(
      `${STATS}/first?symptom=headache&from=2026-04-01`,
    );
    expect(none.entry).toBeNull();
    expect(none.lastBefore?.id).toBe(17);
  });

  describe('bad input answers 400 problem+json naming the parameter', () => {
    it.each([
      ['count?exclude=nope', 'exclude'],
      ['count?symptom=headache&exclude=headache', 'exclude'],
      ['count?from=2026-03-01&to=2026-02-01', 'from'],
      ['count?symptom=headache;DROP%20TABLE%20symptom_log', 'symptom'],
      ['severity?minSeverity=11', 'minSeverity'],
      ['trend?bucket=day', 'bucket'],
      ['trend?from=2000-01-01&to=2026-01-01&bucket=week', 'bucket'],
      ['trend?from=2999-01-01', 'from'],
      ['compare?from=2026-01-01&to=2026-02-01', 'compareFrom'],
      ['compare?compareFrom=2026-02-01&compareTo=2026-03-01', 'from'],
      [
        'compare?from=2026-01-01&to=2026-02-01&compareFrom=2026-03-01&compareTo=2026-02-01',
        'compareFrom',
      ],
      [
        'compare?from=2026-01-01&to=2026-02-01&compareFrom=2026-02-30&compareTo=2026-03-01',
        'compareFrom',
      ],
      ['co-occurrence', 'symptom'],
      [
        'co-occurrence?symptom=headache&symptom=nausea&symptom=fever&symptom=cough&symptom=rash&symptom=fatigue',
        'symptom',
      ],
      ['top?limit=5', 'limit'],
      ['summary?colour=blue', 'colour'],
      ['last?name=qwertyuiop', 'name'],
      ['first?person=' + 'x'.repeat(41), 'person'],
    ])('%s', async (query, parameter) => {
      const res = await api.get(`${STATS}/${query}`);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const problem = (await res.json()) as Problem;
      expect(problem).toMatchObject({ status: 400, instance: `${STATS}/${query.split('?')[0]}` });
      expect(problem.code).toMatch(/^(REQUEST\.VALIDATION_FAILED|SYMPTOM\.UNKNOWN_NAME)$/);
      expect(problem.errors?.map((e) => e.name)).toContain(parameter);
      expect(JSON.stringify(problem)).not.toMatch(/DROP|qwertyuiop|at .*\.(ts|js):\d+/);
    });

    it('refuses an unknown excluded id on the list too', async () => {
      const res = await api.get('/api/health/symptoms?exclude=nope');
      expect(res.status).toBe(400);
      expect(((await res.json()) as Problem).errors?.map((e) => e.name)).toEqual(['exclude']);
    });
  });

  it('shares one symptom name index between the list and the statistics', () => {
    const index = api.app.get(SymptomNameIndex);
    const { sources } = api.app.get<symbol, SourceQueryExecutor>(SOURCE_EXECUTOR);
    expect((sources.entries as TypeOrmSymptomEntryRepository).names).toBe(index);
    expect((sources.statistics as TypeOrmDiaryStatisticsRepository).names).toBe(index);
  });

  it('documents every statistics endpoint with its operation id and problems', async () => {
    const doc = (await (await api.get('/docs-json')).json()) as {
      paths: Record<
        string,
        { get: { operationId: string; parameters?: { name: string }[]; responses: object } }
      >;
    };
    const expected: Record<string, string> = {
      count: 'getSymptomCount',
      severity: 'getSymptomSeverity',
      trend: 'getSymptomTrend',
      compare: 'getSymptomComparison',
      'co-occurrence': 'getSymptomCoOccurrence',
      top: 'getTopSymptoms',
      summary: 'getSymptomSummary',
      last: 'getLastSymptomOccurrence',
      first: 'getFirstSymptomOccurrence',
    };
    for (const [path, operationId] of Object.entries(expected)) {
      const get = doc.paths[`${STATS}/${path}`].get;
      expect(get.operationId).toBe(operationId);
      expect(Object.keys(get.responses)).toEqual(
        expect.arrayContaining(['200', '400', '503', '504']),
      );
      expect(get.parameters?.map((p) => p.name)).toEqual(
        expect.arrayContaining([
          'symptom',
          'name',
          'exclude',
          'from',
          'to',
          'minSeverity',
          'maxSeverity',
          'person',
        ]),
      );
    }
    expect(doc.paths[`${STATS}/trend`].get.parameters?.map((p) => p.name)).toContain('bucket');
    expect(doc.paths[`${STATS}/compare`].get.parameters?.map((p) => p.name)).toEqual(
      expect.arrayContaining(['compareFrom', 'compareTo']),
    );
    expect(doc.paths['/api/health/symptoms'].get.parameters?.map((p) => p.name)).toContain(
      'exclude',
    );
  });
});
