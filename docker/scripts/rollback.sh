#!/usr/bin/env bash
# Goes back to the tag that ran before the last successful deploy, with the same health-checked,
# one-instance-at-a-time switch (deploy.sh). Running it twice toggles between the two tags.
#
# Usage: docker/scripts/rollback.sh
# Settings: as deploy.sh (DEPLOY_STATE_FILE, DOCKER, …).
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
state_file="${DEPLOY_STATE_FILE:-/var/lib/symptom-diary/deploy.state}"

previous=""
if [[ -f "$state_file" ]]; then
  previous="$(sed -n 's/^previous=//p' "$state_file" | tail -n 1)"
fi
if [[ -z "$previous" ]]; then
  echo "rollback: no previous tag recorded in $state_file: nothing to go back to" >&2
  exit 2
fi
echo "rollback: going back to $previous" >&2
exec "$script_dir/deploy.sh" "$previous"
