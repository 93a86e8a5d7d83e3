import { DynamicModule, Inject, Module, OnModuleInit, Provider } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  databaseConfig,
  type DatabaseConfig,
  metricsConfig,
  type MetricsConfig,
} from '../../config/configuration';
import { APP_DATA_SOURCE } from '../../infrastructure/database/app-database.module';
import { DIARY_DATA_SOURCE } from '../../infrastructure/database/database.module';
import { ReadinessProbes } from '../health/domain/dependency-probe';
import { HealthModule } from '../health/health.module';
import { MetricsAccess } from './application/metrics-access';
import {
  MetricsExposition,
  SCRAPE_COLLECTORS,
  type ScrapeCollector,
} from './application/metrics-exposition';
import { ScrapeMetricsUseCase } from './application/scrape-metrics.use-case';
import { DbPoolCollector } from './infrastructure/db-pool.collector';
import { DependencyCollector } from './infrastructure/dependency.collector';
import {
  PrometheusExposition,
  type ProcessRole,
  recordAppInfo,
  startDefaultMetrics,
} from './infrastructure/prometheus-exposition';
import { MetricsController } from './interface/metrics.controller';

const METRICS_ROLE = Symbol.for('symptom-diary.metrics-role');
const DB_POOL_COLLECTOR = Symbol.for('symptom-diary.db-pool-collector');
const DEPENDENCY_COLLECTOR = Symbol.for('symptom-diary.dependency-collector');

/**
 * GET /metrics (docs/metrics.md) for the API (`role: 'api'`) or the bridge (`role: 'bridge'`):
 * prom-client's default registry with the default metrics, `app_info`, the database pools and,
 * on the API, the dependencies' readiness. HTTP metrics come from a Fastify hook registered by
 * create-app.ts; every other metric is recorded by its module's own adapter.
 */
@Module({})
export class MetricsModule implements OnModuleInit {
  constructor(@Inject(METRICS_ROLE) private readonly role: ProcessRole) {}

  onModuleInit(): void {
    startDefaultMetrics();
    recordAppInfo(this.role);
  }

  static register(options: { role: ProcessRole }): DynamicModule {
    const collectors: Provider[] = [
      {
        provide: DB_POOL_COLLECTOR,
        inject: [
          { token: getDataSourceToken(DIARY_DATA_SOURCE), optional: true },
          { token: getDataSourceToken(APP_DATA_SOURCE), optional: true },
        ],
        useFactory: (diary?: DataSource, app?: DataSource) =>
          new DbPoolCollector(
            new Map(
              [
                [DIARY_DATA_SOURCE, diary],
                [APP_DATA_SOURCE, app],
              ].filter((entry): entry is [string, DataSource] => entry[1] !== undefined),
            ),
          ),
      },
    ];
    const collectorTokens: symbol[] = [DB_POOL_COLLECTOR];
    if (options.role === 'api') {
      collectors.push({
        provide: DEPENDENCY_COLLECTOR,
        inject: [ReadinessProbes, databaseConfig.KEY],
        useFactory: (probes: ReadinessProbes, database: DatabaseConfig) =>
          new DependencyCollector(probes, database.readinessTimeoutMs),
      });
      collectorTokens.push(DEPENDENCY_COLLECTOR);
    }
    return {
      module: MetricsModule,
      imports: [
        ConfigModule.forFeature(metricsConfig),
        ...(options.role === 'api' ? [HealthModule] : []),
      ],
      controllers: [MetricsController],
      providers: [
        { provide: METRICS_ROLE, useValue: options.role },
        {
          provide: MetricsAccess,
          inject: [metricsConfig.KEY],
          useFactory: (config: MetricsConfig) => new MetricsAccess(config.token),
        },
        { provide: MetricsExposition, useClass: PrometheusExposition },
        ...collectors,
        {
          provide: SCRAPE_COLLECTORS,
          inject: collectorTokens,
          useFactory: (...found: ScrapeCollector[]) => found,
        },
        ScrapeMetricsUseCase,
      ],
    };
  }
}
