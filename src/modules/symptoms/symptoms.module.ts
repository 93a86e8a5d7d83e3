import { Module } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { diaryConfig, DiaryConfig } from '../../config/configuration';
import { DIARY_DATA_SOURCE } from '../../infrastructure/database/database.module';
import { ZoneClock } from '../../shared/domain/zone-clock';
import { DiaryQueriesService } from './application/diary-queries.service';
import { DiaryStatisticsRepository } from './application/diary-statistics.repository';
import { GetSymptomCatalogUseCase } from './application/get-symptom-catalog.use-case';
import { ListSymptomEntriesUseCase } from './application/list-symptom-entries.use-case';
import { SymptomEntryRepository } from './application/symptom-entry.repository';
import { SymptomCatalog } from './domain/symptom-catalog';
import { SymptomVocabulary } from './domain/symptom-vocabulary';
import { DiaryClock } from './infrastructure/diary-clock';
import { SymptomLogSchema } from './infrastructure/symptom-log.record';
import { SymptomNameIndex } from './infrastructure/symptom-name-index';
import { TypeOrmDiaryStatisticsRepository } from './infrastructure/typeorm-diary-statistics.repository';
import {
  recordedNamesLoader,
  TypeOrmSymptomEntryRepository,
} from './infrastructure/typeorm-symptom-entry.repository';
import { SymptomStatsController } from './interface/symptom-stats.controller';
import { SymptomsController } from './interface/symptoms.controller';

/**
 * The diary's symptom entries: catalog, vocabulary, listing (US-BE-01, 08, 09, 11), and the
 * question kinds of the chat as DiaryQueriesService (exported for the chat) behind the chart
 * endpoints under /api/health/symptoms/stats.
 */
@Module({
  imports: [TypeOrmModule.forFeature([SymptomLogSchema], DIARY_DATA_SOURCE)],
  controllers: [SymptomsController, SymptomStatsController],
  providers: [
    { provide: SymptomCatalog, useValue: SymptomCatalog.standard },
    { provide: SymptomVocabulary, useFactory: () => SymptomVocabulary.standard() },
    {
      provide: DiaryClock,
      inject: [diaryConfig.KEY],
      useFactory: (diary: DiaryConfig) => new DiaryClock(diary.timeZone),
    },
    {
      provide: ZoneClock,
      inject: [diaryConfig.KEY],
      useFactory: (diary: DiaryConfig) => ZoneClock.of(diary.timeZone),
    },
    {
      // One index for both adapters: one cache, one refresh, the same names in every query.
      provide: SymptomNameIndex,
      inject: [getDataSourceToken(DIARY_DATA_SOURCE), SymptomVocabulary, diaryConfig.KEY],
      useFactory: (dataSource: DataSource, vocabulary: SymptomVocabulary, diary: DiaryConfig) =>
        new SymptomNameIndex(
          recordedNamesLoader(dataSource),
          vocabulary,
          diary.nameCacheTtlSeconds * 1000,
        ),
    },
    {
      provide: SymptomEntryRepository,
      inject: [getDataSourceToken(DIARY_DATA_SOURCE), DiaryClock, SymptomNameIndex],
      useFactory: (dataSource: DataSource, clock: DiaryClock, names: SymptomNameIndex) =>
        new TypeOrmSymptomEntryRepository(dataSource, clock, names),
    },
    {
      provide: DiaryStatisticsRepository,
      inject: [getDataSourceToken(DIARY_DATA_SOURCE), DiaryClock, SymptomNameIndex],
      useFactory: (dataSource: DataSource, clock: DiaryClock, names: SymptomNameIndex) =>
        new TypeOrmDiaryStatisticsRepository(dataSource, clock, names),
    },
    ListSymptomEntriesUseCase,
    GetSymptomCatalogUseCase,
    DiaryQueriesService,
  ],
  exports: [
    SymptomEntryRepository,
    SymptomCatalog,
    SymptomVocabulary,
    DiaryClock,
    DiaryQueriesService,
  ],
})
export class SymptomsModule {}
