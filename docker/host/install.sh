#!/usr/bin/env bash
# Installs the host-level network pieces on a Raspberry Pi OS (Debian bookworm) host, outside the
# containers: the nftables firewall, dynamic DNS (ddclient + ddns-update.timer), the connection
# monitor timer and the WireGuard fallback. Idempotent: run it again after a `git pull`.
# docs/internet-access.md walks through it.
#
#   sudo docker/host/install.sh [--role pi4|pi3b] [--lan CIDR] [--pi4 IP] [--pi3b IP]
#                               [--wg-port PORT] [--relay-endpoint HOST:PORT --relay-vps-key KEY]
#                               [--no-packages] [--dry-run]
#
# --dry-run prints what it would do, renders the firewall into a temporary directory and checks
# it with `nft -c`, and changes nothing on the machine (the test suite runs only this mode).
# Dynamic DNS needs /etc/home-health/ddns.env (root, mode 0600) with DDNS_ZONE, DDNS_HOSTNAME
# and DDNS_API_TOKEN; without it a template is created and ddns-update.timer stays off.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "${here}/../.." && pwd)"

role="pi4"
lan="192.168.1.0/24"
pi4="192.168.1.40"
pi3b="192.168.1.30"
wg_port="51820"
relay_endpoint=""
relay_vps_key=""
relay_pi_address="10.9.0.2"
relay_admin_network="10.9.0.0/24"
packages=1
dry_run=0

usage() {
  sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --role) role="${2:-}"; shift 2 ;;
    --lan) lan="${2:-}"; shift 2 ;;
    --pi4) pi4="${2:-}"; shift 2 ;;
    --pi3b) pi3b="${2:-}"; shift 2 ;;
    --wg-port) wg_port="${2:-}"; shift 2 ;;
    --relay-endpoint) relay_endpoint="${2:-}"; shift 2 ;;
    --relay-vps-key) relay_vps_key="${2:-}"; shift 2 ;;
    --no-packages) packages=0; shift ;;
    --dry-run) dry_run=1; shift ;;
    -h | --help) usage ;;
    *) echo "unknown argument: $1" >&2; usage ;;
  esac
done

ipv4='(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}'
die() { echo "install.sh: $*" >&2; exit 2; }
[[ "$role" == pi4 || "$role" == pi3b ]] || die "--role must be pi4 or pi3b"
[[ "$lan" =~ ^${ipv4}/([0-9]|[12][0-9]|3[0-2])$ ]] || die "--lan must be an IPv4 CIDR, e.g. 192.168.1.0/24"
[[ "$pi4" =~ ^${ipv4}$ ]] || die "--pi4 must be an IPv4 address"
[[ "$pi3b" =~ ^${ipv4}$ ]] || die "--pi3b must be an IPv4 address"
if ! [[ "$wg_port" =~ ^[0-9]{1,5}$ ]] || ((wg_port < 1 || wg_port > 65535)); then die "--wg-port must be a port"; fi
if [[ -n "$relay_endpoint" ]]; then
  [[ "$relay_endpoint" =~ ^[A-Za-z0-9.-]+:[0-9]{1,5}$ ]] || die "--relay-endpoint must be host:port"
  [[ "$relay_vps_key" =~ ^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$ ]] || die "--relay-vps-key must be the VPS's WireGuard public key"
fi
if [[ "$dry_run" == 0 && "$(id -u)" != 0 ]]; then
  die "run it as root (sudo), or with --dry-run"
fi

# ---- helpers: every change goes through these, so --dry-run changes nothing ------------------
say() { echo "==> $*"; }
run() {
  if [[ "$dry_run" == 1 ]]; then
    echo "would run: $*"
  else
    "$@"
  fi
}
# install_file SRC DEST MODE: copy when different (idempotent), creating the directory.
install_file() {
  local src="$1" dest="$2" mode="$3"
  if [[ -f "$dest" ]] && cmp -s "$src" "$dest"; then
    echo "unchanged: ${dest}"
    return
  fi
  if [[ "$dry_run" == 1 ]]; then
    echo "would install: ${dest} (mode ${mode}) from ${src}"
  else
    install -D -m "$mode" -o root -g root "$src" "$dest"
    echo "installed: ${dest}"
  fi
}

work="$(mktemp -d)"
if [[ "$dry_run" == 1 ]]; then
  echo "dry run: rendered files are kept in ${work}"
else
  trap 'rm -rf "$work"' EXIT
fi

