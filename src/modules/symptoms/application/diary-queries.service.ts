import { Injectable } from '@nestjs/common';
import { InvalidInputError } from '../../../shared/domain/domain-error';
import { ZoneClock } from '../../../shared/domain/zone-clock';
import {
  averageOf,
  CO_OCCURRENCE_LIMIT,
  CO_OCCURRENCE_MAX_ASKED,
  CoOccurrenceResult,
  CompareResult,
  ConceptPair,
  ConceptTally,
  CountResult,
  DiaryFilter,
  differenceOf,
  MAX_DAYS_LISTED,
  OccurrenceResult,
  percentChange,
  PeriodFigures,
  SeverityResult,
  shareOf,
  SUMMARY_TOP_LIMIT,
  SummaryResult,
  TOP_SYMPTOMS_LIMIT,
  TopSymptomsResult,
  TrendBucket,
  TrendResult,
} from '../domain/diary-statistics';
import type { SymptomEntry } from '../domain/symptom-entry';
import { SymptomCatalog } from '../domain/symptom-catalog';
import {
  Page,
  PageRequest,
  resolveSymptomName,
  SymptomEntryFilter,
  SymptomSort,
  validateFilter,
} from '../domain/symptom-entry-filter';
import { SymptomVocabulary } from '../domain/symptom-vocabulary';
import {
  assessSeries,
  bucketCount,
  bucketFrames,
  chooseBucketUnit,
  overallDirection,
  TREND_RULES,
  TrendBucketUnit,
  TrendPoint,
} from '../domain/trend';
import { DiaryStatisticsRepository } from './diary-statistics.repository';
import { SymptomEntryRepository } from './symptom-entry.repository';

const DAY_MS = 86_400_000;

export interface TrendOptions {
  /** Bucket size; chosen from the period's length when absent (trend.ts). */
  readonly bucket?: TrendBucketUnit;
  /** "Now" for the default period (the chat passes its reference time); defaults to the clock. */
  readonly now?: Date;
}

/** A period: `from` inclusive, `to` exclusive. */
export interface Period {
  readonly from: Date;
  readonly to: Date;
}

function invalid(name: string, reason: string): InvalidInputError {
  return new InvalidInputError(
    'REQUEST.VALIDATION_FAILED',
    `The request has 1 invalid parameter: ${name}.`,
    [{ name, reason }],
  );
}

/**
 * The diary's questions, one method per question kind of the chat (shared/contracts/nlu.md),
 * also behind the chart endpoints, so that the chat's figures and the REST API's are the same
 * numbers from the same code. Every method validates its filter (`validateFilter`) and throws
 * DomainErrors only.
 *
 * Filters: any of `conceptIds` (none: every symptom), none of `excludedConceptIds`, `from`
 * inclusive, `to` exclusive, severity bounds (unrated entries left out when a bound is given),
 * one person or everyone.
 */
@Injectable()
export class DiaryQueriesService {
  constructor(
    private readonly statistics: DiaryStatisticsRepository,
    private readonly entries: SymptomEntryRepository,
    private readonly catalog: SymptomCatalog,
    private readonly vocabulary: SymptomVocabulary,
    private readonly zone: ZoneClock,
  ) {}

  /** The catalog id of a free-text name ("head ache"); SYMPTOM.UNKNOWN_NAME when none fits. */
  resolveName(name: string, parameter = 'name'): string {
    return resolveSymptomName(name, this.vocabulary, parameter);
  }

  /** `list`: one page of entries (the same as GET /api/health/symptoms). */
  /** The people of the household who have entries (for "Ben's back pain"). */
  people(): Promise<string[]> {
    return this.entries.people();
  }

  async list(
    query: SymptomEntryFilter,
    sort: SymptomSort,
    page: PageRequest,
  ): Promise<Page<SymptomEntry>> {
    return this.entries.findPage(this.validate(query), sort, page);
  }

