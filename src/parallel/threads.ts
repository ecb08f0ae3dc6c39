/** How many threads a run uses: `--threads N`, else CLUE_THREADS, else the machine's cores (up to a cap). */
import { statSync } from "node:fs";
import { availableParallelism } from "node:os";

/** Worker threads a run uses by default at most: past this, the main thread's share of the work is the limit. */
export const DEFAULT_MAX_THREADS = 8;

/** The most a run can be given: each worker holds a copy of the compiled project. */
export const MAX_THREADS = 64;

/**
 * Below this much input (about 20,000 records), starting worker threads (~100 ms each, to load and compile the
 * project) costs more than they save: a run with the default number of threads stays in one.
 */
export const SMALL_INPUT_BYTES = 4 * 1024 * 1024;

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

/** The worker threads to start for these input files: none (0) when the run is better off in one thread. */
export function workerThreads(choice: ThreadsChoice, inputs: readonly string[]): number {
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
  return bytes < SMALL_INPUT_BYTES ? 0 : choice.threads;
}
