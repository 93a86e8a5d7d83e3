import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck } from '@nestjs/terminus';
import type { HealthCheckResult } from '@nestjs/terminus';
import { ReadinessService } from '../application/readiness.service';
import { Public } from '../../../shared/interface/public.decorator';

/** Probes for operators and orchestrators; not logged, no authentication. */
@ApiTags('health')
// Orchestrators and load balancers probe without signing in.
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly readiness: ReadinessService) {}

  /** Liveness: the process answers. Does no I/O. */
  @Get('live')
  @HealthCheck()
  @ApiOperation({ operationId: 'getLiveness' })
  live(): Promise<HealthCheckResult> {
    return this.readiness.live();
  }

  /** Readiness: every dependency answers within its timeout; 503 with details otherwise. */
  @Get('ready')
  @HealthCheck()
  @ApiOperation({ operationId: 'getReadiness' })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    try {
      return await this.readiness.ready();
    } catch (error) {
      // Probes answer Terminus's own body (status, info, error, details), 503 when not ready.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      void reply.status(503);
      return error.getResponse() as HealthCheckResult;
    }
  }
}
