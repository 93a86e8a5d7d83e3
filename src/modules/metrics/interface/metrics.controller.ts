import { Controller, Get, Header, Res, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import { ApiProblems, ProblemDetailsDto } from '../../../shared/interface/api-problems.decorator';
import { Public } from '../../../shared/interface/public.decorator';
import { ScrapeMetricsUseCase } from '../application/scrape-metrics.use-case';
import { MetricsTokenGuard } from './metrics-token.guard';

const EXAMPLE = `# HELP http_requests_total HTTP requests answered, by method, route template and status
# TYPE http_requests_total counter
http_requests_total{method="GET",route="/api/health/symptoms",status="200"} 1027
# HELP app_info The running build: version, Node.js version and role (api or bridge); always 1
# TYPE app_info gauge
app_info{version="0.1.0",node_version="v24.11.0",role="api"} 1
`;

/**
 * Prometheus's scrape endpoint. Not for users: nginx never proxies it (404 from outside), no
 * access token (Prometheus has none), not rate limited and not logged; METRICS_TOKEN, when set,
 * is required as a bearer token.
 */
@ApiTags('operations')
@ApiExtraModels(ProblemDetailsDto)
@Public()
@SkipThrottle()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly scrapeMetrics: ScrapeMetricsUseCase) {}

  /**
   * Every metric of this process in Prometheus's text exposition format: HTTP requests and
   * latency by route template and status, NLU and chat, caches, circuit breaker, database pools,
   * dependencies, rate limits, captured errors, and Node.js's own (docs/metrics.md). Requires
   * `Authorization: Bearer <METRICS_TOKEN>` when METRICS_TOKEN is set.
   */
  @Get()
  @UseGuards(MetricsTokenGuard)
  @ApiOperation({ operationId: 'getMetrics', summary: 'Prometheus metrics (for the scraper)' })
  @ApiBearerAuth('metricsToken')
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: 'The metrics, in Prometheus text format 0.0.4',
    content: {
      'text/plain': { schema: { type: 'string', maxLength: 10_000_000 }, example: EXAMPLE },
    },
  })
  @ApiProblems(401)
  @Header('cache-control', 'no-store')
  async metrics(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const { contentType, body } = await this.scrapeMetrics.scrape();
    void reply.header('content-type', contentType);
    return body;
  }
}