# render_nft SRC DEST: the site values into the `define` lines, then `nft -c` on the result.
render_nft() {
  local src="$1" dest="$2"
  sed -e "s#^define LAN_V4 = .*#define LAN_V4 = ${lan}#" \
    -e "s#^define PI4_V4 = .*#define PI4_V4 = ${pi4}#" \
    -e "s#^define PI3B_V4 = .*#define PI3B_V4 = ${pi3b}#" \
    -e "s#^define WG_PORT = .*#define WG_PORT = ${wg_port}#" "$src" >"$dest"
  if [[ "$(id -u)" == 0 ]] || ! command -v unshare >/dev/null 2>&1; then
    nft -c -f "$dest"
  else
    unshare -rn nft -c -f "$dest"
  fi
  echo "checked: ${dest} (nft -c)"
}

say "site: role=${role} LAN_V4=${lan} PI4_V4=${pi4} PI3B_V4=${pi3b} WG_PORT=${wg_port}"

# ---- packages --------------------------------------------------------------------------------
if [[ "$packages" == 1 ]]; then
  say "packages"
  if [[ "$role" == pi4 ]]; then
    run apt-get install -y --no-install-recommends nftables ddclient libio-socket-ssl-perl \
      wireguard-tools curl bind9-dnsutils iputils-ping iproute2
  else
    run apt-get install -y --no-install-recommends nftables
  fi
fi
command -v nft >/dev/null 2>&1 || die "nft is not installed (apt-get install nftables)"

# ---- firewall --------------------------------------------------------------------------------
say "firewall (nftables.service loads /etc/nftables.conf at boot)"
if [[ "$role" == pi4 ]]; then
  render_nft "${here}/nftables.conf" "${work}/nftables.conf"
else
  render_nft "${here}/nftables-pi3b.conf" "${work}/nftables.conf"
fi
if [[ -f /etc/nftables.conf && ! -f /etc/nftables.conf.dist ]]; then
  run cp -p /etc/nftables.conf /etc/nftables.conf.dist
fi
install_file "${work}/nftables.conf" /etc/nftables.conf 0755
install_file "${here}/systemd/nftables.service.d/keep-docker.conf" \
  /etc/systemd/system/nftables.service.d/keep-docker.conf 0644
run systemctl daemon-reload
run systemctl enable nftables.service
# Loads the new rules atomically; our table only (Docker's tables stay).
run systemctl reload-or-restart nftables.service

if [[ "$role" == pi3b ]]; then
  say "done (pi3b): firewall only. The bridge listens on 4000 for the Pi 4 (${pi4})."
  exit 0
fi

# ---- scripts, units, metrics directory --------------------------------------------------------
say "scripts and units"
lib=/usr/local/lib/home-health
install_file "${here}/connection-monitor.sh" "${lib}/connection-monitor.sh" 0755
install_file "${here}/ddns-update.sh" "${lib}/ddns-update.sh" 0755
install_file "${here}/wireguard/add-peer.sh" "${lib}/add-peer.sh" 0755
for unit in connection-monitor.service connection-monitor.timer ddns-update.service ddns-update.timer; do
  install_file "${here}/systemd/${unit}" "/etc/systemd/system/${unit}" 0644
done
install_file "${repo}/docs/internet-access.md" /opt/home-health/docs/internet-access.md 0644
# node-exporter (monitoring profile) reads this directory through a bind mount; the connection
# monitor's dynamic user writes to it through the node-textfile group.
if ! getent group node-textfile >/dev/null; then
  run groupadd --system node-textfile
fi
run install -d -m 2775 -o root -g node-textfile /var/lib/node_exporter/textfile

# ---- dynamic DNS -----------------------------------------------------------------------------
say "dynamic DNS (ddclient, run by ddns-update.timer)"
ddns_env=/etc/home-health/ddns.env
value_of() { sed -n "s/^$1=['\"]\{0,1\}\([^'\"]*\)['\"]\{0,1\}$/\1/p" "$ddns_env" | tail -n 1; }
ddns_ready=0
if [[ -r "$ddns_env" ]]; then
  zone="$(value_of DDNS_ZONE)"
  hostname="$(value_of DDNS_HOSTNAME)"
  token="$(value_of DDNS_API_TOKEN)"
  perms="$(stat -c '%a %U' "$ddns_env")"
  [[ "$perms" == "600 root" ]] || die "${ddns_env} must be mode 0600, owned by root (it is ${perms})"
  [[ "$zone" =~ ^[A-Za-z0-9.-]+$ && "$hostname" =~ ^[A-Za-z0-9.-]+$ ]] ||
    die "${ddns_env}: DDNS_ZONE and DDNS_HOSTNAME must be DNS names"
  [[ "$token" =~ ^[A-Za-z0-9_-]{16,}$ ]] || die "${ddns_env}: DDNS_API_TOKEN is missing or malformed"
  (
    umask 077
    sed -e "s#@DDNS_ZONE@#${zone}#g" -e "s#@DDNS_HOSTNAME@#${hostname}#g" \
      -e "s#@DDNS_API_TOKEN@#${token}#g" "${here}/ddclient.conf" >"${work}/ddclient.conf"
  )
  install_file "${work}/ddclient.conf" /etc/ddclient.conf 0600
  if [[ ! -f /etc/default/connection-monitor ]]; then
    printf 'CM_PUBLIC_NAME=%s\n' "$hostname" >"${work}/connection-monitor.env"
    install_file "${work}/connection-monitor.env" /etc/default/connection-monitor 0644
  fi
  ddns_ready=1
