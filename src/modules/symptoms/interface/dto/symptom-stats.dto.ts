import { ApiProperty } from '@nestjs/swagger';
import { StaleMetaDto } from '../../../../shared/interface/stale-meta.dto';
import { SymptomEntryDto, SymptomRefDto } from './symptom-entry.dto';

export const TREND_DIRECTIONS = ['improving', 'worsening', 'stable', 'not_enough_data'] as const;

/** Entries and days of one symptom. */
export class SymptomTallyDto {
  symptom!: SymptomRefDto;
  /** @example 12 */
  count!: number;
  /** Distinct days (in the diary's zone) with an entry. @example 9 */
  days!: number;
}

export class SymptomCountDto {
  /**
   * Entries matching the filters: always equal to `meta.total` of `GET /api/health/symptoms`
   * with the same parameters.
   * @example 12
   */
  count!: number;

  /** Distinct calendar days (in the diary's zone) with at least one such entry. @example 9 */
  days!: number;

  /** One item per asked symptom, in the order asked; empty when no symptom is asked. */
  bySymptom!: SymptomTallyDto[];

  /** When nothing matched and `from` is given: the last matching entry before `from`. */
  @ApiProperty({ type: SymptomEntryDto, nullable: true })
  lastBefore!: SymptomEntryDto | null;
  /** Present when the figures come from the cache because the diary could not be read. */
  meta?: StaleMetaDto;
}

export class SymptomOccurrenceDto {
  /** The entry asked for; null when none matches. */
  @ApiProperty({ type: SymptomEntryDto, nullable: true })
  entry!: SymptomEntryDto | null;

  /** When `entry` is null and `from` is given: the last matching entry before `from`. */
  @ApiProperty({ type: SymptomEntryDto, nullable: true })
  lastBefore!: SymptomEntryDto | null;
  /** Present when the figures come from the cache because the diary could not be read. */
  meta?: StaleMetaDto;
}

export class SymptomSeverityBySymptomDto {
  symptom!: SymptomRefDto;
  /** Rated entries. @example 7 */
  rated!: number;
  /** Mean severity, 1 decimal; null when none is rated. */
  @ApiProperty({ type: Number, nullable: true, example: 6.1 })
  average!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 9 })
  max!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 3 })
  min!: number | null;
}

export class SymptomSeverityDto {
  /** Mean severity of the rated entries, 1 decimal (half up); null when none is rated. */
  @ApiProperty({ type: Number, nullable: true, example: 6.3 })
  average!: number | null;

  @ApiProperty({ type: Number, nullable: true, example: 9 })
  max!: number | null;

  /**
   * Days (in the diary's zone) the maximum was logged: the most recent 10, oldest first.
   * @example ["2026-02-03", "2026-02-17"]
   */
  maxDays!: string[];

  /** On how many days the maximum was logged in all. @example 2 */
  maxDayCount!: number;

  @ApiProperty({ type: Number, nullable: true, example: 3 })
  min!: number | null;

  /** Entries with a severity. @example 11 */
  rated!: number;

  /** Entries without a severity (left out of the figures above). @example 1 */
  unrated!: number;

  /** One item per asked symptom when several are asked, else empty. */
  bySymptom!: SymptomSeverityBySymptomDto[];

  /** When nothing matched and `from` is given: the last matching entry before `from`. */
  @ApiProperty({ type: SymptomEntryDto, nullable: true })
  lastBefore!: SymptomEntryDto | null;
  /** Present when the figures come from the cache because the diary could not be read. */
  meta?: StaleMetaDto;
}

export class TrendBucketDto {
  /** First day of the bucket (a Monday for weeks). @example "2026-02-02" */
  start!: string;
  /** The day after the bucket (exclusive). @example "2026-02-09" */
  end!: string;
  /** @example 3 */
  count!: number;
  /** Rated entries. @example 2 */
  rated!: number;
  /** Mean severity of the bucket, 1 decimal; null when none is rated. */
  @ApiProperty({ type: Number, nullable: true, example: 5.5 })
  averageSeverity!: number | null;
  /** Share of the bucket inside the period, 0–1 (first and last buckets may be partial). @example 1 */
  coverage!: number;
}

/**
 * The least-squares line through one series: counts per bucket (scaled to full buckets, buckets
 * less than half inside the period left out) or average severity per bucket (buckets with rated
 * entries). Changes of ±25 % (counts) or ±15 % (severity) of the mean over the period decide the
 * direction; fewer than 3 buckets or 5 entries are not enough data.
 */
export class TrendSeriesDto {
  @ApiProperty({ enum: TREND_DIRECTIONS, example: 'improving' })
  direction!: (typeof TREND_DIRECTIONS)[number];
  /** Buckets used for the line. @example 6 */
  buckets!: number;
  @ApiProperty({ type: Number, nullable: true, example: 4.5 })
  mean!: number | null;
  /** Slope of the line per bucket. */
  @ApiProperty({ type: Number, nullable: true, example: -0.6 })
  slopePerBucket!: number | null;
  /** Slope divided by the mean. */
  @ApiProperty({ type: Number, nullable: true, example: -0.133 })
  relativeSlope!: number | null;
  /** Change the line predicts over the period, as a share of the mean. */
  @ApiProperty({ type: Number, nullable: true, example: -0.667 })
  relativeChange!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 6 })
  firstHalfMean!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 3 })
  secondHalfMean!: number | null;
}

