/**
 * The stages after validation in SQL: `matches` (candidate pairs with their scores), `golden` (golden records),
 * `export:NAME` (table export rows) and `events:NAME` (golden records, rendered as events by the runner with clue's
 * own event renderer: plan output.render).
 */
import type { Project, Resource } from "../../../config/project.js";
import { resourcesOf } from "../../../config/project.js";
import { TABLE_TYPES, exportName } from "../../../exports/export-stage.js";
import { indexProject } from "../../../lint/project-index.js";
import { PipelineError } from "../../../pipeline/pipeline-error.js";
import type { PlanBuilder } from "../builder.js";
import type { CompiledInput } from "../compile.js";
import { compileExpr, condition } from "../expr.js";
import type { SqlPlan, SqlReports } from "../plan.js";
import { blockingPasses, candidatePairs, passKey } from "./blocking.js";
import { parsed } from "./cleaning.js";
import { clusterRecords } from "./clusters.js";
import { tableRows } from "./exports.js";
import { goldenRecords } from "./golden.js";
import { matchRecords, Parts } from "./records.js";
import {
  DECIDED,
  decisionPairs,
  frequencyColumns,
  MERGE,
  modelPlan,
  PROBABILITY,
  ROUND,
  scorePairs,
  UNBLOCKED,
  type ScoredPairs,
} from "./scoring.js";

