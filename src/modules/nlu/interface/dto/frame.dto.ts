import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { INTENTS } from '../../domain/frame';
import type { Intent } from '../../domain/frame';

export class FrameSymptomDto {
  /** A catalog id. @example "headache" */
  id!: string;
  /** The words it was read from. @example "hedaches" */
  text!: string;
  /** True when the person excluded it ("everything except headaches"). @example false */
  negated!: boolean;
}

export class FrameTimeRangeDto {
  /** Inclusive, with the zone's offset. @example "2026-02-01T00:00:00+01:00" */
  from!: string;
  /** Exclusive, with the zone's offset. @example "2026-03-01T00:00:00+01:00" */
  to!: string;
  /** The words it was read from. @example "last month" */
  text!: string;
}

export class SeverityFilterDto {
  @ApiProperty({ type: Number, nullable: true, example: 7 })
  min!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: null })
  max!: number | null;
}

export class SafetyDto {
  /** A possible emergency happening now: the reply leads with what to do. @example false */
  urgent!: boolean;
  @ApiPropertyOptional({
    enum: ['chest_pain', 'breathing', 'collapse', 'stroke', 'bleeding', 'self_harm', 'other'],
  })
  kind?: string;
}

/** The frame of shared/contracts/nlu.md. */
export class FrameDto {
  @ApiProperty({ enum: INTENTS, example: 'count' })
  intent!: Intent;
  /** 0..1; below the threshold the chat asks rather than guesses. @example 0.93 */
  confidence!: number;
  symptoms!: FrameSymptomDto[];
  @ApiProperty({ type: FrameTimeRangeDto, nullable: true })
  timeRange!: FrameTimeRangeDto | null;
  @ApiProperty({ type: FrameTimeRangeDto, nullable: true })
  comparisonRange!: FrameTimeRangeDto | null;
  @ApiProperty({ type: SeverityFilterDto, nullable: true })
  severity!: SeverityFilterDto | null;
  safety!: SafetyDto;
  /** Whose entries, when the question names one of the household. @example "Ben" */
  @ApiProperty({ type: String, nullable: true, example: null })
  person!: string | null;
}

export class ExplainSpanDto {
  @ApiProperty({
    enum: ['symptom', 'time', 'severity', 'negation', 'safety', 'intent', 'context', 'person'],
    example: 'symptom',
  })
  kind!: string;
  /** @example "hedaches" */
  text!: string;
  start?: number;
  end?: number;
  /** @example "hedaches → headache (fuzzy)" */
  normalised!: string;
  rule?: string;
}

export class ExplainIntentDto {
  /** @example "count:how_many" */
  rule!: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, example: { count: 2 } })
  scores!: Record<string, number>;
}

export class UnplacedSymptomDto {
  /** @example "zorbles" */
  text!: string;
  /** @example ["dizziness"] */
  candidates!: string[];
}

/** How the frame was read: spans, normalisations, the rule behind the intent. */
export class ExplainDto {
  spans!: ExplainSpanDto[];
  intent!: ExplainIntentDto;
  /** The question reads as an elliptical follow-up ("and in September?"). */
  followUp!: boolean;
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true })
  contextualTime!: Record<string, unknown> | null;
  /** The question points back at earlier symptoms ("they", "it"). */
  anaphora!: boolean;
  unplaced!: UnplacedSymptomDto[];
  /** @example "Europe/Berlin" */
  timeZone!: string;
  /** @example "2026-03-10T14:30:00.000Z" */
  referenceTime!: string;
}

export class ParseResponseDto extends FrameDto {
  explain!: ExplainDto;
}