  /** `count`: entries and days, per concept when several are asked. */
  async count(query: SymptomEntryFilter): Promise<CountResult> {
    const filter = this.validate(query);
    const [totals, perConcept] = await Promise.all([
      this.statistics.totals(filter, false),
      filter.conceptIds.length > 1 ? this.statistics.conceptTotals(filter) : undefined,
    ]);
    const byConcept: ConceptTally[] = perConcept
      ? filter.conceptIds.map((conceptId) => {
          const t = perConcept.find((c) => c.conceptId === conceptId);
          return { conceptId, count: t?.count ?? 0, days: t?.days ?? 0 };
        })
      : filter.conceptIds.map((conceptId) => ({
          conceptId,
          count: totals.count,
          days: totals.days,
        }));
    return {
      count: totals.count,
      days: totals.days,
      byConcept,
      lastBefore: totals.count === 0 ? await this.lastBefore(filter) : null,
    };
  }

  /** `last_occurrence`: the most recent entry in the period. */
  async lastOccurrence(query: SymptomEntryFilter): Promise<OccurrenceResult> {
    return this.occurrence(this.validate(query), 'latest');
  }

  /** `first_occurrence`: the earliest entry in the period. */
  async firstOccurrence(query: SymptomEntryFilter): Promise<OccurrenceResult> {
    return this.occurrence(this.validate(query), 'earliest');
  }

  /**
   * The last entry matching the filter before its `from` (null without `from`): what the reply
   * to an empty answer mentions ("none in February; the last one was on 3 January").
   */
  async lastOccurrenceBefore(query: SymptomEntryFilter): Promise<SymptomEntry | null> {
    return this.lastBefore(this.validate(query));
  }

  /** `severity`: average, extremes, the days of the worst, rated and unrated counts. */
  async severity(query: SymptomEntryFilter): Promise<SeverityResult> {
    const filter = this.validate(query);
    const [totals, perConcept] = await Promise.all([
      this.statistics.severity(filter),
      filter.conceptIds.length > 1 ? this.statistics.conceptTotals(filter) : undefined,
    ]);
    const byConcept = perConcept
      ? filter.conceptIds.map((conceptId) => {
          const t = perConcept.find((c) => c.conceptId === conceptId);
          return {
            conceptId,
            rated: t?.rated ?? 0,
            average: t ? averageOf(t.severitySum, t.rated) : null,
            max: t?.maxSeverity ?? null,
            min: t?.minSeverity ?? null,
          };
        })
      : [];
    const empty = totals.rated + totals.unrated === 0;
    return {
      average: averageOf(totals.severitySum, totals.rated),
      max: totals.max,
      maxDays: totals.maxDays.slice(-MAX_DAYS_LISTED),
      maxDayCount: totals.maxDays.length,
      min: totals.min,
      rated: totals.rated,
      unrated: totals.unrated,
      byConcept,
      lastBefore: empty ? await this.lastBefore(filter) : null,
    };
  }

