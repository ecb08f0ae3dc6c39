/**
 * `clue run --engine spark`: the plan written as a job into a temporary folder, run by spark-submit on the Spark
 * that locate.ts finds, its rows streamed to the caller and its report views handed back for the run's summary.
 */
import { createReadStream, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EngineUnavailable, SqlRunError } from "../engines.js";
import type { SqlPlan } from "../sql/plan.js";
import { writeJob } from "./job.js";
import { findSpark, INSTALL_HINT } from "./locate.js";
import { submit } from "./submit.js";

/** A report view's rows, as the job wrote them. */
export type ReportRows = Record<string, unknown>[];

export interface SparkRunResult {
  /** The plan's report views by name (counts, removed, rules, matches, rejected). */
  reports: Partial<Record<string, ReportRows>>;
  /**
   * Records of each input (by its view, `input_0`) the job could not read, which clue's readers make dead letters:
   * how many, and the lines of the first thousand.
   */
  leftOut: Record<string, { path: string; count: number; lines: number[] }>;
  /** The job's own lines (`clue job: ...`). */
  messages: string[];
  /** Rows written. */
  written: number;
}

export interface SparkRunRequest {
  plan: SqlPlan;
  /** The project's root: a .venv-spark/ there is used too. */
  projectRoot?: string;
  /** Whole JSON lines of output, in chunks. */
  write(text: string): void | Promise<void>;
  /** --memory-limit (the driver's memory) and --threads (cores) of a local Spark. */
  settings?: { memoryLimit?: string; threads?: number };
}

export async function runOnSpark(request: SparkRunRequest): Promise<SparkRunResult> {
  const install = findSpark(request.projectRoot);
  if (install === undefined)
    throw new EngineUnavailable(`--engine spark needs a local Spark: ${INSTALL_HINT}`);
  const dir = mkdtempSync(join(tmpdir(), "clue-spark-"));
  try {
    writeJob(dir, request.plan);
    const out = join(dir, "rows.jsonl");
    const reports = join(dir, "reports.json");
    const result = await submit({
      install,
      jobDir: dir,
      runs: [{ plan: join(dir, "plan.json"), out, reports }],
      ...(request.settings?.memoryLimit !== undefined ? { driverMemory: request.settings.memoryLimit } : {}),
      ...(request.settings?.threads !== undefined ? { master: `local[${request.settings.threads}]` } : {}),
    }).catch((error: unknown) => {
      throw new EngineUnavailable(
        `${error instanceof Error ? error.message : String(error)}; ${INSTALL_HINT}`,
      );
    });
    if (result.code !== 0) {
      const said = result.messages.filter((m) => !/ written to /.test(m));
      const why =
        said.length > 0
          ? said.map((m) => m.replace(/^clue job: [^:]*plan\.json: /, "")).join("\n")
          : `spark-submit (${install.from}) exited with ${result.code}; the end of its log:\n${result.logTail.join("\n")}`;
      throw new SqlRunError(`the Spark job failed: ${why}`);
    }
    const written = await streamFile(out, (text) => request.write(text));
    const said = JSON.parse(readFileSync(reports, "utf8")) as Pick<SparkRunResult, "leftOut"> & {
      views: Record<string, ReportRows>;
    };
    return { reports: said.views, leftOut: said.leftOut, messages: result.messages, written };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The file's text to `write` in chunks of about 1 MB, each ending at a line end; returns the lines. */
async function streamFile(path: string, write: (text: string) => void | Promise<void>): Promise<number> {
  let pending = "";
  let lines = 0;
  for await (const chunk of createReadStream(path, { encoding: "utf8", highWaterMark: 1 << 20 })) {
    pending += chunk as string;
    const end = pending.lastIndexOf("\n");
    if (end === -1) continue;
    const whole = pending.slice(0, end + 1);
    for (let i = whole.indexOf("\n"); i !== -1; i = whole.indexOf("\n", i + 1)) lines++;
    await write(whole);
    pending = pending.slice(end + 1);
  }
  if (pending !== "") {
    lines++;
    await write(pending);
  }
  return lines;
}
