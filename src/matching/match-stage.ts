import { resourcesOf, type Project, type Resource } from "../config/project.js";
import type { EntityField } from "../types/index.js";
import type { CallContext } from "../expr/function-def.js";
import { textOf, type Value } from "../expr/types.js";
import { indexProject } from "../lint/project-index.js";
import type { SourcePipeline } from "../pipeline/compile-pipeline.js";
import type { OutputRow } from "../pipeline/run.js";
import type { Issue } from "../pipeline/validation.js";
import { SOURCE_FIELD } from "../pipeline/scope.js";
import { sourceNumbers } from "./train.js";
import { compileDedup, type CompiledDedup } from "./compile-dedup.js";
import { clusterRecords, type Cluster } from "../golden/clusters.js";
import { enforceCoherence, type IncoherentCluster } from "../golden/coherence.js";
import { goldenLineMaker, goldenRecordMaker, type GoldenRecord } from "../golden/golden.js";
import type { Stewardship } from "../exports/events.js";
import { findMatches, type MatchOptions, type MatchRecord, type MatchResult } from "./engine.js";
import { PAIR_MERGE, mergedPairs } from "./pair-list.js";

export interface MatchStageResult {
  /** The pairs at or above the queue threshold; each pair's Match (rules, waterfall) is made when asked for. */
  pairs: MatchResult;
  records: number;
  /** The entity's fields, in the order its file lists them. */
  fields: string[];
  /** The dedup file's thresholds. */
  thresholds: { autoApprove: number; queue: number };
  /** The dedup file the pairs come from. */
  dedup: Resource<"dedup">;
  /** The records that met, in the order the pairs' indexes count them. */
  members: readonly MatchRecord[];
  /** Each record's cluster (an index into the golden records). */
  clusterOf(): Int32Array;
  /** The clusters of merged records, in the order of the golden records. */
  clusters(): readonly Cluster[];
  /** Golden records: one per cluster of merged records (singletons included). */
  golden(): GoldenRecord[];
  /** The same golden records, each made as it is read, so that they need not all be in memory at once. */
  eachGolden(): Iterable<GoldenRecord>;
  /** The same golden records as JSON text (JSON.stringify of each), written straight from the records. */
  eachGoldenLine(): Iterable<string>;
  /** How far review has got with a golden record (by its entityId). */
  stewardship: (entityId: string) => Stewardship;
  /** The field that says when a record last changed (survivorship.recency_field, default updated_at). */
  recencyField: string;
  compared: number;
  /** Ids named by `decisions` that no record of this run has. */
  unknownIds: string[];
  /** The pairs of records (indexes into members) that a never_merge decision keeps apart. */
  neverMerge: readonly (readonly [number, number])[];
  /** What the cluster guard did, once clusters are made: one line per cluster it split or flagged. */
  guardWarnings(): string[];
}

/** Whether a record's validation issues leave it out of matching: records rejected or quarantined take no part. */
export function leavesOut(issues: readonly Issue[] | undefined): boolean {
  return issues !== undefined && issues.some((i) => i.action === "reject" || i.action === "quarantine");
}

/** A matched record's id: its id field's value as text, or `#n` (its place among the matched) when it has none. */
export function matchRecordId(id: Value | undefined, index: number): string {
  return id === null || id === undefined ? `#${index + 1}` : textOf(id);
}

/** The dedup rule set of the validated records' entity, compiled, and the records it pairs. */
export function dedupOf(
  project: Project,
  validated: readonly { pipeline: SourcePipeline; row: OutputRow }[],
  context: CallContext,
):
  | {
      dedup: Resource<"dedup">;
      entity: string;
      fields: Record<string, EntityField> | undefined;
      compiled: CompiledDedup;
      records: MatchRecord[];
      /** Where each record is in `validated`. */
      kept: number[];
    }
  | undefined {
  const entity = validated[0]?.pipeline.entity;
  const dedup = resourcesOf(project, "dedup").find((d) => d.spec.entity === entity);
  if (entity === undefined || !dedup) return undefined;
  const fields = indexProject(project).fieldsOf(entity);
  const compiled = compileDedup(dedup, fields, context);
  const kept: number[] = [];
  validated.forEach(({ row }, v) => {
    if (!leavesOut(row._issues)) kept.push(v);
  });
  const records: MatchRecord[] = kept
    .map((v) => validated[v] as (typeof validated)[number])
    .map(({ pipeline, row }, i) => {
      return {
        source: pipeline.source,
        id: matchRecordId(pipeline.idField === undefined ? null : row[pipeline.idField], i),
        // Expressions that read `source` find it on the row.
        row: compiled.readsSource ? { ...row, [SOURCE_FIELD]: pipeline.source } : row,
      };
    });
  return { dedup, entity, fields, compiled, records, kept };
}

