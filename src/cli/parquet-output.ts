/**
 * `clue run --out FILE.parquet` and `--partition-by COLUMN --out DIR`: the rows of a stage as a Parquet file or a
 * hive-partitioned folder of them, typed by the stage's columns (pipeline/stage-columns.ts).
 */
import type { Project } from "../config/project.js";
import { ParquetOutputError } from "../io/parquet/output-error.js";
import type { RowWriter } from "../io/parquet/write.js";
import { stageColumns } from "../pipeline/stage-columns.js";
import { UsageError } from "./errors.js";

/** Whether the rows go out as Parquet: a partitioned folder, or a file named `.parquet`. */
export function isParquetOutput(out: string | undefined, partitionBy: string | undefined): boolean {
  return partitionBy !== undefined || (out !== undefined && /\.parquet$/i.test(out));
}

/**
 * Opens the output before any row is written, so a stage without columns or a bad folder is a usage error. The
 * writer is loaded only here: a run writing JSON Lines does not pay for its start-up.
 */
export async function openParquetOutput(
  project: Project,
  stage: string,
  entities: readonly string[],
  out: string,
  partitionBy: string | undefined,
): Promise<RowWriter> {
  const found = stageColumns(project, stage, entities);
  if (!found.ok) throw new UsageError(`cannot write --out ${out} as Parquet: ${found.error}`);
  const { openParquetFile } = await import("../io/parquet/write.js");
  const { openPartitionedParquet } = await import("../io/parquet/partitioned.js");
  try {
    return partitionBy === undefined
      ? openParquetFile(out, found.columns)
      : openPartitionedParquet(out, found.columns, partitionBy);
  } catch (error) {
    if (error instanceof ParquetOutputError) throw new UsageError(error.message);
    throw new UsageError(
      `cannot write --out ${out}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
