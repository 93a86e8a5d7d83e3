import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TerminusModule } from '@nestjs/terminus';
import {
  KeyRing,
  MemoryNonceStore,
  parseKeyRing,
  RequestVerifier,
} from '../../../../libs/bridge-protocol/src';
import {
  appConfig,
  bridgeServerConfig,
  type BridgeServerConfig,
  databaseConfig,
  diaryConfig,
} from '../../../config/configuration';
import { validateEnvironment } from '../../../config/environment';
import { DIARY_APPLICATION_NAME } from '../../../infrastructure/database/database.module';
import { LoggingModule } from '../../../shared/infrastructure/logging.module';
import { ReadinessService } from '../../health/application/readiness.service';
import { DependencyProbe, ReadinessProbes } from '../../health/domain/dependency-probe';
import { HealthController } from '../../health/interface/health.controller';
import { DIARY_PROBE, SOURCE_EXECUTOR } from '../../symptoms/application/diary-sources';
import { DirectDiaryModule } from '../../symptoms/infrastructure/direct/direct-diary.module';
import type { DiaryQueryExecutor } from '../../symptoms/infrastructure/queries/diary-query';
import { MetricsModule } from '../../metrics/metrics.module';
import { BridgeAuthMetrics } from './application/bridge-auth-metrics';
import { BridgeAuthenticator } from './application/bridge-authenticator';
import { NamedQueryRunner } from './application/named-query.runner';
import { QueryLimiter } from './application/query-limiter';
import { ServeBridgeQueryUseCase } from './application/serve-bridge-query.use-case';
import { CatalogueQueryRunner } from './infrastructure/catalogue-query.runner';
import { PrometheusBridgeAuthMetrics } from './infrastructure/prometheus-bridge-auth.metrics';
import { BridgeQueryController } from './interface/bridge-query.controller';
import { BridgeSignatureGuard } from './interface/bridge-signature.guard';

/** The application_name of the bridge's diary sessions (the API's is symptom-diary-api). */
export const BRIDGE_APPLICATION_NAME = 'symptom-diary-bridge';

/** Names the bridge's database sessions; DatabaseModule picks the token up when bound. */
@Global()
@Module({
  providers: [{ provide: DIARY_APPLICATION_NAME, useValue: BRIDGE_APPLICATION_NAME }],
  exports: [DIARY_APPLICATION_NAME],
})
class BridgeSessionNameModule {}

/**
 * The bridge process (npm run start:bridge): the only holder of the diary database's
 * credentials. Serves the named read queries to signed clients, within its own limits, and its
 * own /health/live and /health/ready. Composition only; `register()` (rather than a static
 * decorator) so that the environment is read when the app is built, not when this file loads.
 */
@Module({})
export class BridgeServerModule {
  static register(): DynamicModule {
    return {
      module: BridgeServerModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          validate: validateEnvironment,
          load: [appConfig, databaseConfig, diaryConfig, bridgeServerConfig],
        }),
        LoggingModule,
        BridgeSessionNameModule,
        DirectDiaryModule,
        TerminusModule.forRoot({ errorLogStyle: 'json', gracefulShutdownTimeoutMs: 0 }),
        // Its own GET /metrics (METRICS_TOKEN as on the API), scraped by Prometheus on :4000.
        MetricsModule.register({ role: 'bridge' }),
      ],
      controllers: [BridgeQueryController, HealthController],
      providers: [
        {
          provide: KeyRing,
          inject: [bridgeServerConfig.KEY],
          useFactory: (config: BridgeServerConfig) => parseKeyRing(config.keys ?? ''),
        },
        { provide: BridgeAuthMetrics, useClass: PrometheusBridgeAuthMetrics },
        {
          provide: BridgeAuthenticator,
          inject: [KeyRing, BridgeAuthMetrics],
          // Nonces live in this process: run one bridge instance per key set (docs/bridge.md).
          useFactory: (keys: KeyRing, metrics: BridgeAuthMetrics) =>
            new BridgeAuthenticator(
              new RequestVerifier({ keys, nonces: new MemoryNonceStore() }),
              keys,
              metrics,
            ),
        },
        BridgeSignatureGuard,
        {
          provide: NamedQueryRunner,
          inject: [SOURCE_EXECUTOR],
          useFactory: (executor: DiaryQueryExecutor) => new CatalogueQueryRunner(executor),
        },
        {
          provide: QueryLimiter,
          inject: [bridgeServerConfig.KEY],
          useFactory: (config: BridgeServerConfig) =>
            new QueryLimiter({ maxConcurrency: config.maxConcurrency, maxRps: config.maxRps }),
        },
        {
          provide: ServeBridgeQueryUseCase,
          inject: [NamedQueryRunner, QueryLimiter],
          useFactory: (runner: NamedQueryRunner, limiter: QueryLimiter) =>
            new ServeBridgeQueryUseCase(runner, limiter),
        },
        {
          provide: ReadinessProbes,
          inject: [DIARY_PROBE],
          useFactory: (diary: DependencyProbe) => new ReadinessProbes([diary]),
        },
        ReadinessService,
      ],
    };
  }
}
