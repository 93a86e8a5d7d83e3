#!/usr/bin/env bash
# Smoke tests of a deployment at PUBLIC_URL: readiness (database, Redis, bridge), HTTPS with a
# valid certificate, then what a user does first: sign in (SMOKE_EMAIL / SMOKE_PASSWORD, a
# dedicated account with no health data of its own) and read the symptom diary. Never prints
# the token or the password. Each check is written to the run summary.
# Optional: SMOKE_HTTP_URL (the plain-HTTP address, default http://<host of PUBLIC_URL>),
# SMOKE_READY_ATTEMPTS / SMOKE_READY_DELAY (readiness retries, default 24 × 5 s),
# CURL_CA_BUNDLE (curl's own: a private CA for a staging certificate).
set -euo pipefail

: "${PUBLIC_URL:?variable PUBLIC_URL of the environment is missing}"
: "${SMOKE_EMAIL:?secret SMOKE_EMAIL of the environment is missing}"
: "${SMOKE_PASSWORD:?secret SMOKE_PASSWORD of the environment is missing}"
base="${PUBLIC_URL%/}"
summary="${GITHUB_STEP_SUMMARY:-/dev/stdout}"
[[ "$base" =~ ^https:// ]] || { echo "PUBLIC_URL must be https://: $base" >&2; exit 1; }

echo "#### Smoke tests of $base" >> "$summary"
ok() { echo "- :white_check_mark: $*" >> "$summary"; echo "ok: $*"; }
fail() {
  echo "- :x: **$***" >> "$summary"
  echo "::error::smoke test failed: $*"
  exit 1
}

body="$(mktemp)"
trap 'rm -f "$body"' EXIT

# 1. Ready: the new containers may still be starting, so retry (two minutes by default).
attempts="${SMOKE_READY_ATTEMPTS:-24}"
delay="${SMOKE_READY_DELAY:-5}"
status=000
for attempt in $(seq 1 "$attempts"); do
  status="$(curl -sS -o "$body" -w '%{http_code}' --max-time 10 "$base/health/ready" || true)"
  if [ "$status" = 200 ]; then break; fi
  if [ "$attempt" -lt "$attempts" ]; then sleep "$delay"; fi
done
[ "$status" = 200 ] || fail "GET /health/ready answered $status after $attempts attempts"
ok "GET /health/ready 200"

# 2. Plain HTTP is redirected to HTTPS.
host_and_port="${base#https://}"
http_url="${SMOKE_HTTP_URL:-http://${host_and_port%%/*}}/health/live"
redirect="$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' --max-time 10 "$http_url" || true)"
[[ "$redirect" =~ ^30[18]\ https:// ]] || fail "HTTP is not redirected to HTTPS (got: $redirect)"
ok "HTTP redirects to HTTPS"

# 3. Sign in (the password goes through a file descriptor, never the command line).
login_status="$(
  jq -n --arg email "$SMOKE_EMAIL" --arg password "$SMOKE_PASSWORD" '{email: $email, password: $password}' |
    curl -sS -o "$body" -w '%{http_code}' --max-time 10 -H 'content-type: application/json' \
      --data-binary @- "$base/api/auth/login" || true
)"
[ "$login_status" = 200 ] || fail "POST /api/auth/login answered $login_status"
token="$(jq -r '.accessToken // empty' "$body")"
[ -n "$token" ] || fail "POST /api/auth/login gave no accessToken"
echo "::add-mask::$token"
ok "POST /api/auth/login 200"

# 4. Read the diary with the token.
symptoms_status="$(
  curl -sS -o "$body" -w '%{http_code}' --max-time 10 -H @- "$base/api/health/symptoms?limit=1" \
    <<< "authorization: Bearer $token" || true
)"
[ "$symptoms_status" = 200 ] || fail "GET /api/health/symptoms answered $symptoms_status"
jq -e '(.data | type == "array") and (.meta.total | type == "number")' "$body" > /dev/null ||
  fail "GET /api/health/symptoms did not answer { data: [...], meta: { total } }"
ok "GET /api/health/symptoms 200 with a page of entries"

# 5. Without a token the diary is closed.
anonymous="$(curl -sS -o /dev/null -w '%{http_code}' --max-time 10 "$base/api/health/symptoms?limit=1" || true)"
[ "$anonymous" = 401 ] || fail "GET /api/health/symptoms without a token answered $anonymous, not 401"
ok "GET /api/health/symptoms without a token 401"
