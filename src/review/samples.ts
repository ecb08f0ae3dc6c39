import { join, posix } from "node:path";
import type { Project, Resource } from "../config/project.js";
import { ExportProblems } from "../engine/engines.js";
import { runSqlStage } from "../engine/run-sql.js";
import type { EngineName } from "../engine/sql/plan.js";
import { indexProject } from "../lint/project-index.js";
import type { Match } from "../matching/engine.js";
import { mappingOf, PipelineError } from "../pipeline/compile-pipeline.js";
import { resourcesOf } from "../config/project.js";
import { textOf, type Value } from "../expr/types.js";
import { TABLE_TYPES } from "../exports/export-stage.js";
import type { EventMessage } from "../exports/events.js";
import { renderLaterStage } from "../matching/later-stages.js";
import { matchStage } from "../matching/match-stage.js";
import type { Explanation } from "../matching/model.js";
import type { SourcePipeline } from "../pipeline/compile-pipeline.js";
import { runPipeline, type OutputRow, type RunStats } from "../pipeline/run.js";
import { prepareRun, projectContext } from "../pipeline/session.js";
import { testInputRequest, testInputs, type TestInput } from "../testing/test-inputs.js";

export interface ExportOutcome {
  kind: "rows" | "events";
  /** Rows by primary key, or published attribute values by entityId. */
  rows: Map<string, Record<string, unknown>>;
}

/** A pair the dedup rules scored on a sample, with why. */
export interface PairOutcome {
  score: number;
  decision: "merge" | "queue";
  rules: string[];
  explain?: Explanation;
}

export interface SampleOutcome {
  exports: Map<string, ExportOutcome>;
  /** Pairs at or above the queue threshold, by `source:id ~ source:id`. */
  matches: Map<string, PairOutcome>;
  /** `Entity.rule` → records checked and failed, summed over the samples. */
  dq: Map<string, { checked: number; failed: number }>;
  /** Samples that could not be evaluated at this revision, and why. */
  problems: string[];
}

interface InputSet {
  key: string;
  inputs: TestInput[];
  dir: string;
}

/**
 * Runs the evaluator on the samples a project's tests name (each distinct set of inputs once), for what a change
 * does to the data: every export's rows or events, and each validation's pass rate.
 */
export async function evaluateSamples(
  project: Project,
  root: string,
  engine: EngineName = "js",
): Promise<SampleOutcome> {
  const outcome: SampleOutcome = { exports: new Map(), matches: new Map(), dq: new Map(), problems: [] };
  const sets = new Map<string, InputSet>();
  for (const t of resourcesOf(project, "test")) {
    if (!t.valid) continue;
    const spec = t.spec;
    const inputs = testInputs(spec);
    const dir = posix.dirname(t.doc.file.path);
    const key = JSON.stringify(
      inputs.map((i) => [i.source, i.entity, i.input && posix.join(dir, i.input), i.given]),
    );
    if (!sets.has(key)) sets.set(key, { key, inputs, dir });
  }
  const exports = resourcesOf(project, "export").filter((e) => e.valid);
  for (const set of [...sets.values()].sort((a, b) => (a.key < b.key ? -1 : 1))) {
    try {
      if (engine !== "js") {
        await evaluateOnSql(project, root, set, exports, engine, outcome);
        continue;
      }
      const prepared = await prepareRun(
        project,
        set.inputs.map((input) => testInputRequest(root, set.dir, input)),
      );
      const validated: { pipeline: SourcePipeline; row: OutputRow }[] = [];
      const stats = await runPipeline(prepared, {
        stage: "validated",
        emit: (row, pipeline) => void validated.push({ pipeline, row: structuredClone(row) }),
      });
      addDq(outcome, stats);
      const entity = prepared[0]?.pipeline.entity;
      const hasDedup = resourcesOf(project, "dedup").some((d) => d.spec.entity === entity);
      if (!hasDedup || new Set(prepared.map((p) => p.pipeline.entity)).size > 1) continue;
      const matched = matchStage(project, validated, projectContext(project));
      for (const m of matched?.pairs.eachMatch() ?? []) addMatch(outcome, m);
      for (const e of exports) {
        const entities =
          e.spec.entity_types ?? Object.values(e.spec.mapping ?? {}).map((ref) => ref.split(".")[0]);
        if (entity === undefined || !entities.includes(entity)) continue;
        const table = TABLE_TYPES.has(e.spec.type);
        const stage = `${table ? "export" : "events"}:${e.name}`;
        const later = renderLaterStage(project, stage, validated, {
          now: new Date(0),
          correlationId: "clue-diff",
          ...(matched ? { matched } : {}),
        });
        if (!later.ok) {
          outcome.problems.push(`${stage}: ${later.messages.join(" ")}`);
          continue;
        }
        addExportRows(project, outcome, e, later.rows);
      }
    } catch (error) {
      // Messages name files by their place in the revision, not the temporary folder it was read into.
      const message = (error as Error).message.split(`${root}/`).join("");
      outcome.problems.push(
        `${set.inputs.map((i) => i.input ?? `${i.source} (inline)`).join(" + ")}: ${message}`,
      );
    }
  }
  return outcome;
}

