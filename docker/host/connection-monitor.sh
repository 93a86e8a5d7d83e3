#!/usr/bin/env bash
# Checks the home internet connection once and records the result; run every minute by
# connection-monitor.timer (docker/host/systemd/). Logs only when the state changes (to stdout:
# the journal under systemd, with sd-daemon priority prefixes), and always rewrites the
# node-exporter textfile metrics:
#   home_internet_up                              1 when DNS resolves and an HTTPS host answers
#   home_internet_last_change_timestamp_seconds   when home_internet_up last changed
#   home_internet_check_success{check=...}        gateway | dns | https | public_name
#   home_internet_gateway_rtt_seconds             the gateway's ping round trip (-1 if none)
#
# The gateway ping is a diagnostic, not a condition: many routers ignore ping, and "gateway
# answers, internet does not" is exactly what tells an ISP outage from a LAN fault.
# public_name (the DDNS name resolving to our own public address) is reported and logged on
# change but does not count as "internet down": that is ddclient's failure, not the line's.
#
# Everything is overridable by environment (the jest suite runs it with fake ping/dig/curl):
#   CM_GATEWAY          default: the default route's gateway (ip route)
#   CM_DNS_NAME         name to resolve (default: deb.debian.org)
#   CM_DNS_SERVER       server to ask (default: the first nameserver of CM_RESOLV_CONF)
#   CM_RESOLV_CONF      default /etc/resolv.conf
#   CM_HTTPS_URLS       space-separated, default "https://www.cloudflare.com https://www.google.com"
#   CM_PUBLIC_NAME      our public name (empty: the public_name check is skipped)
#   CM_PUBLIC_IP_URL    returns our public IPv4 as text (default https://api.ipify.org)
#   CM_TIMEOUT          seconds per check (default 5)
#   CM_STATE_DIR        default /var/lib/connection-monitor (systemd StateDirectory=)
#   CM_TEXTFILE_DIR     default /var/lib/node_exporter/textfile
set -euo pipefail

timeout_s="${CM_TIMEOUT:-5}"
dns_name="${CM_DNS_NAME:-deb.debian.org}"
resolv_conf="${CM_RESOLV_CONF:-/etc/resolv.conf}"
read -r -a https_urls <<<"${CM_HTTPS_URLS:-https://www.cloudflare.com https://www.google.com}"
public_name="${CM_PUBLIC_NAME:-}"
public_ip_url="${CM_PUBLIC_IP_URL:-https://api.ipify.org}"
state_dir="${CM_STATE_DIR:-/var/lib/connection-monitor}"
textfile_dir="${CM_TEXTFILE_DIR:-/var/lib/node_exporter/textfile}"
state_file="${state_dir}/state"

gateway="${CM_GATEWAY:-}"
if [[ -z "$gateway" ]] && command -v ip >/dev/null 2>&1; then
  gateway="$(ip -4 route show default 2>/dev/null | awk '/^default/ { print $3; exit }')"
fi
dns_server="${CM_DNS_SERVER:-}"
if [[ -z "$dns_server" && -r "$resolv_conf" ]]; then
  dns_server="$(awk '$1 == "nameserver" { print $2; exit }' "$resolv_conf")"
fi

# ---- checks ---------------------------------------------------------------------------------
gateway_ok=0
gateway_rtt_ms=""
if [[ -n "$gateway" ]]; then
  if ping_out="$(ping -n -c 1 -W "$timeout_s" "$gateway" 2>&1)"; then
    gateway_ok=1
    gateway_rtt_ms="$(sed -n 's/.*time[=<]\([0-9.]*\) *ms.*/\1/p' <<<"$ping_out" | head -n 1)"
  fi
fi

dns_ok=0
dns_answer=""
dig_args=(+short +time="$timeout_s" +tries=1 A "$dns_name")
if [[ -n "$dns_server" ]]; then
  dig_args=("@${dns_server}" "${dig_args[@]}")
fi
if dns_out="$(dig "${dig_args[@]}" 2>/dev/null)"; then
  dns_answer="$(grep -E '^[0-9]+(\.[0-9]+){3}$' <<<"$dns_out" | head -n 1 || true)"
  [[ -n "$dns_answer" ]] && dns_ok=1
fi

https_ok=0
https_report=()
for url in "${https_urls[@]}"; do
  if timing="$(curl -sS -o /dev/null -I --max-time "$timeout_s" -w '%{http_code} %{time_total}' "$url" 2>/dev/null)"; then
    https_ok=1
    https_report+=("${url}=ok(${timing#* }s)")
  else
    https_report+=("${url}=failed")
  fi
done

