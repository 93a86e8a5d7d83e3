import type { OccurrenceOrder } from '../application/diary-statistics.repository';
import type { TrendBucketUnit } from '../domain/trend';
import { COLUMNS, conditions, DiaryRowFilter, Parameters, SqlStatement } from './entry-page.sql';

/**
 * The aggregate queries of the question kinds. Like entry-page.sql.ts: pure builders of
 * `{ text, values }`, every value a bound `$n` parameter, every query on live rows only.
 *
 * Shaped for the recommended partial indexes `(sym, logged)` and `(logged)`, both
 * `WHERE deleted <> 'Y'`:
 * - a concept filter is `s.sym = ANY($n)` of the raw names (the name index resolves concepts),
 *   so the `(sym, logged)` index answers it, index-only for counts and days;
 * - periods are `logged >= $a::timestamp AND logged < $b::timestamp` on the bare column; no
 *   function of `logged` appears in a WHERE clause. Days (`logged::date`, the local date since
 *   `logged` is local wall-clock time) and buckets (`date_trunc`) are computed in SELECT and
 *   GROUP BY only;
 * - grouping by concept joins the raw names to their concepts, passed as two parallel bound
 *   arrays (`unnest($names, $concepts)`): the mapping is made in TypeScript by the vocabulary,
 *   and SQL only groups by it, which keeps distinct days per concept exact (a day with
 *   "Headache" and "head ache" counts once) and the result to one row per concept.
 */

/** Raw names and the concept each maps to, position by position. */
export interface ConceptMapping {
  readonly names: readonly string[];
  readonly concepts: readonly string[];
}

export interface TotalsRow {
  count: number;
  days: number;
  rated: number;
  severity_sum: number;
}

export interface ConceptTotalsRow extends TotalsRow {
  concept_id: string;
  min_severity: number | null;
  max_severity: number | null;
}

export interface OccurrenceRow {
  log_id: number;
  person: string;
  sym: string;
  sev: number | null;
  logged: string;
  dur_mins: number | null;
  notes: string | null;
}

export interface SeverityRow {
  rated: number;
  unrated: number;
  severity_sum: number;
  min_severity: number | null;
  max_severity: number | null;
  max_days: string[];
}

export interface BucketRow {
  start: string;
  count: number;
  rated: number;
  severity_sum: number;
}

export interface PersonRow {
  person: string;
  count: number;
  days: number;
}

export interface CoOccurrenceRow {
  asked_days: number;
  concept_id: string | null;
  shared_days: number | null;
}

export interface PairDaysRow {
  a: string;
  b: string;
  days: number;
}

/** The whole filter for alias `alias`: the name list (when any) and every other condition. */
function where(filter: DiaryRowFilter, p: Parameters, alias = 's'): string {
  const parts: string[] = [];
  if (filter.names !== undefined) {
    parts.push(`${alias}.sym = ANY(${p.bind(filter.names)}::text[])`);
  }
  parts.push(...conditions(filter, p, alias));
  return parts.join(' AND ');
}

function mappingJoin(mapping: ConceptMapping, p: Parameters, alias = 's'): string {
  return (
    `JOIN unnest(${p.bind(mapping.names)}::text[], ${p.bind(mapping.concepts)}::text[]) ` +
    `AS m(sym, concept) ON m.sym = ${alias}.sym`
  );
}

/** Entries and distinct local days; with `withSeverity`, rated entries and their severity sum. */
export function totalsStatement(
  table: string,
  filter: DiaryRowFilter,
  withSeverity: boolean,
): SqlStatement {
  const p = new Parameters();
  const severity = withSeverity
    ? `count(s.sev)::int AS rated, coalesce(sum(s.sev), 0)::int AS severity_sum`
    : `0 AS rated, 0 AS severity_sum`;
  const text =
    `SELECT count(*)::int AS count, count(DISTINCT s.logged::date)::int AS days, ${severity} ` +
    `FROM ${table} s WHERE ${where(filter, p)}`;
  return { text, values: p.values };
}