else
  printf '%s\n' "# Dynamic DNS for docker/host/install.sh (root, mode 0600). Fill in, then re-run install.sh." \
    "DDNS_ZONE=example.org" "DDNS_HOSTNAME=home.example.org" "DDNS_API_TOKEN=" >"${work}/ddns.env"
  install_file "${work}/ddns.env" "$ddns_env" 0600
  echo "NOTE: fill in ${ddns_env} and run install.sh again to enable dynamic DNS"
fi
# Exactly one updater: our timer, never Debian's daemon as well.
if [[ "$dry_run" == 1 ]] || systemctl cat ddclient.service >/dev/null 2>&1; then
  run systemctl disable --now ddclient.service
fi
run systemctl daemon-reload
if [[ "$ddns_ready" == 1 ]]; then
  run systemctl enable --now ddns-update.timer
fi

# ---- connection monitor ----------------------------------------------------------------------
say "connection monitor (every minute)"
run systemctl enable --now connection-monitor.timer

# ---- WireGuard fallback ----------------------------------------------------------------------
say "WireGuard fallback (wg0, UDP ${wg_port})"
run install -d -m 0700 /etc/wireguard
if [[ ! -f /etc/wireguard/server.key ]]; then
  run sh -c 'umask 077 && wg genkey > /etc/wireguard/server.key'
fi
if [[ -f /etc/wireguard/wg0.conf ]]; then
  echo "unchanged: /etc/wireguard/wg0.conf (exists: its peers are kept)"
elif [[ "$dry_run" == 1 ]]; then
  echo "would render: /etc/wireguard/wg0.conf from ${here}/wireguard/wg0.conf.template"
else
  (
    umask 077
    sed -e "s#@WG_SERVER_ADDRESS@#10.8.0.1#" -e "s#@WG_PREFIX_LENGTH@#28#" -e "s#@WG_PORT@#${wg_port}#" \
      -e "s#@WG_SERVER_PRIVATE_KEY@#$(cat /etc/wireguard/server.key)#" \
      "${here}/wireguard/wg0.conf.template" >/etc/wireguard/wg0.conf
  )
  echo "installed: /etc/wireguard/wg0.conf"
fi
run systemctl enable --now wg-quick@wg0.service

if [[ -n "$relay_endpoint" ]]; then
  say "WireGuard relay (wg-relay to ${relay_endpoint})"
  if [[ ! -f /etc/wireguard/relay.key ]]; then
    run sh -c 'umask 077 && wg genkey > /etc/wireguard/relay.key'
  fi
  if [[ "$dry_run" == 1 ]]; then
    echo "would render: /etc/wireguard/wg-relay.conf from ${here}/wireguard/wg-relay.conf.template"
  else
    (
      umask 077
      sed -e "s#@RELAY_PI_ADDRESS@#${relay_pi_address}#" -e "s#@RELAY_ENDPOINT@#${relay_endpoint}#" \
        -e "s#@RELAY_VPS_PUBLIC_KEY@#${relay_vps_key}#" -e "s#@RELAY_ADMIN_NETWORK@#${relay_admin_network}#" \
        -e "s#@RELAY_PRIVATE_KEY@#$(cat /etc/wireguard/relay.key)#" \
        "${here}/wireguard/wg-relay.conf.template" >"${work}/wg-relay.conf"
    )
    install_file "${work}/wg-relay.conf" /etc/wireguard/wg-relay.conf 0600
    echo "the Pi's relay public key (add it as a peer on the VPS): $(wg pubkey </etc/wireguard/relay.key)"
  fi
  run systemctl enable --now wg-quick@wg-relay.service
fi

say "done. Check: nft list table inet filter; systemctl list-timers connection-monitor.timer ddns-update.timer;"
say "      journalctl -u connection-monitor -u ddns-update; cat /var/lib/node_exporter/textfile/*.prom"
