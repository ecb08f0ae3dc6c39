/**
 * Every temporary file of a test run — the tests' own folders, and those of the clue processes, DuckDB and Spark
 * they start — goes into one folder made for the run, removed when it ends: a test that forgets to clean up (or
 * is stopped half-way) leaves nothing behind in the machine's temp folder.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export default function setup(): () => void {
  const previous = process.env.TMPDIR;
  const dir = mkdtempSync(join(tmpdir(), "clue-tests-"));
  process.env.TMPDIR = dir;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(dir, { recursive: true, force: true });
  };
}