/** Per concept of `mapping`: entries, days, severity figures; most entries first. */
export function conceptTotalsStatement(
  table: string,
  filter: DiaryRowFilter,
  mapping: ConceptMapping,
  limit?: number,
): SqlStatement {
  const p = new Parameters();
  const join = mappingJoin(mapping, p);
  const text =
    `SELECT m.concept AS concept_id, count(*)::int AS count, ` +
    `count(DISTINCT s.logged::date)::int AS days, count(s.sev)::int AS rated, ` +
    `coalesce(sum(s.sev), 0)::int AS severity_sum, min(s.sev)::int AS min_severity, ` +
    `max(s.sev)::int AS max_severity ` +
    `FROM ${table} s ${join} WHERE ${where(filter, p)} ` +
    `GROUP BY m.concept ORDER BY 2 DESC, 3 DESC, 1` +
    (limit === undefined ? '' : ` LIMIT ${p.bind(limit)}`);
  return { text, values: p.values };
}

function occurrenceOrder(order: OccurrenceOrder, alias: string): string {
  switch (order) {
    case 'latest':
      return `${alias}.logged DESC, ${alias}.log_id DESC`;
    case 'earliest':
      return `${alias}.logged ASC, ${alias}.log_id ASC`;
    case 'most_severe':
      return `${alias}.sev DESC, ${alias}.logged DESC, ${alias}.log_id DESC`;
  }
}

const OUTPUT = (alias: string) =>
  `${alias}.log_id, ${alias}.person, ${alias}.sym, ${alias}.sev, ` +
  `${alias}.logged::text AS logged, ${alias}.dur_mins, ${alias}.notes`;

/**
 * One entry: the latest, the earliest or the highest rated. With names, the best per raw name
 * (LATERAL, each one index scan on `(sym, logged)` stopping after a row for latest/earliest),
 * then the best of those: the same shape as the entry page, for the same reason.
 */
export function occurrenceStatement(
  table: string,
  filter: DiaryRowFilter,
  order: OccurrenceOrder,
): SqlStatement {
  const p = new Parameters();
  const rated = order === 'most_severe' ? ' AND s.sev IS NOT NULL' : '';
  let text: string;
  if (filter.names !== undefined) {
    const names = p.bind(filter.names);
    const inner = conditions(filter, p, 's').join(' AND ');
    text =
      `SELECT ${OUTPUT('e')} FROM unnest(${names}::text[]) AS n(sym) CROSS JOIN LATERAL (` +
      `SELECT ${COLUMNS('s')} FROM ${table} s WHERE s.sym = n.sym AND ${inner}${rated} ` +
      `ORDER BY ${occurrenceOrder(order, 's')} LIMIT 1) e ` +
      `ORDER BY ${occurrenceOrder(order, 'e')} LIMIT 1`;
  } else {
    text =
      `SELECT ${OUTPUT('s')} FROM ${table} s WHERE ${where(filter, p)}${rated} ` +
      `ORDER BY ${occurrenceOrder(order, 's')} LIMIT 1`;
  }
  return { text, values: p.values };
}

/** Rated and unrated entries, severity sum, extremes, and every local day of the maximum. */
export function severityStatement(table: string, filter: DiaryRowFilter): SqlStatement {
  const p = new Parameters();
  const outer = where(filter, p, 's');
  const inner = where(filter, p, 'x');
  const text =
    `SELECT a.rated, a.unrated, a.severity_sum, a.min_severity, a.max_severity, ` +
    `ARRAY(SELECT DISTINCT x.logged::date::text FROM ${table} x ` +
    `WHERE ${inner} AND x.sev = a.max_severity ORDER BY 1) AS max_days ` +
    `FROM (SELECT count(s.sev)::int AS rated, (count(*) - count(s.sev))::int AS unrated, ` +
    `coalesce(sum(s.sev), 0)::int AS severity_sum, min(s.sev)::int AS min_severity, ` +
    `max(s.sev)::int AS max_severity FROM ${table} s WHERE ${outer}) a`;
  return { text, values: p.values };
}

