/**
 * One stage of a run on a SQL engine: the plan compiled from the project and the inputs, run by the engine's
 * runner, and what the run did in the JS engine's terms (RunStats), so that `clue run`, `clue test` and `clue diff`
 * report the same way whichever engine ran.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
import { EngineUnavailable, ExportProblems, engines } from "./engines.js";
import type { EventState } from "../exports/event-state.js";
import type { RenderedEvents, Stewardship } from "../exports/events.js";
import { exportStage } from "../exports/export-stage.js";
import type { GoldenRecord } from "../golden/golden.js";
import { PipelineError } from "../pipeline/pipeline-error.js";
import type { DedupRules } from "../types/index.js";
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
  /**
   * An empty regular file the engine may write the output lines to itself instead of `write` (DuckDB does; the
   * lines are the same).
   */
  outputFile?: string;
  /** A record the pipeline rejects (for the dead letters). */
  onRecordError?(input: number, line: number, reason: string): void;
  /**
   * A record an engine's own reader could not read (the Spark job reads its inputs itself): a dead letter, as the
   * JS readers make one, but with the engine's reason.
   */
  onUnreadable?(input: number, line: number, reason: string): void;
  settings?: DuckdbSettings;
  /** For events:NAME: the run's clock and correlation id, and what earlier runs published (`--state`). */
  events?: { now: Date; correlationId: string; previous?: (exportName: string) => EventState };
}

export interface SqlStageResult {
  stats: RunStats;
  /** At the later stages: what matching did. */
  matches?: { records: number; compared: number; merged: number; queued: number };
  /** Rows written (golden records at stage golden, events at events:NAME). */
  written: number;
  /** Ids the dedup decisions name that no record has (or several do). */
  unknownIds: string[];
  /** What cluster_guard did, a line each (as the JS engine words them). */
  guardWarnings: string[];
  /** At events:NAME: the events rendered, their counts and the state to keep. */
  events?: RenderedEvents;
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
  // A .parquet file, or a folder (of Parquet files, hive-partitioned or not).
  if (input.path !== undefined && (/\.parquet$/i.test(input.path) || isFolder(input.path))) return "parquet";
  return mapped ?? (input.path === undefined ? "json" : (formatOf(input.path) ?? "jsonl"));
}

