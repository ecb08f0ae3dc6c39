import type { Value } from "../expr/types.js";
import type { SourceRecord } from "../io/record-parser.js";
import { clean, type Removed } from "./cleaning.js";
import type { SourcePipeline } from "./compile-pipeline.js";
import type { EntityRecord } from "./mapping.js";
import { RecordRejected } from "./record-rejected.js";
import type { SeenSet } from "./seen-set.js";
import { newStats, validate, type Issue, type RuleStats } from "./validation.js";

export const STAGES = ["mapped", "cleaned", "validated"] as const;
export type Stage = (typeof STAGES)[number];

/** A record read: `line` is where it starts in its file, or its index (1-based) in an inline list. */
export type { SourceRecord };

export interface RunInput {
  pipeline: SourcePipeline;
  records: AsyncIterable<SourceRecord> | Iterable<SourceRecord>;
  /** The sets of the pipeline's `unique` checks, in the order of its validations (worker threads replay into them). */
  seenSets?: readonly SeenSet[];
}

/** A row of output: the entity record, with `_issues` at the validated stage. */
export type OutputRow = EntityRecord & { _issues?: Issue[] };

export interface Removal {
  source: string;
  line: number;
  id: Value;
  step: string;
  reason: string;
}

/** Removed records are listed up to this many; past it only counted, so memory stays flat. */
export const MAX_LISTED_REMOVALS = 1000;

/**
 * What became of the records that reached the pipeline: every one is written, removed by cleaning or rejected, so
 * `read === written + removedCount + rejected` always holds. Records a reader could not parse never get here: they
 * are the dead letters, counted by whoever listens to the reader (see run-totals.ts).
 */
export interface RunStats {
  read: number;
  written: number;
  removedCount: number;
  /** Records the pipeline could not take (a value it would have to change, or one it cannot process). */
  rejected: number;
  /** The first removed records (up to 1,000), for reports and test diffs. */
  removed: Removal[];
  /** Per entity, then per rule. */
  rules: Map<string, Map<string, RuleStats>>;
}

export interface RunOptions {
  stage: Stage;
  emit(row: OutputRow, source: SourcePipeline): void | Promise<void>;
  /**
   * A rejected record (RecordRejected: a value the pipeline would have to change) is handed here, and so is one the
   * pipeline cannot process (nested so deep that the engine's stack runs out, say); the run goes on without it.
   * Without a handler a rejected record is only counted, and any other error ends the run.
   */
  onRecordError?(source: SourcePipeline, line: number, reason: string): void;
  /** Called every `progressEvery` records, for a progress line on a terminal. */
  onProgress?(read: number): void;
  progressEvery?: number;
}

/**
 * Streams each input through mapping → cleaning → validation up to `stage`, record by record, so memory stays flat
 * whatever the files' length (only `unique` checks remember values).
 */
function isIterable<T>(value: AsyncIterable<T> | Iterable<T>): value is Iterable<T> {
  return typeof (value as Partial<Iterable<T>>)[Symbol.iterator] === "function";
}

/** The statistics of a run that has read nothing yet. */
export function newRunStats(): RunStats {
  return { read: 0, written: 0, removedCount: 0, rejected: 0, removed: [], rules: new Map() };
}

export async function runPipeline(inputs: readonly RunInput[], options: RunOptions): Promise<RunStats> {
  const stats = newRunStats();
  const every = options.progressEvery ?? 10_000;
  const cleanUp = options.stage !== "mapped";
  const check = options.stage === "validated";
  for (const { pipeline, records } of inputs) {
    let rules = stats.rules.get(pipeline.entity);
    if (!rules) {
      rules = newStats(pipeline.validations);
      stats.rules.set(pipeline.entity, rules);
    }
    const entityRules = pipeline.validations.map((v) => rules.get(v.rule) as RuleStats);
    const fail = (error: unknown, line: number, what: string): void => {
      if (error instanceof RecordRejected) {
        stats.rejected++;
        options.onRecordError?.(pipeline, line, error.message);
        return;
      }
      if (!options.onRecordError || !(error instanceof RangeError)) throw error;
      stats.rejected++;
      options.onRecordError(pipeline, line, `record could not be ${what}: ${error.message}`);
    };
    /** One record through the stages; a promise only when `emit` returns one (back-pressure on a stream). */
    const handle = (raw: Record<string, unknown>, line: number): Promise<void> | undefined => {
      stats.read++;
      if (options.onProgress && stats.read % every === 0) options.onProgress(stats.read);
      let record: EntityRecord;
      let removal: Removed | undefined;
      let issues: Issue[] | undefined;
      try {
        record = pipeline.map(raw);
        if (cleanUp) removal = clean(record, pipeline.steps);
        if (check && removal === undefined) issues = validate(record, pipeline.validations, entityRules);
      } catch (error) {
        fail(error, line, "processed");
        return undefined;
      }
      if (removal !== undefined) {
        stats.removedCount++;
        if (stats.removed.length < MAX_LISTED_REMOVALS) {
          const id = pipeline.idField === undefined ? null : (record[pipeline.idField] ?? null);
          stats.removed.push({
            source: pipeline.source,
            line,
            id,
            step: removal.step,
            reason: removal.reason,
          });
        }
        return undefined;
      }
      const row: OutputRow = record;
      if (issues) row._issues = issues;
      let emitted: void | Promise<void>;
      try {
        emitted = options.emit(row, pipeline);
      } catch (error) {
        fail(error, line, "written");
        return undefined;
      }
      stats.written++;
      return emitted instanceof Promise ? emitted : undefined;
    };
    // A plain list (inline test records, benchmarks) is walked without a promise per record; files stream.
    if (isIterable(records)) {
      for (const { record, line } of records) {
        const pending = handle(record, line);
        if (pending) await pending;
      }
    } else {
      for await (const { record, line } of records) {
        const pending = handle(record, line);
        if (pending) await pending;
      }
    }
  }
  return stats;
}
