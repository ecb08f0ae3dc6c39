/**
 * A run on worker threads whose rows are wanted in memory rather than written (`clue test --threads N`): the same
 * rows, as objects, as the one-thread run pushes them (they are read back from the JSON text the workers wrote).
 */
import type { Project } from "../config/project.js";
import type { TextFormat } from "../io/records.js";
import type { LaterStageOptions, LaterStageResult } from "../matching/later-stages.js";
import type { RunStats, Stage } from "../pipeline/run.js";
import type { PreparedRun } from "../pipeline/session.js";
import { parallelLaterStage } from "./later.js";
import { ParallelRun } from "./run.js";

export interface CollectOptions {
  root: string;
  project: Project;
  threads: number;
  /** The stage asked for: a pipeline stage, or one after validation. */
  requested: string;
  stage: Stage;
  matching: boolean;
  files: { path: string; format: TextFormat | undefined }[];
  /** A record that could not be parsed: its input and line. */
  onDeadLetter(input: number, line: number): void;
  /** A record the pipeline rejected. */
  onRecordError(input: number, line: number): void;
  later: LaterStageOptions;
}

export async function collectInWorkers(
  options: CollectOptions,
  prepared: PreparedRun,
): Promise<{ stats: RunStats; rows: unknown[]; later: LaterStageResult | undefined }> {
  const text = new JsonLines();
  const run = await ParallelRun.start(
    {
      root: options.root,
      project: options.project,
      threads: options.threads,
      stage: options.stage,
      requested: options.requested,
      mode: options.matching ? "rows" : "text",
      files: options.files,
      write: (chunk) => text.add(chunk),
      onDeadLetter: (i, d) => options.onDeadLetter(i, d.line),
      onRecordError: (i, line) => options.onRecordError(i, line),
    },
    prepared,
  );
  try {
    const stats = await run.records();
    if (!options.matching) return { stats, rows: text.rows(), later: undefined };
    const later = await parallelLaterStage(run, options.project, options.requested, options.later, true);
    if (!later.result.ok || !later.lines) return { stats, rows: [], later: later.result };
    const golden = new JsonLines();
    for await (const chunk of later.lines) golden.add(chunk);
    return { stats, rows: [], later: { ...later.result, rows: golden.rows() } };
  } finally {
    await run.close();
  }
}

/** JSON Lines text, as strings or UTF-8 bytes, read back into rows. */
class JsonLines {
  private readonly decoder = new TextDecoder();
  private text = "";

  add(chunk: string | Uint8Array): void {
    this.text += typeof chunk === "string" ? chunk : this.decoder.decode(chunk, { stream: true });
  }

  rows(): unknown[] {
    return this.text === ""
      ? []
      : this.text
          .replace(/\n$/, "")
          .split("\n")
          .map((line) => JSON.parse(line) as unknown);
  }
}
