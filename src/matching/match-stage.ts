import { resourcesOf, type Project } from "../config/project.js";
import type { CallContext } from "../expr/function-def.js";
import { textOf } from "../expr/types.js";
import { indexProject } from "../lint/project-index.js";
import type { SourcePipeline } from "../pipeline/compile-pipeline.js";
import type { OutputRow } from "../pipeline/run.js";
import { fieldScope } from "../pipeline/scope.js";
import { compileDedup } from "./compile-dedup.js";
import { clusterRecords } from "../golden/clusters.js";
import { goldenRecords, type GoldenRecord } from "../golden/golden.js";
import { findMatches, type Match, type MatchRecord } from "./engine.js";

export interface MatchStageResult {
  matches: Match[];
  records: number;
  /** Golden records: one per cluster of merged records (singletons included). */
  golden(): GoldenRecord[];
  compared: number;
  /** Ids named by `decisions` that no record of this run has. */
  unknownIds: string[];
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
  const entity = validated[0]?.pipeline.entity;
  const dedup = resourcesOf(project, "dedup").find((d) => d.spec.entity === entity);
  if (entity === undefined || !dedup) return undefined;
  const fields = indexProject(project).fieldsOf(entity);
  const compiled = compileDedup(dedup, fieldScope(fields), context);
  const records: MatchRecord[] = validated
    .filter(({ row }) => !(row._issues ?? []).some((i) => i.action === "reject" || i.action === "quarantine"))
    .map(({ pipeline, row }, i) => {
      const id = pipeline.idField === undefined ? null : row[pipeline.idField];
      return { source: pipeline.source, id: id === null || id === undefined ? `#${i + 1}` : textOf(id), row };
    });
  // Decisions name records as `source:id`, or by a bare id when only one record has it.
  const byId = new Map<string, number[]>();
  records.forEach((r, i) => {
    for (const key of [`${r.source}:${r.id}`, r.id]) byId.set(key, [...(byId.get(key) ?? []), i]);
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
  const decisions = dedup.spec.decisions ?? [];
  const neverMerge = decisions.flatMap((d) => {
    if (!d.never_merge) return [];
    const found = resolve(d.never_merge);
    return found.flatMap((i, x) => found.slice(x + 1).map((j): [number, number] => [i, j]));
  });
  const result = findMatches(records, {
    rules: compiled.rules,
    blocking: compiled.blocking,
    autoApprove: compiled.autoApprove,
    queue: compiled.queue,
    merge: decisions.flatMap((d) => (d.merge ? pairs(d.merge) : [])),
    // never_merge forbids every pair among its records.
    neverMerge,
  });
  return {
    matches: result.matches,
    records: records.length,
    compared: result.compared,
    unknownIds: [...new Set(unknownIds)],
    golden: () => {
      const merges = result.pairs.filter((p) => p.decision === "merge");
      const clusters = clusterRecords(records.length, merges, neverMerge);
      return goldenRecords(entity, Object.keys(fields ?? {}), records, clusters, dedup.spec.survivorship);
    },
  };
}
