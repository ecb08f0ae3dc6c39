/**
 * Runs a SqlPlan on an embedded DuckDB (`clue run --engine duckdb`): registers each input as a table of JSON
 * records (read by clue's own readers, so parsing, dead letters and line numbers are the JS engine's; Parquet through
 * DuckDB's read_parquet), registers the plan's UDFs (clue's own functions), runs the steps (loops included) and
 * streams the output rows as they come. DuckDB works in a temporary folder of its own, so a run larger than memory
 * spills to disk instead of failing; the folder is removed afterwards.
 *
 * @duckdb/node-api is an optional peer dependency, loaded only here and only when the engine is asked for.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type * as DuckdbApi from "@duckdb/node-api";
import type { DuckDBConnection, DuckDBInstance, DuckDBType, DuckDBValue } from "@duckdb/node-api";
import type { CallContext } from "../../expr/function-def.js";
import type { Value } from "../../expr/types.js";
import { holdsInexactNumbers, InexactNumber } from "../../io/exact-number.js";
import type { SourceRecord } from "../../pipeline/run.js";
import { EngineUnavailable, ExportProblems, SqlRunError } from "../engines.js";
import { dialects } from "../sql/dialects/index.js";
import { droppableAfter, inputRowsTable } from "../sql/lifetimes.js";
import type { SqlPlan, SqlStep, SqlType } from "../sql/plan.js";
import { udfBody } from "../udfs.js";

export const DUCKDB_VERSION = "1.5.6-r.1";

type Api = typeof DuckdbApi;

let api: Promise<Api> | undefined;

/** Loads @duckdb/node-api, or says how to install it. */
export function loadDuckdb(): Promise<Api> {
  api ??= import("@duckdb/node-api").catch((error: unknown) => {
    api = undefined;
    const why =
      error instanceof Error && !/Cannot find (package|module)/.test(error.message)
        ? ` (${error.message})`
        : "";
    throw new EngineUnavailable(
      `--engine duckdb needs @duckdb/node-api: npm install --save-dev @duckdb/node-api@${DUCKDB_VERSION}${why}`,
    );
  });
  return api;
}

export interface DuckdbSettings {
  /** Worker threads (default: DuckDB's, one per core). */
  threads?: number;
  /** DuckDB's memory_limit, e.g. "4GB" (default: DuckDB's, 80% of RAM); past it DuckDB spills to its temp folder. */
  memoryLimit?: string;
  /** Where DuckDB spills (default: a new folder under the system's temp folder, removed after the run). */
  tempDirectory?: string;
}

export interface DuckdbRun {
  plan: SqlPlan;
  /** The lookup() tables, for the UDFs that read them. */
  context: CallContext;
  /** Input k's records (not called for Parquet inputs, which DuckDB reads itself). */
  open(k: number): AsyncIterable<SourceRecord> | Iterable<SourceRecord>;
  /**
   * Called for a record holding a number no JavaScript number holds as written (see io/exact-number.ts): the
   * reason it is rejected (then it goes to the dead letters and not to SQL), or undefined to keep it.
   */
  rejects?(k: number, record: Record<string, unknown>): string | undefined;
  onRejected?(k: number, line: number, reason: string): void;
  /** Output text, whole JSON lines, in chunks of about 1 MB; may return a promise (back-pressure). */
  write(text: string): void | Promise<void>;
  /**
   * An empty regular file DuckDB may write the output lines to itself (its COPY, no row crossing into JavaScript),
   * instead of `write`.
   */
  outputFile?: string;
  settings?: DuckdbSettings;
}

/** What the plan's report views hold, read after the output is written. */
export type Reports = Partial<Record<keyof NonNullable<SqlPlan["reports"]>, Record<string, DuckDBValue>[]>>;

export interface DuckdbResult {
  written: number;
  reports: Reports;
  /** Records rejected by the JS side before SQL saw them, per input. */
  rejectedBefore: number[];
}