/**
 * Entries per bucket: `date_trunc('week' | 'month', logged)` of the local wall-clock time, so
 * weeks start on the diary's Monday at midnight local time (DST weeks included).
 */
export function bucketsStatement(
  table: string,
  filter: DiaryRowFilter,
  unit: TrendBucketUnit,
): SqlStatement {
  const p = new Parameters();
  const truncate = `date_trunc(${p.bind(unit)}::text, s.logged)::date::text`;
  const text =
    `SELECT ${truncate} AS start, count(*)::int AS count, count(s.sev)::int AS rated, ` +
    `coalesce(sum(s.sev), 0)::int AS severity_sum ` +
    `FROM ${table} s WHERE ${where(filter, p)} GROUP BY 1 ORDER BY 1`;
  return { text, values: p.values };
}

/** Entries and distinct days per person, most entries first. */
export function personTotalsStatement(table: string, filter: DiaryRowFilter): SqlStatement {
  const p = new Parameters();
  const text =
    `SELECT s.person, count(*)::int AS count, count(DISTINCT s.logged::date)::int AS days ` +
    `FROM ${table} s WHERE ${where(filter, p)} GROUP BY s.person ORDER BY 2 DESC, 1`;
  return { text, values: p.values };
}

/**
 * The person-days of the filter's entries, and per concept of `others` on how many of them it
 * was logged too (any severity). The companions are read once, within the asked days' bounds
 * (`logged` between the first asked day and the day after the last, bare-column comparisons
 * with values computed once), and hash-joined to the asked days on person and local date.
 * (Probing each asked day with its own `[day, day + 1)` range measured 10-50x slower on a dense
 * 1M-row diary: PostgreSQL turned the range into a join filter over a sequential scan.)
 * One row per concept; with none, a single row carrying `asked_days`.
 */
export function coOccurrenceStatement(
  table: string,
  asked: DiaryRowFilter,
  others: ConceptMapping,
  limit: number,
): SqlStatement {
  const p = new Parameters();
  const askedWhere = where(asked, p, 's');
  const join = mappingJoin(others, p, 'o');
  const text =
    `WITH asked AS (SELECT DISTINCT s.person, s.logged::date AS day FROM ${table} s ` +
    `WHERE ${askedWhere}) ` +
    `SELECT c.asked_days, r.concept_id, r.shared_days ` +
    `FROM (SELECT count(*)::int AS asked_days FROM asked) c LEFT JOIN LATERAL (` +
    `SELECT d.concept AS concept_id, count(*)::int AS shared_days FROM (` +
    `SELECT DISTINCT o.person, o.logged::date AS day, m.concept FROM ${table} o ${join} ` +
    `WHERE o.deleted <> 'Y' AND o.logged >= (SELECT min(day) FROM asked)::timestamp ` +
    `AND o.logged < (SELECT max(day) FROM asked)::timestamp + interval '1 day') d ` +
    `JOIN asked a ON a.person = d.person AND a.day = d.day ` +
    `GROUP BY d.concept ORDER BY 2 DESC, 1 LIMIT ${p.bind(limit)}) r ON true ` +
    `ORDER BY r.shared_days DESC NULLS LAST, r.concept_id`;
  return { text, values: p.values };
}

/**
 * Person-days shared by each ordered pair of the concepts of `mapping` (the asked ones), the
 * pair (a, a) being a's own days.
 */
export function pairDaysStatement(
  table: string,
  filter: DiaryRowFilter,
  mapping: ConceptMapping,
): SqlStatement {
  const p = new Parameters();
  const join = mappingJoin(mapping, p);
  const text =
    `WITH d AS (SELECT DISTINCT s.person, s.logged::date AS day, m.concept ` +
    `FROM ${table} s ${join} WHERE ${where(filter, p)}) ` +
    `SELECT x.concept AS a, y.concept AS b, count(*)::int AS days ` +
    `FROM d x JOIN d y ON x.person = y.person AND x.day = y.day GROUP BY 1, 2 ORDER BY 1, 2`;
  return { text, values: p.values };
}
