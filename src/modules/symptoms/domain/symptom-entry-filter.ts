import { InvalidInputError, InvalidParameter } from '../../../shared/domain/domain-error';
import { SymptomCatalog } from './symptom-catalog';
import type { SymptomVocabulary } from './symptom-vocabulary';

export const SEVERITY_MIN = 0;
export const SEVERITY_MAX = 10;
export const MAX_PAGE_SIZE = 100;

export type SymptomSortField = 'occurredAt' | 'severity';
export type SortDirection = 'asc' | 'desc';

export interface SymptomSort {
  readonly field: SymptomSortField;
  readonly direction: SortDirection;
}

/**
 * Which entries: any of `conceptIds` (empty: every symptom) but none of `excludedConceptIds`, in
 * [from, to), within severity bounds.
 */
export interface SymptomEntryFilter {
  readonly conceptIds: readonly string[];
  /**
   * Concepts left out ("everything except headaches"). Entries whose name the vocabulary cannot
   * place stay in: they are not any excluded concept.
   */
  readonly excludedConceptIds?: readonly string[];
  readonly from?: Date;
  readonly to?: Date;
  readonly minSeverity?: number;
  readonly maxSeverity?: number;
  readonly person?: string;
}

export interface PageRequest {
  readonly page: number;
  readonly limit: number;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly total: number;
  readonly page: number;
  readonly limit: number;
}

/** A filter that passed `validateFilter`: ids known and de-duplicated, exclusions always listed. */
export type ValidFilter = SymptomEntryFilter & { readonly excludedConceptIds: readonly string[] };

/**
 * Checks a filter for the rules that span several fields; returns the same filter with ids
 * de-duplicated (and `excludedConceptIds` always present). Throws InvalidInputError naming every
 * offending parameter (`exclude` for excluded ids).
 */
export function validateFilter(filter: SymptomEntryFilter, catalog: SymptomCatalog): ValidFilter {
  const problems: InvalidParameter[] = [];
  for (const id of filter.conceptIds) {
    if (!catalog.has(id)) {
      problems.push({ name: 'symptom', reason: `unknown symptom id '${safeId(id)}'` });
    }
  }
  const excluded = [...new Set(filter.excludedConceptIds ?? [])];
  for (const id of excluded) {
    if (!catalog.has(id)) {
      problems.push({ name: 'exclude', reason: `unknown symptom id '${safeId(id)}'` });
    } else if (filter.conceptIds.includes(id)) {
      problems.push({
        name: 'exclude',
        reason: `symptom '${id}' cannot be both asked for and excluded`,
      });
    }
  }
  if (filter.from && filter.to && filter.from.getTime() >= filter.to.getTime()) {
    problems.push({ name: 'from', reason: 'from must be before to' });
  }
  for (const [name, value] of [
    ['minSeverity', filter.minSeverity],
    ['maxSeverity', filter.maxSeverity],
  ] as const) {
    if (
      value !== undefined &&
      (!Number.isInteger(value) || value < SEVERITY_MIN || value > SEVERITY_MAX)
    ) {
      problems.push({ name, reason: `${name} must be an integer from 0 to 10` });
    }
  }
  if (
    filter.minSeverity !== undefined &&
    filter.maxSeverity !== undefined &&
    filter.minSeverity > filter.maxSeverity
  ) {
    problems.push({ name: 'minSeverity', reason: 'minSeverity must not exceed maxSeverity' });
  }
  if (problems.length > 0) {
    const names = [...new Set(problems.map((p) => p.name))];
    throw new InvalidInputError(
      'REQUEST.VALIDATION_FAILED',
      `The request has ${names.length} invalid parameter${names.length === 1 ? '' : 's'}: ${names.join(', ')}.`,
      problems,
    );
  }
  return { ...filter, conceptIds: [...new Set(filter.conceptIds)], excludedConceptIds: excluded };
}

/**
 * The catalog id a free-text symptom name stands for ("head ache", "migrane"), through the
 * vocabulary. Throws `SYMPTOM.UNKNOWN_NAME` (invalid input on `parameter`) with the closest
 * concepts when the name cannot be placed.
 */
export function resolveSymptomName(
  name: string,
  vocabulary: SymptomVocabulary,
  parameter = 'name',
): string {
  const match = vocabulary.normalise(name);
  if (match) return match.conceptId;
  const suggestions = vocabulary.candidates(name, 3).map((c) => c.conceptId);
  throw new InvalidInputError(
    'SYMPTOM.UNKNOWN_NAME',
    suggestions.length > 0
      ? `The symptom name is not one we know. Closest symptoms: ${suggestions.join(', ')}.`
      : 'The symptom name is not one we know; see /api/health/symptoms/catalog.',
    [{ name: parameter, reason: 'no catalog symptom matches this name' }],
  );
}

/** Ids are echoed back only when they look like ids, so no free text leaks into a response. */
function safeId(id: string): string {
  return /^[a-z0-9_]{1,40}$/.test(id) ? id : '…';
}