/** findMatches' options for a compiled dedup file, without decisions (`merge` and `neverMerge` empty). */
export function matchOptionsOf(compiled: CompiledDedup, records: readonly MatchRecord[]): MatchOptions {
  return {
    rules: compiled.rules,
    blocking: compiled.blocking,
    parts: compiled.parts,
    autoApprove: compiled.autoApprove,
    queue: compiled.queue,
    merge: [],
    neverMerge: [],
    ...(compiled.model ? { model: compiled.model } : {}),
    ...(compiled.linkOnly || compiled.oneToOne ? { sources: sourceNumbers(records) } : {}),
    ...(compiled.linkOnly ? { linkOnly: true } : {}),
    ...(compiled.oneToOne ? { oneToOne: true } : {}),
  };
}

export interface MatchStageOptions extends Pick<MatchOptions, "onScore" | "keyIds" | "scored"> {
  /** The plan, when the caller made it first (matchPlan of the same records). */
  plan?: MatchPlan;
  /** Each validated record's part values, when worker threads computed them (aligned with `validated`). */
  partRows?: readonly (Value[] | undefined)[];
  /** The golden records, when worker threads made them from the clusters (in their order). */
  goldenRecords?: () => GoldenRecord[];
}

/** What matching a run's records takes: the dedup rules, compiled, and findMatches' options with the decisions. */
export interface MatchPlan {
  found: NonNullable<ReturnType<typeof dedupOf>>;
  /** findMatches' options, `merge` and `never_merge` decisions included (as pairs of record indexes). */
  options: MatchOptions;
  /** Ids named by `decisions` that no record of this run has (or that several have). */
  unknownIds: string[];
}

/** The matching of validated records, planned: undefined when their entity has no dedup rules. */
export function matchPlan(
  project: Project,
  validated: readonly { pipeline: SourcePipeline; row: OutputRow }[],
  context: CallContext,
): MatchPlan | undefined {
  const found = dedupOf(project, validated, context);
  if (!found) return undefined;
  const { dedup, compiled, records } = found;
  // Decisions name records as `source:id`, or by a bare id when only one record has it. Only the named ids are
  // looked up, so a million records cost no map of every id.
  const decisions = dedup.spec.decisions ?? [];
  const named = new Set(decisions.flatMap((d) => [...(d.merge ?? []), ...(d.never_merge ?? [])]));
  const byId = new Map<string, number[]>();
  if (named.size > 0)
    records.forEach((r, i) => {
      for (const key of [`${r.source}:${r.id}`, r.id]) {
        if (!named.has(key)) continue;
        const found = byId.get(key);
        if (found) found.push(i);
        else byId.set(key, [i]);
      }
    });
  const unknownIds: string[] = [];
  const resolve = (ids: readonly string[]): number[] =>
    ids.flatMap((id) => {
      const found = byId.get(id);
      if (found?.length === 1) return found;
      unknownIds.push(id);
      return [];
    });
  const pairs = (ids: readonly string[]): [number, number][] => {
    const found = resolve(ids);
    return found.slice(1).map((j) => [found[0] as number, j]);
  };
  const neverMerge = decisions.flatMap((d) => {
    if (!d.never_merge) return [];
    const found = resolve(d.never_merge);
    return found.flatMap((i, x) => found.slice(x + 1).map((j): [number, number] => [i, j]));
  });
  const options: MatchOptions = {
    ...matchOptionsOf(compiled, records),
    merge: decisions.flatMap((d) => (d.merge ? pairs(d.merge) : [])),
    // never_merge forbids every pair among its records.
    neverMerge,
  };
  return { found, options, unknownIds };
}

