#!/usr/bin/env bash
# One dynamic-DNS run: ddclient once (it updates the record only when the public address changed,
# thanks to its cache), its messages passed on to the journal, and the outcome written as
# node-exporter textfile metrics:
#   ddns_update_success                   1 when the last run found the address and the record
#                                         was updated or already right; 0 otherwise
#   ddns_last_success_timestamp_seconds   when a run last succeeded (0: never)
# Run every 5 minutes by ddns-update.timer (docker/host/systemd/) instead of ddclient's own
# daemon: ddclient 3.10 exits 0 whatever happens and does not record every failure in its cache
# (a refused connection to the provider leaves the cached status untouched), so its output is
# the only reliable signal. Its FAILED/FATAL lines and an undeterminable address count as failure.
#
# Overridable by environment (the jest suite uses them):
#   DDNS_DDCLIENT      default ddclient
#   DDNS_CONF          default /etc/ddclient.conf (root-only: it holds the API token)
#   DDNS_CACHE         default /var/cache/ddclient/ddclient.cache
#   DDNS_STATE_DIR     default /var/lib/ddns-update
#   DDNS_TEXTFILE_DIR  default /var/lib/node_exporter/textfile
#   DDNS_EXTRA_ARGS    extra ddclient arguments (space-separated), e.g. "-force"
set -euo pipefail

ddclient_cmd="${DDNS_DDCLIENT:-ddclient}"
conf="${DDNS_CONF:-/etc/ddclient.conf}"
cache="${DDNS_CACHE:-/var/cache/ddclient/ddclient.cache}"
state_dir="${DDNS_STATE_DIR:-/var/lib/ddns-update}"
textfile_dir="${DDNS_TEXTFILE_DIR:-/var/lib/node_exporter/textfile}"
read -r -a extra_args <<<"${DDNS_EXTRA_ARGS:-}"

status=0
output="$("$ddclient_cmd" -daemon=0 -foreground -noquiet -verbose -file "$conf" -cache "$cache" \
  "${extra_args[@]}" 2>&1)" || status=$?

# Pass ddclient's own lines on (never its debug dump: it is not enabled here). Priorities for
# the journal: failures as errors, the rest as info.
while IFS= read -r line; do
  case "$line" in
    FAILED:* | FATAL:*) echo "<3>${line}" ;;
    WARNING:*) echo "<4>${line}" ;;
    "") ;;
    *) echo "<6>${line}" ;;
  esac
done <<<"$output"

success=1
reason=""
if [[ "$status" != 0 ]]; then
  success=0
  reason="ddclient exited with ${status}"
elif grep -qE '^(FAILED|FATAL):' <<<"$output"; then
  success=0
  reason="$(grep -m 1 -E '^(FAILED|FATAL):' <<<"$output")"
elif grep -qiE 'unable to determine IP|found neither IPv4 nor IPv6' <<<"$output"; then
  success=0
  reason="the public address could not be determined"
elif grep -qE "skipping host|is an invalid|Invalid Value|unrecognized keyword" <<<"$output"; then
  success=0
  reason="the configuration is invalid"
fi

now="$(date +%s)"
mkdir -p "$state_dir"
last_success="$(cat "${state_dir}/last_success" 2>/dev/null || echo 0)"
[[ "$last_success" =~ ^[0-9]+$ ]] || last_success=0
previous="$(cat "${state_dir}/last_result" 2>/dev/null || true)"

if [[ "$success" == 1 ]]; then
  last_success="$now"
  printf '%s\n' "$now" >"${state_dir}/last_success.tmp"
  mv -f "${state_dir}/last_success.tmp" "${state_dir}/last_success"
fi
if [[ "$success" != "$previous" ]]; then
  if [[ "$success" == 1 ]]; then
    echo "<5>ddns state changed: ${previous:-unknown} -> ok"
  else
    echo "<3>ddns state changed: ${previous:-unknown} -> failing (${reason})"
  fi
fi
printf '%s\n' "$success" >"${state_dir}/last_result.tmp"
mv -f "${state_dir}/last_result.tmp" "${state_dir}/last_result"

mkdir -p "$textfile_dir"
metrics_tmp="$(mktemp "${textfile_dir}/.ddns.prom.XXXXXX")"
{
  echo "# HELP ddns_update_success Whether the last dynamic DNS run succeeded (1) or failed (0)."
  echo "# TYPE ddns_update_success gauge"
  echo "ddns_update_success ${success}"
  echo "# HELP ddns_last_success_timestamp_seconds When a dynamic DNS run last succeeded (0: never)."
  echo "# TYPE ddns_last_success_timestamp_seconds gauge"
  echo "ddns_last_success_timestamp_seconds ${last_success}"
} >"$metrics_tmp"
chmod 0644 "$metrics_tmp"
mv -f "$metrics_tmp" "${textfile_dir}/ddns.prom"

# The unit fails visibly (systemctl --failed) when the update failed; the metric is written first.
[[ "$success" == 1 ]]
