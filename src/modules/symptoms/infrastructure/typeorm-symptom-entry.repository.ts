import type { DataSource } from 'typeorm';
import type { ConceptCount, SymptomEntry } from '../domain/symptom-entry';
import type {
  Page,
  PageRequest,
  SymptomEntryFilter,
  SymptomSort,
} from '../domain/symptom-entry-filter';
import { SymptomEntryRepository } from '../application/symptom-entry.repository';
import { DiaryClock } from './diary-clock';
import { translateDiaryError } from './diary-errors';
import { RecordedName, SymptomNameIndex } from './symptom-name-index';
import {
  entryPageStatement,
  EntryPageRow,
  recordedNamesStatement,
  SqlStatement,
} from './entry-page.sql';
import { SymptomLogSchema } from './symptom-log.record';

/**
 * The diary's legacy `symptom_log` table through TypeORM's read-only data source: parameterised
 * SQL only (entry-page.sql.ts), deleted rows ('Y') never read, concepts resolved to the raw names
 * typed in the diary by the SymptomNameIndex.
 */
export class TypeOrmSymptomEntryRepository extends SymptomEntryRepository {
  readonly names: SymptomNameIndex;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: DiaryClock,
    createIndex: (load: () => Promise<RecordedName[]>) => SymptomNameIndex,
  ) {
    super();
    this.names = createIndex(() => this.loadRecordedNames());
  }

  async findPage(
    filter: SymptomEntryFilter,
    sort: SymptomSort,
    page: PageRequest,
  ): Promise<Page<SymptomEntry>> {
    return this.guard(async () => {
      let names: string[] | undefined;
      if (filter.conceptIds.length > 0) {
        const snapshot = await this.names.current();
        names = filter.conceptIds.flatMap((id) => snapshot.namesByConcept.get(id) ?? []);
        if (names.length === 0) return { items: [], total: 0, page: page.page, limit: page.limit };
      }
      const statement = entryPageStatement(
        this.table,
        {
          names,
          fromLocal: filter.from && this.clock.toLocal(filter.from),
          toLocal: filter.to && this.clock.toLocal(filter.to),
          minSeverity: filter.minSeverity,
          maxSeverity: filter.maxSeverity,
          person: filter.person,
        },
        sort,
        page,
      );
      const rows = await this.run<EntryPageRow>(statement);
      return {
        items: rows.filter((row) => row.log_id !== null).map((row) => this.toEntry(row)),
        total: rows[0]?.total ?? 0,
        page: page.page,
        limit: page.limit,
      };
    });
  }

  async countByConcept(): Promise<ConceptCount[]> {
    return this.guard(async () => {
      const snapshot = await this.names.current();
      return [...snapshot.countsByConcept].map(([conceptId, count]) => ({ conceptId, count }));
    });
  }

  /** The legacy table, schema-qualified as the TypeORM mapping resolves it. */
  private get table(): string {
    return this.dataSource.getMetadata(SymptomLogSchema).tablePath;
  }

  private run<T>(statement: SqlStatement): Promise<T[]> {
    return this.dataSource.query<T[]>(statement.text, statement.values);
  }

  private async loadRecordedNames(): Promise<RecordedName[]> {
    return this.run<RecordedName>(recordedNamesStatement(this.table));
  }

  private toEntry(row: EntryPageRow): SymptomEntry {
    return {
      id: row.log_id as number,
      person: row.person as string,
      conceptId: this.names.conceptOf(row.sym as string),
      recordedAs: row.sym as string,
      occurredAt: this.clock.toInstant(row.logged as string),
      severity: row.sev,
      durationMinutes: row.dur_mins,
      notes: row.notes,
    };
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw translateDiaryError(error) ?? error;
    }
  }
}
