import { DynamicModule, Module, Type } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { resilienceConfig, type ResilienceConfig } from '../../config/configuration';
import { RequestFreshness } from '../../shared/infrastructure/request-freshness';
import {
  FreshnessContext,
  StaleDataInterceptor,
} from '../../shared/interface/stale-data.interceptor';
import { DiaryQueriesService } from './application/diary-queries.service';
import { SOURCE_EXECUTOR } from './application/diary-sources';
import { DiaryStatisticsRepository } from './application/diary-statistics.repository';
import { GetSymptomCatalogUseCase } from './application/get-symptom-catalog.use-case';
import { ListSymptomEntriesUseCase } from './application/list-symptom-entries.use-case';
import { SymptomEntryRepository } from './application/symptom-entry.repository';
import { DiaryQueryExecutor } from './infrastructure/queries/diary-query';
import {
  ExecutorDiaryStatisticsRepository,
  ExecutorSymptomEntryRepository,
} from './infrastructure/queries/executor-backed.repositories';
import { DiaryReadsProbe } from './infrastructure/resilience/diary-reads.probe';
import { DiaryResponseCache } from './infrastructure/resilience/diary-response.cache';
import { ResilientQueryExecutor } from './infrastructure/resilience/resilient-query.executor';
import { SymptomsCoreModule } from './symptoms-core.module';
import { SymptomStatsController } from './interface/symptom-stats.controller';
import { SymptomsController } from './interface/symptoms.controller';

/**
 * The diary's symptom entries: catalog, vocabulary, listing (US-BE-01, 08, 09, 11), and the
 * question kinds of the chat as DiaryQueriesService (exported for the chat) behind the chart
 * endpoints under /api/health/symptoms/stats. The diary is read through a source module (direct
 * database access, or the bridge client), chosen by the composition root.
 */
@Module({})
export class SymptomsModule {
  static register(source: DynamicModule | Type): DynamicModule {
    return {
      module: SymptomsModule,
      // Registered once by the composition root; the NLU and the chat use its exports.
      global: true,
      imports: [SymptomsCoreModule, source],
      controllers: [SymptomsController, SymptomStatsController],
      providers: [
        {
          // Timeouts, retries, breaker and response cache around whichever source reads the diary
          // (docs/architecture.md, "Surviving failures of the diary"). Closes the cache on shutdown.
          provide: ResilientQueryExecutor,
          inject: [SOURCE_EXECUTOR, resilienceConfig.KEY],
          useFactory: (source: DiaryQueryExecutor, config: ResilienceConfig) =>
            new ResilientQueryExecutor(
              source,
              config.cache.enabled
                ? DiaryResponseCache.create({
                    redisUrl: config.cache.redisUrl,
                    maxEntries: config.cache.maxEntries,
                  })
                : undefined,
              config,
            ),
        },
        { provide: DiaryQueryExecutor, useExisting: ResilientQueryExecutor },
        {
          provide: DiaryReadsProbe,
          inject: [ResilientQueryExecutor],
          useFactory: (executor: ResilientQueryExecutor) => new DiaryReadsProbe(executor),
        },
        // Stale answers are marked on the response (header and meta.stale).
        { provide: FreshnessContext, useFactory: (): FreshnessContext => RequestFreshness },
        { provide: APP_INTERCEPTOR, useClass: StaleDataInterceptor },
        {
          provide: SymptomEntryRepository,
          inject: [DiaryQueryExecutor],
          useFactory: (executor: DiaryQueryExecutor) =>
            new ExecutorSymptomEntryRepository(executor),
        },
        {
          provide: DiaryStatisticsRepository,
          inject: [DiaryQueryExecutor],
          useFactory: (executor: DiaryQueryExecutor) =>
            new ExecutorDiaryStatisticsRepository(executor),
        },
        ListSymptomEntriesUseCase,
        GetSymptomCatalogUseCase,
        DiaryQueriesService,
      ],
      exports: [SymptomEntryRepository, SymptomsCoreModule, DiaryQueriesService, DiaryReadsProbe],
    };
  }
}
