import { basename, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { randomUUID } from "node:crypto";
import { textOf } from "../../expr/types.js";
import {
  EventStateError,
  eventStatePath,
  readEventState,
  writeEventState,
  type EventState,
} from "../../exports/event-state.js";
import { exportName } from "../../exports/export-stage.js";
import type { RenderedEvents } from "../../exports/events.js";
import { deadLetterWriter, type DeadLetterWriter } from "../../io/dead-letter.js";
import { openOutputFile, type OutputFile } from "../../io/output-file.js";
import type { ProtectedFile } from "../../io/output-path.js";
import { InputError, readRecords, type DeadLetter } from "../../io/records.js";
import { ParquetOutputError } from "../../io/parquet/output-error.js";
import type { RowWriter } from "../../io/parquet/write.js";
import { PipelineError } from "../../pipeline/compile-pipeline.js";
import { breachedRules, dqTable } from "../../pipeline/dq-report.js";
import { runTotals, totalsLine } from "../../pipeline/run-totals.js";
import { runPipeline, STAGES, type OutputRow, type RunStats, type Stage } from "../../pipeline/run.js";
import { prepareRunWith, type InputRequest, type OpenOptions } from "../../pipeline/session.js";
import type { SourcePipeline } from "../../pipeline/compile-pipeline.js";
import {
  isLaterStage,
  renderLaterStage,
  type LaterStageOptions,
  type LaterStageResult,
} from "../../matching/later-stages.js";
import { parallelLaterStage } from "../../parallel/later.js";
import { ParallelRun } from "../../parallel/run.js";
import { threadable, threadsOption, workerThreads } from "../../parallel/threads.js";
import { exitCodes, UsageError } from "../errors.js";
import type { GlobalOptions } from "../main.js";
import { cleanUpOnSignal, projectFiles, refuseClobber, refuseFolderClobber } from "../output-guard.js";
import { isParquetOutput, openParquetOutput } from "../parquet-output.js";
import { inputFormatOf } from "../validated-inputs.js";
import { ENGINE_NAMES, engines, isEngineName, isEngineProblem } from "../../engine/engines.js";
import { runSqlStage, planFor, type SqlRunInput } from "../../engine/run-sql.js";
import { explainPlan } from "../../engine/sql/explain.js";
import { SqlUnsupported } from "../../engine/sql/expr.js";
import type { EngineName } from "../../engine/sql/plan.js";
import type { DuckdbSettings } from "../../engine/duckdb/run.js";
import { loadValidProject } from "../project-check.js";
import { progressReporter } from "../progress.js";
import { plural } from "../../format/formatter.js";

export const usage = `Usage: clue run --source NAME --input FILE [--source NAME --input FILE ...] [options]

Runs the local evaluator on sample files (JSON Lines, JSON array or CSV, optionally gzip-compressed, or Parquet files
and folders of them) and writes one stage as JSON Lines (or Parquet): mapped, cleaned (entity records), validated
(plus _issues), matches (candidate pairs), golden (golden records), export:NAME (table rows) or events:NAME (events
with their headers). Several
--source/--input pairs may be given, so records of several sources meet in dedup. Records that cannot be parsed, and
records with a value the pipeline would have to change (a number past 2^53 in a number field), go to a dead-letter
file with their line and reason, and the run goes on. Outputs appear whole once the run succeeds, and are refused
when they name an input or a config file.

Options:
  --source NAME         the source whose mapping reads the next --input (repeat for several sources)
  --input FILE          a JSON Lines (.jsonl), JSON array (.json) or CSV (.csv) file, .gz too; a Parquet file
                        (.parquet) or a folder of them (hive-partitioned folders, country=AU/, too)
  --entity NAME         the entity, when a source maps onto several
  --stage STAGE         mapped | cleaned | validated | matches | golden | export:NAME | events:NAME
                        (default: validated)
  --state DIR           events:NAME only: what earlier runs published; this run emits only new and changed
                        entities (version + 1, previousHash) and EntityDeleted tombstones, then updates DIR
  --correlation-id ID   the correlationId header of every event (default: a new UUID per run, printed)
  --out FILE            write the records to FILE instead of stdout; FILE.parquet writes Parquet, typed by the
                        entity's fields or the export's columns (mapped, cleaned, validated, golden, export:NAME)
  --partition-by COLUMN with --out DIR: a Parquet folder partitioned by COLUMN, DIR/COLUMN=value/part-0.parquet
  --input-format FMT    jsonl | json | csv | parquet, when the file's name does not say
  --dead-letter FILE    where dead letters go (default: .clue/dead-letters/SOURCE-FILE.jsonl)
  --engine ENGINE       js (default: clue's own evaluator) | duckdb (embedded DuckDB, spilling to disk; needs
                        @duckdb/node-api) | spark (a local Spark: scripts/spark-env.sh makes one)
  --explain-sql         print the SQL the run compiles to (in --engine's dialect, DuckDB's by default) and exit
  --memory-limit SIZE   --engine duckdb: the memory DuckDB may take before it spills to disk (e.g. 4GB; default:
                        80% of the machine's memory); --engine spark: a local Spark's driver memory (default: half
                        the machine's memory)
  --threads N           worker threads: the JS engine's for parsing, the pipeline, dedup and golden records (1 runs
                        in this thread; default: CLUE_THREADS, else the cores up to 8 for mapped, cleaned and
                        validated once the inputs reach 32 MB, one thread for the later stages; the output is the
                        same whatever N); DuckDB's with --engine duckdb (default: one per core); a local Spark's
                        cores with --engine spark (default: every core)
  --project DIR         the project's root (default: here, or the nearest folder above with config/)
  -h, --help            show this help

Exit codes: 0 the run completed, 1 the config or an input has problems, 64 bad usage.

Examples:
  clue run --source crm-contacts --input config/samples/crm-contacts.jsonl --stage validated
  clue run --source crm-contacts --input config/samples/crm-contacts.jsonl \\
    --source billing --entity Person --input config/samples/billing.csv --stage golden --out golden.jsonl
  clue run --source crm-contacts --input config/samples/crm-contacts.jsonl --stage cleaned --engine duckdb`;

export async function run(args: string[], global: GlobalOptions): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      source: { type: "string", multiple: true },
      input: { type: "string", multiple: true },
      entity: { type: "string" },
      stage: { type: "string" },
      out: { type: "string" },
      "partition-by": { type: "string" },
      "input-format": { type: "string" },
      "dead-letter": { type: "string" },
      state: { type: "string" },
      "correlation-id": { type: "string" },
      engine: { type: "string" },
      "explain-sql": { type: "boolean" },
      "memory-limit": { type: "string" },
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
  const engine = values.engine ?? "js";
  if (!isEngineName(engine))
    throw new UsageError(`unknown --engine "${engine}"; engines: ${ENGINE_NAMES.join(", ")}`);
  const settings = sqlEngineSettings(engine, values["memory-limit"], values.threads);
  const threads = threadsOption(engine === "js" ? values.threads : undefined, process.env.CLUE_THREADS);
  if (typeof threads === "string") throw new UsageError(threads);
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
  const format = inputFormatOf(values["input-format"]);
  const partitionBy = values["partition-by"];
  if (partitionBy !== undefined && values.out === undefined)
    throw new UsageError("--partition-by writes a folder: name it with --out DIR");
  const parquet = isParquetOutput(values.out, partitionBy);

  const loaded = loadValidProject(values.project, global.color);
  if (!loaded) return exitCodes.problems;
  const { project, root } = loaded;
  const sqlInputs = (requests: readonly InputRequest[]): SqlRunInput[] =>
    requests.map((r, i) => ({ ...r, path: resolve(inputs[i] as string), format }));
  if (values["explain-sql"]) {
    const plan = explainSql(
      project,
      requested,
      sqlInputs(sources.map((source) => ({ source, entity: values.entity, open: () => [] }))),
      engine,
    );
    if (plan === undefined) return exitCodes.problems;
    process.stdout.write(plan);
    return exitCodes.ok;
  }

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
  if (values.out !== undefined && partitionBy !== undefined) refuseFolderClobber("--out", values.out, reads);
  for (const path of letterPaths) {
    refuseClobber("--dead-letter", path, [
      ...reads,
      ...(values.out === undefined ? [] : [{ path: values.out, what: "the --out file" }]),
    ]);
  }

  const out = values.out === undefined || parquet ? undefined : openOutput(values.out);
  /** The Parquet output, opened once the inputs' entities are known. */
  let rows: RowWriter | undefined;
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
    rows?.abort();
    writers.forEach((w) => w.abort());
  };
  const stopCleaningUp = cleanUpOnSignal(abortOutputs);
  const requests = sources.map((source, i) => ({
    source,
    entity: values.entity,
    open: ({ prepass, format: mapped, csv, plainText }: OpenOptions) =>
      readRecords(inputs[i] as string, {
        ...csv,
        ...(plainText ? { plainText } : {}),
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
  const write =
    out === undefined
      ? toStdout
      : (text: string | Uint8Array) => (typeof text === "string" ? out.write(text) : out.writeBytes(text));
  const emitRow = (row: unknown) =>
    rows ? rows.write(row as Record<string, unknown>) : write(`${JSON.stringify(row)}\n`);

  /**
   * The end of a run that wrote its rows: the outputs committed, the event state saved, and the summary on stderr
   * (totals, removed records, what matching did, the data-quality table).
   */
  const finish = (
    state: EventState | undefined,
    stats: RunStats,
    later: Omit<Parameters<typeof laterLines>[0], "state" | "correlationId"> | undefined,
  ): number => {
    // Outputs appear only now, whole: a run that failed above left the files of an earlier run as they were.
    out?.commit();
    rows?.commit();
    writers.forEach((w) => w.commit());
    // The state moves on only once every event is written: a run that fails before this re-emits them next time.
    if (state && values.state !== undefined && exported !== undefined)
      writeEventState(statePath(exported), state);
    const totals = runTotals(
      stats,
      letters.reduce((n, l) => n + l.unparsed, 0),
    );
    const summary = runSummary(totals, stats, matching, stage, letters);
    const tail = summary.splice(1 + Math.min(stats.removed.length, 10) + (stats.removedCount > 10 ? 1 : 0));
    if (later)
      summary.push(
        ...laterLines({
          ...later,
          state:
            values.state === undefined
              ? undefined
              : relative(process.cwd(), statePath(exported ?? "")) || ".",
          correlationId,
        }),
      );
    summary.push(...tail);
    process.stderr.write(`${summary.join("\n")}\n`);
    return exitCodes.ok;
  };
  const progress = progressReporter(global);
  let parallel: ParallelRun | undefined;
  try {
    if (engine !== "js") {
      const emptyOut = out?.emptyPath();
      const sql = await runSqlStage({
        project,
        stage: requested,
        inputs: sqlInputs(requests),
        engine,
        write,
        ...(emptyOut !== undefined ? { outputFile: emptyOut } : {}),
        onRecordError: (k, line, reason) => letters[k]?.writer.write({ line, reason, text: "" }),
        onUnreadable: (k, line, reason) => {
          const letter = letters[k];
          if (letter === undefined) return;
          letter.unparsed++;
          letter.writer.write({ line, reason, text: "" });
        },
        ...(settings ? { settings } : {}),
        events: {
          now: new Date(),
          correlationId,
          ...(values.state !== undefined
            ? { previous: (name: string) => readEventState(statePath(name), name) }
            : {}),
        },
      });
      return finish(
        sql.events?.state,
        sql.stats,
        sql.matches && {
          ...sql.matches,
          golden: requested === "golden" ? sql.written : undefined,
          counts: sql.events?.counts,
          guardWarnings: sql.guardWarnings,
          unknownIds: sql.unknownIds,
        },
      );
    }
    const prepared = await prepareRunWith(project, requests);
    const entities = new Set(prepared.inputs.map((p) => p.pipeline.entity));
    if (parquet)
      rows = await openParquetOutput(project, requested, [...entities], values.out as string, partitionBy);
    if (matching && entities.size > 1)
      throw new UsageError(
        `--stage matches pairs records of one entity; these inputs are ${[...entities].join(" and ")}`,
      );
    const formats = parquet ? undefined : threadable(prepared.inputs, inputs, format);
    const workers = formats ? workerThreads(threads, inputs, matching) : 0;
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
    let later: LaterStageResult | undefined;
    /** The golden stage on worker threads: its rows as UTF-8 JSON Lines, and how many. */
    let golden: { lines: AsyncIterable<Uint8Array>; count: number } | undefined;
    if (workers > 0) {
      parallel = await ParallelRun.start(
        {
          root,
          project,
          threads: workers,
          stage,
          requested,
          mode: matching ? "rows" : "text",
          files: inputs.map((path, i) => ({ path, format: formats?.[i] })),
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
      if (matching) {
        const done = await parallelLaterStage(parallel, project, requested, laterOptions, out !== undefined);
        later = done.result;
        if (done.lines) golden = { lines: done.lines, count: done.count ?? 0 };
      }
    } else {
      const validated: { pipeline: SourcePipeline; row: OutputRow }[] = [];
      stats = await runPipeline(prepared.inputs, {
        stage,
        // The matches stage needs every record before it can pair them; the others stream.
        emit: matching
          ? (row: OutputRow, pipeline) => void validated.push({ pipeline, row })
          : (row: OutputRow) => emitRow(row),
        onProgress: progress.update,
        onRecordError: (pipeline, line, reason) => {
          const index = prepared.inputs.findIndex((p) => p.pipeline === pipeline);
          letters[index]?.writer.write({ line, reason, text: "" });
        },
      });
      progress.done();
      later = matching ? renderLaterStage(project, requested, validated, laterOptions) : undefined;
      // The match stage keeps what it needs of each record; the list of a million validated rows can go.
      validated.length = 0;
    }
    if (later && !later.ok) {
      if (later.usage) throw new UsageError(later.messages.join("\n"));
      process.stderr.write(`clue: ${later.messages.join("\n")}\n`);
      return exitCodes.problems;
    }
    const matched = later?.matched;
    // Rows go out in chunks of about 1 MB: a million golden records are then a thousand writes, not a million. An
    // output file buffers them itself, encoded as they come (a chunk would be a long string built to be encoded).
    let rendered = golden?.count ?? 0;
    let chunk = "";
    // A Parquet writer takes the rows; JSON Lines take the lines, made without building each row's objects.
    if (golden) for await (const bytes of golden.lines) await write(bytes);
    else if (rows)
      for (const row of later?.rows ?? []) {
        rendered++;
        rows.write(row as Record<string, unknown>);
      }
    else
      for (const line of later?.lines ?? jsonLines(later?.rows ?? [])) {
        rendered++;
        if (out !== undefined) {
          out.write(`${line}\n`);
          continue;
        }
        chunk += `${line}\n`;
        if (chunk.length >= 1 << 20) {
          await write(chunk);
          chunk = "";
        }
      }
    if (chunk !== "") await write(chunk);
    const merged = matched?.pairs.merged ?? 0;
    return finish(
      later?.events?.state,
      stats,
      matched && {
        records: matched.records,
        compared: matched.compared,
        merged,
        queued: matched.pairs.pairs.count - merged,
        golden: requested === "golden" ? rendered : undefined,
        counts: later?.events?.counts,
        guardWarnings: matched.guardWarnings(),
        unknownIds: matched.unknownIds,
      },
    );
  } catch (error) {
    progress.done();
    if (error instanceof SqlUnsupported) throw new UsageError(`--engine ${engine}: ${error.message}`);
    if (
      error instanceof InputError ||
      error instanceof EventStateError ||
      error instanceof ParquetOutputError ||
      isEngineProblem(error)
    ) {
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
 * --memory-limit and --threads for a SQL engine: DuckDB's memory before it spills and its threads, or a local Spark's
 * driver memory and cores (the JS engine takes --threads too: see threadsOption).
 */
function sqlEngineSettings(
  engine: EngineName,
  memoryLimit: string | undefined,
  given: string | undefined,
): DuckdbSettings | undefined {
  const threads = engine === "js" ? undefined : given;
  if (memoryLimit === undefined && threads === undefined) return undefined;
  if (engine === "js")
    throw new UsageError("--memory-limit sets a SQL engine's memory: use it with --engine duckdb or spark");
  if (memoryLimit !== undefined && !/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(memoryLimit))
    throw new UsageError(`--memory-limit takes a size such as 4GB or 512MB, not "${memoryLimit}"`);
  const n = threads === undefined ? undefined : Number(threads);
  if (n !== undefined && !(Number.isInteger(n) && n >= 1))
    throw new UsageError(`--threads takes a whole number of threads, 1 or more, not "${threads}"`);
  return {
    ...(memoryLimit !== undefined ? { memoryLimit } : {}),
    ...(n !== undefined ? { threads: n } : {}),
  };
}

/** The summary lines of matching, golden records and events. */
function laterLines(m: {
  records: number;
  compared: number;
  merged: number;
  queued: number;
  golden: number | undefined;
  counts: RenderedEvents["counts"] | undefined;
  guardWarnings: string[];
  unknownIds: string[];
  /** Where --state was saved, when given. */
  state: string | undefined;
  correlationId: string;
}): string[] {
  const lines = [
    `matches: ${m.records} records, ${plural(m.compared, "pair")} compared, ${m.merged} merged, ${m.queued} queued for review.`,
  ];
  if (m.golden !== undefined) lines.push(`golden: ${m.golden} golden records from ${m.records} records.`);
  const counts = m.counts;
  if (counts)
    lines.push(
      `events: ${counts.created} new, ${counts.changed} changed, ${counts.deleted} deleted` +
        (m.state !== undefined ? `, ${counts.unchanged} unchanged (not sent)` : "") +
        (counts.filteredOut > 0
          ? `; ${counts.filteredOut} golden records left out by the export's filter`
          : "") +
        `. correlationId ${m.correlationId}` +
        (m.state !== undefined ? `; state saved to ${m.state}` : "") +
        ".",
    );
  lines.push(...m.guardWarnings);
  if (m.unknownIds.length > 0)
    lines.push(`  decisions name ids not found (or not unique) in this run: ${m.unknownIds.join(", ")}`);
  return lines;
}

/**
 * The summary lines of a run: totals and dead letters, the first removed records, and (at the validated stage) the
 * data-quality table and breached thresholds. Lines about matching go after the removed records.
 */
function runSummary(
  totals: ReturnType<typeof runTotals>,
  stats: RunStats,
  matching: boolean,
  stage: Stage,
  letters: readonly { path: string; writer: DeadLetterWriter }[],
): string[] {
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
  if (stage === "validated") summary.push("", ...dqTable(stats));
  const breached = breachedRules(stats);
  if (breached.length > 0)
    summary.push("", `Over their max_fail_ratio: ${breached.join(", ")} (clue test fails on this).`);
  return summary;
}

/** The plan's SQL as a script, or undefined (after saying why) when the project cannot be compiled. */
function explainSql(
  project: Parameters<typeof planFor>[0],
  stage: string,
  inputs: SqlRunInput[],
  engine: EngineName,
): string | undefined {
  try {
    return explainPlan(planFor(project, stage, inputs, engines[engine].dialect ?? "duckdb"));
  } catch (error) {
    if (error instanceof SqlUnsupported) throw new UsageError(`--explain-sql: ${error.message}`);
    if (error instanceof PipelineError) {
      if (error.usage) throw new UsageError(error.message);
      process.stderr.write(`clue: ${error.message}\n`);
      return undefined;
    }
    throw error;
  }
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
  const stem = basename(input).replace(/(\.(jsonl|ndjson|json|csv|parquet))?(\.gz)?$/i, "");
  return join(root, ".clue", "dead-letters", `${source}-${stem}.jsonl`);
}

function* jsonLines(rows: Iterable<unknown>): Generator<string> {
  for (const row of rows) yield JSON.stringify(row);
}

/** Honours back-pressure, so a slow consumer (a pipe) does not make memory grow. */
function toStdout(text: string | Uint8Array): Promise<void> | void {
  if (process.stdout.write(text)) return;
  return new Promise((resolve) => process.stdout.once("drain", () => resolve()));
}
