import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
} from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { InvalidInputError } from '../../../shared/domain/domain-error';
import { ApiProblems, ProblemDetailsDto } from '../../../shared/interface/api-problems.decorator';
import { scopedPerson, type Caller } from '../../auth/domain/caller';
import { Authenticated, CurrentCaller } from '../../auth/interface/auth.decorators';
import { presentFrame } from '../../nlu/interface/frame.presenter';
import { ChatService } from '../application/chat.service';
import { type ConversationState, loadFrame } from '../domain/conversation';
import {
  ConversationDto,
  MessageResponseDto,
  PostMessageDto,
  StartConversationDto,
} from './dto/conversation.dto';

const conversationId = new ParseUUIDPipe({
  version: '4',
  exceptionFactory: () =>
    new InvalidInputError('REQUEST.VALIDATION_FAILED', 'The request has 1 invalid parameter: id.', [
      { name: 'id', reason: 'id must be a conversation id (a UUID)' },
    ]),
});

/**
 * Conversations belong to the user who started them: anyone else's id answers 404. A user's
 * conversation reads only their own person's entries; an admin's reads the person it names, or
 * the whole household.
 */
@ApiTags('conversations')
@ApiExtraModels(ProblemDetailsDto)
@Authenticated()
@Controller('api/conversations')
export class ConversationsController {
  constructor(private readonly chat: ChatService) {}

  /** Starts a conversation; it lives until it has had no message for the configured time. */
  @Post()
  @ApiOperation({ operationId: 'startConversation' })
  @ApiProblems(400, 404, 503)
  async start(
    @Body() body: StartConversationDto,
    @CurrentCaller() caller: Caller,
  ): Promise<ConversationDto> {
    return this.present(
      await this.chat.start({
        ownerId: caller.userId,
        timeZone: body.timezone,
        person: scopedPerson(caller, body.person),
      }),
    );
  }

  /**
   * Asks a question. Follow-ups inherit what they do not say from earlier turns ("and the week
   * before?", "how bad was it?"). The reply states the period it used; `result` holds the figures.
   * An expired or unknown conversation answers 404: start a new one.
   */
  @Post(':id/messages')
  @HttpCode(200)
  @ApiOperation({ operationId: 'postMessage' })
  @ApiParam({
    name: 'id',
    description: 'The conversation id (a UUID)',
    schema: { type: 'string', format: 'uuid', maxLength: 36 },
  })
  @ApiProblems(400, 404, 503, 504)
  async message(
    @Param('id', conversationId) id: string,
    @Body() body: PostMessageDto,
    @CurrentCaller() caller: Caller,
  ): Promise<MessageResponseDto> {
    const turn = await this.chat.ask(id, caller.userId, {
      text: body.text,
      referenceTime: body.referenceTime === undefined ? undefined : new Date(body.referenceTime),
      timeZone: body.timezone,
    });
    return {
      conversationId: turn.conversationId,
      reply: {
        kind: turn.reply.kind,
        text: turn.reply.text,
        markdown: turn.reply.markdown,
        sections: turn.reply.sections.map((s) => ({
          ...s,
          items: s.items ? [...s.items] : undefined,
          columns: s.columns ? [...s.columns] : undefined,
          rows: s.rows ? s.rows.map((r) => [...r]) : undefined,
        })),
        chart: turn.reply.chart
          ? {
              type: turn.reply.chart.type,
              unit: turn.reply.chart.unit,
              series: turn.reply.chart.series.map((s) => ({ name: s.name, points: [...s.points] })),
            }
          : null,
      },
      frame: presentFrame(turn.frame, turn.timeZone),
      inherited: [...turn.inherited],
      result: turn.result,
    };
  }

  /** The conversation and its turns. */
  @Get(':id')
  @ApiOperation({ operationId: 'getConversation' })
  @ApiParam({
    name: 'id',
    description: 'The conversation id (a UUID)',
    schema: { type: 'string', format: 'uuid', maxLength: 36 },
  })
  @ApiProblems(400, 404, 503)
  async get(
    @Param('id', conversationId) id: string,
    @CurrentCaller() caller: Caller,
  ): Promise<ConversationDto> {
    return this.present(await this.chat.get(id, caller.userId));
  }

  /** Ends a conversation now and forgets it. */
  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ operationId: 'endConversation' })
  @ApiParam({
    name: 'id',
    description: 'The conversation id (a UUID)',
    schema: { type: 'string', format: 'uuid', maxLength: 36 },
  })
  @ApiProblems(400, 404, 503)
  async end(
    @Param('id', conversationId) id: string,
    @CurrentCaller() caller: Caller,
  ): Promise<void> {
    await this.chat.end(id, caller.userId);
  }

  private present(state: ConversationState): ConversationDto {
    return {
      id: state.id,
      createdAt: state.createdAt,
      updatedAt: state.updatedAt,
      expiresAt: this.chat.expiresAt(state),
      timezone: state.timeZone,
      person: state.person,
      turns: state.turns.map((t) => ({
        at: t.at,
        question: t.question,
        reply: { ...t.reply },
        // As the message answered it: instants with the conversation's offset.
        frame: { ...presentFrame(loadFrame(t.frame), state.timeZone) },
      })),
    };
  }
}
