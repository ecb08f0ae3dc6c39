import type { Project } from "../config/project.js";
import { InputError, readRecords, SOURCE_FORMATS, type SourceFormat } from "../io/records.js";
import { PipelineError } from "../pipeline/compile-pipeline.js";
import type { SourcePipeline } from "../pipeline/compile-pipeline.js";
import { runPipeline, type OutputRow } from "../pipeline/run.js";
import { prepareRun, projectContext, type OpenOptions } from "../pipeline/session.js";
import type { CallContext } from "../expr/function-def.js";
import { dedupOf } from "../matching/match-stage.js";
import { UsageError } from "./errors.js";

export interface ValidatedInputs {
  validated: { pipeline: SourcePipeline; row: OutputRow }[];
  /** Records that could not be read or that the pipeline rejected: left out, counted. */
  unreadable: number;
  context: CallContext;
}

/** The `--source NAME --input FILE` pairs commands that pair records take, as `clue run` reads them. */
export function inputPairs(
  sources: readonly string[] | undefined,
  inputs: readonly string[] | undefined,
): { source: string; input: string }[] {
  const s = sources ?? [];
  const i = inputs ?? [];
  if (s.length === 0) throw new UsageError("name a source and its file: --source NAME --input FILE");
  if (s.length !== i.length)
    throw new UsageError(`give one --input per --source (got ${s.length} sources, ${i.length} inputs)`);
  return s.map((source, k) => ({ source, input: i[k] as string }));
}

/**
 * Every record of the inputs through mapping, cleaning and validation, kept in memory for pairing; records that
 * cannot be read or processed are counted and left out (`clue run` writes them to dead-letter files).
 */
export async function readValidated(
  project: Project,
  pairs: readonly { source: string; input: string }[],
  options: { entity?: string | undefined; format?: SourceFormat | undefined } = {},
): Promise<ValidatedInputs> {
  let unreadable = 0;
  const prepared = await prepareRun(
    project,
    pairs.map(({ source, input }) => ({
      source,
      entity: options.entity,
      open: ({ prepass, format, csv }: OpenOptions) =>
        readRecords(input, {
          ...csv,
          ...((options.format ?? format) ? { format: options.format ?? format } : {}),
          ...(prepass ? {} : { onDeadLetter: () => void unreadable++ }),
        }),
    })),
  );
  const entities = new Set(prepared.map((p) => p.pipeline.entity));
  if (entities.size > 1)
    throw new UsageError(`records of one entity are paired; these inputs are ${[...entities].join(" and ")}`);
  const validated: { pipeline: SourcePipeline; row: OutputRow }[] = [];
  await runPipeline(prepared, {
    stage: "validated",
    emit: (row, pipeline) => void validated.push({ pipeline, row }),
    onRecordError: () => void unreadable++,
  });
  return { validated, unreadable, context: projectContext(project) };
}

/** The options of the commands that pair the records of `--source/--input` files (train, evaluate, blocking). */
export const pairingOptions = {
  source: { type: "string", multiple: true },
  input: { type: "string", multiple: true },
  entity: { type: "string" },
  "input-format": { type: "string" },
  format: { type: "string" },
  project: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** The input pairs, the output format and the input format those options name, checked. */
export function pairingArgs(values: {
  source?: string[] | undefined;
  input?: string[] | undefined;
  format?: string | undefined;
  "input-format"?: string | undefined;
}): {
  pairs: { source: string; input: string }[];
  format: "human" | "json";
  inputFormat: SourceFormat | undefined;
} {
  const pairs = inputPairs(values.source, values.input);
  const format = values.format ?? "human";
  if (format !== "human" && format !== "json")
    throw new UsageError(`unknown --format "${format}"; use human or json`);
  return { pairs, format, inputFormat: inputFormatOf(values["input-format"]) };
}

/** `--input-format`, checked. */
export function inputFormatOf(value: string | undefined): SourceFormat | undefined {
  if (value === undefined) return undefined;
  const known = SOURCE_FORMATS.find((f) => f === value);
  if (known === undefined)
    throw new UsageError(`unknown --input-format "${value}"; use ${SOURCE_FORMATS.join(", ")}`);
  return known;
}

/**
 * What stops reading the inputs as a problem of the data or the config (exit 1): its message. A bad argument found
 * while reading is a UsageError; anything else is thrown again.
 */
export function inputProblem(error: unknown): string {
  if (error instanceof InputError) return error.message;
  if (error instanceof PipelineError) {
    if (error.usage) throw new UsageError(error.message);
    return error.message;
  }
  throw error;
}

/** Rows of cells as aligned columns, two spaces apart, indented by two. */
export function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]?.map((_, k) => Math.max(...rows.map((row) => (row[k] ?? "").length))) ?? [];
  return rows.map((row) => `  ${row.map((cell, k) => cell.padEnd(widths[k] ?? 0)).join("  ")}`.trimEnd());
}

/**
 * The inputs read as for pairing, and their entity's dedup file compiled with the records it pairs; or, when there
 * is nothing to pair, why (no records, or no dedup file for their entity).
 */
export async function readDedup(
  project: Project,
  pairs: readonly { source: string; input: string }[],
  options: { entity?: string | undefined; format?: SourceFormat | undefined },
  purpose: string,
): Promise<
  | { found: NonNullable<ReturnType<typeof dedupOf>>; unreadable: number }
  | { found: undefined; problem: string }
> {
  const { validated, unreadable, context } = await readValidated(project, pairs, options);
  const found = dedupOf(project, validated, context);
  if (found) return { found, unreadable };
  const entity = validated[0]?.pipeline.entity;
  return {
    found: undefined,
    problem:
      entity === undefined
        ? `the inputs hold no records to ${purpose}`
        : `no dedup rules for entity ${entity} under config/dedup/`,
  };
}
