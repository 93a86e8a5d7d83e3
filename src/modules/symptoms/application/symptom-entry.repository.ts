import type { ConceptCount, SymptomEntry } from '../domain/symptom-entry';
import type {
  Page,
  PageRequest,
  SymptomEntryFilter,
  SymptomSort,
} from '../domain/symptom-entry-filter';

/**
 * Port: read access to the diary. Adapters: the legacy table through TypeORM (direct), and later
 * the bridge. Implementations raise DependencyUnavailableError / DependencyTimeoutError when the
 * diary cannot answer, never a driver error.
 */
export abstract class SymptomEntryRepository {
  /** Live (not deleted) entries matching the filter, one page of them, and how many match. */
  abstract findPage(
    filter: SymptomEntryFilter,
    sort: SymptomSort,
    page: PageRequest,
  ): Promise<Page<SymptomEntry>>;

  /** How many live entries each catalog concept has (concepts with none are left out). */
  abstract countByConcept(): Promise<ConceptCount[]>;

  /** The people of the household who have live entries, as the diary writes their names. */
  abstract people(): Promise<string[]>;
}
