import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength, Validate } from 'class-validator';
import { IanaTimeZoneConstraint } from '../../../../shared/interface/iana-time-zone.validator';
import { StaleMetaDto } from '../../../../shared/interface/stale-meta.dto';
import { FrameDto } from '../../../nlu/interface/dto/frame.dto';
import { ParseRequestDto } from '../../../nlu/interface/dto/parse-request.dto';

/** Starts a conversation. Every field is optional. */
export class StartConversationDto {
  /**
   * The IANA zone the person is in; dates in answers use it. Defaults to the diary's zone.
   * @example "Europe/Berlin"
   */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Validate(IanaTimeZoneConstraint)
  timezone?: string;

  /**
   * Whose diary entries to read (the diary's `person`). A user always reads their own person's
   * (naming another answers 404); an admin reads the named person's, or the whole household's
   * by default.
   * @example "Anna"
   */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(40)
  person?: string;
}

/** A message in a conversation: the question, as of a moment and in a zone (as for parsing). */
export class PostMessageDto extends ParseRequestDto {}

export class ReplySectionDto {
  /** @example "By symptom" */
  title!: string;
  @ApiProperty({ enum: ['text', 'list', 'table'] })
  kind!: string;
  text?: string;
  items?: string[];
  columns?: string[];
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'array', items: { oneOf: [{ type: 'string' }, { type: 'number' }] } },
  })
  rows?: (string | number | null)[][];
}

export class ChartPointDto {
  /** @example "2026-01-05" */
  x!: string;
  @ApiProperty({ type: Number, nullable: true, example: 4 })
  y!: number | null;
}

export class ChartSeriesDto {
  /** @example "entries" */
  name!: string;
  points!: ChartPointDto[];
}

export class ChartDto {
  @ApiProperty({ enum: ['line', 'bar'] })
  type!: string;
  /** @example "week" */
  unit!: string;
  series!: ChartSeriesDto[];
}

export class ReplyDto {
  @ApiProperty({ enum: ['answer', 'clarification', 'safety', 'small_talk', 'out_of_scope'] })
  kind!: string;
  /** @example "In February 2026 you logged headache 4 times, on 4 days." */
  text!: string;
  /** @example "In February 2026 you logged headache **4 times**, on 4 days." */
  markdown!: string;
  sections!: ReplySectionDto[];
  @ApiProperty({ type: ChartDto, nullable: true })
  chart!: ChartDto | null;
}

export class MessageResponseDto {
  /** @example "b3f1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d" */
  conversationId!: string;
  reply!: ReplyDto;
  /** The frame after the conversation's context was applied. */
  frame!: FrameDto;
  /** Which parts of the frame came from earlier turns. @example ["symptoms"] */
  inherited!: string[];
  @ApiProperty({
    type: 'object',
    nullable: true,
    additionalProperties: true,
    description:
      'The figures of the answer in machine form: count, lastOccurredAt, firstOccurredAt, entries, average and max, periods, symptoms (shared/contracts/nlu.md).',
    example: {
      period: { from: '2026-02-01T00:00:00+01:00', to: '2026-03-01T00:00:00+01:00' },
      count: 4,
      days: 4,
    },
  })
  result!: Record<string, unknown> | null;
  /** Present when the answer's figures come from the cache because the diary could not be read. */
  meta?: StaleMetaDto;
}

export class TurnDto {
  /** @example "2026-03-10T14:30:01.000Z" */
  at!: string;
  /** @example "how many headaches did I have last month?" */
  question!: string;
  reply!: Pick<ReplyDto, 'kind' | 'text' | 'markdown'>;
  @ApiProperty({ type: 'object', additionalProperties: true })
  frame!: Record<string, unknown>;
}

export class ConversationDto {
  /** @example "b3f1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d" */
  id!: string;
  /** @example "2026-03-10T14:29:00.000Z" */
  createdAt!: string;
  /** @example "2026-03-10T14:30:01.000Z" */
  updatedAt!: string;
  /** When it ends without another message. @example "2026-03-10T15:00:01.000Z" */
  expiresAt!: string;
  /** @example "Europe/Berlin" */
  timezone!: string;
  @ApiProperty({ type: String, nullable: true, example: null })
  person!: string | null;
  turns!: TurnDto[];
}
