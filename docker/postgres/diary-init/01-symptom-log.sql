-- Development stand-in for the home server's diary (docker/compose.yml, service postgres).
-- The legacy table exactly as it exists on the Pi 3B (docs/data-model.md;
-- src/infrastructure/database/diary-schema.ts; test/checks/containers.spec.ts compares them),
-- and the indexes docs/performance.md recommends. Runs once, on an empty data directory.
CREATE TABLE IF NOT EXISTS public.symptom_log (
  log_id   serial PRIMARY KEY,
  person   varchar(40) NOT NULL,
  sym      varchar(80) NOT NULL,
  sev      smallint,
  logged   timestamp without time zone NOT NULL,
  dur_mins integer,
  notes    text,
  deleted  char(1) NOT NULL DEFAULT 'N'
);

CREATE INDEX IF NOT EXISTS symptom_log_sym_logged_idx ON public.symptom_log (sym, logged) WHERE deleted <> 'Y';
CREATE INDEX IF NOT EXISTS symptom_log_logged_idx ON public.symptom_log (logged) WHERE deleted <> 'Y';
