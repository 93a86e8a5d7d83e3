import { Module } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { diaryConfig, DiaryConfig } from '../../config/configuration';
import { DIARY_DATA_SOURCE } from '../../infrastructure/database/database.module';
import { GetSymptomCatalogUseCase } from './application/get-symptom-catalog.use-case';
import { ListSymptomEntriesUseCase } from './application/list-symptom-entries.use-case';
import { SymptomEntryRepository } from './application/symptom-entry.repository';
import { SymptomCatalog } from './domain/symptom-catalog';
import { SymptomVocabulary } from './domain/symptom-vocabulary';
import { DiaryClock } from './infrastructure/diary-clock';
import { SymptomLogSchema } from './infrastructure/symptom-log.record';
import { SymptomNameIndex } from './infrastructure/symptom-name-index';
import { TypeOrmSymptomEntryRepository } from './infrastructure/typeorm-symptom-entry.repository';
import { SymptomsController } from './interface/symptoms.controller';

/** The diary's symptom entries: catalog, vocabulary, listing (US-BE-01, 08, 09, 11). */
@Module({
  imports: [TypeOrmModule.forFeature([SymptomLogSchema], DIARY_DATA_SOURCE)],
  controllers: [SymptomsController],
  providers: [
    { provide: SymptomCatalog, useValue: SymptomCatalog.standard },
    { provide: SymptomVocabulary, useFactory: () => SymptomVocabulary.standard() },
    {
      provide: DiaryClock,
      inject: [diaryConfig.KEY],
      useFactory: (diary: DiaryConfig) => new DiaryClock(diary.timeZone),
    },
    {
      provide: SymptomEntryRepository,
      inject: [
        getDataSourceToken(DIARY_DATA_SOURCE),
        DiaryClock,
        SymptomVocabulary,
        diaryConfig.KEY,
      ],
      useFactory: (
        dataSource: DataSource,
        clock: DiaryClock,
        vocabulary: SymptomVocabulary,
        diary: DiaryConfig,
      ) =>
        new TypeOrmSymptomEntryRepository(
          dataSource,
          clock,
          (load) => new SymptomNameIndex(load, vocabulary, diary.nameCacheTtlSeconds * 1000),
        ),
    },
    ListSymptomEntriesUseCase,
    GetSymptomCatalogUseCase,
  ],
  exports: [SymptomEntryRepository, SymptomCatalog, SymptomVocabulary, DiaryClock],
})
export class SymptomsModule {}
