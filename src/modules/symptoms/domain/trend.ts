/**
 * Trend arithmetic for the `trend` question: calendar buckets in the diary's wall-clock time, a
 * least-squares line through the per-bucket figures, and a direction read from that line.
 * Pure: no clock, no zone database, no framework.
 *
 * ## How a direction is decided (the thresholds)
 *
 * For entry counts (the primary signal):
 * - Buckets that lie less than half inside the period (`coverage` < 0.5) are left out; the others
 *   are scaled to a full bucket (`count / coverage`), so a current, half-elapsed month is not read
 *   as an improvement.
 * - At least 3 such buckets and at least 5 entries in them are needed, else `not_enough_data`.
 * - A least-squares line is fitted through (bucket index, scaled count). Its slope divided by the
 *   mean scaled count is the relative slope per bucket; times the number of buckets spanned
 *   (last index − first index) it is the relative change the line predicts over the period.
 * - A predicted change of +25 % of the mean or more is `worsening` (more entries), −25 % or less
 *   is `improving`, anything between is `stable`.
 *
 * For average severity (the secondary signal): buckets with at least one rated entry, at least 3
 * of them and at least 5 rated entries; the same relative change with a threshold of ±15 % of the
 * mean severity (about ±0.75 on a mean of 5).
 *
 * Overall: the count direction, except that when counts are `stable` a non-stable severity
 * direction decides (same number of episodes, but worse ones, is worsening). When counts and
 * severity disagree, counts win; both series are reported so a reply can say "fewer, though more
 * severe".
 */

import { roundHalfAway } from './diary-statistics';

export type TrendDirection = 'improving' | 'worsening' | 'stable' | 'not_enough_data';
export type TrendBucketUnit = 'week' | 'month';

export const TREND_RULES = {
  /** Buckets less inside the period than this are not used for the count line. */
  minCoverage: 0.5,
  /** Fewer usable buckets than this: not enough data. */
  minBuckets: 3,
  /** Fewer entries (or rated entries, for severity) than this: not enough data. */
  minEntries: 5,
  /** Predicted change over the period, as a share of the mean count. */
  countChangeThreshold: 0.25,
  /** Predicted change over the period, as a share of the mean severity. */
  severityChangeThreshold: 0.15,
  /** Periods up to this many days are bucketed by week, longer ones by month. */
  weeklyUpToDays: 84,
  /** More buckets than this are refused (a decade of weeks). */
  maxBuckets: 520,
  /** Without a period: this many months back from now. */
  defaultMonths: 6,
} as const;

export interface TrendPoint {
  /** The bucket's position (0 = the first bucket of the period). */
  readonly x: number;
  readonly y: number;
}

export interface LinearFit {
  readonly slope: number;
  readonly intercept: number;
}

