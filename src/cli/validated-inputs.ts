import type { Project } from "../config/project.js";
import { readRecords, type SourceFormat } from "../io/records.js";
import type { SourcePipeline } from "../pipeline/compile-pipeline.js";
import { runPipeline, type OutputRow } from "../pipeline/run.js";
import { prepareRun, projectContext, type OpenOptions } from "../pipeline/session.js";
import type { CallContext } from "../expr/function-def.js";
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
