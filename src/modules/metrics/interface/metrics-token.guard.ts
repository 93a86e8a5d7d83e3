import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { UnauthenticatedError } from '../../../shared/domain/domain-error';
import { MetricsAccess } from '../application/metrics-access';

/** GET /metrics with METRICS_TOKEN set: the token, or a 401 problem (never which part was wrong). */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  constructor(private readonly access: MetricsAccess) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (this.access.allows(request.headers.authorization)) return true;
    throw new UnauthenticatedError(
      'METRICS.UNAUTHENTICATED',
      'The metrics need the metrics token: send Authorization: Bearer <METRICS_TOKEN>.',
      'Bearer realm="metrics"',
    );
  }
}
