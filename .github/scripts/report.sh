#!/usr/bin/env bash
# Writes the outcome of a deployment job to the run summary:
#   report.sh <environment> <sha> <deploy outcome> <smoke outcome>
set -euo pipefail
environment="$1" sha="$2" deploy="$3" smoke="$4"
summary="${GITHUB_STEP_SUMMARY:-/dev/stdout}"
short="${sha:0:12}"
{
  echo "### $environment"
  if [ "$deploy" = success ] && [ "$smoke" = success ]; then
    echo ":white_check_mark: \`$short\` is live on $environment and passed the smoke tests."
  elif [ "$deploy" != success ]; then
    echo ":x: **The deployment of \`$short\` to $environment failed** (deploy step: $deploy)."
    echo "docker/scripts/deploy.sh keeps the previous containers when the new ones do not become healthy;"
    echo "check the host (\`docker compose ps\`, \`docker compose logs\`) before retrying."
  else
    echo ":x: **\`$short\` was deployed to $environment but failed its smoke tests** (smoke step: $smoke)."
    echo "Roll back with docker/scripts/rollback.sh on the host, or *Run workflow* on Deploy with the previous commit's SHA."
  fi
  if [ "$environment" = staging ] && { [ "$deploy" != success ] || [ "$smoke" != success ]; }; then
    echo "Production was **not** deployed."
  fi
} >> "$summary"
