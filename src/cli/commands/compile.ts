import { existsSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { planFor, type SqlRunInput } from "../../engine/run-sql.js";
import { JOB_TEMPLATES, writeJob } from "../../engine/spark/job.js";
import { SqlUnsupported } from "../../engine/sql/expr.js";
import { PipelineError } from "../../pipeline/compile-pipeline.js";
import { exitCodes, UsageError } from "../errors.js";
import type { GlobalOptions } from "../main.js";
import { projectFiles, refuseClobber } from "../output-guard.js";
import { loadValidProject } from "../project-check.js";

export const usage = `Usage: clue compile --engine spark --out DIR --source NAME --input FILE [--source NAME --input FILE ...] [options]

Compiles one stage of the pipeline for the given inputs into a job that runs without clue. For Spark, DIR gets
plan.json (the stage as Spark SQL), clue_job.py (the PySpark program that runs it) with the modules it imports,
and a README.md saying how to run it with spark-submit, on Databricks and on Fabric. The job writes the stage's rows
as JSON Lines, exactly what \`clue run\` writes for the same inputs. A function Spark cannot run is named, with the
expression it is in, and nothing is written.

Options:
  --engine ENGINE       spark (the engine whose jobs run outside clue)
  --out DIR             the folder for the job (made when missing; the job's own files in it are replaced)
  --source NAME         the source whose mapping reads the next --input (repeat for several sources)
  --input FILE          the file the job reads for that source: JSON Lines, JSON array, CSV or Parquet (the job
                        reads another path with --input NAME=PATH, e.g. on a cluster)
  --entity NAME         the entity, when a source maps onto several
  --stage STAGE         mapped | cleaned | validated | matches | golden | export:NAME (default: validated);
                        for events:NAME the job writes the golden records, which clue renders as events
  --input-format FMT    jsonl | json | csv | parquet, when the file's name does not say
  --project DIR         the project's root (default: here, or the nearest folder above with config/)
  -h, --help            show this help

Exit codes: 0 the job was written, 1 the config has problems, 64 bad usage (a function the engine cannot run too).

Examples:
  clue compile --engine spark --out job --source crm-contacts --input config/samples/crm-contacts.jsonl
  clue compile --engine spark --out job --source billing --entity Person --input config/samples/billing.csv \\
    --stage cleaned`;

const FORMATS = ["jsonl", "json", "csv", "parquet"] as const;

export function run(args: string[], global: GlobalOptions): Promise<number> {
  return Promise.resolve().then(() => compile(args, global));
}

function compile(args: string[], global: GlobalOptions): number {
  const { values } = parseArgs({
    args,
    options: {
      engine: { type: "string" },
      out: { type: "string" },
      source: { type: "string", multiple: true },
      input: { type: "string", multiple: true },
      entity: { type: "string" },
      stage: { type: "string" },
      "input-format": { type: "string" },
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
  if (values.engine === undefined) throw new UsageError("name the engine the job is for: --engine spark");
  if (values.engine !== "spark")
    throw new UsageError(
      `clue compile writes jobs for --engine spark, not "${values.engine}" (clue run --engine ${values.engine} --explain-sql prints that engine's SQL)`,
    );
  if (values.out === undefined) throw new UsageError("name the folder to write the job into: --out DIR");
  const sources = values.source ?? [];
  const inputs = values.input ?? [];
  if (sources.length === 0) throw new UsageError("name a source and its file: --source NAME --input FILE");
  if (sources.length !== inputs.length)
    throw new UsageError(
      `give one --input per --source (got ${sources.length} sources, ${inputs.length} inputs)`,
    );
  const format = values["input-format"];
  if (format !== undefined && !(FORMATS as readonly string[]).includes(format))
    throw new UsageError(`unknown --input-format "${format}"; use ${FORMATS.join(", ")}`);
  const out = values.out;
  if (existsSync(out) && !statSync(out).isDirectory())
    throw new UsageError(`--out ${out} is a file; name a folder for the job`);

  const loaded = loadValidProject(values.project, global.color);
  if (!loaded) return exitCodes.problems;
  const { project, root } = loaded;
  const reads = [...inputs.map((path) => ({ path, what: "an --input" })), ...projectFiles(root, project)];
  for (const name of ["plan.json", ...JOB_TEMPLATES]) refuseClobber("--out", join(out, name), reads);

  const requests: SqlRunInput[] = sources.map((source, i) => ({
    source,
    entity: values.entity,
    open: () => [],
    path: resolve(inputs[i] as string),
    format: format as SqlRunInput["format"],
  }));
  let plan;
  try {
    plan = planFor(project, values.stage ?? "validated", requests, "spark");
  } catch (error) {
    if (error instanceof SqlUnsupported) throw new UsageError(`--engine spark: ${error.message}`);
    if (error instanceof PipelineError) {
      if (error.usage) throw new UsageError(error.message);
      process.stderr.write(`clue: ${error.message}\n`);
      return exitCodes.problems;
    }
    throw error;
  }
  const written = writeJob(out, plan);
  const near = relative(process.cwd(), resolve(out));
  const shown = near === "" ? "." : near.startsWith("..") ? resolve(out) : near;
  process.stderr.write(
    `clue compile: wrote ${written.join(", ")} to ${shown} (stage ${plan.output.stage}, ${plan.steps.length} steps, ` +
      `${plan.udfs.length} UDFs).\nRun it: spark-submit ${join(shown, "clue_job.py")} --out rows.jsonl ` +
      `(${join(shown, "README.md")} says how, also on Databricks and Fabric).\n`,
  );
  return exitCodes.ok;
}
