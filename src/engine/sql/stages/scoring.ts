/**
 * Scoring in SQL (src/matching/engine.ts findMatches, model.ts): a pair's score is the highest confidence among the
 * rules that hold; with a model, the higher of that and the model's probability (the prior's log-odds plus each
 * comparison's level weight, log2(m / u), u being the value's frequency on a term-frequency level). Manual `merge`
 * decisions score 1, `never_merge` pairs are never reported. Pairs at or above the queue threshold are kept; at or
 * above auto-approve they merge. Weights that are constants are worked out here, in JavaScript, and written as
 * literals; logarithms and powers of run-time values go through helper UDFs (JavaScript's Math.log2 and ** differ
 * from the engines' in the last bit).
 */
import type { Resource } from "../../../config/project.js";
import { log2Odds } from "../../../matching/model.js";
import { PipelineError } from "../../../pipeline/pipeline-error.js";
import type { PlanBuilder } from "../builder.js";
import { compileExpr, condition, type Bindings } from "../expr.js";
import { parsed } from "./cleaning.js";
import type { BlockingPlan } from "./blocking.js";
import { sharesKey } from "./blocking.js";
import type { Parts } from "./records.js";

export const PROBABILITY = "clue__probability";
export const LOG2 = "clue__log2";
export const ROUND = "clue__round";

/** Pair flags, as src/matching/pair-list.ts. */
export const MERGE = 1;
export const DECIDED = 2;
export const UNBLOCKED = 4;

export interface ModelPlan {
  prior: number;
  comparisons: {
    name: string;
    levels: { name: string; test: string | undefined; weight: number; tf: boolean; m: number | undefined }[];
    /** The part holding the term-frequency value, when a level uses it. */
    tf: string | undefined;
  }[];
}

export interface ScoredPairs {
  /** `pairs`: i, j, score, flags, _r<k> (rule k holds), _l<c> (level of comparison c), _w<c> (its weight), _w (match weight). */
  table: string;
  rules: string[];
  model: ModelPlan | undefined;
}

/** The model of a dedup file, checked as ModelScorer checks it; its level tests are compiled against part rows a, b. */
export function modelPlan(
  b: PlanBuilder,
  dedup: Resource<"dedup">,
  parts: Parts,
  bindings: Bindings,
): ModelPlan | undefined {
  const spec = dedup.spec;
  const comparisons = spec.comparisons ?? [];
  if (comparisons.length === 0) return undefined;
  const where = `dedup ${dedup.name}`;
  const levelTests = comparisons.map((c) =>
    c.levels.map((level) => {
      if (level.when === undefined) return undefined;
      const w = `${where}, comparison ${c.name}, level ${level.name}`;
      return condition(
        compileExpr(parts.rewrite(parsed(level.when, w), w), parts.pairFields("x"), b.cx, w, bindings),
        b.cx,
      );
    }),
  );
  const tfParts = comparisons.map((c) =>
    c.term_frequency === undefined || !c.levels.some((l) => l.tf === true)
      ? undefined
      : parts.partOf(
          parsed(c.term_frequency, `${where}, comparison ${c.name}`),
          `${where}, comparison ${c.name}`,
        ),
  );
  const { prior } = spec;
  if (prior === undefined || !(prior > 0 && prior < 1))
    throw new PipelineError(
      "the dedup model has no prior: run clue train (with rules that find pairs), or set `prior:` between 0 and 1",
    );
  return {
    prior,
    comparisons: comparisons.map((c, ci) => ({
      name: c.name,
      tf: tfParts[ci],
      levels: c.levels.map((level, k) => {
        if (level.null_level !== true && (level.m === undefined || level.u === undefined))
          throw new PipelineError(
            `comparison ${c.name}, level ${level.name} has no m or u: run clue train (or set both)`,
          );
        return {
          name: level.name,
          test: levelTests[ci]?.[k],
          weight: level.null_level === true ? 0 : Math.log2((level.m as number) / (level.u as number)),
          tf: level.tf === true,
          m: level.m,
        };
      }),
    })),
  };
}

