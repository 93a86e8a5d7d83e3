/**
 * The figures behind the question kinds of the chat (shared/contracts/nlu.md) and the chart
 * endpoints: what each answer holds, in domain terms. Pure types and arithmetic.
 *
 * Words used throughout:
 * - an *entry* is a live (not deleted) diary row matching the filter;
 * - a *day* is a calendar day in the diary's zone (the wall-clock date of `logged`); `days`
 *   counts the distinct days with at least one entry, whoever logged them;
 * - in co-occurrence a day is a *person's* day: Anna's headache and Ben's nausea on the same date
 *   do not come together.
 */
import type { SymptomEntry } from './symptom-entry';
import type { ValidFilter } from './symptom-entry-filter';
import type { SeriesTrend, TrendBucketUnit, TrendDirection } from './trend';

/**
 * The filter every question takes: any of `conceptIds` (empty: every symptom), none of
 * `excludedConceptIds`, in [from, to), within severity bounds, of one person or everyone.
 * Validated (ids known and de-duplicated) by `validateFilter`.
 */
export type DiaryFilter = ValidFilter;

/** A calendar day in the diary's zone, 'YYYY-MM-DD'. */
export type LocalDay = string;

/** Entries and days of one concept. */
export interface ConceptTally {
  readonly conceptId: string;
  readonly count: number;
  readonly days: number;
}

/** `count`: how many entries, on how many days; per concept when several are asked. */
export interface CountResult {
  readonly count: number;
  readonly days: number;
  /** One per asked concept, in the order asked (empty when no concept was asked). */
  readonly byConcept: readonly ConceptTally[];
  /**
   * When nothing matched and the filter has a `from`: the last matching entry before `from`
   * ("none in February; the last one was on 3 January"). Otherwise null.
   */
  readonly lastBefore: SymptomEntry | null;
}

/** `last_occurrence` / `first_occurrence`. */
export interface OccurrenceResult {
  readonly entry: SymptomEntry | null;
  /** When `entry` is null and the filter has a `from`: the last matching entry before it. */
  readonly lastBefore: SymptomEntry | null;
}

/** Severity figures of one concept. */
export interface ConceptSeverity {
  readonly conceptId: string;
  readonly rated: number;
  readonly average: number | null;
  readonly max: number | null;
  readonly min: number | null;
}

/** `severity`: how bad. Unrated entries count in `unrated` and nowhere else. */
export interface SeverityResult {
  /** Mean of the rated entries, 1 decimal (half up); null when none is rated. */
  readonly average: number | null;
  readonly max: number | null;
  /** Days the maximum was logged: the most recent 10, oldest first. */
  readonly maxDays: readonly LocalDay[];
  /** On how many days the maximum was logged in all. */
  readonly maxDayCount: number;
  readonly min: number | null;
  readonly rated: number;
  readonly unrated: number;
  /** One per asked concept when several are asked, else empty. */
  readonly byConcept: readonly ConceptSeverity[];
  readonly lastBefore: SymptomEntry | null;
}

/** One bucket of a trend. */
export interface TrendBucket {
  readonly start: LocalDay;
  /** Exclusive. */
  readonly end: LocalDay;
  readonly count: number;
  readonly rated: number;
  /** 1 decimal; null when no entry of the bucket is rated. */
  readonly averageSeverity: number | null;
  /** Share of the bucket inside the period (partial first and last buckets), 0..1. */
  readonly coverage: number;
}

/** `trend`: counts and severity per bucket, and which way they go (see trend.ts). */
export interface TrendResult {
  readonly from: Date;
  readonly to: Date;
  readonly bucket: TrendBucketUnit;
  readonly buckets: readonly TrendBucket[];
  readonly direction: TrendDirection;
  /** The count line (scaled counts of buckets at least half inside the period). */
  readonly counts: SeriesTrend;
  /** The average-severity line (buckets with rated entries). */
  readonly severity: SeriesTrend;
}

/** One period of a comparison. */
export interface PeriodFigures {
  readonly from: Date;
  readonly to: Date;
  readonly count: number;
  readonly days: number;
  readonly rated: number;
  readonly averageSeverity: number | null;
}

