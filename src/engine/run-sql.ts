/**
 * One stage of a run on a SQL engine: the plan compiled from the project and the inputs, run by the engine's
 * runner, and what the run did in the JS engine's terms (RunStats), so that `clue run`, `clue test` and `clue diff`
 * report the same way whichever engine ran.
 */
import type { Project } from "../config/project.js";
import { indexProject } from "../lint/project-index.js";
import { formatOf, type SourceFormat } from "../io/records.js";
import { mappingOf } from "../pipeline/compile-pipeline.js";
import { compileMapping } from "../pipeline/mapping.js";
import { RecordRejected } from "../pipeline/record-rejected.js";
import type { RunStats, Removal } from "../pipeline/run.js";
import type { InputRequest } from "../pipeline/session.js";
import { projectContext } from "../pipeline/session.js";
import { resourcesOf } from "../config/project.js";
import type { RuleStats } from "../pipeline/validation.js";
import { EngineUnavailable, engines } from "./engines.js";
import { compilePlan, type PlanInput } from "./sql/compile.js";
import type { SqlEngine, SqlInput, SqlPlan } from "./sql/plan.js";
import type { DuckdbSettings, Reports } from "./duckdb/run.js";

/** An input of a run: how to open its records, and (for a file) where it is and in what format. */
export interface SqlRunInput extends InputRequest {
  /** Absolute path of the file, or undefined for records given inline. */
  path: string | undefined;
  /** --input-format, when given. */
  format?: SourceFormat | "parquet" | undefined;
}

export interface SqlStageRequest {
  project: Project;
  stage: string;
  inputs: readonly SqlRunInput[];
  engine: SqlEngine;
  /** Whole JSON lines of output, in chunks. */
  write(text: string): void | Promise<void>;
  /** A record the pipeline rejects (for the dead letters). */
  onRecordError?(input: number, line: number, reason: string): void;
  /**
   * A record an engine's own reader could not read (the Spark job reads its inputs itself): a dead letter, as the
   * JS readers make one, but with the engine's reason.
   */
  onUnreadable?(input: number, line: number, reason: string): void;
  settings?: DuckdbSettings;
}

export interface SqlStageResult {
  stats: RunStats;
  /** At the later stages: what matching did. */
  matches?: { records: number; compared: number; merged: number; queued: number };
}

/** The plan a request compiles to (what --explain-sql prints). */
export function planFor(
  project: Project,
  stage: string,
  inputs: readonly SqlRunInput[],
  engine: SqlEngine,
): SqlPlan {
  const index = indexProject(project);
  const planInputs: PlanInput[] = inputs.map((input) => ({
    source: input.source,
    entity: input.entity,
    path: input.path ?? "",
    format: formatFor(input, mappingOf(index, input.source, input.entity).mapping.spec.format),
  }));
  return compilePlan(project, { stage, inputs: planInputs, context: projectContext(project) }, engine);
}

function formatFor(input: SqlRunInput, mapped: SourceFormat | undefined): SqlInput["format"] {
  if (input.format !== undefined) return input.format;
  if (input.path !== undefined && /\.parquet$/i.test(input.path)) return "parquet";
  return mapped ?? (input.path === undefined ? "json" : (formatOf(input.path) ?? "jsonl"));
}

export async function runSqlStage(request: SqlStageRequest): Promise<SqlStageResult> {
  const { project } = request;
  const info = engines[request.engine];
  if (info.unavailable !== undefined) throw new EngineUnavailable(info.unavailable);
  const plan = planFor(project, request.stage, request.inputs, request.engine);
  if (request.engine === "spark") return runOnSpark(request, plan);
  const index = indexProject(project);
  const mappings = request.inputs.map((input) => mappingOf(index, input.source, input.entity));
  const { runOnDuckdb } = await import("./duckdb/run.js");
  const mappers = mappings.map(({ mapping, fields }) => compileMapping(mapping.spec, fields));
  const result = await runOnDuckdb({
    plan,
    context: projectContext(project),
    open: (k) => {
      const input = request.inputs[k] as SqlRunInput;
      const { mapping } = mappings[k] as (typeof mappings)[number];
      const csv = mapping.spec.csv;
      return input.open({
        prepass: false,
        format: input.format === "parquet" ? undefined : (input.format ?? mapping.spec.format),
        csv: {
          ...(csv?.delimiter !== undefined ? { delimiter: csv.delimiter } : {}),
          ...(csv?.skip_initial_space ? { skipInitialSpace: true } : {}),
        },
      });
    },
    rejects: (k, record) => {
      try {
        (mappers[k] as (raw: Record<string, unknown>) => unknown)(record);
        return undefined;
      } catch (error) {
        if (error instanceof RecordRejected) return error.message;
        throw error;
      }
    },
    onRejected: (k, line, reason) => request.onRecordError?.(k, line, reason),
    write: (text) => request.write(text),
    ...(request.settings ? { settings: request.settings } : {}),
  });
  for (const row of result.reports.rejected ?? [])
    request.onRecordError?.(Number(row.input), Number(row.line), String(row.reason));
  return {
    stats: statsOf(project, plan, result.reports, result.rejectedBefore),
    ...matchesOf(result.reports),
  };
}

