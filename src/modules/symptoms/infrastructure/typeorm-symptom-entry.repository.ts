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
import { NameIndexSnapshot, RecordedName, SymptomNameIndex } from './symptom-name-index';
import {
  DiaryRowFilter,
  entryPageStatement,
  EntryPageRow,
  recordedNamesStatement,
} from './entry-page.sql';
import { queryPrepared } from './prepared-query';
import { SymptomLogSchema } from './symptom-log.record';

/** The legacy table, schema-qualified as the TypeORM mapping resolves it. */
export function diaryTable(dataSource: DataSource): string {
  return dataSource.getMetadata(SymptomLogSchema).tablePath;
}

/** Loads the diary's distinct names with their live counts (what a SymptomNameIndex indexes). */
export function recordedNamesLoader(dataSource: DataSource): () => Promise<RecordedName[]> {
  return () => {
    const statement = recordedNamesStatement(diaryTable(dataSource));
    return dataSource.query<RecordedName[]>(statement.text, statement.values);
  };
}

/** The raw names typed in the diary for some concepts. */
export function namesOf(snapshot: NameIndexSnapshot, conceptIds: readonly string[]): string[] {
  return conceptIds.flatMap((id) => snapshot.namesByConcept.get(id) ?? []);
}

/** Whether a filter names concepts (asked or excluded), so that the name index is needed. */
export function namesConcepts(filter: SymptomEntryFilter): boolean {
  return filter.conceptIds.length > 0 || (filter.excludedConceptIds?.length ?? 0) > 0;
}

/**
 * A domain filter in the legacy table's terms, or null when it can match nothing (concepts asked
 * that the diary never mentions). Excluded concepts matter only without asked ones: a raw name
 * maps to one concept, so asked names never include excluded ones. `snapshot` may be left out
 * only when the filter names no concept.
 */
export function toRowFilter(
  filter: SymptomEntryFilter,
  snapshot: NameIndexSnapshot | undefined,
  clock: DiaryClock,
): DiaryRowFilter | null {
  let names: string[] | undefined;
  let excludedNames: string[] | undefined;
  if (namesConcepts(filter) && !snapshot) throw new Error('the name index is needed');
  if (snapshot && filter.conceptIds.length > 0) {
    names = namesOf(snapshot, filter.conceptIds);
    if (names.length === 0) return null;
  } else if (snapshot && filter.excludedConceptIds && filter.excludedConceptIds.length > 0) {
    excludedNames = namesOf(snapshot, filter.excludedConceptIds);
  }
  return {
    names,
    excludedNames,
    fromLocal: filter.from && clock.toLocal(filter.from),
    toLocal: filter.to && clock.toLocal(filter.to),
    minSeverity: filter.minSeverity,
    maxSeverity: filter.maxSeverity,
    person: filter.person,
  };
}

/** The columns of one entry, `logged` read as text. */
export interface EntryColumns {
  log_id: number;
  person: string;
  sym: string;
  sev: number | null;
  logged: string;
  dur_mins: number | null;
  notes: string | null;
}

/** A row's columns as a domain entry (names through the index, `logged` through the clock). */
export function toSymptomEntry(
  row: EntryColumns,
  names: SymptomNameIndex,
  clock: DiaryClock,
): SymptomEntry {
  return {
    id: row.log_id,
    person: row.person,
    conceptId: names.conceptOf(row.sym),
    recordedAs: row.sym,
    occurredAt: clock.toInstant(row.logged),
    severity: row.sev,
    durationMinutes: row.dur_mins,
    notes: row.notes,
  };
}

/** Runs work against the diary, turning driver failures into DomainErrors (503/504). */
export async function guardDiary<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw translateDiaryError(error) ?? error;
  }
}

/**
 * The diary's legacy `symptom_log` table through TypeORM's read-only data source: parameterised
 * SQL only (entry-page.sql.ts), deleted rows ('Y') never read, concepts resolved to the raw names
 * typed in the diary by the SymptomNameIndex.
 *
 * The index is shared with the statistics adapter (symptoms.module.ts provides one); a factory
 * may be given instead, which receives this repository's own loader (tests, tools).
 */
export class TypeOrmSymptomEntryRepository extends SymptomEntryRepository {
  readonly names: SymptomNameIndex;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: DiaryClock,
    index: SymptomNameIndex | ((load: () => Promise<RecordedName[]>) => SymptomNameIndex),
  ) {
    super();
    this.names =
      index instanceof SymptomNameIndex ? index : index(recordedNamesLoader(this.dataSource));
  }

  async findPage(
    filter: SymptomEntryFilter,
    sort: SymptomSort,
    page: PageRequest,
  ): Promise<Page<SymptomEntry>> {
    return guardDiary(async () => {
      // The index is needed only to turn concepts into names.
      const snapshot = namesConcepts(filter) ? await this.names.current() : undefined;
      const rowFilter = toRowFilter(filter, snapshot, this.clock);
      if (rowFilter === null) return { items: [], total: 0, page: page.page, limit: page.limit };
      const statement = entryPageStatement(this.table, rowFilter, sort, page);
      const rows = await queryPrepared<EntryPageRow>(this.dataSource, statement);
      return {
        items: rows
          .filter((row) => row.log_id !== null)
          .map((row) => toSymptomEntry(row as EntryColumns, this.names, this.clock)),
        total: rows[0]?.total ?? 0,
        page: page.page,
        limit: page.limit,
      };
    });
  }

  async countByConcept(): Promise<ConceptCount[]> {
    return guardDiary(async () => {
      const snapshot = await this.names.current();
      return [...snapshot.countsByConcept].map(([conceptId, count]) => ({ conceptId, count }));
    });
  }

  async people(): Promise<string[]> {
    return guardDiary(async () => [...(await this.names.current()).people]);
  }

  /** The legacy table, schema-qualified as the TypeORM mapping resolves it. */
  private get table(): string {
    return diaryTable(this.dataSource);
  }
}