export async function runOnDuckdb(run: DuckdbRun): Promise<DuckdbResult> {
  const duckdb = await loadDuckdb();
  const own =
    run.settings?.tempDirectory === undefined ? mkdtempSync(join(tmpdir(), "clue-duckdb-")) : undefined;
  const options: Record<string, string> = {
    temp_directory: run.settings?.tempDirectory ?? (own as string),
    // The output is sorted, or read from a table stored sorted (an `ordered` step keeps insertion order from there);
    // until then inserts need not keep theirs, which lets DuckDB spill and parallelise.
    preserve_insertion_order: "false",
  };
  if (run.settings?.threads !== undefined) options.threads = String(run.settings.threads);
  if (run.settings?.memoryLimit !== undefined) options.memory_limit = run.settings.memoryLimit;
  let instance: DuckDBInstance | undefined;
  let connection: DuckDBConnection | undefined;
  try {
    instance = await duckdb.DuckDBInstance.create(":memory:", options);
    connection = await instance.connect();
    registerUdfs(duckdb, connection, run.plan, run.context);
    for (const statement of run.plan.prelude ?? []) await connection.run(statement);
    const t0 = performance.now();
    const rejectedBefore = await registerInputs(duckdb, connection, run);
    if (TRACE) process.stderr.write(`[sql] inputs: ${Math.round(performance.now() - t0)} ms\n`);
    // A table goes as soon as nothing to come reads it, so the data is not held several times over.
    const drops = droppableAfter(run.plan);
    for (const [i, step] of run.plan.steps.entries()) {
      await runStep(connection, run.plan, step);
      for (const table of drops.get(i) ?? [])
        await connection.run(`DROP TABLE IF EXISTS ${dialects.duckdb.ident(table)}`);
    }
    await checkProblems(connection, run.plan);
    const t1 = performance.now();
    const written =
      run.outputFile !== undefined
        ? await copyOutput(connection, run.plan, run.outputFile)
        : await streamOutput(connection, run.plan, (text) => run.write(text));
    if (TRACE) process.stderr.write(`[sql] output: ${Math.round(performance.now() - t1)} ms\n`);
    const reports: Reports = {};
    for (const [name, view] of Object.entries(run.plan.reports ?? {}) as [keyof Reports, string][]) {
      const reader = await connection.runAndReadAll(`SELECT * FROM ${dialects.duckdb.ident(view)}`);
      reports[name] = reader.getRowObjects();
    }
    return { written, reports, rejectedBefore };
  } catch (error) {
    throw outOfMemory(error, run.settings) ?? error;
  } finally {
    connection?.closeSync();
    instance?.closeSync();
    if (own !== undefined) rmSync(own, { recursive: true, force: true });
  }
}

/**
 * DuckDB's "Out of Memory Error" as the user's to fix, not a bug: some steps (ordered aggregates, joins' hash tables)
 * must hold part of their data in memory even when everything else spills.
 */
function outOfMemory(error: unknown, settings: DuckdbSettings | undefined): SqlRunError | undefined {
  const message = error instanceof Error ? error.message : "";
  if (!/Out of Memory Error/i.test(message)) return undefined;
  const limit = settings?.memoryLimit ?? "80% of the machine's memory";
  return new SqlRunError(
    `DuckDB ran out of memory under its limit (${limit}): ${message.replace(/^.*?Out of Memory Error:\s*/is, "").split("\n")[0]}; ` +
      `give it more with --memory-limit, or fewer --threads (each thread holds buffers of its own)`,
  );
}

/**
 * The plan's `invalid` report, checked before any output is written: a value of the wrong type stops the run (SQL
 * holds one type per field).
 */