/** `compare`: two periods, and the second minus the first. */
export interface CompareResult {
  readonly first: PeriodFigures;
  readonly second: PeriodFigures;
  readonly difference: {
    readonly count: number;
    readonly days: number;
    /** Null unless both periods have rated entries. */
    readonly averageSeverity: number | null;
    /** (second − first) / first × 100, rounded; null when the first period has no entry. */
    readonly countChangePercent: number | null;
  };
}

/** A concept logged on the same (person's) days as the asked one(s). */
export interface CoOccurringConcept {
  readonly conceptId: string;
  /** Asked days on which this concept was logged too. */
  readonly sharedDays: number;
  /** sharedDays / askedDays, 2 decimals. */
  readonly share: number;
}

/** Two asked concepts: how often one comes with the other. */
export interface ConceptPair {
  readonly first: string;
  readonly second: string;
  readonly firstDays: number;
  readonly secondDays: number;
  /** Days with both. */
  readonly sharedDays: number;
  /** sharedDays / firstDays ("how many of A's days also have B"), 2 decimals; null when 0/0. */
  readonly shareOfFirst: number | null;
  /** sharedDays / secondDays, 2 decimals; null when 0/0. */
  readonly shareOfSecond: number | null;
}

/** `co_occurrence`. */
export interface CoOccurrenceResult {
  /** Person-days with an entry of any asked concept (within the filter). */
  readonly askedDays: number;
  /** Other concepts on those days, most shared days first (top 10). */
  readonly symptoms: readonly CoOccurringConcept[];
  /** Every pair of asked concepts, when two or more are asked (in the order asked). */
  readonly pairs: readonly ConceptPair[];
}

/** `top_symptoms`: concepts by entries (names the vocabulary cannot place are not ranked). */
export interface TopSymptomsResult {
  readonly symptoms: readonly ConceptTally[];
}

export interface PersonTally {
  readonly person: string;
  readonly count: number;
  readonly days: number;
}

/** `summary`: a period at a glance. */
export interface SummaryResult {
  readonly count: number;
  readonly days: number;
  readonly averageSeverity: number | null;
  /** The five most logged concepts. */
  readonly topSymptoms: readonly ConceptTally[];
  /** The highest rated entry (the latest of equals); null when none is rated. */
  readonly mostSevere: SymptomEntry | null;
  /** Entries per person, most first (one item when only one person logged). */
  readonly byPerson: readonly PersonTally[];
}

/** Top lists are this long. */
export const TOP_SYMPTOMS_LIMIT = 10;
export const SUMMARY_TOP_LIMIT = 5;
export const CO_OCCURRENCE_LIMIT = 10;
/** Co-occurrence pairs every two asked concepts: at most this many may be asked. */
export const CO_OCCURRENCE_MAX_ASKED = 5;
export const MAX_DAYS_LISTED = 10;

/**
 * Rounds half away from zero (so −37.5 and 37.5 both lose or gain the same), to `digits`
 * decimals; never answers −0. Tolerates the binary error of values like 1.15 * 10.
 */
export function roundHalfAway(value: number, digits = 0): number {
  const f = 10 ** digits;
  const scaled = Math.abs(value) * f;
  const r = (Math.sign(value) * Math.round(scaled + scaled * Number.EPSILON)) / f;
  return r === 0 ? 0 : r;
}

/** sum / count to 1 decimal, half up (6.25 → 6.3); null when count is 0. */
export function averageOf(sum: number, count: number): number | null {
  if (count === 0) return null;
  return roundHalfAway(sum / count, 1);
}

/** part / whole to 2 decimals; null when whole is 0. */
export function shareOf(part: number, whole: number): number | null {
  if (whole === 0) return null;
  return roundHalfAway(part / whole, 2);
}

/** The difference of two averages to 1 decimal, null unless both exist. */
export function differenceOf(first: number | null, second: number | null): number | null {
  if (first === null || second === null) return null;
  return roundHalfAway(second - first, 1);
}

/** (second − first) / first as a whole percentage (half away from zero); null when first is 0. */
export function percentChange(first: number, second: number): number | null {
  if (first === 0) return null;
  return roundHalfAway(((second - first) * 100) / first);
}
