#!/usr/bin/env bash
# Makes .venv-spark/ (git-ignored): a Python virtual environment holding the local Spark that `clue run --engine
# spark` and the Spark tests use (pyspark from PyPI, pinned in tools/spark/requirements.txt, with the machine's Java).
# Idempotent: does nothing when the venv already holds exactly those pins (a stamp of the requirements file's hash);
# rebuilds it when the pins changed. Usage: scripts/spark-env.sh   (PYTHON=python3.11 to choose the interpreter)
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.venv-spark
requirements=tools/spark/requirements.txt
python=${PYTHON:-python3}
want=$(sha256sum "$requirements" | cut -d' ' -f1)
stamp=$venv/.requirements.sha256

if [ -x "$venv/bin/spark-submit" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "spark-env: $venv is up to date ($(grep -E '^pyspark==' "$requirements"))"
  exit 0
fi

if ! command -v java >/dev/null 2>&1; then
  echo "spark-env: Spark needs Java 17 (or 11, 8) on PATH; install it first, e.g. apt-get install openjdk-17-jre-headless" >&2
  exit 1
fi
"$python" - <<'PY'
import sys
if not ((3, 8) <= sys.version_info[:2] <= (3, 12)):
    sys.exit(f"spark-env: pyspark 3.5 needs Python 3.8 to 3.12, not {sys.version.split()[0]}; set PYTHON=python3.11")
PY

echo "spark-env: making $venv with $("$python" --version) and $(java -version 2>&1 | head -1)"
start=$(date +%s)
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$requirements"
echo "$want" > "$stamp"
echo "spark-env: installed $(grep -E '^pyspark==' "$requirements") into $venv in $(($(date +%s) - start)) s"
