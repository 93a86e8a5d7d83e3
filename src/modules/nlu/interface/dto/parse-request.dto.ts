import { IsISO8601, IsOptional, IsString, MaxLength, MinLength, Validate } from 'class-validator';
import { IanaTimeZoneConstraint } from '../../../../shared/interface/iana-time-zone.validator';

/**
 * Room for any real ISO 8601 instant (`2026-03-10T14:30:00.123456789+01:00` is 35 characters);
 * only absurd fraction digits are refused.
 */
const REFERENCE_TIME_MAX_LENGTH = 64;

/** A question to understand, as of a moment and in a zone. */
export class ParseRequestDto {
  /**
   * The question, in the person's own words.
   * @example "how many hedaches did I have last month?"
   */
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  text!: string;

  /**
   * The moment the question is asked (ISO 8601 instant); defaults to now.
   * @example "2026-03-10T14:30:00Z"
   */
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  @MaxLength(REFERENCE_TIME_MAX_LENGTH)
  referenceTime?: string;

  /**
   * IANA time zone the question is asked in; defaults to the diary's zone (in a conversation,
   * to the conversation's).
   * @example "Europe/Berlin"
   */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Validate(IanaTimeZoneConstraint)
  timezone?: string;
}
