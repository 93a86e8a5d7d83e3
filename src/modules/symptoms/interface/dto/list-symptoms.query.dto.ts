import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import {
  ISO_DATE_OR_DATE_TIME,
  ISO_DATE_OR_DATE_TIME_MAX_LENGTH,
} from '../../../../shared/interface/diary-date';
import { SymptomCatalog } from '../../domain/symptom-catalog';
import { MAX_PAGE_SIZE } from '../../domain/symptom-entry-filter';

export const SORT_VALUES = ['-occurredAt', 'occurredAt', '-severity', 'severity'] as const;
export type SortValue = (typeof SORT_VALUES)[number];

const toArray = ({ value }: { value: unknown }): unknown =>
  value === undefined ? undefined : Array.isArray(value) ? value : [value];

/** Query parameters of `GET /api/health/symptoms`. */
export class ListSymptomsQueryDto {
  /**
   * Catalog symptom ids (repeat the parameter for several: entries of any of them).
   * @example ["headache"]
   */
  @IsOptional()
  @Transform(toArray)
  @ArrayMaxSize(50)
  @IsIn(SymptomCatalog.standard.ids(), {
    each: true,
    message: 'symptom must be catalog ids (see /api/health/symptoms/catalog)',
  })
  symptom?: string[];

  /**
   * A symptom name in the person's own words, normalised through the vocabulary
   * ("head ache", "migrane", "tummy pain").
   * @example "head ache"
   */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(80)
  name?: string;

  /**
   * Catalog symptom ids to leave out (repeat for several): "everything except headaches".
   * Entries whose name matches no catalog symptom are kept.
   * @example ["headache"]
   */
  @IsOptional()
  @Transform(toArray)
  @ArrayMaxSize(50)
  @IsIn(SymptomCatalog.standard.ids(), {
    each: true,
    message: 'exclude must be catalog ids (see /api/health/symptoms/catalog)',
  })
  exclude?: string[];

  /**
   * Start, inclusive: an ISO date (that day's start in the diary's zone) or date-time.
   * @example "2026-02-01"
   */
  @IsOptional()
  @IsString()
  @MaxLength(ISO_DATE_OR_DATE_TIME_MAX_LENGTH)
  @Matches(ISO_DATE_OR_DATE_TIME, { message: 'from must be an ISO 8601 date or date-time' })
  from?: string;

  /**
   * End, exclusive: an ISO date (that day's start in the diary's zone) or date-time.
   * @example "2026-03-01"
   */
  @IsOptional()
  @IsString()
  @MaxLength(ISO_DATE_OR_DATE_TIME_MAX_LENGTH)
  @Matches(ISO_DATE_OR_DATE_TIME, { message: 'to must be an ISO 8601 date or date-time' })
  to?: string;

  /**
   * Lowest severity (0–10); entries without a rating are left out when set.
   * @example 7
   */
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'minSeverity must be an integer from 0 to 10' })
  @Min(0)
  @Max(10)
  minSeverity?: number;

  /** Highest severity (0–10); entries without a rating are left out when set. */
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'maxSeverity must be an integer from 0 to 10' })
  @Min(0)
  @Max(10)
  maxSeverity?: number;

  /**
   * Whose entries (the diary's `person`, exactly as recorded).
   * @example "Anna"
   */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(40)
  person?: string;

  /** Page number, from 1. */
  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100000)
  page: number = 1;

  /** Entries per page, at most 100. */
  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = 20;

  /** Order: newest first by default; `severity` sorts unrated entries last when descending. */
  @ApiPropertyOptional()
  @IsOptional()
  @IsIn(SORT_VALUES, { message: `sort must be one of ${SORT_VALUES.join(', ')}` })
  sort: SortValue = '-occurredAt';
}
