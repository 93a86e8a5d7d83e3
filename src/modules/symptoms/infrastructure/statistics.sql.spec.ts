import { DiaryRowFilter, entryPageStatement, SqlStatement } from './entry-page.sql';
import {
  bucketsStatement,
  coOccurrenceStatement,
  ConceptMapping,
  conceptTotalsStatement,
  occurrenceStatement,
  pairDaysStatement,
  personTotalsStatement,
  severityStatement,
  totalsStatement,
} from './statistics.sql';

const TABLE = '"public"."symptom_log"';
const EVIL = "x'); DROP TABLE symptom_log; --";

/** A filter whose every text value carries a quote and SQL. */
const hostile: DiaryRowFilter = {
  names: [EVIL, "O'Brien's ache"],
  excludedNames: [`${EVIL} excluded`],
  fromLocal: "2026-02-01 00:00:00.000'",
  toLocal: '2026-03-01 00:00:00.000',
  minSeverity: 3,
  maxSeverity: 9,
  person: "Anna' OR '1'='1",
};
const mapping: ConceptMapping = { names: [EVIL, 'head ache'], concepts: ["head'ache", 'headache'] };

const statements: [string, (filter: DiaryRowFilter) => SqlStatement][] = [
  ['totals', (f) => totalsStatement(TABLE, f, false)],
  ['totals with severity', (f) => totalsStatement(TABLE, f, true)],
  ['concept totals', (f) => conceptTotalsStatement(TABLE, f, mapping)],
  ['concept totals, top', (f) => conceptTotalsStatement(TABLE, f, mapping, 10)],
  ['latest', (f) => occurrenceStatement(TABLE, f, 'latest')],
  ['earliest', (f) => occurrenceStatement(TABLE, f, 'earliest')],
  ['most severe', (f) => occurrenceStatement(TABLE, f, 'most_severe')],
  ['severity', (f) => severityStatement(TABLE, f)],
  ['week buckets', (f) => bucketsStatement(TABLE, f, 'week')],
  ['month buckets', (f) => bucketsStatement(TABLE, f, 'month')],
  ['persons', (f) => personTotalsStatement(TABLE, f)],
  ['co-occurrence', (f) => coOccurrenceStatement(TABLE, f, mapping, 10)],
  ['pair days', (f) => pairDaysStatement(TABLE, f, mapping)],
];

/** Every text value bound anywhere in the statement, flattened. */
function texts(values: unknown[]): string[] {
  return values
    .flatMap((v): unknown[] => (Array.isArray(v) ? (v as unknown[]) : [v]))
    .filter((v): v is string => typeof v === 'string');
}

describe('statistics SQL builders', () => {
  describe.each(statements)('%s', (_name, build) => {
    const withNames = build(hostile);
    const withoutNames = build({ ...hostile, names: undefined });

    it('binds every value and writes only placeholders into the text', () => {
      for (const statement of [withNames, withoutNames]) {
        expect(statement.text).not.toContain("'1'='1");
        expect(statement.text).not.toContain('DROP');
        expect(statement.text).not.toContain("O'Brien");
        expect(statement.text).not.toContain('2026-');
        expect(statement.text).not.toContain("head'ache");
        // The only quoted literals are constants: the live-row flag and a day's length.
        expect(
          statement.text
            .match(/'[^']*'/g)
            ?.every((literal) => ["'Y'", "'1 day'"].includes(literal)),
        ).toBe(true);
        expect(texts(statement.values)).toEqual(
          expect.arrayContaining([hostile.person, hostile.fromLocal]),
        );
      }
    });

    it('numbers its placeholders $1..$n, one per bound value', () => {
      for (const statement of [withNames, withoutNames]) {
        const used = new Set(
          [...statement.text.matchAll(/\$(\d+)/g)].map((match) => Number(match[1])),
        );
        expect([...used].sort((a, b) => a - b)).toEqual(
          statement.values.map((_value, index) => index + 1),
        );
      }
    });

    it('reads live rows only and compares the bare logged column', () => {
      for (const statement of [withNames, withoutNames]) {
        expect(statement.text).toMatch(/\.deleted <> 'Y'/);
        expect(statement.text).toMatch(/\.logged >= \$\d+::timestamp/);
        expect(statement.text).toMatch(/\.logged < \$\d+::timestamp/);
        // No function of logged is compared (that would defeat the indexes).
        expect(statement.text).not.toMatch(/(::date|\))\s*(>=|<=|<|>|=)\s*\$/);
        expect(statement.text).not.toMatch(/WHERE[^()]*date_trunc/);
      }
    });

    it('filters by raw names with = ANY when names are given', () => {
      expect(withNames.text).toMatch(/\.sym = (ANY\(\$\d+::text\[\]\)|n\.sym)/);
      expect(withNames.values).toContainEqual(hostile.names);
    });
  });

  it('leaves excluded names out with <> ALL', () => {
    const statement = totalsStatement(TABLE, { excludedNames: ['Headache', 'head ache'] }, false);
    expect(statement).toEqual({
      text:
        'SELECT count(*)::int AS count, count(DISTINCT s.logged::date)::int AS days, ' +
        `0 AS rated, 0 AS severity_sum FROM ${TABLE} s WHERE s.deleted <> 'Y' ` +
        'AND s.sym <> ALL($1::text[])',
      values: [['Headache', 'head ache']],
    });
    const page = entryPageStatement(
      TABLE,
      { excludedNames: ['Headache'] },
      { field: 'occurredAt', direction: 'desc' },
      { page: 1, limit: 20 },
    );
    expect(page.text).toContain('s.sym <> ALL($1::text[])');
    expect(page.values[0]).toEqual(['Headache']);
  });

  it('groups by concept through the bound name-to-concept arrays', () => {
    const statement = conceptTotalsStatement(TABLE, { names: ['Headache'] }, mapping, 5);
    expect(statement.text).toContain(
      'JOIN unnest($1::text[], $2::text[]) AS m(sym, concept) ON m.sym = s.sym',
    );
    expect(statement.text).toContain('GROUP BY m.concept ORDER BY 2 DESC, 3 DESC, 1 LIMIT $4');
    expect(statement.values).toEqual([mapping.names, mapping.concepts, ['Headache'], 5]);
  });

  it('binds the bucket unit rather than writing it', () => {
    const statement = bucketsStatement(TABLE, {}, 'week');
    expect(statement.text).toContain('date_trunc($1::text, s.logged)::date::text AS start');
    expect(statement.values).toEqual(['week']);
  });

  it('finds the latest entry per raw name, then the latest of those', () => {
    const statement = occurrenceStatement(TABLE, { names: ['a', 'b'] }, 'latest');
    expect(statement.text).toContain('FROM unnest($1::text[]) AS n(sym) CROSS JOIN LATERAL');
    expect(statement.text).toContain('ORDER BY s.logged DESC, s.log_id DESC LIMIT 1) e');
    const worst = occurrenceStatement(TABLE, {}, 'most_severe');
    expect(worst.text).toContain('s.sev IS NOT NULL ORDER BY s.sev DESC, s.logged DESC');
  });
});