export function laterStages(
  b: PlanBuilder,
  project: Project,
  stage: string,
  inputs: readonly CompiledInput[],
): { output: SqlPlan["output"]; reports: SqlReports } {
  const { d } = b;
  const entities = [...new Set(inputs.map((i) => i.entity))];
  if (entities.length > 1)
    throw new PipelineError(
      `--stage matches pairs records of one entity; these inputs are ${entities.join(" and ")}`,
      true,
    );
  const entity = entities[0] ?? "?";
  const dedup = resourcesOf(project, "dedup").find((r) => r.spec.entity === entity);
  if (!dedup) throw new PipelineError(`no dedup rules for entity ${entity} under config/dedup/`, true);
  const exported = exportName(stage);
  const resource = exported === undefined ? undefined : checkExport(project, stage, exported);

  const records = matchRecords(b, inputs);
  const parts = new Parts(b, records);
  const where = `dedup ${dedup.name}`;
  const spec = dedup.spec;
  const rules = (spec.rules ?? []).filter((r) => r.prior_only !== true);
  // The pair conditions read a row of both records' parts (Parts.pairRows) through `x`.
  const pairBindings = b.bindings("x");
  const ruleTests = rules.map((r) => {
    const w = `${where}, rule ${r.name}`;
    const node = parts.rewrite(parsed(r.when, w), w);
    return {
      name: r.name,
      confidence: r.confidence,
      test: condition(compileExpr(node, parts.pairFields("x"), b.cx, w, pairBindings), b.cx),
    };
  });
  const model = modelPlan(b, dedup, parts, pairBindings);
  const blocking = blockingPasses(
    parts,
    rules.map((r) => ({ name: r.name, when: parsed(r.when, `${where}, rule ${r.name}`) })),
    (spec.blocking ?? []).map((k) => parsed(k, `${where}, blocking`)),
    model !== undefined,
    where,
  );
  // All parts are known now: the table of them, with each pass's key and the term frequencies.
  const partColumns = parts.columns().map((p) => `${p.sql} AS ${d.ident(p.name)}`);
  for (const lookup of parts.bindings.lookupTables("records r"))
    b.table(lookup.name, lookup.sql, lookup.note);
  b.table(
    "part_values",
    `SELECT r._rid, r._source${partColumns.map((c) => `, ${c}`).join("")} FROM ${parts.bindings.from("records r")}`,
    "the one-record parts of the rules, levels and keys",
  );
  const keys = blocking.passes.map((pass, p) => `${passKey(b, parts, pass)} AS _k${p}`);
  const frequencies = frequencyColumns(b, model, parts);
  b.table(
    "parts",
    `SELECT *${[...keys, ...frequencies].map((c) => `, ${c}`).join("")} FROM part_values`,
    "computed once per record: the parts, each blocking pass's key" +
      (frequencies.length > 0 ? ", term frequencies" : ""),
  );
  decisionPairs(b, dedup);
  candidatePairs(b, blocking, spec.link_only === true);
  const scored = scorePairs(b, dedup, parts, blocking, model, ruleTests, pairBindings);
  const reports: SqlReports = {};
  b.view(
    "report_matches",
    `SELECT (SELECT count(*) FROM records) AS records, (SELECT count(*) FROM candidates) AS compared,\n` +
      `  (SELECT count_if((flags & ${MERGE}) <> 0) FROM pairs) AS merged, (SELECT count_if((flags & ${MERGE}) = 0) FROM pairs) AS queued`,
    "what matching did",
  );
  reports.matches = "report_matches";
  b.view(
    "report_unknown_ids",
    `SELECT name, CASE kind WHEN 'never' THEN 0 ELSE 1 END AS k, d, pos FROM decision_records WHERE found <> 1`,
    "ids the decisions name that no record (or several) has",
  );
  reports.unknownIds = "report_unknown_ids";

  if (stage === "matches" && spec.cluster_guard === undefined)
    return matchesOutput(b, scored, stage, reports);
  // The cluster guard's report needs the clusters, even at the matches stage (as the JS engine's summary has it).
  const clusters = clusterRecords(b, dedup);
  if (clusters.chained !== undefined) {
    b.view(
      "report_chained",
      `SELECT c.i, c.j, c.score, c.size, ${d.concat(["a._source", "':'", "a._id"])} AS a, ${d.concat(["b._source", "':'", "b._id"])} AS b,\n` +
        `  ${whyJson(b, scored)} AS why\n` +
        `FROM ${clusters.chained} c JOIN records a ON a._rid = c.i JOIN records b ON b._rid = c.j LEFT JOIN pairs p ON p.i = c.i AND p.j = c.j AND p._order = 0`,
      "the merges cluster_guard stopped or reported, and what made each pair match",
    );
    reports.chained = "report_chained";
  }
  if (stage === "matches") return matchesOutput(b, scored, stage, reports);
  const golden = goldenRecords(b, dedup, entity, records);
  const goldenOutput = {
    view: golden.json,
    stage,
    orderBy: ["_cluster"],
    ...(golden.presorted ? { presorted: true } : {}),
  };
  if (stage === "golden") return { output: goldenOutput, reports };
  if (resource !== undefined && TABLE_TYPES.has(resource.spec.type)) {
    const contract =
      resource.spec.contract === undefined
        ? undefined
        : indexProject(project).byName.contract.get(resource.spec.contract)?.spec;
    const rows = tableRows(b, resource.spec, contract, entity, golden);
    reports.problems = rows.problems;
    return { output: { view: rows.rows, stage, orderBy: ["_row"] }, reports };
  }
  // Events: the golden records, with how far review has got with each, for clue's event renderer.
  b.view(
    "report_stewardship",
    `SELECT g._entity_id AS entity_id,\n` +
      `  g._cluster IN (SELECT ca._cluster FROM pairs p JOIN clusters ca ON ca._rid = p.i JOIN clusters cb ON cb._rid = p.j WHERE (p.flags & ${MERGE}) = 0 AND ca._cluster <> cb._cluster\n` +
      `    UNION ALL SELECT cb._cluster FROM pairs p JOIN clusters ca ON ca._rid = p.i JOIN clusters cb ON cb._rid = p.j WHERE (p.flags & ${MERGE}) = 0 AND ca._cluster <> cb._cluster) AS pending,\n` +
      `  g._cluster IN (SELECT c._cluster FROM decision_pairs p JOIN clusters c ON c._rid IN (p.x, p.y) WHERE p.kind = 'never') AS rejected\n` +
      `FROM golden_values g`,
    "each golden record's review state: pending while a queued pair links it to another; rejected after a never_merge",
  );
  reports.stewardship = "report_stewardship";
  return { output: { ...goldenOutput, render: "events" }, reports };
}

function matchesOutput(b: PlanBuilder, scored: ScoredPairs, stage: string, reports: SqlReports) {
  b.view(
    "output",
    `SELECT i, j, _order, ${matchJson(b, scored)} AS json FROM pairs p JOIN records a ON a._rid = p.i JOIN records b ON b._rid = p.j`,
    "the matched pairs as JSON",
  );
  return { output: { view: "output", stage, orderBy: ["i", "j", "_order"] }, reports };
}

