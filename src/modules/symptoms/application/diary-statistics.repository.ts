import type { DiaryFilter, LocalDay, PersonTally } from '../domain/diary-statistics';
import type { SymptomEntry } from '../domain/symptom-entry';
import type { TrendBucketUnit } from '../domain/trend';

/** Entries, days and severity sums of everything a filter matches. */
export interface EntryTotals {
  readonly count: number;
  readonly days: number;
  /** Entries with a severity. */
  readonly rated: number;
  /** Sum of the severities of the rated entries. */
  readonly severitySum: number;
}

/** The same, for one concept. */
export interface ConceptTotals extends EntryTotals {
  readonly conceptId: string;
  readonly minSeverity: number | null;
  readonly maxSeverity: number | null;
}

/** Severity figures of everything a filter matches. */
export interface SeverityTotals {
  readonly rated: number;
  readonly unrated: number;
  readonly severitySum: number;
  readonly min: number | null;
  readonly max: number | null;
  /** Every day the maximum was logged, oldest first. */
  readonly maxDays: readonly LocalDay[];
}

/** Entries of one bucket (its first local day). */
export interface BucketTotals {
  readonly start: LocalDay;
  readonly count: number;
  readonly rated: number;
  readonly severitySum: number;
}

/** Which single entry: the latest, the earliest, or the highest rated (the latest of equals). */
export type OccurrenceOrder = 'latest' | 'earliest' | 'most_severe';

/**
 * Port: the aggregate questions asked of the diary, each one query. Filters are validated domain
 * filters; implementations never read deleted rows and raise DependencyUnavailableError /
 * DependencyTimeoutError when the diary cannot answer.
 */
export abstract class DiaryStatisticsRepository {
  /** Entries, distinct days (and, when asked, severity sums) of the filter. */
  abstract totals(filter: DiaryFilter, withSeverity: boolean): Promise<EntryTotals>;

  /**
   * Per concept (the asked ones, or every concept not excluded), most entries first, at most
   * `limit`. Entries whose name maps to no concept are not counted. Concepts without entries are
   * left out.
   */
  abstract conceptTotals(filter: DiaryFilter, limit?: number): Promise<ConceptTotals[]>;

  /** One entry, or null when the filter matches none. */
  abstract occurrence(filter: DiaryFilter, order: OccurrenceOrder): Promise<SymptomEntry | null>;

  abstract severity(filter: DiaryFilter): Promise<SeverityTotals>;

  /** Entries per week (Monday start) or month, in the diary's calendar; empty buckets left out. */
  abstract buckets(filter: DiaryFilter, unit: TrendBucketUnit): Promise<BucketTotals[]>;

  /** Entries and days per person, most entries first. */
  abstract personTotals(filter: DiaryFilter): Promise<PersonTally[]>;

  /**
   * Person-days with an entry of the filter (`askedDays`), and per other concept (neither asked
   * nor excluded) how many of those days have an entry of it too, any severity, most first, at
   * most `limit`.
   */
  abstract coOccurring(
    filter: DiaryFilter,
    limit: number,
  ): Promise<{ askedDays: number; concepts: { conceptId: string; sharedDays: number }[] }>;

  /**
   * For the asked concepts: person-days shared by every ordered pair (a, b), the pair (a, a)
   * giving a's own days. Pairs without a shared day are left out.
   */
  abstract pairDays(filter: DiaryFilter): Promise<{ a: string; b: string; days: number }[]>;
}
