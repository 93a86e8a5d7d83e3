import { counter } from '../../../shared/infrastructure/prometheus';
import { ErrorMetrics } from '../application/error-metrics';

/** `errors_captured_total{route,code}` and `error_store_write_failures_total`. */
export class PrometheusErrorMetrics extends ErrorMetrics {
  private readonly capturedTotal = counter({
    name: 'errors_captured_total',
    help: 'Server-side errors captured by the error store, by route template and error code',
    labelNames: ['route', 'code'] as const,
  });
  private readonly failures = counter({
    name: 'error_store_write_failures_total',
    help: 'Captured errors that could not be written to the error store (logged all the same)',
  });

  captured(route: string, code: string): void {
    this.capturedTotal.inc({ route, code });
  }

  storeFailed(): void {
    this.failures.inc();
  }
}