/** The export a stage names, checked as exportStage checks it (a usage error otherwise). */
function checkExport(project: Project, stage: string, name: string): Resource<"export"> {
  const index = indexProject(project);
  const resource = index.byName.export.get(name);
  const stageOf = (type: string) => (TABLE_TYPES.has(type) ? "export" : "events");
  if (!resource) {
    const known = [...index.byName.export.values()].map((e) => `${stageOf(e.spec.type)}:${e.name}`);
    throw new PipelineError(
      `no export named "${name}" (stages of exports: ${known.join(", ") || "none"})`,
      true,
    );
  }
  const prefix = stage.slice(0, stage.indexOf(":"));
  const wanted = stageOf(resource.spec.type);
  if (prefix !== wanted)
    throw new PipelineError(
      `export ${name} is a ${resource.spec.type} export: its stage is ${wanted}:${name}, not ${prefix}:${name}`,
      true,
    );
  return resource;
}

/** Match (engine.ts) as JSON: a, b, score, the rules that hold and the decision, with the model's waterfall. */
function matchJson(b: PlanBuilder, scored: ScoredPairs): string {
  const { d } = b;
  const side = (alias: string) =>
    d.build([
      `'{"source":'`,
      d.jsonQuote(`${alias}._source`),
      `',"id":'`,
      d.jsonQuote(`${alias}._id`),
      "'}'",
    ]);
  const fired = [
    ...scored.rules.map(
      (name, k) =>
        `CASE WHEN (p.flags & ${UNBLOCKED}) = 0 AND p._r${k} THEN ${d.string(JSON.stringify(name))} END`,
    ),
    `CASE WHEN (p.flags & ${DECIDED}) <> 0 THEN '"decision:merge"' END`,
  ];
  const parts = [
    `'{"a":'`,
    side("a"),
    `',"b":'`,
    side("b"),
    `',"score":'`,
    d.jsNumberText("p.score"),
    `',"rules":['`,
    d.concatSkippingNulls(",", fired),
    `'],"decision":'`,
    `CASE WHEN (p.flags & ${MERGE}) <> 0 THEN '"merge"' ELSE '"queue"' END`,
  ];
  const model = scored.model;
  if (model !== undefined) {
    b.cx.udfs.helper(ROUND, ["number", "number"], "number");
    const round = (x: string, digits: number) => `${ROUND}(${x}, ${d.number(digits)})`;
    const comparisons = model.comparisons.map((c, ci) =>
      d.build([
        d.string(`${ci === 0 ? "" : ","}{"comparison":${JSON.stringify(c.name)},"level":`),
        `CASE p._l${ci} ${c.levels.map((l, k) => `WHEN ${k} THEN ${d.string(JSON.stringify(l.name))}`).join(" ")} ELSE '"(none)"' END`,
        `',"weight":'`,
        d.jsNumberText(round(`p._w${ci}`, 4)),
        "'}'",
      ]),
    );
    const explain = d.build([
      d.string(
        `,"explain":{"prior":${JSON.stringify(roundJs(Math.log2(model.prior / (1 - model.prior)), 4))},"comparisons":[`,
      ),
      ...(comparisons.length === 0 ? [] : comparisons),
      `'],"match_weight":'`,
      d.jsNumberText(round("p._w", 4)),
      `',"probability":'`,
      d.jsNumberText(round(`${PROBABILITY}(p._w)`, 6)),
      "'}'",
    ]);
    parts.push(`CASE WHEN (p.flags & ${UNBLOCKED}) = 0 THEN ${explain} ELSE '' END`);
  }
  parts.push("'}'");
  return d.build(parts);
}

/** What made a pair match, as the cluster guard's report names it: its rules, and the levels that added weight. */
function whyJson(b: PlanBuilder, scored: ScoredPairs): string {
  const { d } = b;
  const items = [
    ...scored.rules.map(
      (name, k) => `CASE WHEN (p.flags & ${UNBLOCKED}) = 0 AND p._r${k} THEN ${d.string(name)} END`,
    ),
    `CASE WHEN (p.flags & ${DECIDED}) <> 0 THEN 'decision:merge' END`,
    ...(scored.model?.comparisons ?? []).map(
      (c, ci) =>
        `CASE WHEN (p.flags & ${UNBLOCKED}) = 0 AND ${ROUND}(p._w${ci}, ${d.number(4)}) > 0 THEN ${d.concat([
          d.string(`${c.name}=`),
          `CASE p._l${ci} ${c.levels.map((l, k) => `WHEN ${k} THEN ${d.string(l.name)}`).join(" ")} ELSE '(none)' END`,
        ])} END`,
    ),
  ];
  if (scored.model !== undefined) b.cx.udfs.helper(ROUND, ["number", "number"], "number");
  return d.concatSkippingNulls(", ", items);
}

/** model.ts round: to `digits` decimals as the waterfall shows them. */
function roundJs(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