/**
 * The `matches` stage: validated records of every input (less those validation rejects or quarantines) meet in
 * their entity's dedup rules. Returns undefined when the entity has no dedup rules.
 */
export function matchStage(
  project: Project,
  validated: readonly { pipeline: SourcePipeline; row: OutputRow }[],
  context: CallContext,
  options: MatchStageOptions = {},
): MatchStageResult | undefined {
  const { plan: planned, partRows, goldenRecords, ...matchOptions } = options;
  const plan = planned ?? matchPlan(project, validated, context);
  if (!plan) return undefined;
  const { dedup, entity: entityType, fields, compiled, records, kept } = plan.found;
  const { unknownIds } = plan;
  const { neverMerge } = plan.options;
  const survivorship = dedup.spec.survivorship;
  const result = findMatches(records, {
    ...plan.options,
    ...matchOptions,
    ...(partRows ? { partRows: kept.map((v) => partRows[v]) } : {}),
  });
  const chained: { i: number; j: number; score: number; size: number }[] = [];
  const guardSpec = dedup.spec.cluster_guard;
  const split = guardSpec?.action !== "flag";
  const guard =
    guardSpec?.max_size === undefined
      ? undefined
      : {
          maxSize: guardSpec.max_size,
          split,
          chained: (m: { i: number; j: number; score: number }, size: number) => chained.push({ ...m, size }),
        };
  let incoherent: IncoherentCluster[] = [];
  let clusters: Cluster[] | undefined;
  const clustered = (): Cluster[] => {
    if (clusters) return clusters;
    const merges = mergedPairs(result.pairs);
    clusters = clusterRecords(records.length, merges, neverMerge, guard);
    if (guardSpec?.min_density !== undefined)
      ({ clusters, incoherent } = enforceCoherence(
        clusters,
        result.pairs,
        merges,
        guardSpec.min_density,
        split,
      ));
    return clusters;
  };
  const maker = () => goldenRecordMaker(entityType, Object.keys(fields ?? {}), records, survivorship);
  let golden: GoldenRecord[] | undefined;
  const built = () => (golden ??= goldenRecords?.() ?? clustered().map(maker()));
  let stewardship: Map<string, Stewardship> | undefined;
  let clusterIndex: Int32Array | undefined;
  const clusterOf = () => {
    if (clusterIndex) return clusterIndex;
    const index = new Int32Array(records.length);
    clustered().forEach((c, k) => c.members.forEach((m) => (index[m] = k)));
    return (clusterIndex = index);
  };
  return {
    pairs: result,
    records: records.length,
    fields: Object.keys(fields ?? {}),
    thresholds: { autoApprove: compiled.autoApprove, queue: compiled.queue },
    dedup,
    members: records,
    clusterOf,
    clusters: clustered,
    compared: result.compared,
    unknownIds: [...new Set(unknownIds)],
    neverMerge,
    guardWarnings: () => {
      if (!guardSpec) return [];
      clustered();
      return [
        ...guardLines(chained, split, guardSpec.max_size ?? 0, records, result),
        ...coherenceLines(incoherent, split, guardSpec.min_density ?? 0, records, result),
      ];
    },
    golden: built,
    eachGoldenLine: function* () {
      if (golden) {
        for (const g of golden) yield JSON.stringify(g);
        return;
      }
      const line = goldenLineMaker(entityType, Object.keys(fields ?? {}), records, survivorship);
      for (const cluster of clustered()) yield line(cluster);
    },
    eachGolden: function* () {
      if (golden) {
        yield* golden;
        return;
      }
      const make = maker();
      for (const cluster of clustered()) yield make(cluster);
    },
    stewardship: (entityId) =>
      (stewardship ??= review()).get(entityId) ?? { goldenStatus: "golden", state: "approved" },
    recencyField: survivorship?.recency_field ?? "updated_at",
  };

  /** How far review has got with each golden record. */
  function review(): Map<string, Stewardship> {
    const golden = built();
    // A record waits for review while a queued pair links it to a record of another cluster.
    const cluster = clusterOf();
    const pending = new Set<number>();
    const { i, j, flags, count } = result.pairs;
    for (let k = 0; k < count; k++) {
      const ci = cluster[i[k] as number] as number;
      const cj = cluster[j[k] as number] as number;
      if (((flags[k] as number) & PAIR_MERGE) === 0 && ci !== cj) {
        pending.add(ci);
        pending.add(cj);
      }
    }
    const rejected = new Set(neverMerge.flat().map((i) => cluster[i] as number));
    return new Map<string, Stewardship>(
      golden.map((g, k) => [
        g.entityId,
        pending.has(k)
          ? { goldenStatus: "candidate", state: "pending" }
          : { goldenStatus: "golden", state: rejected.has(k) ? "rejected" : "approved" },
      ]),
    );
  }
}

