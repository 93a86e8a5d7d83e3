import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { BLOCK_REASONS, type BlockReason } from '../../domain/abuse-policy';

/** A blocked client address. */
export class AddressBlockDto {
  /**
   * The client address as the rate limiter keys it: an IPv4 address, or an IPv6 /64 network.
   * @example "203.0.113.7"
   */
  address!: string;

  /** The rule that blocked it, or `manual` (an admin). */
  @ApiProperty({ enum: BLOCK_REASONS, example: 'sql-injection' })
  reason!: BlockReason;

  /** Where the rule matched (`query:symptom`, `body:text`, `path`), a count, or an admin's note. */
  @ApiProperty({ example: 'query:symptom', maxLength: 200 })
  detail!: string;

  /** `detector`, or the id of the admin who blocked it. */
  @ApiProperty({ example: 'detector' })
  by!: string;

  /** @example "2026-12-03T14:05:00.000Z" */
  since!: string;

  /** @example "2026-12-03T14:20:00.000Z" */
  until!: string;
}

export class AddressBlockListDto {
  data!: AddressBlockDto[];
}

/** Blocks an address by hand. */
export class CreateAddressBlockDto {
  /**
   * An IPv4 or IPv6 address (an IPv6 address blocks its /64, as the rate limiter counts it).
   * @example "203.0.113.7"
   */
  @IsString()
  @MinLength(2)
  @MaxLength(64)
  address!: string;

  /** How long, in minutes (default: ABUSE_BLOCK_MINUTES). */
  @ApiPropertyOptional({
    minimum: 1,
    maximum: 10080,
    example: 60,
    type: 'integer',
    format: 'int32',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10080)
  minutes?: number;

  /** Why (kept with the block and listed; do not put personal data here). */
  @ApiPropertyOptional({ maxLength: 200, example: 'credential stuffing seen in the nginx log' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  note?: string;
}
