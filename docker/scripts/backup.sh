#!/usr/bin/env bash
# Dumps the app's own data (schema `app`: users, refresh tokens, sign-in counters, migrations),
# never the diary, into BACKUP_DIR as a compressed pg_dump archive; keeps BACKUP_KEEP_DAYS days;
# copies the new dump off-site when BACKUP_RCLONE_REMOTE or BACKUP_RSYNC_TARGET is set.
# Run daily by docker/systemd/symptom-diary-backup.timer (docs/operations.md, "Backups").
#
# Where the database is (one of):
#   BACKUP_DATABASE_URL / BACKUP_DATABASE_URL_FILE   pg_dump on this host connects to it
#   BACKUP_COMPOSE_SERVICE=app-db                    pg_dump runs inside that compose service
#                                                    ($DOCKER compose exec -T …; DOCKER=docker)
# Other settings: BACKUP_DIR (/srv/symptom-diary/backups), BACKUP_KEEP_DAYS (30),
#   BACKUP_SCHEMA (app), BACKUP_DB_USER / BACKUP_DB_NAME (app / app, compose mode),
#   BACKUP_TEXTFILE_DIR (node-exporter textfile directory: writes the last success time).
# Exit status: 0 done; 1 the dump failed (nothing kept); 3 dumped, but the off-site copy failed.
set -euo pipefail

log() { printf '%s backup: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2; }

backup_dir="${BACKUP_DIR:-/srv/symptom-diary/backups}"
keep_days="${BACKUP_KEEP_DAYS:-30}"
schema="${BACKUP_SCHEMA:-app}"
docker_cmd="${DOCKER:-docker}"

if ! [[ "$keep_days" =~ ^[1-9][0-9]*$ ]]; then
  log "BACKUP_KEEP_DAYS must be a positive number of days (got '$keep_days')"
  exit 2
fi
if [[ -z "${BACKUP_DATABASE_URL:-}" && -n "${BACKUP_DATABASE_URL_FILE:-}" ]]; then
  BACKUP_DATABASE_URL="$(tr -d '\n' < "$BACKUP_DATABASE_URL_FILE")"
fi
if [[ -z "${BACKUP_DATABASE_URL:-}" && -z "${BACKUP_COMPOSE_SERVICE:-}" ]]; then
  log "set BACKUP_DATABASE_URL (or _FILE) or BACKUP_COMPOSE_SERVICE"
  exit 2
fi

mkdir -p "$backup_dir"
chmod 700 "$backup_dir"
umask 077

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
file="$backup_dir/app-$stamp.dump"
partial="$file.partial"
trap 'rm -f "$partial"' EXIT

# Custom format: compressed, and pg_restore can restore it selectively. Only the app's schema:
# the diary's symptom_log is never in it, wherever the app's tables live.
dump_args=(--format=custom --compress=9 --schema="$schema" --no-owner --no-privileges)
if [[ -n "${BACKUP_COMPOSE_SERVICE:-}" ]]; then
  log "dumping schema $schema from compose service $BACKUP_COMPOSE_SERVICE"
  "$docker_cmd" compose exec -T "$BACKUP_COMPOSE_SERVICE" \
    pg_dump --username="${BACKUP_DB_USER:-app}" --dbname="${BACKUP_DB_NAME:-app}" "${dump_args[@]}" \
    > "$partial"
else
  log "dumping schema $schema"
  pg_dump --dbname="$BACKUP_DATABASE_URL" "${dump_args[@]}" > "$partial"
fi

if [[ ! -s "$partial" ]]; then
  log "the dump is empty: nothing kept"
  exit 1
fi
mv "$partial" "$file"
(cd "$backup_dir" && sha256sum "$(basename "$file")" > "$(basename "$file").sha256")
log "wrote $file ($(stat -c %s "$file") bytes)"

# Keep BACKUP_KEEP_DAYS days; the newest dump is never deleted, whatever its age.
newest="$(basename "$file")"
while IFS= read -r -d '' old; do
  [[ "$(basename "$old")" == "$newest" ]] && continue
  rm -f "$old" "$old.sha256"
  log "deleted $(basename "$old") (older than $keep_days days)"
done < <(find "$backup_dir" -maxdepth 1 -type f -name 'app-*.dump' -mmin +$((keep_days * 1440)) -print0)

status=0
if [[ -n "${BACKUP_RCLONE_REMOTE:-}" ]]; then
  if rclone copy "$file" "$BACKUP_RCLONE_REMOTE" && rclone copy "$file.sha256" "$BACKUP_RCLONE_REMOTE"; then
    log "copied off-site to $BACKUP_RCLONE_REMOTE"
  else
    log "off-site copy to $BACKUP_RCLONE_REMOTE FAILED (the local dump is kept)"
    status=3
  fi
fi
if [[ -n "${BACKUP_RSYNC_TARGET:-}" ]]; then
  if rsync -a "$file" "$file.sha256" "$BACKUP_RSYNC_TARGET"; then
    log "copied off-site to $BACKUP_RSYNC_TARGET"
  else
    log "off-site copy to $BACKUP_RSYNC_TARGET FAILED (the local dump is kept)"
    status=3
  fi
fi

if [[ -n "${BACKUP_TEXTFILE_DIR:-}" && "$status" == 0 ]]; then
  metric="$BACKUP_TEXTFILE_DIR/symptom_diary_backup.prom"
  printf '# HELP backup_last_success_timestamp_seconds When the last backup of the app database succeeded.\n# TYPE backup_last_success_timestamp_seconds gauge\nbackup_last_success_timestamp_seconds %s\n' \
    "$(date +%s)" > "$metric.tmp"
  chmod 644 "$metric.tmp"
  mv "$metric.tmp" "$metric"
fi
exit "$status"