  /**
   * `trend`: counts and average severity per week or month, and a direction (trend.ts). Without
   * a period: the last 6 months up to now; with only `from`: up to now; with only `to`: the
   * 6 months before it.
   */
  async trend(query: SymptomEntryFilter, options: TrendOptions = {}): Promise<TrendResult> {
    const now = options.now ?? new Date();
    const to = query.to ?? now;
    const from = query.from ?? this.monthsBefore(to, TREND_RULES.defaultMonths);
    const filter = this.validate({ ...query, from, to });
    const fromNaive = this.naive(from);
    const toNaive = this.naive(to);
    const unit = options.bucket ?? chooseBucketUnit((toNaive - fromNaive) / DAY_MS);
    if (bucketCount(fromNaive, toNaive, unit) > TREND_RULES.maxBuckets) {
      throw invalid(
        options.bucket ? 'bucket' : 'from',
        `a trend has at most ${TREND_RULES.maxBuckets} buckets: shorten the period or use month buckets`,
      );
    }
    const totals = new Map((await this.statistics.buckets(filter, unit)).map((b) => [b.start, b]));
    const buckets: TrendBucket[] = bucketFrames(fromNaive, toNaive, unit).map((frame) => {
      const t = totals.get(frame.start);
      return {
        start: frame.start,
        end: frame.end,
        count: t?.count ?? 0,
        rated: t?.rated ?? 0,
        averageSeverity: t ? averageOf(t.severitySum, t.rated) : null,
        coverage: frame.coverage,
      };
    });
    const countPoints: TrendPoint[] = [];
    let countTotal = 0;
    const severityPoints: TrendPoint[] = [];
    let ratedTotal = 0;
    buckets.forEach((bucket, x) => {
      if (bucket.coverage >= TREND_RULES.minCoverage) {
        countPoints.push({ x, y: bucket.count / bucket.coverage });
        countTotal += bucket.count;
      }
      const t = totals.get(bucket.start);
      if (t && t.rated > 0) {
        severityPoints.push({ x, y: t.severitySum / t.rated });
        ratedTotal += t.rated;
      }
    });
    const counts = assessSeries(countPoints, countTotal, {
      threshold: TREND_RULES.countChangeThreshold,
      minBuckets: TREND_RULES.minBuckets,
      minTotal: TREND_RULES.minEntries,
    });
    const severity = assessSeries(severityPoints, ratedTotal, {
      threshold: TREND_RULES.severityChangeThreshold,
      minBuckets: TREND_RULES.minBuckets,
      minTotal: TREND_RULES.minEntries,
    });
    return {
      from,
      to,
      bucket: unit,
      buckets,
      direction: overallDirection(counts, severity),
      counts,
      severity,
    };
  }

  /**
   * `compare`: the filter's period (`from`/`to`, both required) against `second`, with the same
   * symptoms, severity bounds and person; `difference` is second minus first.
   */
  async compare(query: SymptomEntryFilter, second: Period): Promise<CompareResult> {
    const problems = [
      ...(query.from ? [] : [{ name: 'from', reason: 'compare needs from and to' }]),
      ...(query.to ? [] : [{ name: 'to', reason: 'compare needs from and to' }]),
      ...(second.from.getTime() < second.to.getTime()
        ? []
        : [{ name: 'compareFrom', reason: 'compareFrom must be before compareTo' }]),
    ];
    if (problems.length > 0) {
      const names = [...new Set(problems.map((p) => p.name))];
      throw new InvalidInputError(
        'REQUEST.VALIDATION_FAILED',
        `The request has ${names.length} invalid parameter${names.length === 1 ? '' : 's'}: ${names.join(', ')}.`,
        problems,
      );
    }
    const firstFilter = this.validate(query);
    const secondFilter: DiaryFilter = { ...firstFilter, from: second.from, to: second.to };
    const [a, b] = await Promise.all([
      this.period(firstFilter as DiaryFilter & Period),
      this.period(secondFilter as DiaryFilter & Period),
    ]);
    return {
      first: a,
      second: b,
      difference: {
        count: b.count - a.count,
        days: b.days - a.days,
        averageSeverity: differenceOf(a.averageSeverity, b.averageSeverity),
        countChangePercent: percentChange(a.count, b.count),
      },
    };
  }

