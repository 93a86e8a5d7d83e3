import { gauge } from '../../../shared/infrastructure/prometheus';
import type { DependencyProbe, ReadinessProbes } from '../../health/domain/dependency-probe';
import { ScrapeCollector } from '../application/metrics-exposition';

/** The readiness probes that stand for a dependency (diaryReads is a report, not a dependency). */
export const DEPENDENCIES: readonly string[] = ['database', 'redis', 'bridge'];

/**
 * `dependency_up{dependency}`: each dependency's readiness probe (the very check /health/ready
 * runs), run on every scrape with the readiness timeout; 1 when it answers, 0 when not.
 */
export class DependencyCollector extends ScrapeCollector {
  private readonly gauge = gauge({
    name: 'dependency_up',
    help: 'Whether a dependency answers its readiness probe (1) or not (0): database, redis, bridge',
    labelNames: ['dependency'] as const,
  });
  private readonly probes: readonly DependencyProbe[];

  constructor(
    readiness: ReadinessProbes,
    private readonly timeoutMs: number,
  ) {
    super();
    this.probes = readiness.probes.filter((probe) => DEPENDENCIES.includes(probe.name));
  }

  async collect(): Promise<void> {
    await Promise.all(
      this.probes.map(async (probe) => {
        const up = await withTimeout(
          probe.check(AbortSignal.timeout(this.timeoutMs)),
          this.timeoutMs,
        )
          .then(() => true)
          .catch(() => false);
        this.gauge.set({ dependency: probe.name }, up ? 1 : 0);
      }),
    );
  }
}

/** A probe that ignores its signal still counts as down once the timeout has passed. */
function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('probe timed out')), ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