async function checkInvalid(connection: DuckDBConnection, plan: SqlPlan): Promise<void> {
  const view = plan.reports?.invalid;
  if (view === undefined) return;
  const reader = await connection.runAndReadAll(
    `SELECT * FROM ${dialects.duckdb.ident(view)} ORDER BY input, line LIMIT 5`,
  );
  const rows = reader.getRowObjects();
  if (rows.length === 0) return;
  const count = await connection.runAndReadAll(`SELECT count(*) AS n FROM ${dialects.duckdb.ident(view)}`);
  const n = Number(count.getRowObjects()[0]?.n ?? rows.length);
  const lines = rows.map((r) => {
    const input = plan.inputs[Number(r.input)];
    const where =
      input === undefined || input.path === ""
        ? `record ${String(r.line)}`
        : `${input.path}:${String(r.line)}`;
    return `  ${where}: field ${String(r.field)} is ${String(r.type)} but the record holds ${describeKind(String(r.found))}`;
  });
  throw new SqlRunError(
    [
      `${n} record${n === 1 ? " holds" : "s hold"} a value that is not of its field's type, which --engine ${plan.engine} cannot keep as it is (the JS engine keeps it):`,
      ...lines,
      ...(n > rows.length ? [`  ... and ${n - rows.length} more`] : []),
      "Fix the data, or declare the field as string (and convert it in a cleaning step with to_number()), or run with --engine js.",
    ].join("\n"),
  );
}

/** Export rows that break their contract or primary key: the run writes none, as the JS engine writes none. */
async function checkProblems(connection: DuckDBConnection, plan: SqlPlan): Promise<void> {
  const view = plan.reports?.problems;
  if (view === undefined) return;
  const d = dialects.duckdb;
  const count = await connection.runAndReadAll(`SELECT count(*) AS n FROM ${d.ident(view)}`);
  const n = Number(count.getRowObjects()[0]?.n ?? 0);
  if (n === 0) return;
  const reader = await connection.runAndReadAll(
    `SELECT message FROM ${d.ident(view)} ORDER BY _row, _seq LIMIT 20`,
  );
  const name = plan.output.stage.slice(plan.output.stage.indexOf(":") + 1);
  throw new ExportProblems(
    [
      `rows of export ${name} break its contract or primary key:`,
      ...reader.getRowObjects().map((r) => `  ${String(r.message)}`),
      ...(n > 20 ? [`  ... and ${n - 20} more`] : []),
    ].join("\n"),
  );
}

function describeKind(kind: string): string {
  return kind === "string"
    ? "text that does not convert"
    : kind === "number"
      ? "a number"
      : kind === "boolean"
        ? "a boolean"
        : kind === "object"
          ? "an object"
          : kind === "array"
            ? "a list"
            : kind;
}

const TRACE = process.env.CLUE_SQL_TRACE === "1";
const udfStats: Record<string, { calls: number; rows: number; ms: number }> = {};
if (TRACE)
  process.on("exit", () => {
    for (const [name, s] of Object.entries(udfStats))
      process.stderr.write(`[sql] udf ${name}: ${s.calls} chunks, ${s.rows} rows, ${Math.round(s.ms)} ms\n`);
  });

async function runStep(connection: DuckDBConnection, plan: SqlPlan, step: SqlStep): Promise<void> {
  const started = performance.now();
  await runStepUntimed(connection, plan, step);
  if (TRACE && step.kind !== "view")
    process.stderr.write(
      `[sql] ${step.kind} ${step.kind === "loop" ? (step.note ?? "") : step.name}: ${Math.round(performance.now() - started)} ms\n`,
    );
}

async function runStepUntimed(connection: DuckDBConnection, plan: SqlPlan, step: SqlStep): Promise<void> {
  const d = dialects.duckdb;
  if (step.kind === "view") {
    await connection.run(d.createView(step.name, step.sql));
    // The plan lists the records of the wrong type right after mapping: such a record stops the run there.
    if (step.name === plan.reports?.invalid) await checkInvalid(connection, plan);
    return;
  }
  if (step.kind === "table") {
    // Inserts need not keep their order (it lets DuckDB parallelise and spill) until a table is stored sorted.
    if (step.ordered) await connection.run("SET preserve_insertion_order = true");
    await connection.run(d.createTable(step.name, step.sql));
    return;
  }
  for (let i = 0; i < step.maxIterations; i++) {
    for (const inner of step.steps) await runStep(connection, plan, inner);
    const reader = await connection.runAndReadAll(step.until);
    if (reader.getRows()[0]?.[0] === true) return;
  }
  throw new SqlRunError(
    `the loop "${step.note ?? "loop"}" did not settle within ${step.maxIterations} iterations; the data links records in chains longer than that`,
  );
}

