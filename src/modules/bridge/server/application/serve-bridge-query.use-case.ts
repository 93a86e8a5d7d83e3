import { Logger } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import type {
  BridgeQueryRequest,
  BridgeQueryResponse,
} from '../../../../../libs/bridge-protocol/src';
import { DomainError } from '../../../../shared/domain/domain-error';
import { NamedQueryRunner } from './named-query.runner';
import { QueryLimiter } from './query-limiter';

/**
 * One authenticated `POST /bridge/v1/query`: admitted by the limits, run by name, timed. Logs the
 * query's name and duration only: params hold health-related filters and never reach a log.
 */
export class ServeBridgeQueryUseCase {
  private readonly logger = new Logger('BridgeQuery');

  constructor(
    private readonly runner: NamedQueryRunner,
    private readonly limiter: QueryLimiter,
    private readonly now: () => number = () => performance.now(),
  ) {}

  execute(request: BridgeQueryRequest): Promise<BridgeQueryResponse<unknown>> {
    return this.limiter.run(async () => {
      const started = this.now();
      const tookMs = () => Math.round(this.now() - started);
      try {
        const result = await this.runner.run(request.name, request.params);
        const response = { name: request.name, result, tookMs: tookMs() };
        this.logger.debug({ query: request.name, tookMs: response.tookMs }, 'query served');
        return response;
      } catch (error) {
        const code = error instanceof DomainError ? error.code : 'INTERNAL';
        this.logger.debug({ query: request.name, tookMs: tookMs(), code }, 'query failed');
        throw error;
      }
    });
  }
}
