/** How many threads a run uses: `--threads N`, else CLUE_THREADS, else the machine's cores (up to a cap). */
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { formatOf, type SourceFormat, type TextFormat } from "../io/records.js";
import type { RunInput } from "../pipeline/run.js";

/** Worker threads a run uses by default at most: past this, the main thread's share of the work is the limit. */
export const DEFAULT_MAX_THREADS = 8;

/** The most a run can be given: each worker holds a copy of the compiled project. */
export const MAX_THREADS = 64;

/**
 * Below this much input a run with the default number of threads stays in one: starting workers (each loads and
 * compiles the project) and handing them the records costs more than they save. Measured with bench:dedup's
 * records (about 215 bytes each) on 2 cores: a stage written as it streams breaks even near 100,000 records (21 MB)
 * and gains from 300,000 on (x1.6 at 1,000,000). Matching and golden records do not gain on 2 cores (at 1,000,000
 * records 2 threads took as long as one, 20.5-22.8 s against 18.5-22.1 s, with 1.6 times the CPU and 2.8 times the
 * memory), so those stages run in one thread unless threads are asked for.
 */
export const SMALL_INPUT_BYTES = { streaming: 32 * 1024 * 1024, matching: Number.POSITIVE_INFINITY };

export interface ThreadsChoice {
  threads: number;
  /** Given by --threads or CLUE_THREADS, rather than the default. */
  explicit: boolean;
}

/** Reads `--threads` (or CLUE_THREADS); the error says what is wrong with the value. */
export function threadsOption(option: string | undefined, env: string | undefined): ThreadsChoice | string {
  const given = option ?? (env === undefined || env.trim() === "" ? undefined : env);
  if (given === undefined)
    return { threads: Math.min(availableParallelism(), DEFAULT_MAX_THREADS), explicit: false };
  const where = option !== undefined ? "--threads" : "CLUE_THREADS";
  if (!/^\d+$/.test(given.trim()) || Number(given) < 1 || Number(given) > MAX_THREADS)
    return `${where} takes a whole number of threads from 1 to ${MAX_THREADS} (1 runs in this thread), not "${given}"`;
  return { threads: Number(given), explicit: true };
}

/**
 * The worker threads to start for these input files: none (0) when the run is better off in one thread. `matching`:
 * the stage is one after validation.
 */
export function workerThreads(choice: ThreadsChoice, inputs: readonly string[], matching: boolean): number {
  if (choice.threads < 2) return 0;
  if (choice.explicit) return choice.threads;
  let bytes = 0;
  for (const path of inputs) {
    try {
      bytes += statSync(path).size;
    } catch {
      // The reader reports a file it cannot open.
    }
  }
  return bytes < SMALL_INPUT_BYTES[matching ? "matching" : "streaming"] ? 0 : choice.threads;
}

/**
 * Whether a path is read as Parquet whatever its name (a folder, or a file that starts with Parquet's mark PAR1):
 * Parquet is read by row group on the main thread, not cut into pieces for workers.
 */
export function looksParquet(path: string): boolean {
  try {
    const found = statSync(path);
    if (found.isDirectory()) return true;
    if (!found.isFile() || found.size < 12) return false;
    const fd = openSync(path, "r");
    try {
      const head = Buffer.alloc(4);
      readSync(fd, head, 0, 4, 0);
      return head.toString("latin1") === "PAR1";
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

/**
 * Whether a run's inputs can go to worker threads, and in which text format each is read (undefined: sniffed): not
 * an entity with a field named `_issues` (validation's issues would land in it, and only the main thread knows them
 * all), nor a Parquet file or folder (read by row group, in one thread).
 */
export function threadable(
  inputs: readonly RunInput[],
  paths: readonly (string | undefined)[],
  format: SourceFormat | undefined,
): (TextFormat | undefined)[] | undefined {
  if (inputs.some((input) => Object.hasOwn(input.pipeline.fields, "_issues"))) return undefined;
  const formats: (TextFormat | undefined)[] = [];
  for (let i = 0; i < inputs.length; i++) {
    const path = paths[i];
    if (path === undefined) return undefined;
    const given = format ?? (inputs[i] as RunInput).pipeline.format;
    if (given === "parquet" || formatOf(path) === "parquet" || looksParquet(path)) return undefined;
    formats.push(given);
  }
  return formats;
}
