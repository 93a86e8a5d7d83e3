import { Injectable } from '@nestjs/common';
import { InvalidInputError } from '../../../shared/domain/domain-error';
import type { SymptomEntry } from '../domain/symptom-entry';
import {
  Page,
  PageRequest,
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
    if (command.name !== undefined) conceptIds.push(this.resolveName(command.name));
    const filter: SymptomEntryFilter = validateFilter(
      {
        conceptIds,
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

  private resolveName(name: string): string {
    const match = this.vocabulary.normalise(name);
    if (match) return match.conceptId;
    const suggestions = this.vocabulary.candidates(name, 3).map((c) => c.conceptId);
    throw new InvalidInputError(
      'SYMPTOM.UNKNOWN_NAME',
      suggestions.length > 0
        ? `The symptom name is not one we know. Closest symptoms: ${suggestions.join(', ')}.`
        : 'The symptom name is not one we know; see /api/health/symptoms/catalog.',
      [{ name: 'name', reason: 'no catalog symptom matches this name' }],
    );
  }
}
