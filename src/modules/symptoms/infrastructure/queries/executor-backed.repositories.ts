import type {
  BucketTotals,
  ConceptTotals,
  EntryTotals,
  OccurrenceOrder,
  SeverityTotals,
} from '../../application/diary-statistics.repository';
import { DiaryStatisticsRepository } from '../../application/diary-statistics.repository';
import { SymptomEntryRepository } from '../../application/symptom-entry.repository';
import type { DiaryFilter, PersonTally } from '../../domain/diary-statistics';
import type { ConceptCount, SymptomEntry } from '../../domain/symptom-entry';
import type {
  Page,
  PageRequest,
  SymptomEntryFilter,
  SymptomSort,
} from '../../domain/symptom-entry-filter';
import type { TrendBucketUnit } from '../../domain/trend';
import type { DiaryQueryExecutor } from './diary-query';
import * as Q from './diary-queries.catalogue';

/** The entry port, every method one named query on an executor (direct, bridge, resilient). */
export class ExecutorSymptomEntryRepository extends SymptomEntryRepository {
  constructor(private readonly executor: DiaryQueryExecutor) {
    super();
  }

  findPage(
    filter: SymptomEntryFilter,
    sort: SymptomSort,
    page: PageRequest,
  ): Promise<Page<SymptomEntry>> {
    // The use case validated the filter; the wire form always lists exclusions.
    const valid = { ...filter, excludedConceptIds: filter.excludedConceptIds ?? [] };
    return this.executor.execute(Q.ENTRY_PAGE, [valid, sort, page]);
  }

  countByConcept(): Promise<ConceptCount[]> {
    return this.executor.execute(Q.COUNT_BY_CONCEPT, []);
  }

  people(): Promise<string[]> {
    return this.executor.execute(Q.PEOPLE, []);
  }
}

/** The statistics port, every method one named query on an executor. */
export class ExecutorDiaryStatisticsRepository extends DiaryStatisticsRepository {
  constructor(private readonly executor: DiaryQueryExecutor) {
    super();
  }

  totals(filter: DiaryFilter, withSeverity: boolean): Promise<EntryTotals> {
    return this.executor.execute(Q.TOTALS, [filter, withSeverity]);
  }

  conceptTotals(filter: DiaryFilter, limit?: number): Promise<ConceptTotals[]> {
    return this.executor.execute(Q.CONCEPT_TOTALS, [filter, limit]);
  }

  occurrence(filter: DiaryFilter, order: OccurrenceOrder): Promise<SymptomEntry | null> {
    return this.executor.execute(Q.OCCURRENCE, [filter, order]);
  }

  severity(filter: DiaryFilter): Promise<SeverityTotals> {
    return this.executor.execute(Q.SEVERITY, [filter]);
  }

  buckets(filter: DiaryFilter, unit: TrendBucketUnit): Promise<BucketTotals[]> {
    return this.executor.execute(Q.BUCKETS, [filter, unit]);
  }

  personTotals(filter: DiaryFilter): Promise<PersonTally[]> {
    return this.executor.execute(Q.PERSON_TOTALS, [filter]);
  }

  coOccurring(
    filter: DiaryFilter,
    limit: number,
  ): Promise<{ askedDays: number; concepts: { conceptId: string; sharedDays: number }[] }> {
    return this.executor.execute(Q.CO_OCCURRING, [filter, limit]);
  }

  pairDays(filter: DiaryFilter): Promise<{ a: string; b: string; days: number }[]> {
    return this.executor.execute(Q.PAIR_DAYS, [filter]);
  }
}