/**
 * The cluster guard's report: how many merges would have chained clusters past max_size, and the weakest of them
 * with what made each pair match (its rules, or the comparison levels that carried its weight).
 */
function guardLines(
  chained: readonly { i: number; j: number; score: number; size: number }[],
  split: boolean,
  maxSize: number,
  records: readonly MatchRecord[],
  result: MatchResult,
): string[] {
  if (chained.length === 0) return [];
  const weakest = [...chained].sort((a, b) => a.score - b.score).slice(0, 5);
  const { name, why } = describePairs(records, result);
  return [
    `cluster_guard: ${chained.length} merge${chained.length === 1 ? "" : "s"} would have chained a cluster past ${maxSize} records (${split ? "skipped: the clusters stay apart" : "kept, as action is flag"}). The weakest:`,
    ...weakest.map(
      (c) =>
        `  ${name(c.i)} – ${name(c.j)}: score ${c.score.toFixed(4)}, a cluster of ${c.size}; matched on ${why(c.i, c.j) || "(nothing recorded)"}`,
    ),
  ];
}

/** A record's `source:id`, and what made a pair match (its rules, or the comparison levels that added weight). */
function describePairs(records: readonly MatchRecord[], result: MatchResult) {
  const name = (k: number) => `${(records[k] as MatchRecord).source}:${(records[k] as MatchRecord).id}`;
  const why = (i: number, j: number): string => {
    const { pairs } = result;
    let k = 0;
    while (k < pairs.count && (pairs.i[k] !== i || pairs.j[k] !== j)) k++;
    if (k === pairs.count) return "";
    const m = result.match(k);
    const levels = (m.explain?.comparisons ?? [])
      .filter((c) => c.weight > 0)
      .map((c) => `${c.comparison}=${c.level}`);
    return [...m.rules, ...levels].join(", ");
  };
  return { name, why };
}

/** The coherence guard's report: each loosely linked cluster (the five loosest), its density and weakest link. */
function coherenceLines(
  incoherent: readonly IncoherentCluster[],
  split: boolean,
  minDensity: number,
  records: readonly MatchRecord[],
  result: MatchResult,
): string[] {
  if (incoherent.length === 0) return [];
  const { name, why } = describePairs(records, result);
  const loosest = [...incoherent].sort((a, b) => a.density - b.density).slice(0, 5);
  const n = incoherent.length;
  return [
    `cluster_guard: ${n} cluster${n === 1 ? "" : "s"} of linked records ${n === 1 ? "is" : "are"} less dense than min_density ${minDensity} (${split ? "split along their weakest links" : "kept, as action is flag"}). The loosest:`,
    ...loosest.map((c) => {
      const w = c.weakest;
      const parts = c.parts ? `, split into ${c.parts.map((p) => p.length).join(" + ")}` : "";
      return `  ${c.members.length} records (${c.members.slice(0, 3).map(name).join(", ")}${c.members.length > 3 ? ", ..." : ""}), density ${c.density.toFixed(2)}${parts}; weakest link ${name(w.i)} – ${name(w.j)}: score ${w.score.toFixed(4)}, matched on ${why(w.i, w.j) || "(nothing recorded)"}`;
    }),
  ];
}
