import { InvalidInputError, InvalidParameter } from '../../../shared/domain/domain-error';
import { SymptomCatalog } from './symptom-catalog';

export const SEVERITY_MIN = 0;
export const SEVERITY_MAX = 10;
export const MAX_PAGE_SIZE = 100;

export type SymptomSortField = 'occurredAt' | 'severity';
export type SortDirection = 'asc' | 'desc';

export interface SymptomSort {
  readonly field: SymptomSortField;
  readonly direction: SortDirection;
}

/** Which entries: any of `conceptIds` (empty: every symptom), in [from, to), within severity bounds. */
export interface SymptomEntryFilter {
  readonly conceptIds: readonly string[];
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

/**
 * Checks a filter for the rules that span several fields; returns the same filter with ids
 * de-duplicated. Throws InvalidInputError naming every offending parameter.
 */
export function validateFilter(
  filter: SymptomEntryFilter,
  catalog: SymptomCatalog,
): SymptomEntryFilter {
  const problems: InvalidParameter[] = [];
  for (const id of filter.conceptIds) {
    if (!catalog.has(id)) {
      problems.push({ name: 'symptom', reason: `unknown symptom id '${safeId(id)}'` });
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
  return { ...filter, conceptIds: [...new Set(filter.conceptIds)] };
}

/** Ids are echoed back only when they look like ids, so no free text leaks into a response. */
function safeId(id: string): string {
  return /^[a-z0-9_]{1,40}$/.test(id) ? id : '…';
}
