/**
 * What became of every record of a run's inputs, for its summary. Each record a reader delimits is counted once,
 * in exactly one of four ways, so `read === written + removed + rejected + deadLetters` holds for every run:
 * written at the stage asked for, removed by cleaning, rejected by the pipeline (a value it would have to change,
 * see RecordRejected), or a dead letter (the reader could not parse it).
 */
import type { RunStats } from "./run.js";

export interface RunTotals {
  read: number;
  written: number;
  removed: number;
  rejected: number;
  deadLetters: number;
}

/** `deadLetters`: the records the readers could not parse (they never reached the pipeline). */
export function runTotals(stats: RunStats, deadLetters: number): RunTotals {
  return {
    read: stats.read + deadLetters,
    written: stats.written,
    removed: stats.removedCount,
    rejected: stats.rejected,
    deadLetters,
  };
}

/** `1003 records read, 1000 written at stage mapped, 1 removed by cleaning, 1 rejected, 1 could not be parsed` */
export function totalsLine(totals: RunTotals, written: string): string {
  return (
    `${totals.read} records read, ${totals.written} ${written}` +
    (totals.removed > 0 ? `, ${totals.removed} removed by cleaning` : "") +
    (totals.rejected > 0 ? `, ${totals.rejected} rejected` : "") +
    (totals.deadLetters > 0 ? `, ${totals.deadLetters} could not be parsed` : "")
  );
}
