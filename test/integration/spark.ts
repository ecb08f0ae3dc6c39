/**
 * The local Spark the Spark tests run on: .venv-spark/, made by scripts/spark-env.sh (which .ci/run calls). Without
 * it the tests are skipped, saying why, except where CLUE_REQUIRE_SPARK is set (CI): there they fail.
 */
import { join } from "node:path";
import { findSpark, VENV } from "../../src/engine/spark/locate.js";

const repo = join(import.meta.dirname, "..", "..");

export const sparkInstall = findSpark(repo);

export const sparkTestsRun = sparkInstall !== undefined || Boolean(process.env.CLUE_REQUIRE_SPARK);

/** The venv's Python (for tests of the job's Python modules that need no Spark session). */
export const sparkPython = join(repo, VENV, "bin", "python");

/** A describe title that says, when the tests are skipped, why and how to run them. */
export function sparkTitle(title: string): string {
  if (sparkTestsRun) return title;
  const reason = `skipped: no local Spark (${VENV}/ is missing; run scripts/spark-env.sh to make it)`;
  console.warn(`${title}: ${reason}`);
  return `${title} (${reason})`;
}

/** Starting Spark takes 10-30 s on a busy two-core machine, and a job's plans run after it. */
export const SPARK_TIMEOUT = 600_000;
