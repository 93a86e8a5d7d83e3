import { OmitType } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import {
  ISO_DATE_OR_DATE_TIME,
  ISO_DATE_OR_DATE_TIME_MAX_LENGTH,
} from '../../../../shared/interface/diary-date';
import { ListSymptomsQueryDto } from './list-symptoms.query.dto';

/**
 * The filter of the statistics endpoints: the list's parameters without paging and sorting, so
 * the same parameters select the same entries everywhere.
 */
export class SymptomFilterQueryDto extends OmitType(ListSymptomsQueryDto, [
  'page',
  'limit',
  'sort',
] as const) {}

export const BUCKET_VALUES = ['week', 'month'] as const;
export type BucketValue = (typeof BUCKET_VALUES)[number];

/** Query parameters of `GET /api/health/symptoms/stats/trend`. */
export class SymptomTrendQueryDto extends SymptomFilterQueryDto {
  /**
   * Bucket size: `week` (Monday to Sunday in the diary's zone) or `month`. Without it: weeks for
   * periods up to 12 weeks, months beyond. Without `from` and `to` the period is the last 6
   * months up to now.
   * @example "week"
   */
  @IsOptional()
  @IsIn(BUCKET_VALUES, { message: `bucket must be one of ${BUCKET_VALUES.join(', ')}` })
  bucket?: BucketValue;
}

/**
 * Query parameters of `GET /api/health/symptoms/stats/compare`: the filter's `from`/`to` (both
 * required) is the first period, `compareFrom`/`compareTo` the second.
 */
export class SymptomCompareQueryDto extends SymptomFilterQueryDto {
  /**
   * Start of the second period, inclusive: an ISO date (that day's start in the diary's zone) or
   * date-time.
   * @example "2026-03-01"
   */
  @IsString()
  @MaxLength(ISO_DATE_OR_DATE_TIME_MAX_LENGTH)
  @Matches(ISO_DATE_OR_DATE_TIME, { message: 'compareFrom must be an ISO 8601 date or date-time' })
  compareFrom!: string;

  /**
   * End of the second period, exclusive.
   * @example "2026-04-01"
   */
  @IsString()
  @MaxLength(ISO_DATE_OR_DATE_TIME_MAX_LENGTH)
  @Matches(ISO_DATE_OR_DATE_TIME, { message: 'compareTo must be an ISO 8601 date or date-time' })
  compareTo!: string;
}
