import { InvalidInputError } from '../../../shared/domain/domain-error';
import { ZoneClock } from '../../../shared/domain/zone-clock';
import type { DiaryFilter } from '../domain/diary-statistics';
import type { SymptomEntry } from '../domain/symptom-entry';
import { SymptomCatalog } from '../domain/symptom-catalog';
import { SymptomVocabulary } from '../domain/symptom-vocabulary';
import { DiaryQueriesService } from './diary-queries.service';
import {
  BucketTotals,
  ConceptTotals,
  DiaryStatisticsRepository,
  EntryTotals,
  OccurrenceOrder,
  SeverityTotals,
} from './diary-statistics.repository';
import type { SymptomEntryRepository } from './symptom-entry.repository';

const entry: SymptomEntry = {
  id: 7,
  person: 'Anna',
  conceptId: 'headache',
  recordedAs: 'Headache',
  occurredAt: new Date('2026-01-03T08:00:00Z'),
  severity: 5,
  durationMinutes: null,
  notes: null,
};

/** A port that answers from fixed figures and records the filters it was asked. */
class StubStatistics extends DiaryStatisticsRepository {
  calls: { method: string; filter: DiaryFilter; extra?: unknown }[] = [];
  totalsAnswer: EntryTotals = { count: 0, days: 0, rated: 0, severitySum: 0 };
  conceptAnswer: ConceptTotals[] = [];
  bucketAnswer: BucketTotals[] = [];
  pairAnswer: { a: string; b: string; days: number }[] = [];
  occurrenceAnswer: (order: OccurrenceOrder, filter: DiaryFilter) => SymptomEntry | null = () =>
    null;

  totals(filter: DiaryFilter, withSeverity: boolean): Promise<EntryTotals> {
    this.calls.push({ method: 'totals', filter, extra: withSeverity });
    return Promise.resolve(this.totalsAnswer);
  }
  conceptTotals(filter: DiaryFilter, limit?: number): Promise<ConceptTotals[]> {
    this.calls.push({ method: 'conceptTotals', filter, extra: limit });
    return Promise.resolve(this.conceptAnswer);
  }
  occurrence(filter: DiaryFilter, order: OccurrenceOrder): Promise<SymptomEntry | null> {
    this.calls.push({ method: 'occurrence', filter, extra: order });
    return Promise.resolve(this.occurrenceAnswer(order, filter));
  }
  severity(filter: DiaryFilter): Promise<SeverityTotals> {
    this.calls.push({ method: 'severity', filter });
    return Promise.resolve({
      rated: 4,
      unrated: 1,
      severitySum: 25,
      min: 3,
      max: 9,
      maxDays: Array.from({ length: 12 }, (_v, i) => `2026-01-${String(i + 10)}`),
    });
  }
  buckets(filter: DiaryFilter, unit: 'week' | 'month'): Promise<BucketTotals[]> {
    this.calls.push({ method: 'buckets', filter, extra: unit });
    return Promise.resolve(this.bucketAnswer);
  }
  personTotals(filter: DiaryFilter) {
    this.calls.push({ method: 'personTotals', filter });
    return Promise.resolve([{ person: 'Anna', count: 3, days: 2 }]);
  }
  coOccurring(filter: DiaryFilter, limit: number) {
    this.calls.push({ method: 'coOccurring', filter, extra: limit });
    return Promise.resolve({
      askedDays: 3,
      concepts: [{ conceptId: 'nausea', sharedDays: 2 }],
    });
  }
  pairDays(filter: DiaryFilter) {
    this.calls.push({ method: 'pairDays', filter });
    return Promise.resolve(this.pairAnswer);
  }
}

function problems(error: unknown): string[] {
  expect(error).toBeInstanceOf(InvalidInputError);
  return (error as InvalidInputError).invalidParameters.map((p) => p.name);
}