/** The stage on the Spark job (src/engine/spark/run.ts), which reads the inputs itself. */
async function runOnSpark(request: SqlStageRequest, plan: SqlPlan): Promise<SqlStageResult> {
  const { runOnSpark: run } = await import("./spark/run.js");
  const result = await run({ plan, write: (text) => request.write(text) });
  plan.inputs.forEach((input, k) => {
    const left = result.leftOut[input.view];
    if (left === undefined) return;
    const reason = "the Spark job could not read this record (clue run --engine js gives the reason)";
    for (const line of left.lines) request.onUnreadable?.(k, line, reason);
    for (let n = left.lines.length; n < left.count; n++) request.onUnreadable?.(k, 0, reason);
  });
  const reports = result.reports as Reports;
  for (const row of reports.rejected ?? [])
    request.onRecordError?.(Number(row.input), Number(row.line), String(row.reason));
  return {
    stats: statsOf(
      request.project,
      plan,
      reports,
      plan.inputs.map(() => 0),
    ),
    ...matchesOf(reports),
  };
}

function matchesOf(reports: Reports): Pick<SqlStageResult, "matches"> {
  const row = reports.matches?.[0];
  return row
    ? {
        matches: {
          records: Number(row.records),
          compared: Number(row.compared),
          merged: Number(row.merged),
          queued: Number(row.queued),
        },
      }
    : {};
}

const MAX_LISTED_REMOVALS = 1000;

/** RunStats (pipeline/run.ts) from the plan's reports. */
function statsOf(
  project: Project,
  plan: SqlPlan,
  reports: Reports,
  rejectedBefore: readonly number[],
): RunStats {
  const counts = reports.counts ?? [];
  const sum = (column: string) => counts.reduce((n, row) => n + Number(row[column] ?? 0), 0);
  const before = rejectedBefore.reduce((n, r) => n + r, 0);
  const removed: Removal[] = (reports.removed ?? [])
    .toSorted((a, b) => Number(a.input) - Number(b.input) || Number(a.line) - Number(b.line))
    .slice(0, MAX_LISTED_REMOVALS)
    .map((row) => ({
      source: plan.inputs[Number(row.input)]?.source ?? "",
      line: Number(row.line),
      id: row.id === null ? null : String(row.id),
      step: String(row.step),
      reason: String(row.reason),
    }));
  const rules = new Map<string, Map<string, RuleStats>>();
  // Every entity of the run has its rules listed, as the JS engine lists them (zero at the stages before validation).
  for (const input of plan.inputs) {
    if (rules.has(input.entity)) continue;
    rules.set(
      input.entity,
      new Map(
        resourcesOf(project, "validation")
          .filter((v) => v.spec.entity === input.entity)
          .map((v) => [
            v.spec.rule,
            {
              rule: v.spec.rule,
              checked: 0,
              failed: 0,
              maxFailRatio: v.spec.threshold?.max_fail_ratio,
              skipped: undefined,
            },
          ]),
      ),
    );
  }
  for (const row of (reports.rules ?? []).toSorted(
    (a, b) => Number(a.input) - Number(b.input) || Number(a.position) - Number(b.position),
  )) {
    const s = rules.get(String(row.entity))?.get(String(row.rule));
    if (s === undefined) continue;
    s.checked += Number(row.checked);
    s.failed += Number(row.failed);
    if (row.skipped !== null && row.skipped !== undefined) s.skipped = String(row.skipped);
  }
  return {
    read: sum("read") + before,
    written: sum("written"),
    removedCount: sum("removed"),
    rejected: sum("rejected") + before,
    removed,
    rules,
  };
}
