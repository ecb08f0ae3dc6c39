#!/usr/bin/env bash
# Validates the config project (config/ and env/) with clue: JSON Schemas, cross-file lint, literal secrets.
#
#   tools/validate-config.sh                       # human-readable report
#   tools/validate-config.sh --format json         # extra arguments go to `clue validate` as they are
#   tools/validate-config.sh --fail-severity warning
#
# Runs the clue of this checkout (bin/clue.js, built by `npm run build` after `npm ci`), so no global install is
# needed. In GitHub Actions (GITHUB_ACTIONS=true) it adds `--format github`, which annotates the PR's lines and
# writes every finding to the job summary, unless a --format is given. Exits with clue's exit code:
# 0 no failing findings, 1 findings, 64 bad usage.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

args=(validate)
if [[ "${GITHUB_ACTIONS:-}" == "true" ]]; then
  has_format=false
  for arg in "$@"; do
    case "$arg" in
      --format | --format=*) has_format=true ;;
    esac
  done
  if [[ "$has_format" == false ]]; then
    args+=(--format github)
  fi
fi

status=0
node "$root/bin/clue.js" "${args[@]}" "$@" || status=$?
exit "$status"
