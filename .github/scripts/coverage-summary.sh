#!/usr/bin/env bash
# Prints jest's json-summary as a Markdown table for the job summary:
#   bash .github/scripts/coverage-summary.sh coverage/coverage-summary.json >> "$GITHUB_STEP_SUMMARY"
set -euo pipefail
file="${1:-coverage/coverage-summary.json}"
echo "### Coverage"
echo
if [ ! -s "$file" ]; then
  echo "No coverage summary ($file): the tests did not finish."
  exit 0
fi
echo "| Metric | Covered | Count |"
echo "| --- | ---: | ---: |"
jq -r '.total | to_entries[] | select(.key | IN("lines", "statements", "functions", "branches"))
  | "| \(.key) | \(.value.pct)% | \(.value.covered) / \(.value.total) |"' "$file"
echo
echo "Full report: the \`coverage\` artifact (lcov)."