/** The columns the parts table needs for term frequencies: per tf comparison, the value's frequency and log2(m / f). */
export function frequencyColumns(b: PlanBuilder, model: ModelPlan | undefined, parts: Parts): string[] {
  if (model === undefined) return [];
  const { d } = b;
  const columns: string[] = [];
  model.comparisons.forEach((c, ci) => {
    if (c.tf === undefined) return;
    const v = d.ident(c.tf);
    // Frequency among the records with a value (model.ts termFrequencies): the value's count over their count.
    const f = `CASE WHEN ${v} IS NOT NULL THEN CAST(count(*) OVER (PARTITION BY ${v}) AS DOUBLE) / CAST(count(${v}) OVER () AS DOUBLE) END`;
    columns.push(`${f} AS _f${ci}`);
    void parts;
    c.levels.forEach((level, k) => {
      if (!level.tf) return;
      b.cx.udfs.helper(LOG2, ["number"], "number");
      columns.push(`${LOG2}(${d.number(level.m as number)} / (${f})) AS _tfw${ci}_${k}`);
    });
  });
  return columns;
}

/** A comparison's level and weight for the pair of part rows a, b. */
function levelSql(
  b: PlanBuilder,
  c: ModelPlan["comparisons"][number],
  ci: number,
): { level: string; weight: string } {
  const { d } = b;
  const cases = c.levels.map((l, k) =>
    l.test === undefined ? `WHEN true THEN ${k}` : `WHEN ${l.test} THEN ${k}`,
  );
  const level = `CASE ${cases.join(" ")} ELSE 255 END`;
  const weights = c.levels.map((l, k) => {
    const fixed = d.number(l.weight);
    if (!l.tf || c.tf === undefined) return `WHEN ${k} THEN ${fixed}`;
    // Splink's adjustment: the greater of the two values' frequencies stands in for u.
    const tf =
      `CASE WHEN a._f${ci} IS NOT NULL AND b._f${ci} IS NOT NULL AND greatest(a._f${ci}, b._f${ci}) > 0 ` +
      `THEN CASE WHEN a._f${ci} >= b._f${ci} THEN a._tfw${ci}_${k} ELSE b._tfw${ci}_${k} END ELSE ${fixed} END`;
    return `WHEN ${k} THEN ${tf}`;
  });
  return { level, weight: `CASE _l${ci} ${weights.join(" ")} ELSE ${d.number(0)} END` };
}

/**
 * Adds the scored pairs: every candidate pair's rules and (with a model) levels and weights, then the pairs kept
 * (score at or above queue), decisions applied, with one-to-one linking when asked for.
 */
