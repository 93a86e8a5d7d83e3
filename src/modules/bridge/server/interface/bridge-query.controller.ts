import {
  Controller,
  HttpCode,
  HttpException,
  HttpStatus,
  Post,
  Req,
  Res,
  UnsupportedMediaTypeException,
  UseGuards,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type BridgeQueryResponse, QUERY_PATH } from '../../../../../libs/bridge-protocol/src';
import { BridgeOverloadedError } from '../application/bridge-overloaded.error';
import { ServeBridgeQueryUseCase } from '../application/serve-bridge-query.use-case';
import { BridgeSignatureGuard } from './bridge-signature.guard';
import { isJsonContentType, parseQueryEnvelope } from './query-envelope';

/**
 * `POST /bridge/v1/query`: one named, parameter-validated, read-only diary query per request.
 * Signed requests only (the guard runs before the body is parsed). Answers
 * `{ name, result, tookMs }`; 400 for an unknown name or bad params, 401 unsigned, 429 over the
 * bridge's limits, 503/504 when the diary cannot answer, always as problem+json.
 */
@Controller()
@UseGuards(BridgeSignatureGuard)
export class BridgeQueryController {
  constructor(private readonly serve: ServeBridgeQueryUseCase) {}

  @Post(QUERY_PATH)
  @HttpCode(HttpStatus.OK)
  async query(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BridgeQueryResponse<unknown>> {
    if (!isJsonContentType(request.headers['content-type'])) {
      throw new UnsupportedMediaTypeException('The query must be sent as application/json.');
    }
    const envelope = parseQueryEnvelope(request.body);
    try {
      return await this.serve.execute(envelope);
    } catch (error) {
      if (!(error instanceof BridgeOverloadedError)) throw error;
      // The problem filter keeps headers already set on the reply.
      void reply.header('retry-after', String(error.retryAfterSeconds));
      throw new HttpException(error.message, HttpStatus.TOO_MANY_REQUESTS);
    }
  }
}
