import { Global, Module } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { diaryConfig, DiaryConfig } from '../../../../config/configuration';
import {
  DatabaseModule,
  DIARY_DATA_SOURCE,
} from '../../../../infrastructure/database/database.module';
import { DiaryConnection } from '../../../../infrastructure/database/diary-connection';
import { DIARY_PROBE, SOURCE_EXECUTOR } from '../../application/diary-sources';
import { SymptomVocabulary } from '../../domain/symptom-vocabulary';
import { SymptomsCoreModule } from '../../symptoms-core.module';
import { DiaryClock } from '../diary-clock';
import { SymptomLogSchema } from '../symptom-log.record';
import { SymptomNameIndex } from '../symptom-name-index';
import { TypeOrmDiaryStatisticsRepository } from '../typeorm-diary-statistics.repository';
import {
  recordedNamesLoader,
  TypeOrmSymptomEntryRepository,
} from '../typeorm-symptom-entry.repository';
import { SourceQueryExecutor } from '../queries/diary-query';
import { DiaryDatabaseProbe } from './diary-database.probe';

/**
 * DATA_SOURCE=direct (and the bridge process itself): the diary read straight from its database
 * through TypeORM, read-only. Provides the source executor and the database readiness probe.
 */
@Global()
@Module({
  imports: [
    DatabaseModule,
    SymptomsCoreModule,
    TypeOrmModule.forFeature([SymptomLogSchema], DIARY_DATA_SOURCE),
  ],
  providers: [
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
      provide: SOURCE_EXECUTOR,
      inject: [getDataSourceToken(DIARY_DATA_SOURCE), DiaryClock, SymptomNameIndex],
      useFactory: (dataSource: DataSource, clock: DiaryClock, names: SymptomNameIndex) =>
        new SourceQueryExecutor({
          entries: new TypeOrmSymptomEntryRepository(dataSource, clock, names),
          statistics: new TypeOrmDiaryStatisticsRepository(dataSource, clock, names),
        }),
    },
    {
      provide: DIARY_PROBE,
      inject: [getDataSourceToken(DIARY_DATA_SOURCE), DiaryConnection],
      useFactory: (dataSource: DataSource, connection: DiaryConnection) =>
        new DiaryDatabaseProbe(dataSource, connection.isEmbedded),
    },
  ],
  exports: [SOURCE_EXECUTOR, DIARY_PROBE],
})
export class DirectDiaryModule {}
