import { Injectable } from '@nestjs/common';
import { SymptomCatalog, SymptomConcept } from '../domain/symptom-catalog';
import { validateFilter } from '../domain/symptom-entry-filter';
import { DiaryStatisticsRepository } from './diary-statistics.repository';
import { SymptomEntryRepository } from './symptom-entry.repository';

export interface CatalogEntry extends SymptomConcept {
  /** Live diary entries recorded under any name that maps to this concept. */
  readonly entryCount: number;
}

/** The catalog's concepts with how many diary entries each has. */
@Injectable()
export class GetSymptomCatalogUseCase {
  constructor(
    private readonly repository: SymptomEntryRepository,
    private readonly statistics: DiaryStatisticsRepository,
    private readonly catalog: SymptomCatalog,
  ) {}

  /** `person`: count only that person's entries (a signed-in user sees only their own). */
  async execute(person?: string): Promise<CatalogEntry[]> {
    const tallies =
      person === undefined
        ? await this.repository.countByConcept()
        : await this.statistics.conceptTotals(
            validateFilter({ conceptIds: [], person }, this.catalog),
          );
    const counts = new Map(tallies.map((c) => [c.conceptId, c.count]));
    return this.catalog.all().map((concept) => ({
      ...concept,
      entryCount: counts.get(concept.id) ?? 0,
    }));
  }
}