/** Each validation's checked and failed records, summed into the outcome. */
function addDq(outcome: SampleOutcome, stats: RunStats): void {
  for (const [entity, rules] of stats.rules)
    for (const s of rules.values()) {
      if (s.skipped !== undefined) continue;
      const k = `${entity}.${s.rule}`;
      const sum = outcome.dq.get(k) ?? { checked: 0, failed: 0 };
      outcome.dq.set(k, { checked: sum.checked + s.checked, failed: sum.failed + s.failed });
    }
}

function addMatch(outcome: SampleOutcome, m: Match): void {
  outcome.matches.set(`${m.a.source}:${m.a.id} ~ ${m.b.source}:${m.b.id}`, {
    score: m.score,
    decision: m.decision,
    rules: m.rules,
    ...(m.explain ? { explain: m.explain } : {}),
  });
}

/** An export's rows (by primary key) or events (published values by entityId), into the outcome. */
function addExportRows(
  project: Project,
  outcome: SampleOutcome,
  e: Resource<"export">,
  rows: Iterable<unknown>,
): void {
  const table = TABLE_TYPES.has(e.spec.type);
  const found = outcome.exports.get(e.name) ?? { kind: table ? "rows" : "events", rows: new Map() };
  const primaryKey = primaryKeyOf(project, e.spec);
  for (const row of rows) {
    if (table) {
      const r = row as Record<string, Value>;
      found.rows.set(primaryKey.map((c) => textOf(r[c] ?? null)).join("|"), r);
    } else {
      const { event } = row as EventMessage;
      found.rows.set(
        event.entityId,
        Object.fromEntries(Object.entries(event.changes.attributes).map(([k, a]) => [k, a.value])),
      );
    }
  }
  outcome.exports.set(e.name, found);
}

/**
 * The same outcome from a SQL engine: the validated stage (for pass rates), then, when the entity has dedup rules,
 * the matches and each export's stage, each a run of the samples.
 */
async function evaluateOnSql(
  project: Project,
  root: string,
  set: InputSet,
  exports: readonly Resource<"export">[],
  engine: Exclude<EngineName, "js">,
  outcome: SampleOutcome,
): Promise<void> {
  const inputs = set.inputs.map((input) => ({
    ...testInputRequest(root, set.dir, input),
    path: input.input === undefined ? undefined : join(root, posix.join(set.dir, input.input)),
  }));
  const run = async (stage: string): Promise<{ rows: unknown[]; stats: RunStats }> => {
    const lines: string[] = [];
    const sql = await runSqlStage({
      project,
      stage,
      inputs,
      engine,
      write: (text) => void lines.push(text),
      events: { now: new Date(0), correlationId: "clue-diff" },
    });
    const rows = lines
      .join("")
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l) as unknown);
    return { rows, stats: sql.stats };
  };
  addDq(outcome, (await run("validated")).stats);
  const index = indexProject(project);
  const entities = new Set(set.inputs.map((i) => mappingOf(index, i.source, i.entity).mapping.spec.entity));
  const entity = [...entities][0];
  const hasDedup = resourcesOf(project, "dedup").some((d) => d.spec.entity === entity);
  if (!hasDedup || entities.size > 1) return;
  for (const m of (await run("matches")).rows) addMatch(outcome, m as Match);
  for (const e of exports) {
    const published =
      e.spec.entity_types ?? Object.values(e.spec.mapping ?? {}).map((ref) => ref.split(".")[0]);
    if (entity === undefined || !published.includes(entity)) continue;
    const stage = `${TABLE_TYPES.has(e.spec.type) ? "export" : "events"}:${e.name}`;
    try {
      addExportRows(project, outcome, e, (await run(stage)).rows);
    } catch (error) {
      if (!(error instanceof ExportProblems) && !(error instanceof PipelineError)) throw error;
      outcome.problems.push(`${stage}: ${error.message.split("\n").join(" ")}`);
    }
  }
}

function primaryKeyOf(
  project: Project,
  spec: { contract?: string; options: unknown; mapping?: Record<string, string> },
): string[] {
  const contract =
    spec.contract === undefined
      ? undefined
      : resourcesOf(project, "contract").find((c) => c.name === spec.contract);
  if (contract) return [contract.spec.primary_key].flat();
  const fromOptions = (spec.options as { primary_key?: string[] }).primary_key;
  return fromOptions ?? Object.keys(spec.mapping ?? {}).slice(0, 1);
}
