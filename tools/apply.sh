#!/usr/bin/env bash
# Applies the config to one environment, as the handbook's pipeline calls it:
#
#   tools/apply.sh env/test            # validate, test, plan (saved), apply that plan
#   tools/apply.sh env/test.yaml       # the same
#   tools/apply.sh env/local           # works on a fresh clone: the embedded local target
#
# Steps: `clue validate` (errors stop it), `clue test` (a failing golden test stops it), `clue plan --out` into
# .clue/plans/ENV.json, then `clue apply --env ENV .clue/plans/ENV.json --yes`: the apply refuses the plan if the
# config or the target changed after it was made. Credentials come from the environment variables the env file
# names (CI: the repository's secrets); they are never printed. Exits with the first failing step's exit code.
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: tools/apply.sh env/NAME" >&2
  exit 64
fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

name="$(basename "$1")"
name="${name%.yaml}"
name="${name%.yml}"
if [[ ! -f "env/$name.yaml" && ! -f "env/$name.yml" ]]; then
  echo "tools/apply.sh: no environment file env/$name.yaml" >&2
  exit 64
fi

clue() { node "$root/bin/clue.js" "$@"; }

clue validate
clue test
mkdir -p .clue/plans
clue plan --env "$name" --out ".clue/plans/$name.json"
clue apply --env "$name" ".clue/plans/$name.json" --yes