/** Each input as a view `input_k` of (record, _line, _file). */
async function registerInputs(duckdb: Api, connection: DuckDBConnection, run: DuckdbRun): Promise<number[]> {
  const d = dialects.duckdb;
  const rejected: number[] = [];
  for (const [k, input] of run.plan.inputs.entries()) {
    rejected.push(0);
    const file = d.string(input.path);
    if (input.format === "parquet") {
      await registerParquet(connection, input.view, input.path);
      continue;
    }
    const rows = inputRowsTable(input.view);
    await connection.run(`CREATE OR REPLACE TABLE ${d.ident(rows)} (record VARCHAR, _line BIGINT)`);
    const appender = await connection.createAppender(rows);
    const types: DuckDBType[] = [duckdb.VARCHAR, duckdb.BIGINT];
    const size = 2048;
    let records: string[] = [];
    let lines: bigint[] = [];
    const flush = () => {
      if (records.length === 0) return;
      const chunk = duckdb.DuckDBDataChunk.create(types, records.length);
      chunk.setColumnValues(0, records);
      chunk.setColumnValues(1, lines);
      appender.appendDataChunk(chunk);
      records = [];
      lines = [];
    };
    const add = ({ record, line, text }: SourceRecord) => {
      if (text !== undefined) {
        // A plain record's own text (io/plain-json.ts): what JSON.stringify would give, spaces aside.
        records.push(text);
        lines.push(BigInt(line));
        if (records.length === size) flush();
        return;
      }
      // Only a record the reader marked can hold a number kept as written (io/exact-number.ts).
      const marked = holdsInexactNumbers(record);
      const reason = marked ? run.rejects?.(k, record) : undefined;
      if (reason !== undefined) {
        (rejected[k] as number)++;
        run.onRejected?.(k, line, reason);
        return;
      }
      records.push(marked ? JSON.stringify(record, keepNumberText) : JSON.stringify(record));
      lines.push(BigInt(line));
      if (records.length === size) flush();
    };
    const source = run.open(k);
    if (Symbol.iterator in source) for (const r of source) add(r);
    else for await (const r of source) add(r);
    flush();
    appender.closeSync();
    await connection.run(
      `CREATE OR REPLACE TEMP VIEW ${d.ident(input.view)} AS SELECT record, _line, ${file} AS _file FROM ${d.ident(rows)}`,
    );
  }
  return rejected;
}

/**
 * A Parquet file, or a folder of them (hive-partitioned folders too), as a view of JSON records: each row an object
 * of its columns, timestamps as ISO 8601 text in UTC (2024-11-02T08:15:00Z, with milliseconds when they are not
 * zero), numbered 1, 2, ... in file and row order.
 */