public_state="skipped"
public_detail=""
if [[ -n "$public_name" ]]; then
  public_ip="$(curl -sS --max-time "$timeout_s" "$public_ip_url" 2>/dev/null | tr -d '[:space:]' || true)"
  resolved_ip="$(dig +short +time="$timeout_s" +tries=1 A "$public_name" 2>/dev/null |
    grep -E '^[0-9]+(\.[0-9]+){3}$' | head -n 1 || true)"
  if [[ -n "$public_ip" && "$public_ip" == "$resolved_ip" ]]; then
    public_state="match"
  else
    public_state="mismatch"
  fi
  public_detail="${public_name} resolves to ${resolved_ip:-nothing}, public address ${public_ip:-unknown}"
fi

up=0
if [[ "$dns_ok" == 1 && "$https_ok" == 1 ]]; then
  up=1
fi

# ---- state changes --------------------------------------------------------------------------
now="$(date +%s)"
previous_up=""
previous_public=""
last_change="$now"
if [[ -r "$state_file" ]]; then
  previous_up="$(sed -n 's/^STATE_UP=\([01]\)$/\1/p' "$state_file")"
  previous_public="$(sed -n 's/^STATE_PUBLIC=\([a-z]*\)$/\1/p' "$state_file")"
  last_change="$(sed -n 's/^STATE_SINCE=\([0-9]*\)$/\1/p' "$state_file")"
  last_change="${last_change:-$now}"
fi

label() { if [[ "$1" == 1 ]]; then echo up; elif [[ "$1" == 0 ]]; then echo down; else echo unknown; fi; }
failed_checks=()
[[ "$gateway_ok" == 1 ]] || failed_checks+=("gateway")
[[ "$dns_ok" == 1 ]] || failed_checks+=("dns")
[[ "$https_ok" == 1 ]] || failed_checks+=("https")
[[ "$public_state" != "mismatch" ]] || failed_checks+=("public_name")

diagnostics="failed=[${failed_checks[*]:-}] gateway=${gateway:-none} gateway_rtt_ms=${gateway_rtt_ms:-none}"
diagnostics+=" dns_server=${dns_server:-default} ${dns_name}=${dns_answer:-unresolved} https=[${https_report[*]}]"

if [[ "$up" != "$previous_up" ]]; then
  last_change="$now"
  if [[ "$up" == 1 ]]; then priority="<5>"; else priority="<3>"; fi
  echo "${priority}internet state changed: $(label "$previous_up") -> $(label "$up") ${diagnostics}"
fi
if [[ "$public_state" != "$previous_public" && -n "$previous_public$public_name" ]]; then
  if [[ "$public_state" == "mismatch" ]]; then priority="<4>"; else priority="<5>"; fi
  echo "${priority}public name state changed: ${previous_public:-unknown} -> ${public_state} ${public_detail}"
fi

mkdir -p "$state_dir"
state_tmp="$(mktemp "${state_dir}/.state.XXXXXX")"
printf 'STATE_UP=%s\nSTATE_PUBLIC=%s\nSTATE_SINCE=%s\n' "$up" "$public_state" "$last_change" >"$state_tmp"
mv -f "$state_tmp" "$state_file"

# ---- metrics (atomic: temp file in the same directory, then rename) --------------------------
rtt_seconds="-1"
if [[ -n "$gateway_rtt_ms" ]]; then
  rtt_seconds="$(awk -v ms="$gateway_rtt_ms" 'BEGIN { printf "%.6f", ms / 1000 }')"
fi
public_ok=0
[[ "$public_state" != "match" ]] || public_ok=1

mkdir -p "$textfile_dir"
metrics_tmp="$(mktemp "${textfile_dir}/.home-internet.prom.XXXXXX")"
{
  echo "# HELP home_internet_up Whether the home internet connection works (DNS and an HTTPS host answer)."
  echo "# TYPE home_internet_up gauge"
  echo "home_internet_up ${up}"
  echo "# HELP home_internet_last_change_timestamp_seconds When home_internet_up last changed."
  echo "# TYPE home_internet_last_change_timestamp_seconds gauge"
  echo "home_internet_last_change_timestamp_seconds ${last_change}"
  echo "# HELP home_internet_check_success Result of each connection check (1 ok, 0 failed)."
  echo "# TYPE home_internet_check_success gauge"
  echo "home_internet_check_success{check=\"gateway\"} ${gateway_ok}"
  echo "home_internet_check_success{check=\"dns\"} ${dns_ok}"
  echo "home_internet_check_success{check=\"https\"} ${https_ok}"
  if [[ "$public_state" != "skipped" ]]; then
    echo "home_internet_check_success{check=\"public_name\"} ${public_ok}"
  fi
  echo "# HELP home_internet_gateway_rtt_seconds Round trip of one ping to the gateway (-1 when it did not answer)."
  echo "# TYPE home_internet_gateway_rtt_seconds gauge"
  echo "home_internet_gateway_rtt_seconds ${rtt_seconds}"
} >"$metrics_tmp"
chmod 0644 "$metrics_tmp"
mv -f "$metrics_tmp" "${textfile_dir}/home-internet.prom"
