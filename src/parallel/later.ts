/**
 * The stages after validation on worker threads: matching runs on the main thread over the dedup parts the workers
 * computed, and golden records are made by the workers from the rows they hold (golden.ts). `matches` and the
 * exports then render as in one thread (src/matching/later-stages.ts).
 */
import type { Project } from "../config/project.js";
import { exportName } from "../exports/export-stage.js";
import type { GoldenRecord } from "../golden/golden.js";
import { renderLaterStage, type LaterStageOptions, type LaterStageResult } from "../matching/later-stages.js";
import { matchStage } from "../matching/match-stage.js";
import { projectContext } from "../pipeline/session.js";
import { goldenLines, goldenRecords } from "./golden.js";
import type { ParallelRun } from "./run.js";

export interface ParallelLaterStage {
  result: LaterStageResult;
  /** The golden stage: its rows as JSON Lines in UTF-8, made by the workers (`result.rows` is then empty). */
  lines?: AsyncIterable<Uint8Array>;
  /** How many rows `lines` holds. */
  count?: number;
}

export async function parallelLaterStage(
  run: ParallelRun,
  project: Project,
  stage: string,
  options: LaterStageOptions,
): Promise<ParallelLaterStage> {
  const { validated, partRows, kept } = run.participants;
  if (kept.some((v) => partRows[v] === undefined) && validated.length > 0) {
    // Records without parts are matched only when their entity has no dedup rules, which the line below reports.
    const result = renderLaterStage(project, stage, validated, options);
    if (result.ok) throw new Error("worker threads sent no dedup parts for some records");
    return { result };
  }
  let golden: GoldenRecord[] | undefined;
  const matched = matchStage(project, validated, projectContext(project), {
    partRows,
    goldenRecords: () => {
      if (golden === undefined)
        throw new Error("golden records are asked for before the worker threads made them");
      return golden;
    },
  });
  if (!matched) return { result: renderLaterStage(project, stage, validated, options) };
  if (stage === "golden") {
    const clusters = matched.clusters();
    return {
      result: { ok: true, rows: [], matched },
      lines: goldenLines(run, clusters),
      count: clusters.length,
    };
  }
  if (exportName(stage) !== undefined) golden = await goldenRecords(run, matched.clusters());
  return { result: renderLaterStage(project, stage, validated, { ...options, matched }) };
}
