#!/usr/bin/env bash
# Deploys image tag TAG with a health-checked, one-instance-at-a-time switch, and goes back to the
# previous tag by itself when a new container does not become healthy (docs/operations.md,
# "Deploy and rollback").
#
#   1. pull TAG for every service in DEPLOY_SERVICES;
#   2. for each service in turn (default: bridge, api-1, api-2): recreate it on TAG and wait until
#      Docker reports it healthy (its HEALTHCHECK asks /health/ready), so nginx always has one API
#      instance up while the other is replaced;
#   3. success: record TAG as current and the tag it replaced as previous (DEPLOY_STATE_FILE), and
#      write APP_TAG=TAG into DEPLOY_ENV_FILE so a later `docker compose up` keeps it;
#      failure: put every service already switched (and the failing one) back on the previous
#      tag, wait for them, exit 1; the state is left as it was.
#
# Usage: docker/scripts/deploy.sh TAG        (rollback.sh deploys the previous tag)
# Settings: DOCKER (docker), DEPLOY_SERVICES ("bridge api-1 api-2"), DEPLOY_HEALTH_TIMEOUT (180 s),
#   DEPLOY_HEALTH_INTERVAL (3 s), DEPLOY_STATE_FILE (/var/lib/symptom-diary/deploy.state),
#   DEPLOY_ENV_FILE (docker/.env); COMPOSE_FILE and COMPOSE_PROJECT_NAME as Compose reads them.
set -euo pipefail

log() { printf '%s deploy: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2; }

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
docker_cmd="${DOCKER:-docker}"
read -r -a services <<< "${DEPLOY_SERVICES:-bridge api-1 api-2}"
health_timeout="${DEPLOY_HEALTH_TIMEOUT:-180}"
health_interval="${DEPLOY_HEALTH_INTERVAL:-3}"
state_file="${DEPLOY_STATE_FILE:-/var/lib/symptom-diary/deploy.state}"
env_file="${DEPLOY_ENV_FILE:-$script_dir/../.env}"

tag="${1:-}"
if [[ -z "$tag" || "$tag" == -* ]]; then
  echo "usage: $0 TAG" >&2
  exit 2
fi
# Docker's tag grammar: no shell or path characters can slip through.
if ! [[ "$tag" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]]; then
  log "'$tag' is not a valid image tag"
  exit 2
fi

state_get() {
  if [[ -f "$state_file" ]]; then sed -n "s/^$1=//p" "$state_file" | tail -n 1; fi
}
env_get() {
  if [[ -f "$env_file" ]]; then sed -n 's/^APP_TAG=//p' "$env_file" | tail -n 1; fi
}

current="$(state_get current)"
[[ -z "$current" ]] && current="$(env_get)"

compose() { APP_TAG="$1" "$docker_cmd" compose "${@:2}"; }

# Waits until the service's container is healthy; 1 when it turns unhealthy, exits or times out.
wait_healthy() {
  local service="$1" waited=0 id status
  while ((waited < health_timeout)); do
    id="$("$docker_cmd" compose ps -q "$service" 2>/dev/null | head -n 1 || true)"
    if [[ -n "$id" ]]; then
      status="$("$docker_cmd" inspect --format '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$id" 2>/dev/null || echo unknown)"
      case "$status" in
        healthy) log "$service is healthy"; return 0 ;;
        unhealthy | exited | dead) log "$service is $status"; return 1 ;;
      esac
    fi
    sleep "$health_interval"
    waited=$((waited + health_interval))
  done
  log "$service did not become healthy within ${health_timeout} s"
  return 1
}

switch() {
  local service="$1" to="$2"
  log "switching $service to $to"
  compose "$to" up -d --no-deps --force-recreate "$service"
}

if [[ "$tag" == "$current" ]]; then
  log "$tag is already the current tag: recreating anyway, one service at a time"
fi

log "pulling $tag for ${services[*]}"
compose "$tag" pull "${services[@]}"

switched=()
for service in "${services[@]}"; do
  switched+=("$service")
  if switch "$service" "$tag" && wait_healthy "$service"; then
    continue
  fi
  log "deploying $tag FAILED at $service"
  if [[ -z "$current" || "$current" == "$tag" ]]; then
    log "no previous tag to go back to: fix and deploy again (services switched: ${switched[*]})"
    exit 1
  fi
  log "going back to $current for ${switched[*]}"
  back_ok=true
  for back in "${switched[@]}"; do
    if ! { switch "$back" "$current" && wait_healthy "$back"; }; then
      back_ok=false
    fi
  done
  if [[ "$back_ok" == true ]]; then
    log "back on $current"
  else
    log "going back to $current did not bring every service up: look at 'docker compose ps'"
  fi
  exit 1
done

mkdir -p "$(dirname "$state_file")"
{
  echo "current=$tag"
  echo "previous=${current}"
  echo "deployed_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
} > "$state_file.tmp"
mv "$state_file.tmp" "$state_file"
if [[ -f "$env_file" ]]; then
  if grep -q '^APP_TAG=' "$env_file"; then
    sed -i "s/^APP_TAG=.*/APP_TAG=$tag/" "$env_file"
  else
    echo "APP_TAG=$tag" >> "$env_file"
  fi
fi
log "deployed $tag (previous: ${current:-none})"
