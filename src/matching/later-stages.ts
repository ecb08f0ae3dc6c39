import type { Project } from "../config/project.js";
import { exportName, exportStage } from "../exports/export-stage.js";
import type { SourcePipeline } from "../pipeline/compile-pipeline.js";
import type { OutputRow } from "../pipeline/run.js";
import { projectContext } from "../pipeline/session.js";
import { matchStage, type MatchStageResult } from "./match-stage.js";

/** Whether a stage comes after validation: it needs every validated record before it can write a row. */
export function isLaterStage(stage: string): boolean {
  return stage === "matches" || stage === "golden" || exportName(stage) !== undefined;
}

export type LaterStageResult =
  | { ok: true; rows: unknown[]; matched: MatchStageResult }
  /** `usage`: the stage cannot be rendered at all (no dedup rules, an unknown or event export). */
  | { ok: false; usage: boolean; messages: string[] };

/**
 * The rows of `matches`, `golden` or `export:NAME` from the validated records of a run: the one place both
 * `clue run` and `clue test` render these stages.
 */
export function renderLaterStage(
  project: Project,
  root: string,
  stage: string,
  validated: readonly { pipeline: SourcePipeline; row: OutputRow }[],
): LaterStageResult {
  const matched = matchStage(project, validated, projectContext(root, project));
  if (!matched) {
    const entity = validated[0]?.pipeline.entity ?? "?";
    return { ok: false, usage: true, messages: [`no dedup rules for entity ${entity} under config/dedup/`] };
  }
  const exported = exportName(stage);
  if (exported === undefined)
    return { ok: true, rows: stage === "golden" ? matched.golden() : matched.matches, matched };
  const rendered = exportStage(project, exported, matched.golden());
  if ("error" in rendered) return { ok: false, usage: true, messages: [rendered.error] };
  if (rendered.problems.length > 0) {
    return {
      ok: false,
      usage: false,
      messages: [
        `rows of export ${exported} break its contract or primary key:`,
        ...rendered.problems.map((p) => `  ${p}`),
      ],
    };
  }
  return { ok: true, rows: rendered.rows, matched };
}
