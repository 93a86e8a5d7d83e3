#!/usr/bin/env bash
# The bridge's role on the development diary: it may read symptom_log and nothing else, as on
# the home server (docs/bridge.md). Its password comes from the diary_reader_password secret.
set -euo pipefail

password_file="${DIARY_READER_PASSWORD_FILE:-/run/secrets/diary_reader_password}"
if [[ ! -r "$password_file" ]]; then
  echo "02-reader-role: $password_file is not readable: no diary_reader role created" >&2
  exit 1
fi
password="$(tr -d '\n' < "$password_file")"
role="${DIARY_READER_ROLE:-diary_reader}"

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v reader_password="$password" -v reader="$role" -v db="$POSTGRES_DB" <<'SQL'
CREATE ROLE :"reader" LOGIN PASSWORD :'reader_password';
ALTER ROLE :"reader" SET default_transaction_read_only = on;
GRANT CONNECT ON DATABASE :"db" TO :"reader";
GRANT USAGE ON SCHEMA public TO :"reader";
GRANT SELECT ON public.symptom_log TO :"reader";
SQL
echo "02-reader-role: role $role may read public.symptom_log"