  /**
   * `co_occurrence`: what else is logged on the asked symptom's days (a person's calendar days),
   * and for two or more asked symptoms how often each pair shares a day. Needs 1 to 5 symptoms.
   */
  async coOccurrence(query: SymptomEntryFilter): Promise<CoOccurrenceResult> {
    const filter = this.validate(query);
    if (filter.conceptIds.length === 0) {
      throw invalid('symptom', 'co-occurrence needs at least one symptom');
    }
    if (filter.conceptIds.length > CO_OCCURRENCE_MAX_ASKED) {
      throw invalid(
        'symptom',
        `co-occurrence compares at most ${CO_OCCURRENCE_MAX_ASKED} symptoms`,
      );
    }
    const [others, pairDays] = await Promise.all([
      this.statistics.coOccurring(filter, CO_OCCURRENCE_LIMIT),
      filter.conceptIds.length > 1 ? this.statistics.pairDays(filter) : undefined,
    ]);
    const days = (a: string, b: string) => pairDays?.find((p) => p.a === a && p.b === b)?.days ?? 0;
    const pairs: ConceptPair[] = [];
    const asked = filter.conceptIds;
    for (let i = 0; i < asked.length; i++) {
      for (let j = i + 1; j < asked.length; j++) {
        const [first, second] = [asked[i], asked[j]];
        const shared = days(first, second);
        const firstDays = days(first, first);
        const secondDays = days(second, second);
        pairs.push({
          first,
          second,
          firstDays,
          secondDays,
          sharedDays: shared,
          shareOfFirst: shareOf(shared, firstDays),
          shareOfSecond: shareOf(shared, secondDays),
        });
      }
    }
    return {
      askedDays: others.askedDays,
      symptoms: others.concepts.map((c) => ({
        conceptId: c.conceptId,
        sharedDays: c.sharedDays,
        share: shareOf(c.sharedDays, others.askedDays) ?? 0,
      })),
      pairs,
    };
  }

  /** `top_symptoms`: the ten most logged concepts of the filter. */
  async topSymptoms(query: SymptomEntryFilter): Promise<TopSymptomsResult> {
    const filter = this.validate(query);
    const totals = await this.statistics.conceptTotals(filter, TOP_SYMPTOMS_LIMIT);
    return { symptoms: totals.map(({ conceptId, count, days }) => ({ conceptId, count, days })) };
  }

  /** `summary`: totals, the five most logged concepts, the worst entry, entries per person. */
  async summary(query: SymptomEntryFilter): Promise<SummaryResult> {
    const filter = this.validate(query);
    const [totals, top, mostSevere, byPerson] = await Promise.all([
      this.statistics.totals(filter, true),
      this.statistics.conceptTotals(filter, SUMMARY_TOP_LIMIT),
      this.statistics.occurrence(filter, 'most_severe'),
      this.statistics.personTotals(filter),
    ]);
    return {
      count: totals.count,
      days: totals.days,
      averageSeverity: averageOf(totals.severitySum, totals.rated),
      topSymptoms: top.map(({ conceptId, count, days }) => ({ conceptId, count, days })),
      mostSevere,
      byPerson,
    };
  }

  private validate(query: SymptomEntryFilter): DiaryFilter {
    return validateFilter(query, this.catalog);
  }

  private async occurrence(
    filter: DiaryFilter,
    order: 'latest' | 'earliest',
  ): Promise<OccurrenceResult> {
    const entry = await this.statistics.occurrence(filter, order);
    return { entry, lastBefore: entry ? null : await this.lastBefore(filter) };
  }

  private async lastBefore(filter: DiaryFilter): Promise<SymptomEntry | null> {
    if (!filter.from) return null;
    return this.statistics.occurrence({ ...filter, from: undefined, to: filter.from }, 'latest');
  }

  private async period(filter: DiaryFilter & Period): Promise<PeriodFigures> {
    const totals = await this.statistics.totals(filter, true);
    return {
      from: filter.from,
      to: filter.to,
      count: totals.count,
      days: totals.days,
      rated: totals.rated,
      averageSeverity: averageOf(totals.severitySum, totals.rated),
    };
  }

  /** Wall-clock time in the diary's zone as naive epoch ms (local fields read as UTC). */
  private naive(instant: Date): number {
    const t = this.zone.toLocal(instant.getTime());
    return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second, t.millisecond);
  }

  /** The same wall-clock time `months` calendar months earlier (day clamped to month end). */
  private monthsBefore(instant: Date, months: number): Date {
    const t = this.zone.toLocal(instant.getTime());
    const first = new Date(Date.UTC(t.year, t.month - 1 - months, 1));
    const lastDay = new Date(
      Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0),
    ).getUTCDate();
    return new Date(
      this.zone.toInstant({
        ...t,
        year: first.getUTCFullYear(),
        month: first.getUTCMonth() + 1,
        day: Math.min(t.day, lastDay),
      }),
    );
  }
}
