import type { FastifyInstance } from 'fastify';
import { counter, histogram } from '../../../shared/infrastructure/prometheus';
import { METRICS_PATH, methodLabel, routeLabel } from '../domain/metric-labels';

/** Seconds; 0.2 is a bucket boundary so that the p95 > 200 ms alert is read off exactly. */
export const HTTP_DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2.5, 5, 10,
] as const;

const LABELS = ['method', 'route', 'status'] as const;

/**
 * `http_requests_total` and `http_request_duration_seconds` for every answer, whatever answered
 * it (a controller, a guard's 401/429, the router's 404, a body refused while parsing): a Fastify
 * onResponse hook sees them all, which a Nest interceptor would not. Labels are the route's
 * template (never the path sent, never the query), the method and the status. GET /metrics
 * itself is not counted. Registered by create-app.ts before any route.
 */
export function registerHttpMetrics(fastify: FastifyInstance): void {
  const requests = counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route template and status',
    labelNames: LABELS,
  });
  const duration = histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from receiving a request to the end of its answer, by method, route template and status',
    labelNames: LABELS,
    buckets: [...HTTP_DURATION_BUCKETS],
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const template = request.routeOptions?.url;
    if (template === METRICS_PATH) {
      done();
      return;
    }
    const labels = {
      method: methodLabel(request.method),
      route: routeLabel(template, !request.is404),
      status: String(reply.statusCode),
    };
    requests.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
    done();
  });
}
