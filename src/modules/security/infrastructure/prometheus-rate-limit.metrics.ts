import { counter } from '../../../shared/infrastructure/prometheus';
import { RateLimitMetrics } from '../application/rate-limit-metrics';

/** `rate_limit_rejections_total{route}`. */
export class PrometheusRateLimitMetrics extends RateLimitMetrics {
  private readonly rejections = counter({
    name: 'rate_limit_rejections_total',
    help: 'Requests refused with 429 by the rate limit, by route template (unmatched: no route)',
    labelNames: ['route'] as const,
  });

  rejected(route: string): void {
    this.rejections.inc({ route });
  }
}
