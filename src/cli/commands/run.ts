import { basename, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { randomUUID } from "node:crypto";
import { textOf } from "../../expr/types.js";
import {
  EventStateError,
  eventStatePath,
  readEventState,
  writeEventState,
} from "../../exports/event-state.js";
import { exportName } from "../../exports/export-stage.js";
import { deadLetterWriter, type DeadLetterWriter } from "../../io/dead-letter.js";
import { openOutputFile, type OutputFile } from "../../io/output-file.js";
import type { ProtectedFile } from "../../io/output-path.js";
import { InputError, readRecords, type DeadLetter, type SourceFormat } from "../../io/records.js";
import { PipelineError } from "../../pipeline/compile-pipeline.js";
import { breachedRules, dqTable } from "../../pipeline/dq-report.js";
import { runTotals, totalsLine } from "../../pipeline/run-totals.js";
import {
  runPipeline,
  STAGES,
  type OutputRow,
  type RunInput,
  type RunStats,
  type Stage,
} from "../../pipeline/run.js";
import { prepareRunWith, type OpenOptions } from "../../pipeline/session.js";
import type { SourcePipeline } from "../../pipeline/compile-pipeline.js";
import { isLaterStage, renderLaterStage, type LaterStageOptions } from "../../matching/later-stages.js";
import { parallelLaterStage, type ParallelLaterStage } from "../../parallel/later.js";
import { ParallelRun } from "../../parallel/run.js";
import { threadsOption, workerThreads } from "../../parallel/threads.js";
import { exitCodes, UsageError } from "../errors.js";
import type { GlobalOptions } from "../main.js";
import { cleanUpOnSignal, projectFiles, refuseClobber } from "../output-guard.js";
import { loadValidProject } from "../project-check.js";
import { progressReporter } from "../progress.js";

export const usage = `Usage: clue run --source NAME --input FILE [--source NAME --input FILE ...] [options]

Runs the local evaluator on sample files (JSON Lines, JSON array or CSV, optionally gzip-compressed) and writes one
stage as JSON Lines: mapped, cleaned (entity records), validated (plus _issues), matches (candidate pairs),
golden (golden records), export:NAME (table rows) or events:NAME (events with their headers). Several
--source/--input pairs may be given, so records of several sources meet in dedup. Records that cannot be parsed, and
records with a value the pipeline would have to change (a number past 2^53 in a number field), go to a dead-letter
file with their line and reason, and the run goes on. Outputs appear whole once the run succeeds, and are refused
when they name an input or a config file.

Options:
  --source NAME         the source whose mapping reads the next --input (repeat for several sources)
  --input FILE          a JSON Lines (.jsonl), JSON array (.json) or CSV (.csv) file; .gz too
  --entity NAME         the entity, when a source maps onto several
  --stage STAGE         mapped | cleaned | validated | matches | golden | export:NAME | events:NAME
                        (default: validated)
  --state DIR           events:NAME only: what earlier runs published; this run emits only new and changed
                        entities (version + 1, previousHash) and EntityDeleted tombstones, then updates DIR
  --correlation-id ID   the correlationId header of every event (default: a new UUID per run, printed)
  --out FILE            write the records to FILE instead of stdout
  --input-format FMT    jsonl | json | csv, when the file's name does not say
  --dead-letter FILE    where dead letters go (default: .clue/dead-letters/SOURCE-FILE.jsonl)
  --threads N           worker threads for parsing, the pipeline, dedup parts and golden records; 1 runs in
                        this thread (default: CLUE_THREADS, else the cores, up to 8; inputs under 4 MB stay in
                        one thread unless N is given). The output is the same whatever N
  --project DIR         the project's root (default: here, or the nearest folder above with config/)
  -h, --help            show this help

Exit codes: 0 the run completed, 1 the config or an input has problems, 64 bad usage.

Examples:
  clue run --source crm-contacts --input config/samples/crm-contacts.jsonl --stage validated
  clue run --source crm-contacts --input config/samples/crm-contacts.jsonl \\
    --source billing --entity Person --input config/samples/billing.csv --stage golden --out golden.jsonl`;

export async function run(args: string[], global: GlobalOptions): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      source: { type: "string", multiple: true },
      input: { type: "string", multiple: true },
      entity: { type: "string" },
      stage: { type: "string" },
      out: { type: "string" },
      "input-format": { type: "string" },
      "dead-letter": { type: "string" },
      state: { type: "string" },
      "correlation-id": { type: "string" },
      threads: { type: "string" },
      project: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return exitCodes.ok;
  }
  const sources = values.source ?? [];
  const inputs = values.input ?? [];
  if (sources.length === 0) throw new UsageError("name a source and its file: --source NAME --input FILE");
  if (sources.length !== inputs.length)
    throw new UsageError(
      `give one --input per --source (got ${sources.length} sources, ${inputs.length} inputs)`,
    );
  const requested = values.stage ?? "validated";
  const matching = isLaterStage(requested);
  const stage = (matching ? "validated" : requested) as Stage;
  if (!STAGES.includes(stage))
    throw new UsageError(
      `unknown stage "${stage}"; stages: ${[...STAGES, "matches", "golden", "export:NAME", "events:NAME"].join(", ")}`,
    );
  const events = requested.startsWith("events:");
  if (values.state !== undefined && !events)
    throw new UsageError(`--state keeps what an event export published; use it with --stage events:NAME`);
  const correlationId = values["correlation-id"] ?? randomUUID();
  const format = values["input-format"] as SourceFormat | undefined;
  if (format !== undefined && !["jsonl", "json", "csv"].includes(format))
    throw new UsageError(`unknown --input-format "${format}"; use jsonl, json or csv`);
  const threads = threadsOption(values.threads, process.env.CLUE_THREADS);
  if (typeof threads === "string") throw new UsageError(threads);

  const loaded = loadValidProject(values.project, global.color);
  if (!loaded) return exitCodes.problems;
  const { project, root } = loaded;

  // Every output is checked against every file the run reads, and against the other outputs, before any is opened.
  const reads: ProtectedFile[] = [
    ...inputs.map((path) => ({ path, what: "an --input" })),
    ...projectFiles(root, project),
  ];
  const statePath = (name: string) => eventStatePath(resolve(values.state as string), name);
  const exported = exportName(requested);
  if (values.state !== undefined && exported !== undefined)
    reads.push({ path: statePath(exported), what: "the --state file" });
  const shared = values["dead-letter"];
  const letterPaths =
    shared !== undefined
      ? [shared]
      : sources.map((source, i) => defaultDeadLetters(root, source, inputs[i] as string));
  if (values.out !== undefined) refuseClobber("--out", values.out, reads);
  for (const path of letterPaths) {
    refuseClobber("--dead-letter", path, [
      ...reads,
      ...(values.out === undefined ? [] : [{ path: values.out, what: "the --out file" }]),
    ]);
  }

  const out = values.out === undefined ? undefined : openOutput(values.out);
  // One shared --dead-letter file is always written, so no line of an earlier run is taken for this one's.
  const writers = letterPaths.map((path) => deadLetterWriter(path, { always: shared !== undefined }));
  const letters = sources.map((_, i) => ({
    path: letterPaths[shared !== undefined ? 0 : i] as string,
    writer: writers[shared !== undefined ? 0 : i] as DeadLetterWriter,
    /** Records the reader could not parse (the writer also takes the records the pipeline rejects). */
    unparsed: 0,
  }));
  const abortOutputs = () => {
    out?.abort();
    writers.forEach((w) => w.abort());
  };
  const stopCleaningUp = cleanUpOnSignal(abortOutputs);
  const requests = sources.map((source, i) => ({
    source,
    entity: values.entity,
    open: ({ prepass, format: mapped, csv }: OpenOptions) =>
      readRecords(inputs[i] as string, {
        ...csv,
        ...((format ?? mapped) ? { format: format ?? mapped } : {}),
        ...(prepass
          ? {}
          : {
              onDeadLetter: (d: DeadLetter) => {
                const letter = letters[i] as (typeof letters)[number];
                letter.unparsed++;
                letter.writer.write(d);
              },
            }),
      }),
  }));
  const write = out === undefined ? toStdout : (text: string | Uint8Array) => out.write(text);

  const progress = progressReporter(global);
  let parallel: ParallelRun | undefined;
  try {
    const prepared = await prepareRunWith(project, requests);
    const entities = new Set(prepared.inputs.map((p) => p.pipeline.entity));
    if (matching && entities.size > 1)
      throw new UsageError(
        `--stage matches pairs records of one entity; these inputs are ${[...entities].join(" and ")}`,
      );
    const workers = inOneThread(prepared.inputs) ? 0 : workerThreads(threads, inputs);
    if (global.debug)
      process.stderr.write(
        workers > 0 ? `clue run: ${workers} worker threads\n` : "clue run: in one thread\n",
      );
    const laterOptions: LaterStageOptions = {
      now: new Date(),
      correlationId,
      ...(values.state !== undefined ? { previous: (name) => readEventState(statePath(name), name) } : {}),
    };
    let stats: RunStats;
    let later: ParallelLaterStage | undefined;
    if (workers > 0) {
      parallel = await ParallelRun.start(
        {
          root,
          project,
          threads: workers,
          stage,
          requested,
          mode: matching ? "rows" : "text",
          files: prepared.inputs.map((p, i) => ({
            path: inputs[i] as string,
            format: format ?? p.pipeline.format,
          })),
          write,
          onDeadLetter: (i, d) => {
            const letter = letters[i] as (typeof letters)[number];
            letter.unparsed++;
            letter.writer.write(d);
          },
          onRecordError: (i, line, reason) => letters[i]?.writer.write({ line, reason, text: "" }),
          onProgress: progress.update,
        },
        prepared,
      );
      stats = await parallel.records();
      progress.done();
      later = matching
        ? await parallelLaterStage(parallel, project, requested, laterOptions, out !== undefined)
        : undefined;
    } else {
      const validated: { pipeline: SourcePipeline; row: OutputRow }[] = [];
      stats = await runPipeline(prepared.inputs, {
        stage,
        // The matches stage needs every record before it can pair them; the others stream.
        emit: matching
          ? (row: OutputRow, pipeline) => void validated.push({ pipeline, row })
          : (row: OutputRow) => write(`${JSON.stringify(row)}\n`),
        onProgress: progress.update,
        onRecordError: (pipeline, line, reason) => {
          const index = prepared.inputs.findIndex((p) => p.pipeline === pipeline);
          letters[index]?.writer.write({ line, reason, text: "" });
        },
      });
      progress.done();
      later = matching
        ? { result: renderLaterStage(project, requested, validated, laterOptions) }
        : undefined;
    }
    if (later && !later.result.ok) {
      if (later.result.usage) throw new UsageError(later.result.messages.join("\n"));
      process.stderr.write(`clue: ${later.result.messages.join("\n")}\n`);
      return exitCodes.problems;
    }
    const result = later?.result.ok ? later.result : undefined;
    const matched = result?.matched;
    // Rows go out in chunks of about 1 MB: a million golden records are then a thousand writes, not a million.
    let rendered = later?.count ?? 0;
    for await (const text of later?.lines ?? []) await write(text);
    let chunk = "";
    for (const row of result?.rows ?? []) {
      rendered++;
      chunk += `${JSON.stringify(row)}\n`;
      if (chunk.length >= 1 << 20) {
        await write(chunk);
        chunk = "";
      }
    }
    if (chunk !== "") await write(chunk);
    // Outputs appear only now, whole: a run that failed above left the files of an earlier run as they were.
    out?.commit();
    writers.forEach((w) => w.commit());
    // The state moves on only once every event is written: a run that fails before this re-emits them next time.
    const name = exportName(requested);
    if (result?.events && values.state !== undefined && name !== undefined)
      writeEventState(statePath(name), result.events.state);
    const totals = runTotals(
      stats,
      letters.reduce((n, l) => n + l.unparsed, 0),
    );
    const files = [...new Set(letters.filter((l) => l.writer.count() > 0).map((l) => l.path))];
    const summary = [
      `clue run: ${totalsLine(totals, matching ? "validated and matched" : `written at stage ${stage}`)}` +
        (files.length > 0
          ? ` (dead letters: ${files.map((f) => relative(process.cwd(), f) || f).join(", ")})`
          : "") +
        ".",
    ];
    for (const r of stats.removed.slice(0, 10))
      summary.push(`  removed ${r.source} line ${r.line} (${textOf(r.id)}) by ${r.step}: ${r.reason}`);
    if (stats.removedCount > 10) summary.push(`  ... and ${stats.removedCount - 10} more removed`);
    if (matched) {
      const merged = matched.pairs.merged;
      summary.push(
        `matches: ${matched.records} records, ${matched.compared} pairs compared, ${merged} merged, ${matched.pairs.pairs.count - merged} queued for review.`,
      );
      if (requested === "golden")
        summary.push(`golden: ${rendered} golden records from ${matched.records} records.`);
      const counts = result?.events?.counts;
      if (counts)
        summary.push(
          `events: ${counts.created} new, ${counts.changed} changed, ${counts.deleted} deleted` +
            (values.state !== undefined ? `, ${counts.unchanged} unchanged (not sent)` : "") +
            (counts.filteredOut > 0
              ? `; ${counts.filteredOut} golden records left out by the export's filter`
              : "") +
            `. correlationId ${correlationId}` +
            (values.state !== undefined
              ? `; state saved to ${relative(process.cwd(), statePath(name ?? "")) || "."}`
              : "") +
            ".",
        );
      for (const line of matched.guardWarnings()) summary.push(line);
      if (matched.unknownIds.length > 0)
        summary.push(
          `  decisions name ids not found (or not unique) in this run: ${matched.unknownIds.join(", ")}`,
        );
    }
    if (stage === "validated") summary.push("", ...dqTable(stats));
    const breached = breachedRules(stats);
    if (breached.length > 0)
      summary.push("", `Over their max_fail_ratio: ${breached.join(", ")} (clue test fails on this).`);
    process.stderr.write(`${summary.join("\n")}\n`);
    return exitCodes.ok;
  } catch (error) {
    progress.done();
    if (error instanceof InputError || error instanceof EventStateError) {
      process.stderr.write(`clue: ${error.message}\n`);
      return exitCodes.problems;
    }
    if (error instanceof PipelineError) {
      if (error.usage) throw new UsageError(error.message);
      process.stderr.write(`clue: ${error.message}\n`);
      return exitCodes.problems;
    }
    throw error;
  } finally {
    // After a commit this finds nothing to delete; on any way out before it, the temporary files go.
    abortOutputs();
    stopCleaningUp();
    await parallel?.close();
  }
}

/**
 * Whether a run must stay in one thread: an entity with a field named `_issues` (validation's issues would land in
 * it, and only the main thread knows all of them).
 */
function inOneThread(inputs: readonly RunInput[]): boolean {
  return inputs.some((input) => Object.hasOwn(input.pipeline.fields, "_issues"));
}

/** Opens --out before any record is read, so a path that cannot be written is a clear usage error. */
function openOutput(path: string): OutputFile {
  try {
    return openOutputFile(path);
  } catch (error) {
    throw new UsageError(
      `cannot write --out ${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function defaultDeadLetters(root: string, source: string, input: string): string {
  const stem = basename(input).replace(/(\.(jsonl|ndjson|json|csv))?(\.gz)?$/i, "");
  return join(root, ".clue", "dead-letters", `${source}-${stem}.jsonl`);
}

/** Honours back-pressure, so a slow consumer (a pipe) does not make memory grow. */
function toStdout(text: string | Uint8Array): Promise<void> | void {
  if (process.stdout.write(text)) return;
  return new Promise((resolve) => process.stdout.once("drain", () => resolve()));
}
