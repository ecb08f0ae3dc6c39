/**
 * One piece's records through the pipeline, as a worker thread runs them (and the main thread, for the records it
 * parsed itself): runPipeline over the piece, with what the main thread needs to carry the run on in order —
 * counts, rule statistics, removals, rejections, the values `unique` checks saw, and the rows (as JSON Lines text
 * for a stage that is written as it streams, as objects for the stages after validation).
 */
import { randomBytes } from "node:crypto";
import type { Evaluator, Row } from "../expr/compile.js";
import type { DeadLetter, SourceRecord } from "../io/record-parser.js";
import type { SourcePipeline } from "../pipeline/compile-pipeline.js";
import { runPipeline, type OutputRow, type Removal, type Stage } from "../pipeline/run.js";
import type { SeenSet } from "../pipeline/seen-set.js";
import { leavesOut } from "../matching/match-stage.js";
import type { LaterFacts } from "./protocol.js";

/** What one piece's records came to. */
export interface UnitOutcome {
  /** The piece's dead letters from parsing, in order (they come before its records, as in one thread). */
  deadLetters: DeadLetter[];
  read: number;
  written: number;
  removedCount: number;
  rejected: number;
  /** The first removed records of the piece (up to runPipeline's limit). */
  removed: Removal[];
  /** Per rule (by name, in the pipeline's order): records checked, records failed. */
  rules: [string, number, number][];
  /** Records the pipeline rejected, in order: their dead letters. */
  rejections: { line: number; reason: string }[];
  /**
   * The values `unique` checks saw, in the order they saw them, for the main thread to check against the whole run:
   * which unique check (its place among the pipeline's unique checks), the typed value, and whose it was (a written
   * row's index, or `~i` for the i-th rejection).
   */
  unique: { check: number[]; key: string[]; row: number[] };
  /** `text` mode: the written rows as JSON Lines. */
  text: string;
  /**
   * `text` mode, validated stage: for each written row that had values to check, where its line and its `_issues`
   * are in `text` ([row, line start, issues start, issues end, line end]) and which rules it failed so far.
   */
  spans: number[];
  spanRules: number[][];
  /** `rows` mode: the written rows. */
  rows: OutputRow[];
  /** An error that ends the run, met after the records above (whose results stand). */
  error?: unknown;
}

export type UnitMode = "text" | "rows";

/**
 * A `unique` check's set for a worker thread: it remembers nothing and says every value is new; the values go to
 * `seen`, in order, for the main thread to look up in the run's real set.
 */
export function recordingSeenSets(): {
  factory: () => SeenSet;
  seen: { check: number; key: string }[];
  /** How many unique checks took a set. */
  made: () => number;
} {
  const seen: { check: number; key: string }[] = [];
  let made = 0;
  return {
    seen,
    made: () => made,
    factory: () => {
      const check = made++;
      return {
        addAndCheck: (key) => {
          seen.push({ check, key });
          return false;
        },
      };
    },
  };
}

/** Stands for the `_issues` of a row in its JSON text, to find where they are; random, so no data holds it. */
const ISSUES_MARK = `\u0000clue-issues-${randomBytes(8).toString("hex")}`;
const ISSUES_MARK_JSON = JSON.stringify(ISSUES_MARK);

/** Runs a piece's records through the pipeline up to `stage`. `seen` is where the pipeline's unique checks record. */
export async function runUnit(
  pipeline: SourcePipeline,
  records: SourceRecord[],
  deadLetters: DeadLetter[],
  stage: Stage,
  mode: UnitMode,
  seen: { check: number; key: string }[],
): Promise<UnitOutcome> {
  const outcome: UnitOutcome = {
    deadLetters,
    read: 0,
    written: 0,
    removedCount: 0,
    rejected: 0,
    removed: [],
    rules: [],
    rejections: [],
    unique: { check: [], key: [], row: [] },
    text: "",
    spans: [],
    spanRules: [],
    rows: [],
  };
  seen.length = 0;
  const { unique } = outcome;
  /** The values checked since the last record was settled belong to this one. */
  const settle = (row: number) => {
    for (const { check, key } of seen) {
      unique.check.push(check);
      unique.key.push(key);
      unique.row.push(row);
    }
    seen.length = 0;
  };
  let rows = 0;
  const emit =
    mode === "rows"
      ? (row: OutputRow) => {
          outcome.rows.push(row);
          settle(rows++);
        }
      : (row: OutputRow) => {
          const line =
            seen.length > 0 && stage === "validated"
              ? markedLine(row, rows, pipeline, outcome)
              : JSON.stringify(row);
          outcome.text += `${line}\n`;
          settle(rows++);
        };
  try {
    const stats = await runPipeline([{ pipeline, records }], {
      stage,
      emit,
      onRecordError: (_pipeline, line, reason) => {
        outcome.rejections.push({ line, reason });
        settle(~(outcome.rejections.length - 1));
      },
    });
    outcome.read = stats.read;
    outcome.written = stats.written;
    outcome.removedCount = stats.removedCount;
    outcome.rejected = stats.rejected;
    outcome.removed = stats.removed;
    for (const rules of stats.rules.values())
      for (const s of rules.values()) outcome.rules.push([s.rule, s.checked, s.failed]);
  } catch (error) {
    outcome.error = error;
  }
  return outcome;
}

/**
 * A validated row's JSON text, noting where its `_issues` are: the main thread adds the issues of `unique` checks
 * there if the run has seen one of its values before.
 */
function markedLine(row: OutputRow, index: number, pipeline: SourcePipeline, outcome: UnitOutcome): string {
  const issues = row._issues ?? [];
  const marked = JSON.stringify({ ...row, _issues: ISSUES_MARK });
  const at = marked.indexOf(ISSUES_MARK_JSON);
  const json = JSON.stringify(issues);
  const line = marked.slice(0, at) + json + marked.slice(at + ISSUES_MARK_JSON.length);
  const start = outcome.text.length;
  outcome.spans.push(index, start, start + at, start + at + json.length, start + line.length);
  // The rules behind the issues: issues come in the order of the rules, and rules have distinct names.
  const failed: number[] = [];
  let next = 0;
  for (const issue of issues) {
    while (next < pipeline.validations.length && pipeline.validations[next]?.rule !== issue.rule) next++;
    failed.push(next++);
  }
  outcome.spanRules.push(failed);
  return line;
}

/**
 * What the main thread needs of written rows for matching: ids, which rows validation leaves out, and (in a worker)
 * the dedup parts of each, or the message of the error computing them threw (it ends the run if the row takes part).
 */
export function laterFacts(
  pipeline: SourcePipeline,
  rows: readonly OutputRow[],
  parts: readonly Evaluator[] | undefined,
  withSource: ((row: OutputRow) => Row) | undefined,
): LaterFacts {
  const { idField } = pipeline;
  const excluded: number[] = [];
  rows.forEach((row, k) => {
    if (leavesOut(row._issues)) excluded.push(k);
  });
  return {
    ids: rows.map((row) => (idField === undefined ? null : (row[idField] ?? null))),
    excluded,
    parts:
      parts === undefined
        ? []
        : rows.map((row) => {
            const record = withSource ? withSource(row) : row;
            try {
              return parts.map((part) => part(record));
            } catch (error) {
              return error instanceof Error ? error.message : String(error);
            }
          }),
  };
}
