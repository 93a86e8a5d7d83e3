import { Injectable } from '@nestjs/common';
import type { SymptomEntry } from '../domain/symptom-entry';
import {
  Page,
  PageRequest,
  resolveSymptomName,
  SymptomEntryFilter,
  SymptomSort,
  validateFilter,
} from '../domain/symptom-entry-filter';
import { SymptomCatalog } from '../domain/symptom-catalog';
import { SymptomVocabulary } from '../domain/symptom-vocabulary';
import { SymptomEntryRepository } from './symptom-entry.repository';

export interface ListSymptomEntriesCommand {
  /** Catalog ids. */
  readonly symptomIds: readonly string[];
  /** Catalog ids left out ("everything except headaches"). */
  readonly excludedSymptomIds?: readonly string[];
  /** A free-text name ("head ache", "migrane"), normalised through the vocabulary. */
  readonly name?: string;
  readonly from?: Date;
  readonly to?: Date;
  readonly minSeverity?: number;
  readonly maxSeverity?: number;
  readonly person?: string;
  readonly sort: SymptomSort;
  readonly page: PageRequest;
}

/** Lists diary entries by symptom, period, severity and person (US-BE-01). */
@Injectable()
export class ListSymptomEntriesUseCase {
  constructor(
    private readonly repository: SymptomEntryRepository,
    private readonly vocabulary: SymptomVocabulary,
    private readonly catalog: SymptomCatalog,
  ) {}

  async execute(command: ListSymptomEntriesCommand): Promise<Page<SymptomEntry>> {
    const conceptIds = [...command.symptomIds];
    if (command.name !== undefined) {
      conceptIds.push(resolveSymptomName(command.name, this.vocabulary));
    }
    const filter: SymptomEntryFilter = validateFilter(
      {
        conceptIds,
        excludedConceptIds: command.excludedSymptomIds ?? [],
        from: command.from,
        to: command.to,
        minSeverity: command.minSeverity,
        maxSeverity: command.maxSeverity,
        person: command.person,
      },
      this.catalog,
    );
    return this.repository.findPage(filter, command.sort, command.page);
  }
}
