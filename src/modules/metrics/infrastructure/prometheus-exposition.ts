import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { collectDefaultMetrics, register } from 'prom-client';
import { gauge } from '../../../shared/infrastructure/prometheus';
import { Exposition, MetricsExposition } from '../application/metrics-exposition';

export type ProcessRole = 'api' | 'bridge';

/** prom-client's default registry in Prometheus's text format (version 0.0.4). */
export class PrometheusExposition extends MetricsExposition {
  async render(): Promise<Exposition> {
    return { contentType: register.contentType, body: await register.metrics() };
  }
}

/**
 * prom-client's default metrics (process_*, nodejs_eventloop_lag_*, nodejs_heap_*, GC), without
 * prefix, started once per process however many apps boot in it.
 */
export function startDefaultMetrics(): void {
  if (register.getSingleMetric('process_cpu_user_seconds_total') !== undefined) return;
  collectDefaultMetrics({ register });
}

/** `app_info{version,node_version,role} 1`: which build runs where (a dashboard's first row). */
export function recordAppInfo(role: ProcessRole, version: string = packageVersion()): void {
  gauge({
    name: 'app_info',
    help: 'The running build: version, Node.js version and role (api or bridge); always 1',
    labelNames: ['version', 'node_version', 'role'] as const,
  }).set({ version, node_version: process.version, role }, 1);
}

let cachedVersion: string | undefined;

/** The version in the nearest package.json above this file (src/ under ts-jest, dist/src/ built). */
export function packageVersion(): string {
  if (cachedVersion !== undefined) return cachedVersion;
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const parsed = JSON.parse(readFileSync(candidate, 'utf8')) as { version?: unknown };
      cachedVersion = typeof parsed.version === 'string' ? parsed.version : 'unknown';
      return cachedVersion;
    }
    dir = dirname(dir);
  }
  cachedVersion = 'unknown';
  return cachedVersion;
}