export class SymptomTrendDto {
  /** Start of the period, ISO 8601 with the diary zone's offset. @example "2025-09-01T00:00:00+02:00" */
  from!: string;
  /** End of the period (exclusive). @example "2026-03-01T00:00:00+01:00" */
  to!: string;
  @ApiProperty({ enum: ['week', 'month'], example: 'month' })
  bucket!: 'week' | 'month';
  /** Counts decide; when they are stable, a clear severity direction does. */
  @ApiProperty({ enum: TREND_DIRECTIONS, example: 'improving' })
  direction!: (typeof TREND_DIRECTIONS)[number];
  /** Every bucket of the period, empty ones included. */
  buckets!: TrendBucketDto[];
  counts!: TrendSeriesDto;
  severity!: TrendSeriesDto;
  /** Present when the figures come from the cache because the diary could not be read. */
  meta?: StaleMetaDto;
}

export class PeriodFiguresDto {
  /** @example "2026-01-01T00:00:00+01:00" */
  from!: string;
  /** @example "2026-02-01T00:00:00+01:00" */
  to!: string;
  /** @example 8 */
  count!: number;
  /** @example 6 */
  days!: number;
  /** @example 7 */
  rated!: number;
  @ApiProperty({ type: Number, nullable: true, example: 5.4 })
  averageSeverity!: number | null;
}

/** The second period minus the first. */
export class PeriodDifferenceDto {
  /** @example -3 */
  count!: number;
  /** @example -2 */
  days!: number;
  /** Null unless both periods have rated entries. */
  @ApiProperty({ type: Number, nullable: true, example: -0.8 })
  averageSeverity!: number | null;
  /** (second − first) / first, whole percent; null when the first period has no entry. */
  @ApiProperty({ type: Number, nullable: true, example: -38 })
  countChangePercent!: number | null;
}

export class SymptomComparisonDto {
  /** The `from`/`to` period. */
  first!: PeriodFiguresDto;
  /** The `compareFrom`/`compareTo` period. */
  second!: PeriodFiguresDto;
  difference!: PeriodDifferenceDto;
  /** Present when the figures come from the cache because the diary could not be read. */
  meta?: StaleMetaDto;
}

export class CoOccurringSymptomDto {
  symptom!: SymptomRefDto;
  /** Days of the asked symptom(s) on which this one was logged too. @example 4 */
  sharedDays!: number;
  /** sharedDays / askedDays, 2 decimals. @example 0.44 */
  share!: number;
}

export class SymptomPairDto {
  first!: SymptomRefDto;
  second!: SymptomRefDto;
  /** @example 9 */
  firstDays!: number;
  /** @example 5 */
  secondDays!: number;
  /** Days with both. @example 4 */
  sharedDays!: number;
  /** Share of the first symptom's days that have the second too, 2 decimals. */
  @ApiProperty({ type: Number, nullable: true, example: 0.44 })
  shareOfFirst!: number | null;
  /** Share of the second symptom's days that have the first too, 2 decimals. */
  @ApiProperty({ type: Number, nullable: true, example: 0.8 })
  shareOfSecond!: number | null;
}

/**
 * What comes with the asked symptom(s). A day is one person's calendar day in the diary's zone:
 * one person's headache and another's nausea on the same date do not count as together.
 */
export class SymptomCoOccurrenceDto {
  /** Days with an entry of the asked symptom(s) matching the filters. @example 9 */
  askedDays!: number;
  /** Other symptoms logged on those days (any severity), most shared days first, top 10. */
  symptoms!: CoOccurringSymptomDto[];
  /** Each pair of asked symptoms, when two or more are asked. */
  pairs!: SymptomPairDto[];
  /** Present when the figures come from the cache because the diary could not be read. */
  meta?: StaleMetaDto;
}

export class TopSymptomsDto {
  /** The 10 most logged symptoms (names matching no catalog symptom are not ranked). */
  symptoms!: SymptomTallyDto[];
  /** Present when the figures come from the cache because the diary could not be read. */
  meta?: StaleMetaDto;
}

export class PersonTallyDto {
  /** @example "Anna" */
  person!: string;
  /** @example 30 */
  count!: number;
  /** @example 21 */
  days!: number;
}

export class SymptomSummaryDto {
  /** @example 42 */
  count!: number;
  /** @example 25 */
  days!: number;
  @ApiProperty({ type: Number, nullable: true, example: 5.2 })
  averageSeverity!: number | null;
  /** The five most logged symptoms. */
  topSymptoms!: SymptomTallyDto[];
  /** The highest rated entry (the latest of equals); null when none is rated. */
  @ApiProperty({ type: SymptomEntryDto, nullable: true })
  mostSevere!: SymptomEntryDto | null;
  /** Entries per person, most first. */
  byPerson!: PersonTallyDto[];
  /** Present when the figures come from the cache because the diary could not be read. */
  meta?: StaleMetaDto;
}
