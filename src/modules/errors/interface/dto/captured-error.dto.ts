import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

/** ISO 8601 date (UTC midnight) or date-time with Z or an offset. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** Query parameters of `GET /api/admin/errors`. */
export class ListCapturedErrorsQueryDto {
  /**
   * Start, inclusive: an ISO date-time with its offset, or a date (midnight UTC).
   * @example "2026-12-01T00:00:00Z"
   */
  @IsOptional()
  @IsString()
  @MaxLength(40)
  @Matches(ISO_INSTANT, { message: 'from must be an ISO 8601 date or date-time with an offset' })
  from?: string;

  /**
   * End, exclusive: an ISO date-time with its offset, or a date (midnight UTC).
   * @example "2026-12-02T00:00:00Z"
   */
  @IsOptional()
  @IsString()
  @MaxLength(40)
  @Matches(ISO_INSTANT, { message: 'to must be an ISO 8601 date or date-time with an offset' })
  to?: string;

  /**
   * The route template, exactly as stored (`unmatched` for requests no route matched).
   * @example "/api/health/symptoms"
   */
  @IsOptional()
  @IsString()
  @MaxLength(300)
  @Matches(/^(\/[A-Za-z0-9_.:{}\-/]*|unmatched)$/, {
    message: 'route must be a route template such as /api/health/symptoms, or unmatched',
  })
  route?: string;

  /**
   * The error code of the answer.
   * @example "INTERNAL"
   */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Matches(/^[A-Z0-9_.]+$/, { message: 'code must be an error code such as INTERNAL' })
  code?: string;

  /**
   * The request id (the `x-request-id` of the failed answer).
   * @example "3f8c1f1e-2a76-4a39-9a6e-0c1d2e3f4a5b"
   */
  @IsOptional()
  @IsString()
  @MaxLength(128)
  @Matches(/^[A-Za-z0-9._:-]+$/, { message: 'requestId must be a request id' })
  requestId?: string;

  /** @example 1 */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100000)
  page: number = 1;

  /** @example 20 */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 20;
}

/** A captured error, without its stack (GET /api/admin/errors/{id} has it). */
export class CapturedErrorSummaryDto {
  /** @example "6c2f3d1e-9a8b-4c7d-8e6f-5a4b3c2d1e0f" */
  @ApiProperty({ maxLength: 36, format: 'uuid' })
  id!: string;
  /** @example "2026-12-01T09:30:12.345Z" */
  @ApiProperty({ maxLength: 30, format: 'date-time' })
  occurredAt!: string;
  /** @example "3f8c1f1e-2a76-4a39-9a6e-0c1d2e3f4a5b" */
  @ApiProperty({ maxLength: 128 })
  requestId!: string;
  /** @example "GET" */
  @ApiProperty({ maxLength: 10 })
  method!: string;
  /** The route template; `unmatched` when no route matched. @example "/api/health/symptoms" */
  @ApiProperty({ maxLength: 300 })
  route!: string;
  /** @example 500 */
  status!: number;
  /** @example "INTERNAL" */
  @ApiProperty({ maxLength: 100 })
  code!: string;
  /** The error's class. @example "QueryFailedError" */
  @ApiProperty({ maxLength: 200 })
  name!: string;
  /** Redacted: nothing the client sent, no SQL literal. @example "column \"sev\" does not exist" */
  @ApiProperty({ maxLength: 1000 })
  message!: string;
}

export class CapturedErrorDto extends CapturedErrorSummaryDto {
  /** Redacted like the message; null when the error had none. */
  @ApiProperty({
    type: String,
    nullable: true,
    maxLength: 8000,
    example: 'QueryFailedError: column "sev" does not exist\n    at PostgresQueryRunner.query (…)',
  })
  stack!: string | null;
}

export class CapturedErrorsPageMetaDto {
  /** Errors matching the filters, over all pages. @example 3 */
  total!: number;
  /** @example 1 */
  page!: number;
  /** @example 20 */
  limit!: number;
}

export class CapturedErrorListDto {
  @ApiProperty({ type: [CapturedErrorSummaryDto], maxItems: 100 })
  data!: CapturedErrorSummaryDto[];
  meta!: CapturedErrorsPageMetaDto;
}
