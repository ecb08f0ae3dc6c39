import { resourcesOf, type Project, type Resource } from "../config/project.js";
import type { EntityField } from "../types/index.js";
import type { CallContext } from "../expr/function-def.js";
import { textOf } from "../expr/types.js";
import { indexProject } from "../lint/project-index.js";
import type { SourcePipeline } from "../pipeline/compile-pipeline.js";
import type { OutputRow } from "../pipeline/run.js";
import { SOURCE_FIELD } from "../pipeline/scope.js";
import { sourceNumbers } from "./train.js";
import { compileDedup, type CompiledDedup } from "./compile-dedup.js";
import { clusterRecords, type Cluster } from "../golden/clusters.js";
import { goldenRecordMaker, type GoldenRecord } from "../golden/golden.js";
import type { Stewardship } from "../exports/events.js";
import { findMatches, type Match, type MatchOptions, type MatchRecord } from "./engine.js";

export interface MatchStageResult {
  matches: Match[];
  records: number;
  /** Golden records: one per cluster of merged records (singletons included). */
  golden(): GoldenRecord[];
  /** The same golden records, each made as it is read, so that they need not all be in memory at once. */
  eachGolden(): Iterable<GoldenRecord>;
  /** How far review has got with a golden record (by its entityId). */
  stewardship: (entityId: string) => Stewardship;
  /** The field that says when a record last changed (survivorship.recency_field, default updated_at). */
  recencyField: string;
  compared: number;
  /** Ids named by `decisions` that no record of this run has. */
  unknownIds: string[];
  /** What the cluster guard did, once clusters are made: one line per cluster it split or flagged. */
  guardWarnings(): string[];
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
    }
  | undefined {
  const entity = validated[0]?.pipeline.entity;
  const dedup = resourcesOf(project, "dedup").find((d) => d.spec.entity === entity);
  if (entity === undefined || !dedup) return undefined;
  const fields = indexProject(project).fieldsOf(entity);
  const compiled = compileDedup(dedup, fields, context);
  // Records that validation rejects or quarantines do not take part.
  const records: MatchRecord[] = validated
    .filter(({ row }) => !(row._issues ?? []).some((i) => i.action === "reject" || i.action === "quarantine"))
    .map(({ pipeline, row }, i) => {
      const id = pipeline.idField === undefined ? null : row[pipeline.idField];
      return {
        source: pipeline.source,
        id: id === null || id === undefined ? `#${i + 1}` : textOf(id),
        // Expressions that read `source` find it on the row.
        row: compiled.readsSource ? { ...row, [SOURCE_FIELD]: pipeline.source } : row,
      };
    });
  return { dedup, entity, fields, compiled, records };
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

/**
 * The `matches` stage: validated records of every input (less those validation rejects or quarantines) meet in
 * their entity's dedup rules. Returns undefined when the entity has no dedup rules.
 */
export function matchStage(
  project: Project,
  validated: readonly { pipeline: SourcePipeline; row: OutputRow }[],
  context: CallContext,
): MatchStageResult | undefined {
  const found = dedupOf(project, validated, context);
  if (!found) return undefined;
  const { dedup, entity: entityType, fields, compiled, records } = found;
  const survivorship = dedup.spec.survivorship;
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
  const result = findMatches(records, {
    ...matchOptionsOf(compiled, records),
    merge: decisions.flatMap((d) => (d.merge ? pairs(d.merge) : [])),
    // never_merge forbids every pair among its records.
    neverMerge,
  });
  let clusters: Cluster[] | undefined;
  const clustered = () =>
    (clusters ??= clusterRecords(
      records.length,
      result.pairs.filter((p) => p.decision === "merge"),
      neverMerge,
      guard,
    ));
  const chained: { i: number; j: number; score: number; size: number }[] = [];
  const guardSpec = dedup.spec.cluster_guard;
  const guard = guardSpec && {
    maxSize: guardSpec.max_size,
    split: guardSpec.action !== "flag",
    chained: (m: { i: number; j: number; score: number }, size: number) => chained.push({ ...m, size }),
  };
  const maker = () => goldenRecordMaker(entityType, Object.keys(fields ?? {}), records, survivorship);
  let golden: GoldenRecord[] | undefined;
  const built = () => (golden ??= clustered().map(maker()));
  let stewardship: Map<string, Stewardship> | undefined;
  return {
    matches: result.matches,
    records: records.length,
    compared: result.compared,
    unknownIds: [...new Set(unknownIds)],
    guardWarnings: () => {
      if (!guard) return [];
      clustered();
      return guardLines(
        chained,
        guard?.split ?? true,
        guardSpec?.max_size ?? 0,
        records,
        result.matches,
        result.pairs,
      );
    },
    golden: built,
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
    const clusterOf = new Array<number>(records.length);
    clustered().forEach((c, k) => c.members.forEach((m) => (clusterOf[m] = k)));
    const pending = new Set<number>();
    for (const p of result.pairs)
      if (p.decision === "queue" && clusterOf[p.i] !== clusterOf[p.j]) {
        pending.add(clusterOf[p.i] as number);
        pending.add(clusterOf[p.j] as number);
      }
    const rejected = new Set(neverMerge.flat().map((i) => clusterOf[i] as number));
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
  matches: readonly Match[],
  pairs: readonly { i: number; j: number }[],
): string[] {
  if (chained.length === 0) return [];
  const name = (k: number) => `${(records[k] as MatchRecord).source}:${(records[k] as MatchRecord).id}`;
  const weakest = [...chained].sort((a, b) => a.score - b.score).slice(0, 5);
  const why = (i: number, j: number): string => {
    const k = pairs.findIndex((p) => p.i === i && p.j === j);
    const m = matches[k];
    if (!m) return "";
    const levels = (m.explain?.comparisons ?? [])
      .filter((c) => c.weight > 0)
      .map((c) => `${c.comparison}=${c.level}`);
    return [...m.rules, ...levels].join(", ");
  };
  return [
    `cluster_guard: ${chained.length} merge${chained.length === 1 ? "" : "s"} would have chained a cluster past ${maxSize} records (${split ? "skipped: the clusters stay apart" : "kept, as action is flag"}). The weakest:`,
    ...weakest.map(
      (c) =>
        `  ${name(c.i)} – ${name(c.j)}: score ${c.score.toFixed(4)}, a cluster of ${c.size}; matched on ${why(c.i, c.j) || "(nothing recorded)"}`,
    ),
  ];
}
