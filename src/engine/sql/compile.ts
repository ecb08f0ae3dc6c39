/**
 * The compiler: a project and a run request in, an engine-neutral SqlPlan out (plan.ts). Pure: it reads nothing but
 * the project it is given (reference tables come with it), and the plan it returns is data.
 */
import type { Project } from "../../config/project.js";
import { functions } from "../../expr/functions/index.js";
import type { CallContext } from "../../expr/function-def.js";
import { indexProject } from "../../lint/project-index.js";
import { idFieldOf, mappingOf } from "../../pipeline/compile-pipeline.js";
import { PipelineError } from "../../pipeline/pipeline-error.js";
import { isLaterStage } from "../../matching/later-stages.js";
import { STAGES } from "../../pipeline/run.js";
import { PlanBuilder } from "./builder.js";
import type { Dialect } from "./dialect.js";
import { dialects } from "./dialects/index.js";
import { UdfSet } from "./expr.js";
import type { SqlEngine, SqlInput, SqlPlan, SqlReports } from "./plan.js";
import { jsonOf, textOf } from "./semantics.js";
import { cleanInput } from "./stages/cleaning.js";
import { laterStages } from "./stages/later.js";
import { mapInput, type Column } from "./stages/mapping.js";
import { validateInput, type RuleInfo } from "./stages/validation.js";

export interface PlanInput {
  source: string;
  entity?: string | undefined;
  /** Absolute path, or "" for records handed to the runner (a test's `given:`). */
  path: string;
  /** What the run says or the mapping names; when neither does, from the file's name (runners may sniff). */
  format: SqlInput["format"];
}

export interface PlanRequest {
  /** mapped | cleaned | validated | matches | golden | export:NAME | events:NAME */
  stage: string;
  inputs: readonly PlanInput[];
  /** The lookup() tables of the project (session.ts projectContext). */
  context: CallContext;
}

/** One input's way through the record stages, as the later stages read it. */
export interface CompiledInput {
  k: number;
  source: string;
  entity: string;
  columns: Column[];
  /** The field that names a record (id, else the first required field), as pipeline.idField. */
  idField: string | undefined;
  mapped: string;
  cleaned: string;
  validated: string | undefined;
  rules: RuleInfo[];
}

export function compilePlan(project: Project, request: PlanRequest, engine: SqlEngine): SqlPlan {
  const d: Dialect = dialects[engine];
  const udfs = new UdfSet();
  for (const [name, h] of Object.entries(d.helpers ?? {})) udfs.helper(name, h.args, h.returns);
  const b = new PlanBuilder(d, { d, functions, context: request.context, udfs });
  const index = indexProject(project);
  const later = isLaterStage(request.stage);
  const stage = later ? "validated" : request.stage;
  if (!(STAGES as readonly string[]).includes(stage))
    throw new PipelineError(`unknown stage "${request.stage}"`, true);

  const inputs: SqlInput[] = [];
  const compiled: CompiledInput[] = [];
  request.inputs.forEach((input, k) => {
    const { mapping, fields } = mappingOf(index, input.source, input.entity);
    const entity = mapping.spec.entity;
    const view = `input_${k}`;
    const csv = mapping.spec.csv;
    inputs.push({
      view,
      source: input.source,
      entity,
      path: input.path,
      format: input.format,
      ...(input.format === "csv" && (csv?.delimiter !== undefined || csv?.skip_initial_space)
        ? {
            csv: {
              ...(csv.delimiter !== undefined ? { delimiter: csv.delimiter } : {}),
              ...(csv.skip_initial_space ? { skipInitialSpace: true } : {}),
            },
          }
        : {}),
    });
    const mapped = mapInput(b, k, view, mapping, fields);
    const idField = idFieldOf(fields);
    compiled.push({
      k,
      source: input.source,
      entity,
      columns: mapped.columns,
      idField,
      mapped: mapped.table,
      cleaned: mapped.table,
      validated: undefined,
      rules: [],
    });
  });
  // Right after mapping, so that a runner stops on a value of the wrong type before any more work.
  const reports: SqlReports = {};
  invalidReport(b, compiled, reports);
  if (stage !== "mapped")
    for (const c of compiled) c.cleaned = cleanInput(b, project, c.k, c.entity, c.mapped, c.columns);
  if (stage === "validated") {
    const cleanedOf = (entity: string) =>
      compiled.filter((c) => c.entity === entity).map((c) => ({ view: c.cleaned, columns: c.columns }));
    for (const c of compiled) {
      const validated = validateInput(b, project, c.k, c.entity, c.cleaned, c.columns, {
        tables: (name) => request.context.table?.(name),
        cleaned: (entity) => cleanedOf(entity).map(({ view, columns }) => ({ view: `${view}`, columns })),
      });
      c.validated = validated.view;
      c.rules = validated.rules;
    }
  }

  recordReports(b, compiled, stage, reports);
  let output: SqlPlan["output"];
  if (later) {
    const result = laterStages(b, project, request.stage, compiled);
    output = result.output;
    Object.assign(reports, result.reports);
  } else {
    const rows = compiled.map((c) => {
      const from =
        stage === "mapped"
          ? `${d.ident(c.mapped)} WHERE _reject IS NULL AND _invalid IS NULL`
          : stage === "cleaned"
            ? `${d.ident(c.cleaned)} WHERE _removed IS NULL`
            : d.ident(c.validated as string);
      return `SELECT _input, _line, ${recordJson(d, c.columns, stage === "validated")} AS json FROM ${from}`;
    });
    b.view(
      "output",
      rows.join("\nUNION ALL\n"),
      `the ${stage} records as JSON Lines, in input and line order`,
    );
    output = { view: "output", stage, orderBy: ["_input", "_line"] };
  }
  const udfNames = [...udfs.signatures.keys()].sort();
  return {
    engine,
    inputs,
    prelude: d.prelude(),
    steps: b.steps,
    output,
    udfs: udfNames,
    ...(udfNames.length > 0
      ? { udfSignatures: Object.fromEntries(udfNames.map((n) => [n, udfs.signatures.get(n)!])) }
      : {}),
    reports,
  };
}

