#!/usr/bin/env bash
# Generates every file docker/compose.yml reads from docker/secrets/ (docker/secrets/README.md):
# random keys and passwords, the database URLs that use them, a private CA with the bridge's TLS
# certificate, and a self-signed certificate for nginx (development; production uses Let's
# Encrypt, docs/deployment.md). Existing files are kept, so running it again only fills gaps;
# --force regenerates everything (then recreate the databases' volumes or change their passwords).
#
# Usage: docker/scripts/make-secrets.sh [--force] [--dir DIR]
# Environment: BRIDGE_TLS_SANS extra subjectAltNames for the bridge (e.g. DNS:pi3b.lan,IP:192.168.1.3)
#              TLS_HOSTNAME the nginx self-signed certificate's name (default localhost)
#              DIARY_HOST / DIARY_PORT / DIARY_DB / DIARY_USER where the bridge finds the diary
#              (default: the postgres service of compose.yml)
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir="$script_dir/../secrets"
force=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --force) force=true; shift ;;
    --dir) dir="$2"; shift 2 ;;
    -h | --help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "make-secrets: unknown argument $1" >&2; exit 2 ;;
  esac
done

# Who reads the files inside the containers (compose bind-mounts them as they are on the host).
app_uid="${SECRETS_APP_UID:-1000}"   # the image's `node` user
pg_uid="${SECRETS_PG_UID:-70}"       # postgres:*-alpine's `postgres` user

mkdir -p "$dir"
chmod 700 "$dir"
umask 077

random() { openssl rand -base64 "$1" | tr -d '\n=+/' | cut -c1-"$2"; }

# write NAME OWNER-UID CONTENT: only when missing (or --force).
write() {
  local name="$1" owner="$2" content="$3" path="$dir/$1"
  if [[ -e "$path" && "$force" != true ]]; then
    echo "kept      $name"
    return
  fi
  printf '%s\n' "$content" > "$path"
  protect "$path" "$owner"
  echo "generated $name"
}

# Read-only for the one container user that reads it; when not root (no chown), readable by all
# inside the containers while the directory (700) keeps it from other users of the host.
protect() {
  local path="$1" owner="$2"
  if [[ "$(id -u)" == 0 ]]; then
    chown "$owner:$owner" "$path"
    chmod 400 "$path"
  else
    chmod 444 "$path"
  fi
}

value() { tr -d '\n' < "$dir/$1"; }

write jwt_secret "$app_uid" "$(random 64 64)"
write metrics_token "$app_uid" "$(random 48 48)"
write bridge_secret "$app_uid" "$(random 48 48)"
write bridge_keys "$app_uid" "${BRIDGE_KEY_ID:-api}:$(value bridge_secret)"
write app_db_password "$pg_uid" "$(random 32 32)"
write app_database_url "$app_uid" "postgres://app:$(value app_db_password)@app-db:5432/app"
write diary_owner_password "$pg_uid" "$(random 32 32)"
write diary_reader_password "$pg_uid" "$(random 32 32)"
write diary_database_url "$app_uid" \
  "postgres://${DIARY_USER:-diary_reader}:$(value diary_reader_password)@${DIARY_HOST:-postgres}:${DIARY_PORT:-5432}/${DIARY_DB:-diary}"

# The bridge's private CA and server certificate (the API trusts only this CA: BRIDGE_CA).
if [[ ! -e "$dir/bridge_tls_cert.pem" || "$force" == true ]]; then
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
    -subj "/CN=symptom-diary bridge CA" -keyout "$work/ca.key" -out "$work/ca.pem" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    2>/dev/null
  sans="DNS:bridge,DNS:localhost,IP:127.0.0.1${BRIDGE_TLS_SANS:+,$BRIDGE_TLS_SANS}"
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=bridge" \
    -keyout "$work/bridge.key" -out "$work/bridge.csr" 2>/dev/null
  openssl x509 -req -in "$work/bridge.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" \
    -CAcreateserial -days 825 -out "$work/bridge.pem" \
    -extfile <(printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\n' "$sans") 2>/dev/null
  cp "$work/ca.pem" "$dir/bridge_ca.pem"
  cp "$work/bridge.pem" "$dir/bridge_tls_cert.pem"
  cp "$work/bridge.key" "$dir/bridge_tls_key.pem"
  # The CA's key is not kept: a new bridge certificate means a new CA (run with --force).
  protect "$dir/bridge_ca.pem" "$app_uid"
  protect "$dir/bridge_tls_cert.pem" "$app_uid"
  protect "$dir/bridge_tls_key.pem" "$app_uid"
  echo "generated bridge_ca.pem, bridge_tls_cert.pem, bridge_tls_key.pem ($sans)"
else
  echo "kept      bridge_ca.pem, bridge_tls_cert.pem, bridge_tls_key.pem"
fi

# nginx's certificate for development (compose.prod.yml mounts the Let's Encrypt one instead).
mkdir -p "$dir/tls"
chmod 700 "$dir/tls"
if [[ ! -e "$dir/tls/fullchain.pem" || "$force" == true ]]; then
  name="${TLS_HOSTNAME:-localhost}"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 825 \
    -subj "/CN=$name" -addext "subjectAltName=DNS:$name,DNS:localhost,IP:127.0.0.1" \
    -keyout "$dir/tls/privkey.pem" -out "$dir/tls/fullchain.pem" 2>/dev/null
  chmod 400 "$dir/tls/privkey.pem"
  chmod 444 "$dir/tls/fullchain.pem"
  echo "generated tls/fullchain.pem, tls/privkey.pem (self-signed for $name)"
else
  echo "kept      tls/fullchain.pem, tls/privkey.pem"
fi

if [[ ! -e "$dir/diary_ca.pem" ]]; then
  echo "note: compose.prod.yml needs $dir/diary_ca.pem (the CA of the Pi 3B's PostgreSQL certificate)"
fi