/** Writes an input's inline records to `path` as JSON Lines, each on the line it is numbered with. */
async function inlineFile(input: SqlRunInput, path: string): Promise<string> {
  const lines: string[] = [];
  for await (const { record, line } of input.open({ prepass: false, format: "json", csv: {} })) {
    while (lines.length < line - 1) lines.push("");
    lines.push(JSON.stringify(record));
  }
  writeFileSync(path, lines.length === 0 ? "" : `${lines.join("\n")}\n`);
  return path;
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export async function runSqlStage(request: SqlStageRequest): Promise<SqlStageResult> {
  // The Spark job reads its inputs itself: records given inline (a test's `given:`) go to it as JSON Lines files.
  if (request.engine === "spark" && request.inputs.some((input) => input.path === undefined)) {
    const dir = mkdtempSync(join(tmpdir(), "clue-inline-"));
    try {
      const inputs: SqlRunInput[] = [];
      for (const [k, input] of request.inputs.entries())
        inputs.push(
          input.path !== undefined
            ? input
            : { ...input, path: await inlineFile(input, join(dir, `input-${k}.jsonl`)), format: "jsonl" },
        );
      return await runSqlStage({ ...request, inputs });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const { project } = request;
  const info = engines[request.engine];
  if (info.unavailable !== undefined) throw new EngineUnavailable(info.unavailable);
  const plan = planFor(project, request.stage, request.inputs, request.engine);
  // Events are rendered by clue's own renderer from the golden records the plan writes.
  const events = plan.output.render === "events";
  const goldenLines: string[] = [];
  const write = events
    ? (text: string) => void goldenLines.push(...text.split("\n").filter((l) => l !== ""))
    : (text: string) => request.write(text);
  const result =
    request.engine === "spark" ? await runSpark(request, plan, write) : await runDuckdb(request, plan, write);
  const rendered = events ? await renderEventRows(request, result.reports, goldenLines) : undefined;
  for (const row of result.reports.rejected ?? [])
    request.onRecordError?.(Number(row.input), Number(row.line), String(row.reason));
  const dedup = resourcesOf(project, "dedup").find((r) => r.spec.entity === plan.inputs[0]?.entity);
  return {
    stats: statsOf(project, plan, result.reports, result.rejectedBefore),
    written: rendered?.messages.length ?? result.written,
    unknownIds: unknownIdsOf(result.reports),
    guardWarnings: dedup === undefined ? [] : guardLines(dedup.spec.cluster_guard, result.reports),
    ...(rendered ? { events: rendered } : {}),
    ...(result.reports.matches?.[0]
      ? {
          matches: {
            records: Number(result.reports.matches[0].records),
            compared: Number(result.reports.matches[0].compared),
            merged: Number(result.reports.matches[0].merged),
            queued: Number(result.reports.matches[0].queued),
          },
        }
      : {}),
  };
}

/** What an engine's runner hands back: the report views, the rows written, records rejected before the SQL. */
interface EngineResult {
  reports: Reports;
  written: number;
  rejectedBefore: readonly number[];
}

/** The stage on embedded DuckDB, which reads the inputs through clue's own readers. */
async function runDuckdb(
  request: SqlStageRequest,
  plan: SqlPlan,
  write: (text: string) => void | Promise<void>,
): Promise<EngineResult> {
  const index = indexProject(request.project);
  const mappings = request.inputs.map((input) => mappingOf(index, input.source, input.entity));
  const { runOnDuckdb } = await import("./duckdb/run.js");
  const mappers = mappings.map(({ mapping, fields }) => compileMapping(mapping.spec, fields));
  return runOnDuckdb({
    plan,
    context: projectContext(request.project),
    open: (k) => {
      const input = request.inputs[k] as SqlRunInput;
      const { mapping } = mappings[k] as (typeof mappings)[number];
      const csv = mapping.spec.csv;
      return input.open({
        prepass: false,
        // The records go to DuckDB as JSON text: a plain line needs no JSON.parse and JSON.stringify on the way.
        plainText: true,
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
    write,
    // Events are rendered by clue from the lines, so they come through `write`.
    ...(request.outputFile !== undefined && plan.output.render !== "events"
      ? { outputFile: request.outputFile }
      : {}),
    ...(request.settings ? { settings: request.settings } : {}),
  });
}

/**
 * The stage on Spark (src/engine/spark/run.ts): the job reads the inputs itself, so the records it cannot read are
 * reported here as dead letters, with its own reason.
 */
async function runSpark(
  request: SqlStageRequest,
  plan: SqlPlan,
  write: (text: string) => void | Promise<void>,
): Promise<EngineResult> {
  const { runOnSpark } = await import("./spark/run.js");
  const result = await runOnSpark({
    plan,
    write,
    ...(request.settings ? { settings: request.settings } : {}),
  });
  plan.inputs.forEach((input, k) => {
    const left = result.leftOut[input.view];
    if (left === undefined) return;
    const reason = "the Spark job could not read this record (clue run --engine js gives the reason)";
    for (const line of left.lines) request.onUnreadable?.(k, line, reason);
    for (let n = left.lines.length; n < left.count; n++) request.onUnreadable?.(k, 0, reason);
  });
  return {
    reports: result.reports,
    written: result.written,
    rejectedBefore: plan.inputs.map(() => 0),
  };
}

/** The events of an event export from the golden records the plan wrote (export-stage.ts, as the JS engine renders them). */
async function renderEventRows(
  request: SqlStageRequest,
  reports: Reports,
  lines: readonly string[],
): Promise<RenderedEvents> {
  const golden = lines.map((line) => JSON.parse(line) as GoldenRecord);
  const review = new Map<string, Stewardship>(
    (reports.stewardship ?? []).map((row) => [
      String(row.entity_id),
      row.pending === true
        ? { goldenStatus: "candidate", state: "pending" }
        : { goldenStatus: "golden", state: row.rejected === true ? "rejected" : "approved" },
    ]),
  );
  const dedup = resourcesOf(request.project, "dedup").find((r) => r.spec.entity === golden[0]?.entityType);
  const rendered = exportStage(request.project, request.stage, {
    golden,
    stewardship: (id) => review.get(id) ?? { goldenStatus: "golden", state: "approved" },
    recencyField: dedup?.spec.survivorship?.recency_field ?? "updated_at",
    events: { now: request.events?.now ?? new Date(), correlationId: request.events?.correlationId ?? "" },
    ...(request.events?.previous ? { previous: request.events.previous } : {}),
  });
  if (rendered.kind === "error") throw new PipelineError(rendered.error, true);
  if (rendered.kind !== "events") throw new PipelineError(`${request.stage} renders rows, not events`, true);
  if (rendered.problems.length > 0)
    throw new ExportProblems(
      [
        `events of export ${request.stage.slice(request.stage.indexOf(":") + 1)} break its contract or primary key:`,
        ...rendered.problems.slice(0, 20).map((p) => `  ${p}`),
        ...(rendered.problems.length > 20 ? [`  ... and ${rendered.problems.length - 20} more`] : []),
      ].join("\n"),
    );
  let chunk = "";
  for (const message of rendered.messages) chunk += `${JSON.stringify(message)}\n`;
  if (chunk !== "") await request.write(chunk);
  return rendered;
}

/** The unknown ids in the order the JS engine finds them (never_merge decisions first), each once. */
function unknownIdsOf(reports: Reports): string[] {
  const rows = (reports.unknownIds ?? []).toSorted(
    (a, b) => Number(a.k) - Number(b.k) || Number(a.d) - Number(b.d) || Number(a.pos) - Number(b.pos),
  );
  return [...new Set(rows.map((r) => String(r.name)))];
}

/** The cluster guard's report (match-stage.ts guardLines): the merges it stopped, the five weakest named. */
function guardLines(guard: DedupRules["cluster_guard"], reports: Reports): string[] {
  const chained = reports.chained ?? [];
  if (guard === undefined || chained.length === 0) return [];
  const split = guard.action !== "flag";
  // In the order the merges were tried (strongest first, then by record), then the weakest first (a stable sort).
  const weakest = chained
    .toSorted(
      (a, b) => Number(b.score) - Number(a.score) || Number(a.i) - Number(b.i) || Number(a.j) - Number(b.j),
    )
    .toSorted((a, b) => Number(a.score) - Number(b.score))
    .slice(0, 5);
  return [
    `cluster_guard: ${chained.length} merge${chained.length === 1 ? "" : "s"} would have chained a cluster past ${guard.max_size ?? 0} records (${split ? "skipped: the clusters stay apart" : "kept, as action is flag"}). The weakest:`,
    ...weakest.map(
      (c) =>
        `  ${String(c.a)} – ${String(c.b)}: score ${Number(c.score).toFixed(4)}, a cluster of ${Number(c.size)}; matched on ${String(c.why ?? "") || "(nothing recorded)"}`,
    ),
  ];
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
