#!/usr/bin/env bash
# Restores the app's own schema from a dump made by backup.sh: the given file, or the newest in
# BACKUP_DIR. Replaces what is in schema `app` now (users, tokens …); never touches the diary.
# Refuses to run without --yes.
#
# Usage: docker/scripts/restore.sh --yes [DUMP_FILE]
# Where: RESTORE_DATABASE_URL / RESTORE_DATABASE_URL_FILE (pg_restore on this host), or
#        BACKUP_COMPOSE_SERVICE=app-db (pg_restore inside that compose service; the API
#        instances are stopped during the restore and started again after).
# Other settings: BACKUP_DIR (/srv/symptom-diary/backups), BACKUP_DB_USER / BACKUP_DB_NAME.
set -euo pipefail

log() { printf '%s restore: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2; }

backup_dir="${BACKUP_DIR:-/srv/symptom-diary/backups}"
docker_cmd="${DOCKER:-docker}"
confirmed=false
file=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --yes) confirmed=true; shift ;;
    -h | --help) sed -n '2,11p' "$0"; exit 0 ;;
    -*) log "unknown option $1"; exit 2 ;;
    *) file="$1"; shift ;;
  esac
done

if [[ -z "$file" ]]; then
  file="$(find "$backup_dir" -maxdepth 1 -type f -name 'app-*.dump' 2>/dev/null | sort | tail -n 1)"
  if [[ -z "$file" ]]; then
    log "no dump given and none in $backup_dir"
    exit 2
  fi
fi
if [[ ! -s "$file" ]]; then
  log "$file does not exist or is empty"
  exit 2
fi
if [[ -f "$file.sha256" ]]; then
  if ! (cd "$(dirname "$file")" && sha256sum --quiet --check "$(basename "$file").sha256"); then
    log "$file does not match its checksum: not restoring"
    exit 1
  fi
fi

if [[ "$confirmed" != true ]]; then
  log "this replaces every table of the app's schema with the contents of $file"
  log "run again with --yes to do it"
  exit 2
fi

if [[ -z "${RESTORE_DATABASE_URL:-}" && -n "${RESTORE_DATABASE_URL_FILE:-}" ]]; then
  RESTORE_DATABASE_URL="$(tr -d '\n' < "$RESTORE_DATABASE_URL_FILE")"
fi

# One transaction: it restores completely or not at all.
restore_args=(--clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error)
if [[ -n "${BACKUP_COMPOSE_SERVICE:-}" ]]; then
  log "stopping api-1 and api-2 during the restore"
  "$docker_cmd" compose stop api-1 api-2
  log "restoring $file into compose service $BACKUP_COMPOSE_SERVICE"
  if ! "$docker_cmd" compose exec -T "$BACKUP_COMPOSE_SERVICE" \
    pg_restore --username="${BACKUP_DB_USER:-app}" --dbname="${BACKUP_DB_NAME:-app}" \
    "${restore_args[@]}" < "$file"; then
    log "restore FAILED: nothing was changed; starting the API again"
    "$docker_cmd" compose start api-1 api-2
    exit 1
  fi
  "$docker_cmd" compose start api-1 api-2
elif [[ -n "${RESTORE_DATABASE_URL:-}" ]]; then
  log "restoring $file"
  pg_restore --dbname="$RESTORE_DATABASE_URL" "${restore_args[@]}" "$file"
else
  log "set RESTORE_DATABASE_URL (or _FILE) or BACKUP_COMPOSE_SERVICE"
  exit 2
fi
log "restored $file"
