import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { InvalidInputError } from '../../../shared/domain/domain-error';
import { ApiProblems, ProblemDetailsDto } from '../../../shared/interface/api-problems.decorator';
import { AdminOnly } from '../../auth/interface/auth.decorators';
import { CapturedErrorsService } from '../application/captured-errors.service';
import type { CapturedError } from '../domain/captured-error';
import {
  CapturedErrorDto,
  CapturedErrorListDto,
  CapturedErrorSummaryDto,
  ListCapturedErrorsQueryDto,
} from './dto/captured-error.dto';

/** 400 naming `id` for anything but a UUID. */
export const errorIdPipe = new ParseUUIDPipe({
  exceptionFactory: () =>
    new InvalidInputError('REQUEST.VALIDATION_FAILED', 'The request has 1 invalid parameter: id.', [
      { name: 'id', reason: 'id must be an error id (a UUID)' },
    ]),
});

const summary = (e: CapturedError): CapturedErrorSummaryDto => ({
  id: e.id,
  occurredAt: e.occurredAt.toISOString(),
  requestId: e.requestId,
  method: e.method,
  route: e.route,
  status: e.status,
  code: e.code,
  name: e.name,
  message: e.message,
});

function instant(name: 'from' | 'to', value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) {
    throw new InvalidInputError(
      'REQUEST.VALIDATION_FAILED',
      `The request has 1 invalid parameter: ${name}.`,
      [{ name, reason: `${name} must be a valid date or date-time` }],
    );
  }
  return at;
}

/**
 * The error store (docs/errors.md), for admins: server-side errors with their request id, route,
 * status, code, redacted message and stack. Newest first.
 */
@ApiTags('admin')
@ApiExtraModels(ProblemDetailsDto)
@AdminOnly()
@Controller('api/admin/errors')
export class AdminErrorsController {
  constructor(private readonly errors: CapturedErrorsService) {}

  /** Captured errors, newest first, filtered by time, route template, code or request id. */
  @Get()
  @ApiOperation({ operationId: 'listCapturedErrors' })
  @ApiProblems(400, 503)
  async list(@Query() query: ListCapturedErrorsQueryDto): Promise<CapturedErrorListDto> {
    const from = instant('from', query.from);
    const to = instant('to', query.to);
    if (from && to && from >= to) {
      throw new InvalidInputError(
        'REQUEST.VALIDATION_FAILED',
        'The request has 1 invalid parameter: from.',
        [{ name: 'from', reason: 'from must be before to' }],
      );
    }
    const { items, total } = await this.errors.find({
      from,
      to,
      route: query.route,
      code: query.code,
      requestId: query.requestId,
      page: query.page,
      limit: query.limit,
    });
    return {
      data: items.map(summary),
      meta: { total, page: query.page, limit: query.limit },
    };
  }

  /** One captured error, with its (redacted) stack. */
  @Get(':id')
  @ApiOperation({ operationId: 'getCapturedError' })
  @ApiParam({
    name: 'id',
    description: 'The error id (a UUID; the `errorId` of the log line)',
    schema: { type: 'string', format: 'uuid', maxLength: 36 },
  })
  @ApiProblems(400, 404, 503)
  async get(@Param('id', errorIdPipe) id: string): Promise<CapturedErrorDto> {
    const found = await this.errors.get(id);
    return { ...summary(found), stack: found.stack };
  }
}