/** Ordinary least squares; null with fewer than two distinct x. */
export function leastSquares(points: readonly TrendPoint[]): LinearFit | null {
  const n = points.length;
  if (n < 2) return null;
  const meanX = points.reduce((s, p) => s + p.x, 0) / n;
  const meanY = points.reduce((s, p) => s + p.y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    sxx += (p.x - meanX) ** 2;
    sxy += (p.x - meanX) * (p.y - meanY);
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  return { slope, intercept: meanY - slope * meanX };
}

/** What the line says about one series (counts or severities). */
export interface SeriesTrend {
  readonly direction: TrendDirection;
  /** Buckets used for the line. */
  readonly buckets: number;
  /** Mean of the used figures; null when no bucket was usable. */
  readonly mean: number | null;
  /** Slope of the line, in figure units per bucket (entries per bucket per bucket). */
  readonly slopePerBucket: number | null;
  /** Slope divided by the mean: relative change per bucket. */
  readonly relativeSlope: number | null;
  /** Relative change the line predicts from the first used bucket to the last. */
  readonly relativeChange: number | null;
  /** Mean of the first half of the used buckets (the middle one left out when odd). */
  readonly firstHalfMean: number | null;
  /** Mean of the second half of the used buckets. */
  readonly secondHalfMean: number | null;
}

export interface SeriesRules {
  readonly threshold: number;
  readonly minBuckets: number;
  readonly minTotal: number;
}

/** Half away from zero, so a falling slope rounds like a rising one; never −0. */
const round = roundHalfAway;

const mean = (values: readonly number[]): number =>
  values.reduce((s, v) => s + v, 0) / values.length;

/**
 * Reads a direction from points: `total` is the number of entries behind them (for the
 * not-enough-data rule). Figures are rounded (3 decimals for slopes, 2 for means).
 */
export function assessSeries(
  points: readonly TrendPoint[],
  total: number,
  rules: SeriesRules,
): SeriesTrend {
  const sorted = [...points].sort((a, b) => a.x - b.x);
  const n = sorted.length;
  if (n === 0) {
    return {
      direction: 'not_enough_data',
      buckets: 0,
      mean: null,
      slopePerBucket: null,
      relativeSlope: null,
      relativeChange: null,
      firstHalfMean: null,
      secondHalfMean: null,
    };
  }
  const average = mean(sorted.map((p) => p.y));
  const fit = leastSquares(sorted);
  const half = Math.floor(n / 2);
  const firstHalfMean = half > 0 ? mean(sorted.slice(0, half).map((p) => p.y)) : null;
  const secondHalfMean = half > 0 ? mean(sorted.slice(n - half).map((p) => p.y)) : null;
  const relativeSlope = fit && average > 0 ? fit.slope / average : null;
  const span = sorted[n - 1].x - sorted[0].x;
  const relativeChange = relativeSlope === null ? null : relativeSlope * span;
  let direction: TrendDirection;
  if (n < rules.minBuckets || total < rules.minTotal || fit === null) {
    direction = 'not_enough_data';
  } else if (relativeChange === null) {
    direction = 'stable';
  } else if (relativeChange >= rules.threshold) {
    direction = 'worsening';
  } else if (relativeChange <= -rules.threshold) {
    direction = 'improving';
  } else {
    direction = 'stable';
  }
  return {
    direction,
    buckets: n,
    mean: round(average, 2),
    slopePerBucket: fit ? round(fit.slope, 3) : null,
    relativeSlope: relativeSlope === null ? null : round(relativeSlope, 3),
    relativeChange: relativeChange === null ? null : round(relativeChange, 3),
    firstHalfMean: firstHalfMean === null ? null : round(firstHalfMean, 2),
    secondHalfMean: secondHalfMean === null ? null : round(secondHalfMean, 2),
  };
}

/** Counts decide; when they are stable, a clear severity direction does. */
export function overallDirection(counts: SeriesTrend, severity: SeriesTrend): TrendDirection {
  if (counts.direction === 'not_enough_data') return 'not_enough_data';
  if (
    counts.direction === 'stable' &&
    (severity.direction === 'improving' || severity.direction === 'worsening')
  ) {
    return severity.direction;
  }
  return counts.direction;
}

/** Week buckets for periods up to 12 weeks, month buckets beyond. */
export function chooseBucketUnit(periodDays: number): TrendBucketUnit {
  return periodDays <= TREND_RULES.weeklyUpToDays ? 'week' : 'month';
}

/** One bucket of a period, in the diary's calendar. */
export interface BucketFrame {
  /** First local day, 'YYYY-MM-DD' (a Monday for weeks, the 1st for months). */
  readonly start: string;
  /** The day after the bucket's last day, 'YYYY-MM-DD' (exclusive). */
  readonly end: string;
  /** Share of the bucket inside the period, 0..1 (3 decimals). */
  readonly coverage: number;
}

const DAY_MS = 86_400_000;

const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * The buckets covering [from, to). Both bounds are wall-clock times in the diary's zone written
 * as if they were UTC ("naive" epoch milliseconds: Date.UTC of the local fields), so calendar
 * arithmetic is plain UTC arithmetic and matches PostgreSQL's `date_trunc` on the local
 * `logged` column.
 */
export function bucketFrames(
  fromNaive: number,
  toNaive: number,
  unit: TrendBucketUnit,
): BucketFrame[] {
  const frames: BucketFrame[] = [];
  let start = bucketStart(fromNaive, unit);
  while (start < toNaive) {
    const end = nextBucket(start, unit);
    const inside = Math.min(end, toNaive) - Math.max(start, fromNaive);
    frames.push({
      start: isoDay(start),
      end: isoDay(end),
      coverage: round(inside / (end - start), 3),
    });
    start = end;
  }
  return frames;
}

/** How many buckets [from, to) spans, without building them. */
export function bucketCount(fromNaive: number, toNaive: number, unit: TrendBucketUnit): number {
  const first = bucketStart(fromNaive, unit);
  if (unit === 'week') return Math.max(0, Math.ceil((toNaive - first) / (7 * DAY_MS)));
  const a = new Date(first);
  const b = new Date(toNaive - 1);
  return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth()) + 1;
}

function bucketStart(naive: number, unit: TrendBucketUnit): number {
  const d = new Date(naive);
  if (unit === 'month') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  const sinceMonday = (d.getUTCDay() + 6) % 7;
  return day - sinceMonday * DAY_MS;
}

function nextBucket(start: number, unit: TrendBucketUnit): number {
  if (unit === 'week') return start + 7 * DAY_MS;
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}
