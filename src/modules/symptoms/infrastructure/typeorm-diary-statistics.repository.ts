import type { DataSource } from 'typeorm';
import {
  BucketTotals,
  ConceptTotals,
  DiaryStatisticsRepository,
  EntryTotals,
  OccurrenceOrder,
  SeverityTotals,
} from '../application/diary-statistics.repository';
import type { DiaryFilter, PersonTally } from '../domain/diary-statistics';
import type { SymptomEntry } from '../domain/symptom-entry';
import type { TrendBucketUnit } from '../domain/trend';
import { DiaryClock } from './diary-clock';
import type { DiaryRowFilter, SqlStatement } from './entry-page.sql';
import {
  BucketRow,
  bucketsStatement,
  coOccurrenceStatement,
  CoOccurrenceRow,
  ConceptMapping,
  conceptTotalsStatement,
  ConceptTotalsRow,
  occurrenceStatement,
  OccurrenceRow,
  pairDaysStatement,
  PairDaysRow,
  personTotalsStatement,
  PersonRow,
  severityStatement,
  SeverityRow,
  totalsStatement,
  TotalsRow,
} from './statistics.sql';
import { NameIndexSnapshot, SymptomNameIndex } from './symptom-name-index';
import {
  diaryTable,
  guardDiary,
  namesConcepts,
  toRowFilter,
  toSymptomEntry,
} from './typeorm-symptom-entry.repository';

const NO_TOTALS: EntryTotals = { count: 0, days: 0, rated: 0, severitySum: 0 };

/**
 * The aggregate questions on the legacy `symptom_log` table (statistics.sql.ts): the same
 * read-only data source, the same shared SymptomNameIndex and the same filter translation as the
 * entry repository, so a count here always equals the list's `meta.total` for the same filter.
 */
export class TypeOrmDiaryStatisticsRepository extends DiaryStatisticsRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: DiaryClock,
    readonly names: SymptomNameIndex,
  ) {
    super();
  }

  async totals(filter: DiaryFilter, withSeverity: boolean): Promise<EntryTotals> {
    return guardDiary(async () => {
      const rows = await this.resolve(filter);
      if (!rows) return NO_TOTALS;
      const [row] = await this.run<TotalsRow>(totalsStatement(this.table, rows, withSeverity));
      return {
        count: row.count,
        days: row.days,
        rated: row.rated,
        severitySum: row.severity_sum,
      };
    });
  }

  async conceptTotals(filter: DiaryFilter, limit?: number): Promise<ConceptTotals[]> {
    return guardDiary(async () => {
      const snapshot = await this.names.current();
      const rows = toRowFilter(filter, snapshot, this.clock);
      const mapping = this.mapping(
        snapshot,
        filter.conceptIds.length > 0
          ? filter.conceptIds
          : [...snapshot.namesByConcept.keys()].filter(
              (id) => !filter.excludedConceptIds.includes(id),
            ),
      );
      if (!rows || mapping.names.length === 0) return [];
      const result = await this.run<ConceptTotalsRow>(
        conceptTotalsStatement(this.table, rows, mapping, limit),
      );
      return result.map((row) => ({
        conceptId: row.concept_id,
        count: row.count,
        days: row.days,
        rated: row.rated,
        severitySum: row.severity_sum,
        minSeverity: row.min_severity,
        maxSeverity: row.max_severity,
      }));
    });
  }

  async occurrence(filter: DiaryFilter, order: OccurrenceOrder): Promise<SymptomEntry | null> {
    return guardDiary(async () => {
      const rows = await this.resolve(filter);
      if (!rows) return null;
      const [row] = await this.run<OccurrenceRow>(occurrenceStatement(this.table, rows, order));
      return row ? toSymptomEntry(row, this.names, this.clock) : null;
    });
  }

  async severity(filter: DiaryFilter): Promise<SeverityTotals> {
    return guardDiary(async () => {
      const rows = await this.resolve(filter);
      if (!rows) {
        return { rated: 0, unrated: 0, severitySum: 0, min: null, max: null, maxDays: [] };
      }
      const [row] = await this.run<SeverityRow>(severityStatement(this.table, rows));
      return {
        rated: row.rated,
        unrated: row.unrated,
        severitySum: row.severity_sum,
        min: row.min_severity,
        max: row.max_severity,
        maxDays: row.max_days,
      };
    });
  }

  async buckets(filter: DiaryFilter, unit: TrendBucketUnit): Promise<BucketTotals[]> {
    return guardDiary(async () => {
      const rows = await this.resolve(filter);
      if (!rows) return [];
      const result = await this.run<BucketRow>(bucketsStatement(this.table, rows, unit));
      return result.map((row) => ({
        start: row.start,
        count: row.count,
        rated: row.rated,
        severitySum: row.severity_sum,
      }));
    });
  }

  async personTotals(filter: DiaryFilter): Promise<PersonTally[]> {
    return guardDiary(async () => {
      const rows = await this.resolve(filter);
      if (!rows) return [];
      const result = await this.run<PersonRow>(personTotalsStatement(this.table, rows));
      return result.map((row) => ({ person: row.person, count: row.count, days: row.days }));
    });
  }

  async coOccurring(
    filter: DiaryFilter,
    limit: number,
  ): Promise<{ askedDays: number; concepts: { conceptId: string; sharedDays: number }[] }> {
    return guardDiary(async () => {
      const snapshot = await this.names.current();
      const rows = toRowFilter(filter, snapshot, this.clock);
      if (!rows) return { askedDays: 0, concepts: [] };
      const left = new Set([...filter.conceptIds, ...filter.excludedConceptIds]);
      const others = this.mapping(
        snapshot,
        [...snapshot.namesByConcept.keys()].filter((id) => !left.has(id)),
      );
      const result = await this.run<CoOccurrenceRow>(
        coOccurrenceStatement(this.table, rows, others, limit),
      );
      return {
        askedDays: result[0]?.asked_days ?? 0,
        concepts: result
          .filter((row) => row.concept_id !== null)
          .map((row) => ({
            conceptId: row.concept_id as string,
            sharedDays: row.shared_days as number,
          })),
      };
    });
  }

  async pairDays(filter: DiaryFilter): Promise<{ a: string; b: string; days: number }[]> {
    return guardDiary(async () => {
      const snapshot = await this.names.current();
      const rows = toRowFilter(filter, snapshot, this.clock);
      const mapping = this.mapping(snapshot, filter.conceptIds);
      if (!rows || mapping.names.length === 0) return [];
      return this.run<PairDaysRow>(pairDaysStatement(this.table, rows, mapping));
    });
  }

  /** The filter in the table's terms (null: it matches nothing), loading the index if needed. */
  private async resolve(filter: DiaryFilter): Promise<DiaryRowFilter | null> {
    const snapshot = namesConcepts(filter) ? await this.names.current() : undefined;
    return toRowFilter(filter, snapshot, this.clock);
  }

  /** The raw names of some concepts, each beside its concept. */
  private mapping(snapshot: NameIndexSnapshot, conceptIds: readonly string[]): ConceptMapping {
    const names: string[] = [];
    const concepts: string[] = [];
    for (const conceptId of conceptIds) {
      for (const name of snapshot.namesByConcept.get(conceptId) ?? []) {
        names.push(name);
        concepts.push(conceptId);
      }
    }
    return { names, concepts };
  }

  private get table(): string {
    return diaryTable(this.dataSource);
  }

  private run<T>(statement: SqlStatement): Promise<T[]> {
    return this.dataSource.query<T[]>(statement.text, statement.values);
  }
}
