import { DataSource } from 'typeorm';
import type { DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '../../src/config/configuration';
import { diaryDataSourceOptions } from '../../src/infrastructure/database/database.module';
import { DiaryQueriesService } from '../../src/modules/symptoms/application/diary-queries.service';
import type { SymptomEntry } from '../../src/modules/symptoms/domain/symptom-entry';
import { SymptomCatalog } from '../../src/modules/symptoms/domain/symptom-catalog';
import type { SymptomEntryFilter } from '../../src/modules/symptoms/domain/symptom-entry-filter';
import { SymptomVocabulary } from '../../src/modules/symptoms/domain/symptom-vocabulary';
import { DiaryClock } from '../../src/modules/symptoms/infrastructure/diary-clock';
import { SymptomLogSchema } from '../../src/modules/symptoms/infrastructure/symptom-log.record';
import {
  RecordedName,
  SymptomNameIndex,
} from '../../src/modules/symptoms/infrastructure/symptom-name-index';
import { TypeOrmDiaryStatisticsRepository } from '../../src/modules/symptoms/infrastructure/typeorm-diary-statistics.repository';
import {
  recordedNamesLoader,
  TypeOrmSymptomEntryRepository,
} from '../../src/modules/symptoms/infrastructure/typeorm-symptom-entry.repository';
import { DependencyTimeoutError } from '../../src/shared/domain/domain-error';
import { ZoneClock } from '../../src/shared/domain/zone-clock';
import { parseDiaryDate } from '../../src/shared/interface/diary-date';
import { createTestDatabase, insertDiaryRows, TestDatabase, withClient } from '../support/database';

const ZONE = 'Europe/Berlin';
const config: DatabaseConfig = {
  diaryUrl: undefined,
  diarySchema: 'public',
  poolSize: 4,
  statementTimeoutMs: 500,
  connectTimeoutMs: 2000,
  slowQueryMs: 1000,
  caFile: undefined,
  readinessTimeoutMs: 1000,
  embedded: { dataDir: '', port: 0, demoData: false },
};

/** A bare date or local date-time in the diary's zone, as the API reads it. */
const at = (text: string) => parseDiaryDate(text, ZONE, 'from');
const JANUARY = { from: at('2026-01-01'), to: at('2026-02-01') };
const FEBRUARY = { from: at('2026-02-01'), to: at('2026-03-01') };
const MARCH = { from: at('2026-03-01'), to: at('2026-04-01') };

/**
 * The diary. Anna unless said otherwise; Berlin time (CET +01:00 until 29 March 02:00, then
 * CEST +02:00). Row ids follow insertion order.
 */
const ROWS = [
  /* 1 */ { sym: 'Headache', sev: 5, logged: '2026-02-02 08:00:00' },
  /* 2 */ { sym: 'head ache', sev: 7, logged: '2026-02-02 20:00:00' },
  /* 3 */ { sym: 'nausea', sev: 4, logged: '2026-02-02 21:00:00' },
  /* 4 */ { sym: 'hedache', sev: null, logged: '2026-02-05 23:30:00' },
  /* 5 */ { sym: 'feeling sick', sev: 6, logged: '2026-02-05 07:00:00' },
  /* 6 */ { sym: 'Headache', sev: 9, logged: '2026-02-10 12:00:00' },
  // Local 17 February, UTC 16 February: days and buckets must use the local date.
  /* 7 */ { sym: 'Headache', sev: 9, logged: '2026-02-17 00:30:00' },
  /* 8 */ { sym: 'Headache', sev: 10, logged: '2026-02-20 10:00:00', deleted: 'Y' as const },
  /* 9 */ { sym: 'dizzy', sev: 3, logged: '2026-02-17 09:00:00' },
  /* 10 */ { sym: 'Cold', sev: 2, logged: '2026-02-10 09:00:00' }, // no concept
  /* 11 */ { sym: 'Headache', sev: 6, logged: '2026-02-12 15:00:00', person: 'Ben' },
  // Ben's nausea on the date of Anna's headache: not together (different people).
  /* 12 */ { sym: 'nausea', sev: 5, logged: '2026-02-10 16:00:00', person: 'Ben' },
  /* 13 */ { sym: 'Headache', sev: 4, logged: '2026-01-20 18:00:00' },
  /* 14 */ { sym: 'tummy pain', sev: 3, logged: '2026-01-20 19:00:00' },
  // The DST week: Monday 23 March to Sunday 29 March (clocks go forward at 02:00 on the 29th).
  /* 15 */ { sym: 'Headache', sev: 6, logged: '2026-03-29 01:30:00' },
  /* 16 */ { sym: 'Headache', sev: 8, logged: '2026-03-29 03:30:00' },
  // Local Monday 30 March 00:30 (CEST) is still Sunday 29 March in UTC: next week, locally.
  /* 17 */ { sym: 'Headache', sev: null, logged: '2026-03-30 00:30:00' },
  /* 18 */ { sym: 'nausea', sev: 5, logged: '2026-03-29 12:00:00' },
  /* 19 */ { sym: 'Headache', sev: 7, logged: '2026-03-23 09:00:00' },
  /* 20 */ { sym: 'fever', sev: 7, logged: '2026-02-11 10:00:00', deleted: 'Y' as const },
];

const headache = (extra: Partial<SymptomEntryFilter> = {}): SymptomEntryFilter => ({
  conceptIds: ['headache'],
  ...extra,
});
const everything = (extra: Partial<SymptomEntryFilter> = {}): SymptomEntryFilter => ({
  conceptIds: [],
  ...extra,
});
const ids = (entry: SymptomEntry | null) => entry?.id ?? null;

describe('DiaryQueriesService on the legacy table (real PostgreSQL)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let names: SymptomNameIndex;
  let loads = 0;
  let entries: TypeOrmSymptomEntryRepository;
  let service: DiaryQueriesService;

  beforeAll(async () => {
    db = await createTestDatabase();
    await insertDiaryRows(db.url, ROWS);
    dataSource = new DataSource({
      ...diaryDataSourceOptions(db.url, config, [SymptomLogSchema]),
    } as DataSourceOptions);
    await dataSource.initialize();
    const clock = new DiaryClock(ZONE);
    const load = recordedNamesLoader(dataSource);
    names = new SymptomNameIndex(
      (): Promise<RecordedName[]> => {
        loads++;
        return load();
      },
      SymptomVocabulary.standard(),
      60_000,
    );
    entries = new TypeOrmSymptomEntryRepository(dataSource, clock, names);
    service = new DiaryQueriesService(
      new TypeOrmDiaryStatisticsRepository(dataSource, clock, names),
      entries,
      SymptomCatalog.standard,
      SymptomVocabulary.standard(),
      ZoneClock.of(ZONE),
    );
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  describe('count', () => {
    it.each<[string, SymptomEntryFilter, number, number]>([
      ['headache, however typed, never deleted rows', headache(), 11, 9],
      ['headache in February', headache(FEBRUARY), 6, 5],
      ["Anna's headache in February", headache({ ...FEBRUARY, person: 'Anna' }), 5, 4],
      ['everything in February (the unplaceable "Cold" included)', everything(FEBRUARY), 11, 5],
      [
        'everything but headache in February',
        everything({ ...FEBRUARY, excludedConceptIds: ['headache'] }),
        5,
        4,
      ],
      [
        'everything but headache and nausea in February',
        everything({ ...FEBRUARY, excludedConceptIds: ['headache', 'nausea'] }),
        2,
        2,
      ],
      ['bad headaches (7+)', headache({ minSeverity: 7 }), 5, 5],
      ['rated headaches (a bound leaves unrated out)', headache({ minSeverity: 0 }), 9, 7],
      ['a symptom the diary never mentions', { conceptIds: ['tinnitus'] }, 0, 0],
      [
        'the DST week, in local days',
        headache({ from: at('2026-03-23'), to: at('2026-03-30') }),
        3,
        2,
      ],
    ])('%s', async (_name, filter, count, days) => {
      const result = await service.count(filter);
      expect({ count: result.count, days: result.days }).toEqual({ count, days });
      const page = await entries.findPage(
        { ...filter, excludedConceptIds: filter.excludedConceptIds ?? [] },
        { field: 'occurredAt', direction: 'desc' },
        { page: 1, limit: 100 },
      );
      expect(page.total).toBe(count);
    });

    it('gives each asked concept its own figures, in the order asked', async () => {
      const result = await service.count({ conceptIds: ['nausea', 'headache'], ...FEBRUARY });
      expect(result).toEqual({
        count: 9,
        days: 5,
        byConcept: [
          { conceptId: 'nausea', count: 3, days: 3 },
          { conceptId: 'headache', count: 6, days: 5 },
        ],
        lastBefore: null,
      });
      expect((await service.count({ conceptIds: ['headache', 'tinnitus'] })).byConcept).toEqual([
        { conceptId: 'headache', count: 11, days: 9 },
        { conceptId: 'tinnitus', count: 0, days: 0 },
      ]);
    });

    it('names the last entry before an empty period', async () => {
      const result = await service.count({ conceptIds: ['dizziness'], ...MARCH });
      expect(result).toMatchObject({ count: 0, days: 0, lastBefore: { id: 9 } });
      expect(result.lastBefore?.occurredAt.toISOString()).toBe('2026-02-17T08:00:00.000Z');
      expect(result.byConcept).toEqual([{ conceptId: 'dizziness', count: 0, days: 0 }]);
      expect((await service.count({ conceptIds: ['tinnitus'], ...MARCH })).lastBefore).toBeNull();
      expect((await service.count(headache(MARCH))).lastBefore).toBeNull(); // not empty
    });
  });

  describe('last and first occurrence', () => {
    it('finds the latest and earliest entry, DST times converted', async () => {
      const last = await service.lastOccurrence(headache());
      expect(ids(last.entry)).toBe(17);
      expect(last.entry?.occurredAt.toISOString()).toBe('2026-03-29T22:30:00.000Z');
      expect(last.lastBefore).toBeNull();
      const first = await service.firstOccurrence(headache());
      expect(ids(first.entry)).toBe(13);
      expect(first.entry?.occurredAt.toISOString()).toBe('2026-01-20T17:00:00.000Z');
    });

    it('keeps to the period, the person and the exclusions', async () => {
      expect(ids((await service.lastOccurrence(headache(FEBRUARY))).entry)).toBe(7);
      expect(ids((await service.firstOccurrence(headache(FEBRUARY))).entry)).toBe(1);
      expect(ids((await service.lastOccurrence(headache({ person: 'Ben' }))).entry)).toBe(11);
      expect(
        ids((await service.lastOccurrence(everything({ excludedConceptIds: ['headache'] }))).entry),
      ).toBe(18);
      expect(ids((await service.lastOccurrence(everything())).entry)).toBe(17);
      expect(ids((await service.firstOccurrence(everything(FEBRUARY))).entry)).toBe(1);
    });

    it('answers nothing, with the last one before, for an empty period', async () => {
      const result = await service.lastOccurrence({ conceptIds: ['dizziness'], ...MARCH });
      expect(result.entry).toBeNull();
      expect(ids(result.lastBefore)).toBe(9);
      expect(await service.firstOccurrence({ conceptIds: ['tinnitus'] })).toEqual({
        entry: null,
        lastBefore: null,
      });
      expect(ids(await service.lastOccurrenceBefore(headache(MARCH)))).toBe(7);
    });
  });

  describe('severity', () => {
    it('averages the rated entries and finds the local days of the worst', async () => {
      expect(await service.severity(headache(FEBRUARY))).toEqual({
        average: 7.2, // (5 + 7 + 9 + 9 + 6) / 5
        max: 9,
        maxDays: ['2026-02-10', '2026-02-17'],
        maxDayCount: 2,
        min: 5,
        rated: 5,
        unrated: 1,
        byConcept: [],
        lastBefore: null,
      });
      expect(await service.severity(headache())).toMatchObject({
        average: 6.8, // 61 / 9
        max: 9,
        min: 4,
        rated: 9,
        unrated: 2,
      });
    });

    it('gives each asked concept its figures', async () => {
      const result = await service.severity({ conceptIds: ['headache', 'nausea'], ...FEBRUARY });
      expect(result).toMatchObject({ average: 6.4, max: 9, min: 4, rated: 8, unrated: 1 });
      expect(result.byConcept).toEqual([
        { conceptId: 'headache', rated: 5, average: 7.2, max: 9, min: 5 },
        { conceptId: 'nausea', rated: 3, average: 5, max: 6, min: 4 },
      ]);
    });

    it('has no figures for nothing', async () => {
      expect(await service.severity({ conceptIds: ['dizziness'], ...MARCH })).toMatchObject({
        average: null,
        max: null,
        min: null,
        maxDays: [],
        maxDayCount: 0,
        rated: 0,
        unrated: 0,
        lastBefore: { id: 9 },
      });
    });
  });

  describe('trend', () => {
    it('buckets by month over three months and reads the direction', async () => {
      const result = await service.trend(headache({ from: JANUARY.from, to: MARCH.to }));
      expect(result.bucket).toBe('month');
      expect(result.buckets).toEqual([
        {
          start: '2026-01-01',
          end: '2026-02-01',
          count: 1,
          rated: 1,
          averageSeverity: 4,
          coverage: 1,
        },
        {
          start: '2026-02-01',
          end: '2026-03-01',
          count: 6,
          rated: 5,
          averageSeverity: 7.2,
          coverage: 1,
        },
        {
          start: '2026-03-01',
          end: '2026-04-01',
          count: 4,
          rated: 3,
          averageSeverity: 7,
          coverage: 1,
        },
      ]);
      expect(result.counts).toEqual({
        direction: 'worsening',
        buckets: 3,
        mean: 3.67,
        slopePerBucket: 1.5,
        relativeSlope: 0.409,
        relativeChange: 0.818,
        firstHalfMean: 1,
        secondHalfMean: 4,
      });
      expect(result.severity).toEqual({
        direction: 'worsening',
        buckets: 3,
        mean: 6.07,
        slopePerBucket: 1.5,
        relativeSlope: 0.247,
        relativeChange: 0.495,
        firstHalfMean: 4,
        secondHalfMean: 7,
      });
      expect(result.direction).toBe('worsening');
    });

    it('starts weeks on the local Monday across the DST change', async () => {
      const result = await service.trend(
        headache({ from: at('2026-03-16'), to: at('2026-04-06') }),
      );
      expect(result.bucket).toBe('week');
      expect(result.buckets.map((b) => [b.start, b.count, b.averageSeverity])).toEqual([
        ['2026-03-16', 0, null],
        ['2026-03-23', 3, 7], // 7, 6 and 8: Monday 09:00, Sunday 01:30 (CET) and 03:30 (CEST)
        ['2026-03-30', 1, null], // Monday 00:30 CEST, which is Sunday in UTC
      ]);
      expect(result.direction).toBe('not_enough_data'); // 4 entries
    });

    it('weights partial weeks and honours an explicit bucket', async () => {
      const result = await service.trend(everything(FEBRUARY), { bucket: 'week' });
      expect(result.buckets.map((b) => [b.start, b.count, b.coverage])).toEqual([
        ['2026-01-26', 0, 0.143], // only Sunday 1 February is inside
        ['2026-02-02', 5, 1],
        ['2026-02-09', 4, 1],
        ['2026-02-16', 2, 1],
        ['2026-02-23', 0, 0.857], // up to Saturday 28 February
      ]);
      expect(result.counts).toMatchObject({
        direction: 'improving',
        buckets: 4,
        slopePerBucket: -1.7,
      });
    });
  });

  describe('compare', () => {
    it('sets two periods side by side', async () => {
      const result = await service.compare(headache(JANUARY), FEBRUARY);
      expect(result).toEqual({
        first: { ...JANUARY, count: 1, days: 1, rated: 1, averageSeverity: 4 },
        second: { ...FEBRUARY, count: 6, days: 5, rated: 5, averageSeverity: 7.2 },
        difference: { count: 5, days: 4, averageSeverity: 3.2, countChangePercent: 500 },
      });
    });

    it('compares with the same person, bounds and exclusions', async () => {
      const result = await service.compare(
        everything({ ...FEBRUARY, excludedConceptIds: ['headache'], person: 'Anna' }),
        MARCH,
      );
      // Nausea 4 and 6, dizzy 3, Cold 2 (no concept, so not excluded) against nausea 5.
      expect(result.first).toMatchObject({ count: 4, days: 4, averageSeverity: 3.8 });
      expect(result.second).toMatchObject({ count: 1, days: 1, averageSeverity: 5 });
      expect(result.difference).toEqual({
        count: -3,
        days: -3,
        averageSeverity: 1.2,
        countChangePercent: -75,
      });
    });
  });

  describe('co-occurrence', () => {
    it('finds what comes on the same person-days, unplaceable and deleted names left out', async () => {
      expect(await service.coOccurrence(headache())).toEqual({
        askedDays: 9,
        symptoms: [
          { conceptId: 'nausea', sharedDays: 3, share: 0.33 },
          { conceptId: 'abdominal_pain', sharedDays: 1, share: 0.11 },
          { conceptId: 'dizziness', sharedDays: 1, share: 0.11 },
        ],
        pairs: [],
      });
    });

    it('tells how often two symptoms share a day, both ways', async () => {
      expect(await service.coOccurrence({ conceptIds: ['headache', 'nausea'] })).toEqual({
        askedDays: 10,
        symptoms: [
          { conceptId: 'abdominal_pain', sharedDays: 1, share: 0.1 },
          { conceptId: 'dizziness', sharedDays: 1, share: 0.1 },
        ],
        pairs: [
          {
            first: 'headache',
            second: 'nausea',
            firstDays: 9,
            secondDays: 4,
            sharedDays: 3,
            shareOfFirst: 0.33,
            shareOfSecond: 0.75,
          },
        ],
      });
    });

    it('filters the asked entries, not their companions, and drops excluded companions', async () => {
      const bad = await service.coOccurrence(headache({ ...FEBRUARY, minSeverity: 7 }));
      expect(bad).toEqual({
        askedDays: 3,
        symptoms: [
          { conceptId: 'dizziness', sharedDays: 1, share: 0.33 },
          { conceptId: 'nausea', sharedDays: 1, share: 0.33 },
        ],
        pairs: [],
      });
      const noNausea = await service.coOccurrence(headache({ excludedConceptIds: ['nausea'] }));
      expect(noNausea.symptoms.map((s) => s.conceptId)).toEqual(['abdominal_pain', 'dizziness']);
    });
  });

  describe('top symptoms', () => {
    it.each<[string, SymptomEntryFilter, [string, number, number][]]>([
      [
        'all time',
        everything(),
        [
          ['headache', 11, 9],
          ['nausea', 4, 4],
          ['abdominal_pain', 1, 1],
          ['dizziness', 1, 1],
        ],
      ],
      [
        'February',
        everything(FEBRUARY),
        [
          ['headache', 6, 5],
          ['nausea', 3, 3],
          ['dizziness', 1, 1],
        ],
      ],
      [
        'February without headache',
        everything({ ...FEBRUARY, excludedConceptIds: ['headache'] }),
        [
          ['nausea', 3, 3],
          ['dizziness', 1, 1],
        ],
      ],
      [
        'Ben',
        everything({ person: 'Ben' }),
        [
          ['headache', 1, 1],
          ['nausea', 1, 1],
        ],
      ],
      [
        'among asked ones',
        { conceptIds: ['nausea', 'dizziness'] },
        [
          ['nausea', 4, 4],
          ['dizziness', 1, 1],
        ],
      ],
    ])('%s', async (_name, filter, expected) => {
      const result = await service.topSymptoms(filter);
      expect(result.symptoms.map((s) => [s.conceptId, s.count, s.days])).toEqual(expected);
    });
  });

  describe('summary', () => {
    it('sums up February: totals, top five, the worst entry, per person', async () => {
      const result = await service.summary(everything(FEBRUARY));
      expect(result).toMatchObject({
        count: 11,
        days: 5,
        averageSeverity: 5.6, // 56 / 10
        topSymptoms: [
          { conceptId: 'headache', count: 6, days: 5 },
          { conceptId: 'nausea', count: 3, days: 3 },
          { conceptId: 'dizziness', count: 1, days: 1 },
        ],
        byPerson: [
          { person: 'Anna', count: 9, days: 4 },
          { person: 'Ben', count: 2, days: 2 },
        ],
      });
      expect(ids(result.mostSevere)).toBe(7); // 9, like row 6, but later
    });

    it('sums up a symptom in the DST month', async () => {
      const result = await service.summary(headache(MARCH));
      expect(result).toMatchObject({
        count: 4,
        days: 3,
        averageSeverity: 7,
        topSymptoms: [{ conceptId: 'headache', count: 4, days: 3 }],
        byPerson: [{ person: 'Anna', count: 4, days: 3 }],
      });
      expect(ids(result.mostSevere)).toBe(16);
      expect(result.mostSevere?.occurredAt.toISOString()).toBe('2026-03-29T01:30:00.000Z');
    });

    it('sums up nothing', async () => {
      expect(await service.summary({ conceptIds: ['tinnitus'] })).toEqual({
        count: 0,
        days: 0,
        averageSeverity: null,
        topSymptoms: [],
        mostSevere: null,
        byPerson: [],
      });
    });
  });

  it('shares one name index between both adapters', () => {
    expect(loads).toBe(1);
  });

  it('reports a statistics query over the statement timeout as a timeout', async () => {
    await withClient(db.url, async (locker) => {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE symptom_log IN ACCESS EXCLUSIVE MODE');
      try {
        await expect(service.summary(headache())).rejects.toBeInstanceOf(DependencyTimeoutError);
      } finally {
        await locker.query('ROLLBACK');
      }
    });
  });
});
