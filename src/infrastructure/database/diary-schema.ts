/**
 * The diary table exactly as it exists on the home server. We never create or alter it there:
 * this DDL is used only for the embedded default and for tests.
 */
export function diaryTableDdl(schema: string): string {
  return `
CREATE TABLE IF NOT EXISTS ${schema}.symptom_log (
  log_id   serial PRIMARY KEY,
  person   varchar(40) NOT NULL,
  sym      varchar(80) NOT NULL,
  sev      smallint,
  logged   timestamp without time zone NOT NULL,
  dur_mins integer,
  notes    text,
  deleted  char(1) NOT NULL DEFAULT 'N'
)`;
}

/**
 * The index we recommend the operator create on the real diary (docs/performance.md). The
 * embedded default creates it too, so that it behaves like a well-set-up home server.
 */
export function recommendedIndexDdl(schema: string, concurrently = false): string[] {
  const c = concurrently ? ' CONCURRENTLY' : '';
  return [
    `CREATE INDEX${c} IF NOT EXISTS symptom_log_sym_logged_idx ON ${schema}.symptom_log (sym, logged) WHERE deleted <> 'Y'`,
    `CREATE INDEX${c} IF NOT EXISTS symptom_log_logged_idx ON ${schema}.symptom_log (logged) WHERE deleted <> 'Y'`,
  ];
}