export function scorePairs(
  b: PlanBuilder,
  dedup: Resource<"dedup">,
  parts: Parts,
  blocking: BlockingPlan,
  model: ModelPlan | undefined,
  rules: readonly { name: string; confidence: number; test: string }[],
  bindings: Bindings,
): ScoredPairs {
  const { d } = b;
  const spec = dedup.spec;
  const select = ["x.i", "x.j", ...rules.map((r, k) => `coalesce(${r.test}, false) AS _r${k}`)];
  if (model !== undefined)
    model.comparisons.forEach((c, ci) => select.push(`${levelSql(b, c, ci).level} AS _l${ci}`));
  b.table(
    "compared",
    `SELECT ${select.join(",\n  ")}\nFROM ${bindings.from(`(${parts.pairRows("candidates")}) x`)}`,
    "each candidate pair: which rules hold" + (model ? ", and each comparison's level" : ""),
  );
  const ruleScore =
    rules.length === 0
      ? d.number(0)
      : `greatest(${d.number(0)}, ${rules.map((r, k) => `CASE WHEN _r${k} THEN ${d.number(r.confidence)} ELSE ${d.number(0)} END`).join(", ")})`;
  const weighted: string[] = [];
  if (model !== undefined) {
    b.cx.udfs.helper(PROBABILITY, ["number"], "number");
    model.comparisons.forEach((c, ci) => weighted.push(`${levelSql(b, c, ci).weight} AS _w${ci}`));
  }
  const weightSum =
    model === undefined
      ? undefined
      : model.comparisons.reduce((sum, _, ci) => `(${sum} + _w${ci})`, d.number(log2Odds(model.prior)));
  // weighed and scored are read once, by kept: views, so that the pairs are not written out twice more.
  b.view(
    "weighed",
    `SELECT c.*, ${[`${ruleScore} AS _rule_score`, ...weighted].join(", ")}\nFROM compared c` +
      (model === undefined ? "" : " JOIN parts a ON a._rid = c.i JOIN parts b ON b._rid = c.j"),
    "each pair's score by its rules" + (model ? ", and each comparison's weight" : ""),
  );
  // Without decisions in the dedup file no pair is forced or forbidden: the tests (a join per pair each) go.
  const decisions = (spec.decisions ?? []).some(
    (x) => (x.merge?.length ?? 0) > 1 || (x.never_merge?.length ?? 0) > 1,
  );
  const forced = `EXISTS (SELECT 1 FROM decision_pairs p WHERE p.kind = 'merge' AND p.x = w.i AND p.y = w.j)`;
  const forbidden = `EXISTS (SELECT 1 FROM decision_pairs p WHERE p.kind = 'never' AND p.x = w.i AND p.y = w.j)`;
  const decided = decisions ? `CASE WHEN ${forced} THEN ${DECIDED} ELSE 0 END` : "0";
  const ruled = decisions
    ? `CASE WHEN ${forced} THEN greatest(_rule_score, ${d.number(1)}) ELSE _rule_score END`
    : "_rule_score";
  const score =
    model === undefined
      ? ruled
      : `CASE WHEN ${ruled} < ${d.number(1)} THEN greatest(${ruled}, ${PROBABILITY}(_w)) ELSE ${ruled} END`;
  b.view(
    "scored",
    `SELECT *, ${score} AS score, ${decided} AS _decided FROM (SELECT *${weightSum === undefined ? "" : `, ${weightSum} AS _w`} FROM weighed) w` +
      (decisions ? `\nWHERE NOT ${forbidden}` : ""),
    "scores, with merge decisions at 1 and never_merge pairs left out",
  );
  const queue = d.number(spec.queue_threshold);
  const approve = d.number(spec.auto_approve_threshold);
  const nulls = [
    ...rules.map((_, k) => `false AS _r${k}`),
    ...(model === undefined
      ? []
      : [
          ...model.comparisons.flatMap((_, ci) => [`255 AS _l${ci}`, `${d.number(0)} AS _w${ci}`]),
          `${d.number(0)} AS _w`,
        ]),
  ];
  const keep = `SELECT i, j, score, (CASE WHEN score >= ${approve} THEN ${MERGE} ELSE 0 END) + _decided AS flags, 0 AS _order${rules.map((_, k) => `, _r${k}`).join("")}${
    model === undefined ? "" : `${model.comparisons.map((_, ci) => `, _l${ci}, _w${ci}`).join("")}, _w`
  } FROM scored WHERE score >= ${queue}`;
  // Manual merges of pairs no blocking key brings together (nor a never_merge forbids): merged with no rule evaluated.
  const unblocked =
    `SELECT least(p.x0, p.y0) AS i, greatest(p.x0, p.y0) AS j, ${d.number(1)} AS score, ${MERGE + DECIDED + UNBLOCKED} AS flags, 1 + p.seq AS _order${nulls.length === 0 ? "" : `, ${nulls.join(", ")}`}\n` +
    `FROM decision_pairs p JOIN parts a ON a._rid = p.x JOIN parts b ON b._rid = p.y\n` +
    `WHERE p.kind = 'merge' AND NOT (p.x <> p.y AND ${sharesKey(blocking, "a", "b")})\n` +
    `  AND NOT EXISTS (SELECT 1 FROM decision_pairs q WHERE q.kind = 'never' AND q.x = p.x AND q.y = p.y)`;
  b.table(
    "kept",
    `${keep}\nUNION ALL\n${unblocked}`,
    "the pairs at or above queue_threshold (merged at or above auto_approve_threshold), and merge decisions no key brings together",
  );
  if (spec.one_to_one === true) {
    // For each record and each other source, its best pair (highest score; on a tie the earlier pair); a pair
    // stays when it is the best of both its records, or a steward decided it.
    const kept = [
      "i",
      "j",
      "score",
      "flags",
      "_order",
      ...rules.map((_, k) => `_r${k}`),
      ...(model === undefined ? [] : [...model.comparisons.flatMap((_, ci) => [`_l${ci}`, `_w${ci}`]), "_w"]),
    ];
    b.table(
      "kept_numbered",
      `SELECT *, row_number() OVER (ORDER BY i, j, _order) AS _k FROM kept`,
      "the kept pairs in their order (a tie goes to the earlier pair)",
    );
    b.table(
      "best_links",
      `SELECT record, _k, row_number() OVER (PARTITION BY record, other ORDER BY score DESC, _k) AS _rank FROM (\n` +
        `  SELECT k.i AS record, rb._source AS other, k.score, k._k FROM kept_numbered k JOIN parts rb ON rb._rid = k.j\n` +
        `  UNION ALL SELECT k.j, ra._source, k.score, k._k FROM kept_numbered k JOIN parts ra ON ra._rid = k.i)`,
      "each pair from both its records: its rank among the record's pairs with the other record's source",
    );
    b.table(
      "pairs",
      `SELECT ${kept.join(", ")} FROM kept_numbered k\n` +
        `WHERE (flags & ${DECIDED}) <> 0 OR (SELECT count(*) FROM best_links l WHERE l._k = k._k AND l._rank = 1) = 2`,
      "one_to_one: a pair stays when it is the best of both its records with the other's source, or a steward decided it",
    );
  } else b.view("pairs", "SELECT * FROM kept", "the matched pairs");
  return { table: "pairs", rules: rules.map((r) => r.name), model };
}

