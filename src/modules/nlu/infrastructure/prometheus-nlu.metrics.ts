import { histogram } from '../../../shared/infrastructure/prometheus';
import { NluMetrics } from '../application/nlu-metrics';

/** `nlu_parse_duration_seconds{intent}`: parsing is CPU work of a millisecond or so. */
export class PrometheusNluMetrics extends NluMetrics {
  private readonly duration = histogram({
    name: 'nlu_parse_duration_seconds',
    help: 'Time to parse one question, by the intent it was read as',
    labelNames: ['intent'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
  });

  parsed(intent: string, seconds: number): void {
    this.duration.observe({ intent }, seconds);
  }
}