/** A record as JSON.stringify writes it: every field in the entity's order, then `_issues` when validated. */
export function recordJson(d: Dialect, columns: readonly Column[], issues: boolean): string {
  const parts = columns.flatMap((c, i) => [
    d.string(`${i === 0 ? "{" : ","}${JSON.stringify(c.name)}:`),
    jsonOf(d, { sql: d.ident(c.name), type: c.type }),
  ]);
  if (issues) parts.push(d.string(`${columns.length === 0 ? "{" : ","}"_issues":`), "_issues");
  parts.push(parts.length === 0 ? "'{}'" : "'}'");
  return d.build(parts);
}

const union = (rows: string[]) => (rows.length === 0 ? undefined : rows.join("\nUNION ALL\n"));

function reporter(b: PlanBuilder, reports: SqlReports) {
  return (name: keyof SqlReports, sql: string | undefined, note: string) => {
    if (sql === undefined) return;
    b.view(`report_${name}`, sql, note);
    reports[name] = `report_${name}`;
  };
}

/** The records whose value is not of its field's type (plan.ts SqlReports.invalid). */
function invalidReport(b: PlanBuilder, compiled: readonly CompiledInput[], reports: SqlReports): void {
  const { d } = b;
  reporter(b, reports)(
    "invalid",
    union(
      compiled.map((c) => {
        const declared = c.columns
          .map((col) => `WHEN ${d.string(col.name)} THEN ${d.string(col.declared)}`)
          .join(" ");
        return `SELECT _input AS input, _line AS line, _invalid AS field, CASE _invalid ${declared} END AS type, _found AS found FROM ${d.ident(c.mapped)} WHERE _invalid IS NOT NULL AND _reject IS NULL`;
      }),
    ),
    "records with a value that is not of its field's type (the run stops)",
  );
}

/** The views `clue run` reports from at the record stages (plan.ts SqlReports). */
function recordReports(
  b: PlanBuilder,
  compiled: readonly CompiledInput[],
  stage: string,
  reports: SqlReports,
): void {
  const { d } = b;
  const add = reporter(b, reports);
  add(
    "rejected",
    union(
      compiled.map(
        (c) =>
          `SELECT _input AS input, _line AS line, _reject AS reason FROM ${d.ident(c.mapped)} WHERE _reject IS NOT NULL`,
      ),
    ),
    "records the mapping rejects: they go to the dead letters",
  );
  if (stage !== "mapped")
    add(
      "removed",
      union(
        compiled.map((c) => {
          const id = c.columns.find((col) => col.name === c.idField);
          const idText =
            id === undefined ? d.nullOf("text") : textOf(d, { sql: d.ident(id.name), type: id.type });
          return `SELECT _input AS input, _line AS line, ${idText} AS id, _removed AS step, _reason AS reason FROM ${d.ident(c.cleaned)} WHERE _removed IS NOT NULL`;
        }),
      ),
      "records cleaning removed",
    );
  add(
    "counts",
    union(
      compiled.map((c) => {
        const written =
          stage === "mapped"
            ? `count_if(_reject IS NULL AND _invalid IS NULL)`
            : `(SELECT count(*) FROM ${d.ident(c.cleaned)} WHERE _removed IS NULL)`;
        const removed =
          stage === "mapped"
            ? "0"
            : `(SELECT count(*) FROM ${d.ident(c.cleaned)} WHERE _removed IS NOT NULL)`;
        return `SELECT ${c.k} AS input, count(*) AS read, ${written} AS written, ${removed} AS removed, count_if(_reject IS NOT NULL) AS rejected FROM ${d.ident(c.mapped)}`;
      }),
    ),
    "per input: records read, written at the stage, removed by cleaning, rejected",
  );
  if (stage === "validated")
    add(
      "rules",
      union(
        compiled.flatMap((c) =>
          c.rules.map(
            (r, i) =>
              `SELECT ${d.string(c.entity)} AS entity, ${d.string(r.rule)} AS rule, ${c.k} AS input, ${i} AS position, ` +
              `${r.skipped === undefined ? d.nullOf("text") : d.string(r.skipped)} AS skipped, ` +
              (r.skipped === undefined
                ? `count(*) AS checked, count_if(_fail_${i}) AS failed FROM ${d.ident(c.validated as string)}`
                : `0 AS checked, 0 AS failed`),
          ),
        ),
      ),
      "per validation rule: records checked and failed",
    );
}