/**
 * The decisions: each named id resolved to the one record it names (`source:id`, or a bare id only one record
 * has), `merge` as pairs of its first record with each other one, `never_merge` as every pair among its records
 * (x < y), and the ids found for no record or several.
 */
export function decisionPairs(b: PlanBuilder, dedup: Resource<"dedup">): void {
  const { d } = b;
  const rows: string[] = [];
  (dedup.spec.decisions ?? []).forEach((decision, n) => {
    if (decision.never_merge)
      decision.never_merge.forEach((name, pos) => rows.push(`(${n}, 'never', ${pos}, ${d.string(name)})`));
    if (decision.merge)
      decision.merge.forEach((name, pos) => rows.push(`(${n}, 'merge', ${pos}, ${d.string(name)})`));
  });
  b.table(
    "decision_names",
    rows.length === 0
      ? `SELECT 0 AS d, 'merge' AS kind, 0 AS pos, ${d.nullOf("text")} AS name WHERE false`
      : `SELECT * FROM (VALUES ${rows.join(", ")}) v(d, kind, pos, name)`,
    "the ids the dedup file's decisions name",
  );
  b.table(
    "decision_records",
    `SELECT n.d, n.kind, n.pos, n.name, min(r._rid) AS rid, count(r._rid) AS found\n` +
      `FROM decision_names n LEFT JOIN (\n` +
      `  SELECT _rid, ${d.concat(["_source", "':'", "_id"])} AS name FROM records\n` +
      `  UNION ALL SELECT _rid, _id AS name FROM records) r ON r.name = n.name\n` +
      `GROUP BY n.d, n.kind, n.pos, n.name`,
    "each named id and the record it names (found = 1), or how many it names",
  );
  b.table(
    "decision_pairs",
    `SELECT 'merge' AS kind, f.rid AS x0, o.rid AS y0, least(f.rid, o.rid) AS x, greatest(f.rid, o.rid) AS y, row_number() OVER (ORDER BY f.d, o.pos) AS seq\n` +
      `FROM decision_records f JOIN decision_records o ON o.d = f.d AND o.kind = 'merge' AND o.found = 1 AND o.pos > f.pos\n` +
      `WHERE f.kind = 'merge' AND f.found = 1 AND f.pos = (SELECT min(pos) FROM decision_records m WHERE m.d = f.d AND m.kind = 'merge' AND m.found = 1)\n` +
      `UNION ALL\n` +
      `SELECT 'never', f.rid, o.rid, least(f.rid, o.rid), greatest(f.rid, o.rid), 0\n` +
      `FROM decision_records f JOIN decision_records o ON o.d = f.d AND o.kind = 'never' AND o.found = 1 AND o.pos > f.pos\n` +
      `WHERE f.kind = 'never' AND f.found = 1`,
    "merge decisions as pairs of their first record with each other; never_merge as every pair among theirs",
  );
}
