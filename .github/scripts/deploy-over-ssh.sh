#!/usr/bin/env bash
# Deploys commit DEPLOY_SHA on the host DEPLOY_HOST: brings its checkout (DEPLOY_DIR, default
# /opt/symptom-diary) to that commit, so that the compose files match the image, then runs
# docker/scripts/deploy.sh <tag> from docker/ (where compose.yml and .env with APP_IMAGE and
# COMPOSE_FILE live, docs/deployment.md): it pulls that tag and switches the bridge, api-1 and
# api-2 one at a time, health-gated, going back to the previous tag by itself on failure. The SSH key is used for this one connection and removed afterwards;
# the host key must be known in advance (SSH_KNOWN_HOSTS): nothing is trusted on first use.
set -euo pipefail

: "${SSH_PRIVATE_KEY:?secret SSH_PRIVATE_KEY of the environment is missing}"
: "${SSH_KNOWN_HOSTS:?secret SSH_KNOWN_HOSTS of the environment is missing (ssh-keyscan output, checked)}"
: "${DEPLOY_HOST:?variable DEPLOY_HOST of the environment is missing}"
: "${DEPLOY_USER:?variable DEPLOY_USER of the environment is missing}"
: "${DEPLOY_SHA:?the commit to deploy is missing}"
DEPLOY_DIR="${DEPLOY_DIR:-/opt/symptom-diary}"

[[ "$DEPLOY_SHA" =~ ^[0-9a-f]{40}$ ]] || { echo "not a commit SHA: $DEPLOY_SHA" >&2; exit 1; }
[[ "$DEPLOY_DIR" =~ ^/[A-Za-z0-9._/-]+$ ]] || { echo "DEPLOY_DIR must be an absolute path: $DEPLOY_DIR" >&2; exit 1; }

workdir="$(mktemp -d)"
trap 'rm -rf "$workdir"' EXIT
umask 077
printf '%s\n' "$SSH_PRIVATE_KEY" > "$workdir/key"
printf '%s\n' "$SSH_KNOWN_HOSTS" > "$workdir/known_hosts"

ssh_options=(
  -i "$workdir/key"
  -o IdentitiesOnly=yes
  -o BatchMode=yes
  -o StrictHostKeyChecking=yes
  -o UserKnownHostsFile="$workdir/known_hosts"
  -o ConnectTimeout=20
  -o ServerAliveInterval=15
)

echo "deploying ${DEPLOY_SHA:0:12} to $DEPLOY_USER@$DEPLOY_HOST:$DEPLOY_DIR"
# shellcheck disable=SC2029 # the values are validated above and meant to expand here
ssh "${ssh_options[@]}" "$DEPLOY_USER@$DEPLOY_HOST" \
  "set -euo pipefail; cd '$DEPLOY_DIR' && git fetch --quiet origin && git checkout --quiet --detach '$DEPLOY_SHA' && cd docker && scripts/deploy.sh '$DEPLOY_SHA'"