async function registerParquet(connection: DuckDBConnection, view: string, path: string): Promise<void> {
  const d = dialects.duckdb;
  const source = `read_parquet(${d.string(path.toLowerCase().endsWith(".parquet") ? path : join(path, "**", "*.parquet"))}, filename = true, file_row_number = true, hive_partitioning = true)`;
  const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`);
  const fields = described
    .getRowObjects()
    .filter((c) => c.column_name !== "filename" && c.column_name !== "file_row_number")
    .map((c) => {
      const name = String(c.column_name);
      const type = String(c.column_type);
      const column = d.ident(name);
      const value = /^TIMESTAMP/.test(type)
        ? `CASE WHEN ${column} IS NOT NULL THEN strftime(CAST(${column} AS TIMESTAMP), '%Y-%m-%dT%H:%M:%S') || ` +
          `CASE WHEN millisecond(CAST(${column} AS TIMESTAMP)) % 1000 = 0 THEN '' ELSE '.' || lpad(CAST(millisecond(CAST(${column} AS TIMESTAMP)) % 1000 AS VARCHAR), 3, '0') END || 'Z' END`
        : column;
      return `${column} := ${value}`;
    });
  await connection.run(
    `CREATE OR REPLACE TEMP VIEW ${d.ident(view)} AS SELECT CAST(to_json(struct_pack(${fields.join(", ")})) AS VARCHAR) AS record, ` +
      `row_number() OVER (ORDER BY filename, file_row_number) AS _line, filename AS _file FROM ${source}`,
  );
}

/** A number kept as written (a string field takes its text, as the JS mapping does). */
function keepNumberText(_key: string, value: unknown): unknown {
  return value instanceof InexactNumber ? value.text : value;
}

/**
 * The output lines written by DuckDB into `path` (truncated, the same file, so an open descriptor sees them): CSV of
 * the one JSON column with no quoting, which is the JSON text and a newline (JSON text holds no raw newline or
 * control character). Returns how many lines it wrote.
 */
async function copyOutput(connection: DuckDBConnection, plan: SqlPlan, path: string): Promise<number> {
  const d = dialects.duckdb;
  const reader = await connection.runAndReadAll(
    `COPY (SELECT json FROM ${d.ident(plan.output.view)}${orderOf(plan)}) ` +
      `TO ${d.string(path)} (FORMAT csv, HEADER false, QUOTE '', ESCAPE '', DELIMITER '\x01', USE_TMP_FILE false)`,
  );
  return Number(reader.getRows()[0]?.[0] ?? 0);
}

/** The output's ORDER BY, unless its rows come in order already (a table stored sorted, read with its order kept). */
function orderOf(plan: SqlPlan): string {
  return plan.output.presorted ? "" : ` ORDER BY ${plan.output.orderBy.join(", ")}`;
}

async function streamOutput(
  connection: DuckDBConnection,
  plan: SqlPlan,
  write: (text: string) => void | Promise<void>,
): Promise<number> {
  const d = dialects.duckdb;
  const result = await connection.stream(`SELECT json FROM ${d.ident(plan.output.view)}${orderOf(plan)}`);
  let written = 0;
  let chunk = "";
  for await (const rows of result.yieldRows()) {
    for (const row of rows) {
      chunk += `${row[0] as string}\n`;
      written++;
    }
    if (chunk.length >= 1 << 20) {
      await write(chunk);
      chunk = "";
    }
  }
  if (chunk !== "") await write(chunk);
  return written;
}

const TYPE_NAMES: Record<SqlType, "VARCHAR" | "DOUBLE" | "BOOLEAN"> = {
  text: "VARCHAR",
  number: "DOUBLE",
  boolean: "BOOLEAN",
};

function registerUdfs(duckdb: Api, connection: DuckDBConnection, plan: SqlPlan, context: CallContext): void {
  for (const name of plan.udfs) {
    const signature = plan.udfSignatures?.[name];
    if (signature === undefined) throw new SqlRunError(`the plan names a UDF ${name} without its signature`);
    const body = udfBody(name, signature, context);
    const params = signature.args.filter((a): a is SqlType => a !== "omitted");
    const args: (Value | undefined)[] = new Array<Value | undefined>(params.length);
    connection.registerScalarFunction(
      duckdb.DuckDBScalarFunction.create({
        name,
        returnType: duckdb[TYPE_NAMES[signature.returns]],
        parameterTypes: params.map((p) => duckdb[TYPE_NAMES[p]]),
        mainFunction: (info, input, output) => {
          const t0 = TRACE ? performance.now() : 0;
          try {
            const vectors = params.map((_, i) => input.getColumnVector(i));
            // DuckDB hands NULLs to a UDF like any other value: null in, null out is the UDF's to keep.
            const propagate = signature.nulls === "propagate";
            for (let row = 0; row < input.rowCount; row++) {
              let nulls = false;
              for (let i = 0; i < params.length; i++) {
                const v = vectors[i]?.getItem(row) as Value;
                args[i] = v;
                if (v === null) nulls = true;
              }
              output.setItem(row, (nulls && propagate ? null : body(args)) as DuckDBValue);
            }
            output.flush();
            if (TRACE) {
              const stat = (udfStats[name] ??= { calls: 0, rows: 0, ms: 0 });
              stat.calls++;
              stat.rows += input.rowCount;
              stat.ms += performance.now() - t0;
            }
          } catch (error) {
            info.setError(`${name}: ${error instanceof Error ? error.message : String(error)}`);
          }
        },
      }),
    );
  }
}