describe('DiaryQueriesService', () => {
  let stub: StubStatistics;
  let service: DiaryQueriesService;
  const berlin = ZoneClock.of('Europe/Berlin');

  beforeEach(() => {
    stub = new StubStatistics();
    service = new DiaryQueriesService(
      stub,
      {} as SymptomEntryRepository,
      SymptomCatalog.standard,
      SymptomVocabulary.standard(),
      berlin,
    );
  });

  it('counts per asked concept in the order asked, zeros included', async () => {
    stub.totalsAnswer = { count: 5, days: 4, rated: 0, severitySum: 0 };
    stub.conceptAnswer = [
      {
        conceptId: 'nausea',
        count: 5,
        days: 4,
        rated: 0,
        severitySum: 0,
        minSeverity: null,
        maxSeverity: null,
      },
    ];
    const result = await service.count({ conceptIds: ['headache', 'nausea'] });
    expect(result).toEqual({
      count: 5,
      days: 4,
      byConcept: [
        { conceptId: 'headache', count: 0, days: 0 },
        { conceptId: 'nausea', count: 5, days: 4 },
      ],
      lastBefore: null,
    });
  });

  it('looks for the last entry before `from` only when nothing matched', async () => {
    const from = new Date('2026-02-01T00:00:00+01:00');
    const to = new Date('2026-03-01T00:00:00+01:00');
    stub.occurrenceAnswer = (order, filter) =>
      order === 'latest' && filter.from === undefined ? entry : null;
    const count = await service.count({ conceptIds: ['headache'], from, to });
    expect(count.lastBefore).toBe(entry);
    const before = stub.calls.find((c) => c.method === 'occurrence')?.filter;
    expect(before).toMatchObject({ from: undefined, to: from, conceptIds: ['headache'] });

    const last = await service.lastOccurrence({ conceptIds: ['headache'], from, to });
    expect(last).toEqual({ entry: null, lastBefore: entry });
    expect(await service.firstOccurrence({ conceptIds: ['headache'] })).toEqual({
      entry: null,
      lastBefore: null,
    });
  });

  it('keeps the ten most recent days of the maximum', async () => {
    const result = await service.severity({ conceptIds: [] });
    expect(result).toMatchObject({ average: 6.3, max: 9, min: 3, rated: 4, unrated: 1 });
    expect(result.maxDayCount).toBe(12);
    expect(result.maxDays).toEqual(Array.from({ length: 10 }, (_v, i) => `2026-01-${i + 12}`));
  });

  it('defaults a trend to the last 6 months before now, in the diary zone', async () => {
    const now = new Date('2026-08-31T10:00:00Z'); // 12:00 in Berlin (summer time)
    const result = await service.trend({ conceptIds: [] }, { now });
    expect(result.to).toEqual(now);
    // 28 February 12:00 in Berlin (winter time): 31 August minus 6 months, clamped.
    expect(result.from.toISOString()).toBe('2026-02-28T11:00:00.000Z');
    expect(result.bucket).toBe('month');
    expect(result.buckets.map((b) => b.start)).toEqual([
      '2026-02-01',
      '2026-03-01',
      '2026-04-01',
      '2026-05-01',
      '2026-06-01',
      '2026-07-01',
      '2026-08-01',
    ]);
    expect(stub.calls[0]).toMatchObject({ method: 'buckets', extra: 'month' });
  });

  it('scales partial buckets and reads the direction from full ones', async () => {
    // Weeks of 2 Feb..1 Mar 2026 (from Wednesday 4 Feb): 6, 4, 3, 2 entries, the first partial.
    stub.bucketAnswer = [
      { start: '2026-02-02', count: 6, rated: 2, severitySum: 10 },
      { start: '2026-02-09', count: 4, rated: 0, severitySum: 0 },
      { start: '2026-02-16', count: 3, rated: 1, severitySum: 5 },
      { start: '2026-02-23', count: 2, rated: 2, severitySum: 11 },
    ];
    const result = await service.trend({
      conceptIds: ['headache'],
      from: new Date(berlin.toInstant(local(2026, 2, 4))),
      to: new Date(berlin.toInstant(local(2026, 3, 2))),
    });
    expect(result.bucket).toBe('week');
    expect(result.buckets.map((b) => [b.start, b.count, b.coverage, b.averageSeverity])).toEqual([
      ['2026-02-02', 6, 0.714, 5],
      ['2026-02-09', 4, 1, null],
      ['2026-02-16', 3, 1, 5],
      ['2026-02-23', 2, 1, 5.5],
    ]);
    expect(result.counts.direction).toBe('improving');
    expect(result.counts.buckets).toBe(4);
    expect(result.severity).toMatchObject({ direction: 'stable', buckets: 3 });
    expect(result.direction).toBe('improving');
  });

  it('refuses a trend of too many buckets', async () => {
    const error = await service
      .trend(
        { conceptIds: [], from: new Date('2000-01-01T00:00:00Z'), to: new Date('2026-01-01') },
        { bucket: 'week' },
      )
      .catch((e: unknown) => e);
    expect(problems(error)).toEqual(['bucket']);
  });

  it('compares two periods, second minus first', async () => {
    const first = { from: new Date('2026-01-01'), to: new Date('2026-02-01') };
    const second = { from: new Date('2026-02-01'), to: new Date('2026-03-01') };
    stub.totals = (filter) =>
      Promise.resolve(
        filter.from?.getTime() === first.from.getTime()
          ? { count: 8, days: 6, rated: 4, severitySum: 20 }
          : { count: 5, days: 5, rated: 2, severitySum: 12 },
      );
    const result = await service.compare({ conceptIds: ['headache'], ...first }, second);
    expect(result.first).toMatchObject({ count: 8, days: 6, averageSeverity: 5 });
    expect(result.second).toMatchObject({ count: 5, days: 5, averageSeverity: 6 });
    expect(result.difference).toEqual({
      count: -3,
      days: -1,
      averageSeverity: 1,
      countChangePercent: -38,
    });
  });

  it('needs both periods of a comparison, in order', async () => {
    const error = await service
      .compare(
        { conceptIds: [], from: new Date('2026-01-01') },
        { from: new Date('2026-03-01'), to: new Date('2026-02-01') },
      )
      .catch((e: unknown) => e);
    expect(problems(error)).toEqual(['to', 'compareFrom']);
  });

  it('asks co-occurrence for 1 to 5 symptoms and pairs every two', async () => {
    for (const conceptIds of [[], ['headache', 'nausea', 'fever', 'cough', 'rash', 'fatigue']]) {
      const error = await service.coOccurrence({ conceptIds }).catch((e: unknown) => e);
      expect(problems(error)).toEqual(['symptom']);
    }
    stub.pairAnswer = [
      { a: 'headache', b: 'headache', days: 4 },
      { a: 'headache', b: 'nausea', days: 1 },
      { a: 'nausea', b: 'headache', days: 1 },
      { a: 'nausea', b: 'nausea', days: 3 },
    ];
    const result = await service.coOccurrence({ conceptIds: ['headache', 'nausea', 'fever'] });
    expect(result.symptoms).toEqual([{ conceptId: 'nausea', sharedDays: 2, share: 0.67 }]);
    expect(result.pairs).toEqual([
      {
        first: 'headache',
        second: 'nausea',
        firstDays: 4,
        secondDays: 3,
        sharedDays: 1,
        shareOfFirst: 0.25,
        shareOfSecond: 0.33,
      },
      {
        first: 'headache',
        second: 'fever',
        firstDays: 4,
        secondDays: 0,
        sharedDays: 0,
        shareOfFirst: 0,
        shareOfSecond: null,
      },
      {
        first: 'nausea',
        second: 'fever',
        firstDays: 3,
        secondDays: 0,
        sharedDays: 0,
        shareOfFirst: 0,
        shareOfSecond: null,
      },
    ]);
  });

  it('validates every filter, exclusions included', async () => {
    const error = await service
      .topSymptoms({ conceptIds: [], excludedConceptIds: ['not_a_symptom'] })
      .catch((e: unknown) => e);
    expect(problems(error)).toEqual(['exclude']);
    expect(stub.calls).toEqual([]);
  });

  it('resolves free-text names', () => {
    expect(service.resolveName('tummy pain')).toBe('abdominal_pain');
    expect(() => service.resolveName('qwertyuiop')).toThrow(InvalidInputError);
  });
});

function local(year: number, month: number, day: number) {
  return { year, month, day, hour: 0, minute: 0, second: 0, millisecond: 0 };
}
