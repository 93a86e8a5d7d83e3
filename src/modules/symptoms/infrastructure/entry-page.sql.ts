import type { SymptomSort } from '../domain/symptom-entry-filter';

/** A diary filter in the legacy table's own terms: raw names and wall-clock bounds. */
export interface DiaryRowFilter {
  /** Raw `sym` values (undefined: any symptom). */
  readonly names?: readonly string[];
  /** Raw `sym` values left out (`sym <> ALL(...)`); only needed when `names` is undefined. */
  readonly excludedNames?: readonly string[];
  /** Local wall-clock bounds, 'YYYY-MM-DD HH:mm:ss.SSS'. */
  readonly fromLocal?: string;
  readonly toLocal?: string;
  readonly minSeverity?: number;
  readonly maxSeverity?: number;
  readonly person?: string;
}

export interface SqlStatement {
  readonly text: string;
  readonly values: unknown[];
}

export interface EntryPageRow {
  total: number;
  log_id: number | null;
  person: string | null;
  sym: string | null;
  sev: number | null;
  logged: string | null;
  dur_mins: number | null;
  notes: string | null;
}

/** Collects bound parameters; only `$n` placeholders ever reach the SQL text. */
export class Parameters {
  readonly values: unknown[] = [];
  bind(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * The filter's conditions except the name list (callers place that themselves): live rows,
 * wall-clock bounds as `logged` comparisons (no function on the column), severity, person and
 * excluded names.
 */
export function conditions(filter: DiaryRowFilter, p: Parameters, alias: string): string[] {
  const where = [`${alias}.deleted <> 'Y'`];
  if (filter.fromLocal !== undefined) {
    where.push(`${alias}.logged >= ${p.bind(filter.fromLocal)}::timestamp`);
  }
  if (filter.toLocal !== undefined) {
    where.push(`${alias}.logged < ${p.bind(filter.toLocal)}::timestamp`);
  }
  if (filter.minSeverity !== undefined) {
    where.push(`${alias}.sev >= ${p.bind(filter.minSeverity)}`);
  }
  if (filter.maxSeverity !== undefined) {
    where.push(`${alias}.sev <= ${p.bind(filter.maxSeverity)}`);
  }
  if (filter.person !== undefined) where.push(`${alias}.person = ${p.bind(filter.person)}`);
  if (filter.excludedNames !== undefined && filter.excludedNames.length > 0) {
    where.push(`${alias}.sym <> ALL(${p.bind(filter.excludedNames)}::text[])`);
  }
  return where;
}

function orderBy(sort: SymptomSort, alias: string): string {
  const dir = sort.direction === 'asc' ? 'ASC' : 'DESC';
  return sort.field === 'severity'
    ? `${alias}.sev ${dir} NULLS ${dir === 'DESC' ? 'LAST' : 'FIRST'}, ${alias}.logged DESC, ${alias}.log_id DESC`
    : `${alias}.logged ${dir}, ${alias}.log_id ${dir}`;
}

export const COLUMNS = (alias: string) =>
  `${alias}.log_id, ${alias}.person, ${alias}.sym, ${alias}.sev, ${alias}.logged, ` +
  `${alias}.dur_mins, ${alias}.notes`;

/**
 * One statement answers a page and the total. Shaped for the recommended partial index
 * `(sym, logged) WHERE deleted <> 'Y'`:
 * - the total is a count over that index (index-only when the table is vacuumed);
 * - with names, the page is a top-N per raw name (LATERAL over the name list, each an index scan
 *   that stops after offset+limit rows), merged and cut. A single `ORDER BY logged LIMIT` over
 *   `sym = ANY(...)` lets PostgreSQL walk the whole period backwards on the `logged` index and
 *   filter every row, which measured 10x slower (docs/performance.md).
 * The page sub-select is LEFT JOINed to the count so an empty page still carries the total.
 */
export function entryPageStatement(
  table: string,
  filter: DiaryRowFilter,
  sort: SymptomSort,
  page: { page: number; limit: number },
): SqlStatement {
  const p = new Parameters();
  const offset = (page.page - 1) * page.limit;
  let count: string;
  let rows: string;
  if (filter.names !== undefined) {
    const names = p.bind(filter.names);
    const inner = conditions(filter, p, 's');
    count = `SELECT count(*)::int AS total FROM ${table} s WHERE s.sym = ANY(${names}::text[]) AND ${inner.join(' AND ')}`;
    rows =
      `SELECT e.* FROM unnest(${names}::text[]) AS n(sym) CROSS JOIN LATERAL (` +
      `SELECT ${COLUMNS('s')} FROM ${table} s WHERE s.sym = n.sym AND ${inner.join(' AND ')} ` +
      `ORDER BY ${orderBy(sort, 's')} LIMIT ${p.bind(offset + page.limit)}) e ` +
      `ORDER BY ${orderBy(sort, 'e')} LIMIT ${p.bind(page.limit)} OFFSET ${p.bind(offset)}`;
  } else {
    const where = conditions(filter, p, 's').join(' AND ');
    count = `SELECT count(*)::int AS total FROM ${table} s WHERE ${where}`;
    rows =
      `SELECT ${COLUMNS('s')} FROM ${table} s WHERE ${where} ` +
      `ORDER BY ${orderBy(sort, 's')} LIMIT ${p.bind(page.limit)} OFFSET ${p.bind(offset)}`;
  }
  const text =
    `SELECT c.total, r.log_id, r.person, r.sym, r.sev, r.logged::text AS logged, r.dur_mins, r.notes ` +
    `FROM (${count}) c LEFT JOIN LATERAL (${rows}) r ON true ` +
    `ORDER BY ${orderBy(sort, 'r')}`;
  return { text, values: p.values };
}

/** The distinct names typed in the diary, per person, with their live entry counts. */
export function recordedNamesStatement(table: string): SqlStatement {
  return {
    text: `SELECT sym AS name, person, count(*)::int AS count FROM ${table} WHERE deleted <> 'Y' GROUP BY sym, person`,
    values: [],
  };
}
