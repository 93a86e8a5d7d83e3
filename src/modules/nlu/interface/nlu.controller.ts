import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems, ProblemDetailsDto } from '../../../shared/interface/api-problems.decorator';
import { visiblePeople, type Caller } from '../../auth/domain/caller';
import { Authenticated, CurrentCaller } from '../../auth/interface/auth.decorators';
import { NluService } from '../application/nlu.service';
import { ParseRequestDto } from './dto/parse-request.dto';
import { ParseResponseDto } from './dto/frame.dto';
import { presentParse } from './frame.presenter';

@ApiTags('nlu')
@ApiExtraModels(ProblemDetailsDto)
@Authenticated()
@Controller('api/nlu')
export class NluController {
  constructor(private readonly nlu: NluService) {}

  /**
   * Reads a question into the frame of the NLU contract (intent, symptoms, period, severity,
   * safety), with an `explain` part showing the spans, normalisations and rules used.
   * Deterministic: the same text, reference time and zone give the same frame. Reads no diary
   * entries, but knows the household's names: a user's questions recognise only their own.
   */
  @Post('parse')
  @HttpCode(200)
  @ApiOperation({ operationId: 'parseQuestion' })
  @ApiProblems(400)
  async parse(
    @Body() body: ParseRequestDto,
    @CurrentCaller() caller: Caller,
  ): Promise<ParseResponseDto> {
    const parsed = this.nlu.parse(body.text, {
      referenceTime: body.referenceTime === undefined ? undefined : new Date(body.referenceTime),
      timeZone: body.timezone,
      people: visiblePeople(caller, caller.role === 'admin' ? await this.nlu.people() : []),
    });
    return presentParse(parsed);
  }
}
