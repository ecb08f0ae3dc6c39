import type { Project } from "../config/project.js";
import type { EventState } from "../exports/event-state.js";
import type { RenderedEvents } from "../exports/events.js";
import { exportName, exportStage } from "../exports/export-stage.js";
import type { SourcePipeline } from "../pipeline/compile-pipeline.js";
import type { OutputRow } from "../pipeline/run.js";
import { projectContext } from "../pipeline/session.js";
import { matchStage, type MatchStageResult } from "./match-stage.js";

/** Whether a stage comes after validation: it needs every validated record before it can write a row. */
export function isLaterStage(stage: string): boolean {
  return stage === "matches" || stage === "golden" || exportName(stage) !== undefined;
}

export interface LaterStageOptions {
  /** The run's clock: tombstones and records with no recency value are stamped with it. */
  now: Date;
  /** One id per run, in the headers of every event it renders. */
  correlationId: string;
  /** What an earlier run published for an event export (`--state`). */
  previous?: (exportName: string) => EventState;
  /** The matches of these records, when an earlier call made them: several exports of one run match once. */
  matched?: MatchStageResult;
}

export type LaterStageResult =
  /**
   * `rows` may be made as they are read (golden records are): iterate them once. `lines`, when given, are the same
   * rows as JSON text, made without building each row's objects: a writer takes them instead of `rows`.
   */
  | {
      ok: true;
      rows: Iterable<unknown>;
      lines?: Iterable<string>;
      matched: MatchStageResult;
      events?: RenderedEvents;
    }
  /** `usage`: the stage cannot be rendered at all (no dedup rules, an unknown export, the wrong stage for it). */
  | { ok: false; usage: boolean; messages: string[] };

/**
 * The rows of `matches`, `golden`, `export:NAME` or `events:NAME` from the validated records of a run: the one place
 * both `clue run` and `clue test` render these stages.
 */
export function renderLaterStage(
  project: Project,
  stage: string,
  validated: readonly { pipeline: SourcePipeline; row: OutputRow }[],
  options: LaterStageOptions,
): LaterStageResult {
  const matched = options.matched ?? matchStage(project, validated, projectContext(project));
  if (!matched) {
    const entity = validated[0]?.pipeline.entity ?? "?";
    return { ok: false, usage: true, messages: [`no dedup rules for entity ${entity} under config/dedup/`] };
  }
  const exported = exportName(stage);
  if (exported === undefined)
    return stage === "golden"
      ? { ok: true, rows: matched.eachGolden(), lines: matched.eachGoldenLine(), matched }
      : { ok: true, rows: matched.pairs.eachMatch(), matched };
  const rendered = exportStage(project, stage, {
    golden: matched.golden(),
    stewardship: matched.stewardship,
    recencyField: matched.recencyField,
    events: { now: options.now, correlationId: options.correlationId },
    ...(options.previous ? { previous: options.previous } : {}),
  });
  if (rendered.kind === "error") return { ok: false, usage: true, messages: [rendered.error] };
  if (rendered.problems.length > 0) {
    const what = rendered.kind === "rows" ? "rows" : "events";
    return {
      ok: false,
      usage: false,
      messages: [
        `${what} of export ${exported} break its contract or primary key:`,
        ...rendered.problems.slice(0, 20).map((p) => `  ${p}`),
        ...(rendered.problems.length > 20 ? [`  ... and ${rendered.problems.length - 20} more`] : []),
      ],
    };
  }
  if (rendered.kind === "rows") return { ok: true, rows: rendered.rows, matched };
  return { ok: true, rows: rendered.messages, matched, events: rendered };
}
