import type { Value } from "../expr/types.js";
import { clean } from "./cleaning.js";
import type { SourcePipeline } from "./compile-pipeline.js";
import type { EntityRecord } from "./mapping.js";
import { newStats, validate, type Issue, type RuleStats } from "./validation.js";

export const STAGES = ["mapped", "cleaned", "validated"] as const;
export type Stage = (typeof STAGES)[number];

export interface SourceRecord {
  record: Record<string, unknown>;
  /** Where the record starts in its file (1-based), or its index in an inline list. */
  line: number;
}

export interface RunInput {
  pipeline: SourcePipeline;
  records: AsyncIterable<SourceRecord> | Iterable<SourceRecord>;
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
const MAX_LISTED_REMOVALS = 1000;

export interface RunStats {
  read: number;
  written: number;
  removedCount: number;
  /** The first removed records (up to 1,000), for reports and test diffs. */
  removed: Removal[];
  /** Per entity, then per rule. */
  rules: Map<string, Map<string, RuleStats>>;
}

export interface RunOptions {
  stage: Stage;
  emit(row: OutputRow, source: SourcePipeline): void | Promise<void>;
  /** Called every `progressEvery` records, for a progress line on a terminal. */
  onProgress?(read: number): void;
  progressEvery?: number;
}

/**
 * Streams each input through mapping → cleaning → validation up to `stage`, record by record, so memory stays flat
 * whatever the files' length (only `unique` checks remember values).
 */
export async function runPipeline(inputs: readonly RunInput[], options: RunOptions): Promise<RunStats> {
  const stats: RunStats = { read: 0, written: 0, removedCount: 0, removed: [], rules: new Map() };
  const every = options.progressEvery ?? 10_000;
  const cleanUp = options.stage !== "mapped";
  const check = options.stage === "validated";
  for (const { pipeline, records } of inputs) {
    let rules = stats.rules.get(pipeline.entity);
    if (!rules) {
      rules = newStats(pipeline.validations);
      stats.rules.set(pipeline.entity, rules);
    }
    for await (const { record: raw, line } of records) {
      stats.read++;
      if (options.onProgress && stats.read % every === 0) options.onProgress(stats.read);
      let record = pipeline.map(raw);
      if (cleanUp) {
        const result = clean(record, pipeline.steps);
        if (!result.kept) {
          stats.removedCount++;
          if (stats.removed.length < MAX_LISTED_REMOVALS) {
            const id = pipeline.idField === undefined ? null : (record[pipeline.idField] ?? null);
            stats.removed.push({
              source: pipeline.source,
              line,
              id,
              step: result.step,
              reason: result.reason,
            });
          }
          continue;
        }
        record = result.record;
      }
      const row: OutputRow = check
        ? Object.assign(record, { _issues: validate(record, pipeline.validations, rules) })
        : record;
      await options.emit(row, pipeline);
      stats.written++;
    }
  }
  return stats;
}
