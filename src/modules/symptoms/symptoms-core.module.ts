import { Module } from '@nestjs/common';
import { diaryConfig, DiaryConfig } from '../../config/configuration';
import { ZoneClock } from '../../shared/domain/zone-clock';
import { SymptomCatalog } from './domain/symptom-catalog';
import { SymptomVocabulary } from './domain/symptom-vocabulary';
import { DiaryClock } from './infrastructure/diary-clock';

/**
 * What every reader of the diary shares, whatever the data source: the catalog, the vocabulary
 * and the diary's clock. Imported by the symptoms module, the direct adapters and the bridge.
 */
@Module({
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
  ],
  exports: [SymptomCatalog, SymptomVocabulary, DiaryClock, ZoneClock],
})
export class SymptomsCoreModule {}
