/**
 * Rows out as a hive-partitioned folder, `DIR/COLUMN=value/part-0.parquet`, the layout Spark, DuckDB and Hive write
 * and read: the partition column lives in the folder names, not in the files; a null value (or empty text, as
 * Spark has it) is the folder `COLUMN=__HIVE_DEFAULT_PARTITION__`.
 *
 * The folder is written whole or not at all, like every output of a run: the partitions are written into a hidden
 * folder beside DIR and swapped in for DIR at commit, so no partition of an earlier run is left among the new ones.
 * Since that replaces DIR whole, DIR must be new, empty, or a partitioned folder (nothing but `KEY=value/` folders
 * of Parquet files); anything else is refused before any record is read.
 *
 * Memory holds one row group in all: when the rows buffered across the partitions reach the row-group size, every
 * partition's rows are written out as a row group of its file.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { TEMP_SUFFIX } from "../output-file.js";
import { typeName, type Column } from "./columns.js";
import { isSkipped, NULL_PARTITION, partitionOf } from "./folder.js";
import { encoderOf, ValueMismatch } from "./encode.js";
import { ParquetOutputError } from "./output-error.js";
import {
  openPart,
  ROW_GROUP_ROWS,
  rowError,
  type ParquetWriteOptions,
  type PartWriter,
  type RowWriter,
} from "./write.js";

/** The file each partition folder holds. */
export const PART_FILE = "part-0.parquet";

/**
 * Why `dir` cannot be replaced by a partitioned folder, or undefined when it can: it does not exist, is empty, or
 * holds nothing but partition folders of Parquet files (and hidden or `_` files, as a partitioned write leaves).
 */
export function unreplaceable(dir: string): string | undefined {
  let entries;
  try {
    if (!statSync(dir).isDirectory()) return `${dir} is a file, not a folder`;
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return undefined;
  }
  for (const entry of entries) {
    if (isSkipped(entry.name)) continue;
    const path = join(dir, entry.name);
    if (!entry.isDirectory() || partitionOf(entry.name) === undefined)
      return `${path} is not a partition folder`;
    for (const inner of readdirSync(path, { withFileTypes: true })) {
      if (isSkipped(inner.name)) continue;
      if (!inner.isFile() || !inner.name.endsWith(".parquet"))
        return `${join(path, inner.name)} is not a Parquet file`;
    }
  }
  return undefined;
}

/** The folder name of a partition value: Hive's escaping, so any text makes one folder name and reads back as itself. */
export function partitionFolder(column: string, value: string | number | boolean | null): string {
  const text = value === null || value === "" ? null : String(value);
  return `${escape(column)}=${text === null ? NULL_PARTITION : escape(text)}`;
}

/** The characters Hive escapes in partition names (path separators, `=`, `%`, controls and a few more), as %XX. */
function escape(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex -- control characters are among those escaped
    /[\u0000-\u001f\u007f"#%'*/:=?\\{}[\]^]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`,
  );
}

export function openPartitionedParquet(
  dir: string,
  columns: readonly Column[],
  partitionBy: string,
  options: ParquetWriteOptions = {},
): RowWriter {
  const column = columns.find((c) => c.name === partitionBy);
  if (column === undefined)
    throw new ParquetOutputError(
      `--partition-by ${partitionBy}: no such column (columns: ${columns.map((c) => c.name).join(", ")})`,
    );
  if (typeof column.type !== "string")
    throw new ParquetOutputError(
      `--partition-by ${partitionBy}: a ${typeName(column.type)} column cannot name a folder`,
    );
  const why = unreplaceable(dir);
  if (why !== undefined)
    throw new ParquetOutputError(
      `--out ${dir} would be replaced whole by the partitioned folder, and ${why}; name a new or empty folder`,
    );
  const target = resolve(dir);
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString("hex")}${TEMP_SUFFIX}`);
  mkdirSync(temp, { recursive: true });
  const fileColumns = columns.filter((c) => c !== column);
  const checkPartition = encoderOf(column.type);
  const groupRows = options.rowGroupRows ?? ROW_GROUP_ROWS;
  const error = rowError(dir);
  const counter = { rows: 0 };
  const parts = new Map<string, PartWriter>();
  let buffered = 0;
  let done = false;

  function abort(): void {
    done = true;
    for (const part of parts.values()) part.abort();
    rmSync(temp, { recursive: true, force: true });
  }

  return {
    write(row) {
      const value = row[partitionBy] ?? null;
      // The value must fit its column as it would in a file (a date column's value a date), and be one value.
      try {
        checkPartition(value);
      } catch (e) {
        if (e instanceof ValueMismatch) throw error(counter.rows + 1, partitionBy, e.message);
        throw e;
      }
      const folder = partitionFolder(partitionBy, value as string | number | boolean | null);
      let part = parts.get(folder);
      if (part === undefined) {
        part = openPart(join(temp, folder, PART_FILE), fileColumns, error, counter);
        parts.set(folder, part);
      }
      const { [partitionBy]: _partition, ...rest } = row;
      part.push(rest);
      if (++buffered >= groupRows) {
        for (const p of parts.values()) p.flush();
        buffered = 0;
      }
    },
    commit() {
      if (done) throw new Error(`${dir}: committed after commit or abort`);
      try {
        for (const part of parts.values()) part.commit();
        swapIn(temp, target);
        done = true;
      } catch (failure) {
        abort();
        throw failure;
      }
    },
    abort() {
      if (!done) abort();
    },
  };
}

/** Puts the new folder where the old one was: the old is moved aside, the new renamed in, then the old deleted. */
function swapIn(temp: string, target: string): void {
  let old: string | undefined;
  try {
    statSync(target);
    old = `${temp}.old`;
    renameSync(target, old);
  } catch (error) {
    if ((error as { code?: string }).code !== "ENOENT") throw error;
  }
  try {
    renameSync(temp, target);
  } catch (error) {
    // The old folder goes back where it was: a failed run leaves the earlier output as it found it.
    if (old !== undefined) renameSync(old, target);
    throw error;
  }
  if (old !== undefined) rmSync(old, { recursive: true, force: true });
}
