import { Injectable } from '@nestjs/common';
import { SymptomCatalog, SymptomConcept } from '../domain/symptom-catalog';
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
    private readonly catalog: SymptomCatalog,
  ) {}

  async execute(): Promise<CatalogEntry[]> {
    const counts = new Map(
      (await this.repository.countByConcept()).map((c) => [c.conceptId, c.count]),
    );
    return this.catalog.all().map((concept) => ({
      ...concept,
      entryCount: counts.get(concept.id) ?? 0,
    }));
  }
}
