import { DynamicModule, Module } from '@nestjs/common';
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
  static register(source: DynamicModule | (new () => unknown)): DynamicModule {
    return {
      module: SymptomsModule,
      // Registered once by the composition root; the NLU and the chat use its exports.
      global: true,
      imports: [SymptomsCoreModule, source],
      controllers: [SymptomsController, SymptomStatsController],
      providers: [
        { provide: DiaryQueryExecutor, useExisting: SOURCE_EXECUTOR },
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
      exports: [SymptomEntryRepository, SymptomsCoreModule, DiaryQueriesService],
    };
  }
}
