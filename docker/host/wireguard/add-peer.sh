#!/usr/bin/env bash
# Adds an admin to the Pi 4's WireGuard fallback (wg0) and writes that admin's client config.
#
#   sudo add-peer.sh --name alice --endpoint home.example.org
#   sudo add-peer.sh --name bob --endpoint home.example.org --public-key <bob's wg pubkey>
#
# Without --public-key the admin's key pair is generated here (`wg genkey`/`wg pubkey`) and the
# client config, private key included, is written to $WG_DIR/clients/<name>.conf (mode 0600):
# hand it over out of band (scp over the LAN, or `qrencode -t ansiutf8 < file` for the phone
# app) and delete it. With --public-key the admin keeps their private key and gets a config to
# complete. Every peer also gets a preshared key. Keys never leave $WG_DIR and are never in git.
#
# Each admin gets one /32 from a small pool (WG_POOL_PREFIX.2 .. .14, a /28) and may reach only
# the Pi's tunnel address (AllowedIPs = the server's /32 on the client: no full tunnel).
#
# Environment (the jest suite uses these):
#   WG_DIR            default /etc/wireguard
#   WG_INTERFACE      default wg0
#   WG_PORT           default 51820
#   WG_POOL_PREFIX    default 10.8.0 (the server is .1)
#   WG_APPLY          1 (default): also add the peer to the running interface when it is up
set -euo pipefail

wg_dir="${WG_DIR:-/etc/wireguard}"
iface="${WG_INTERFACE:-wg0}"
port="${WG_PORT:-51820}"
pool="${WG_POOL_PREFIX:-10.8.0}"
apply="${WG_APPLY:-1}"
server_conf="${wg_dir}/${iface}.conf"
server_key="${wg_dir}/server.key"
first_host=2
last_host=14

usage() {
  sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

name=""
endpoint=""
client_public=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --name) name="${2:-}"; shift 2 ;;
    --endpoint) endpoint="${2:-}"; shift 2 ;;
    --public-key) client_public="${2:-}"; shift 2 ;;
    -h | --help) usage ;;
    *) echo "unknown argument: $1" >&2; usage ;;
  esac
done

[[ "$name" =~ ^[a-z0-9][a-z0-9_-]{0,31}$ ]] || { echo "--name: 1-32 of [a-z0-9_-]" >&2; exit 2; }
[[ "$endpoint" =~ ^[A-Za-z0-9.-]+$ ]] || { echo "--endpoint: the Pi's public name (or address)" >&2; exit 2; }
[[ -r "$server_conf" ]] || { echo "no ${server_conf}: run docker/host/install.sh first" >&2; exit 1; }
[[ -r "$server_key" ]] || { echo "no ${server_key}: run docker/host/install.sh first" >&2; exit 1; }
if grep -qx "# admin: ${name}" "$server_conf"; then
  echo "peer ${name} already exists in ${server_conf}" >&2
  exit 1
fi
if [[ -n "$client_public" ]]; then
  # A WireGuard key is 32 bytes, base64: 43 characters and one '='.
  [[ "$client_public" =~ ^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$ ]] || { echo "--public-key: not a WireGuard key" >&2; exit 2; }
fi

# The first free address of the pool.
address=""
for ((host = first_host; host <= last_host; host++)); do
  if ! grep -qE "^AllowedIPs = ${pool//./\\.}\.${host}/32$" "$server_conf"; then
    address="${pool}.${host}"
    break
  fi
done
[[ -n "$address" ]] || { echo "the address pool ${pool}.${first_host}-${last_host} is full" >&2; exit 1; }

umask 077
client_private=""
if [[ -z "$client_public" ]]; then
  client_private="$(wg genkey)"
  client_public="$(wg pubkey <<<"$client_private")"
fi
preshared="$(wg genpsk)"
server_public="$(wg pubkey <"$server_key")"

# Server side: append the peer (atomically: a temp copy, then rename).
tmp="$(mktemp "${wg_dir}/.${iface}.conf.XXXXXX")"
cat "$server_conf" >"$tmp"
cat >>"$tmp" <<EOF

[Peer]
# admin: ${name}
PublicKey = ${client_public}
PresharedKey = ${preshared}
AllowedIPs = ${address}/32
EOF
chmod 0600 "$tmp"
mv -f "$tmp" "$server_conf"

# Client side.
mkdir -p "${wg_dir}/clients"
client_conf="${wg_dir}/clients/${name}.conf"
{
  echo "# WireGuard fallback to the home server, for ${name}. Reaches the Pi only (${pool}.1):"
  echo "#   ssh <user>@${pool}.1"
  echo "#   curl --resolve ${endpoint}:443:${pool}.1 https://${endpoint}/health/live"
  echo "[Interface]"
  echo "PrivateKey = ${client_private:-<your private key: wg genkey>}"
  echo "Address = ${address}/32"
  echo
  echo "[Peer]"
  echo "PublicKey = ${server_public}"
  echo "PresharedKey = ${preshared}"
  echo "Endpoint = ${endpoint}:${port}"
  echo "AllowedIPs = ${pool}.1/32"
  echo "PersistentKeepalive = 25"
} >"$client_conf"
chmod 0600 "$client_conf"

if [[ "$apply" == 1 ]] && ip link show "$iface" >/dev/null 2>&1; then
  wg set "$iface" peer "$client_public" preshared-key <(printf '%s\n' "$preshared") allowed-ips "${address}/32"
  echo "added to the running ${iface}"
fi
echo "peer ${name}: ${address}/32, public key ${client_public}"
echo "client config: ${client_conf} (mode 0600; hand it over out of band, then delete it)"
