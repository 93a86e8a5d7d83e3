import { Inject, Injectable } from '@nestjs/common';
import { HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { HealthCheckResult } from '@nestjs/terminus';
import { databaseConfig, type DatabaseConfig } from '../../../config/configuration';
import { ReadinessProbes } from '../domain/dependency-probe';

/** Liveness (no I/O) and readiness (every dependency probed with a short timeout). */
@Injectable()
export class ReadinessService {
  private readonly startedAt = Date.now();

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly probes: ReadinessProbes,
    @Inject(databaseConfig.KEY) private readonly config: DatabaseConfig,
  ) {}

  live(): Promise<HealthCheckResult> {
    return this.health.check([
      () =>
        this.indicators
          .check('process')
          .up({ uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000) }),
    ]);
  }

  /** Resolves when ready; Terminus answers 503 with the details when a dependency is down. */
  ready(): Promise<HealthCheckResult> {
    return this.health.check(
      this.probes.probes.map(
        (probe) => () =>
          this.indicators
            .check(probe.name)
            .attempt(({ signal }) => probe.check(signal))
            .withTimeout(this.config.readinessTimeoutMs),
      ),
    );
  }
}
