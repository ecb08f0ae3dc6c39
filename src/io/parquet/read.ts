/**
 * Records from a Parquet file, or from a folder of them (hive-partitioned or not), one batch per row group: memory
 * holds one row group's columns and records at a time, whatever the file's size. A record's `line` is its row's
 * 1-based index within its file. A row holding a value no record can hold (text that is not UTF-8, a timestamp out
 * of range) is a dead letter naming its file, row group and column; a file or row group that cannot be read at all
 * (not Parquet, cut short, corrupt, a codec clue lacks) is an InputError naming the file and the row group.
 */
import type { FileHandle } from "node:fs/promises";
import { open, stat } from "node:fs/promises";
import {
  parquetMetadataAsync,
  parquetRead,
  parquetSchema,
  type AsyncBuffer,
  type FileMetaData,
  type RowGroup,
  type SchemaTree,
} from "hyparquet";
import { InexactNumber, markInexact } from "../exact-number.js";
import { InputError } from "../input-error.js";
import { cutText, type DeadLetter, type SourceRecord } from "../record-parser.js";
import { openError } from "../text-chunks.js";
import { decompressors } from "./codecs.js";
import { partFiles, type PartFile } from "./folder.js";
import {
  chunkRange,
  flatColumnReader,
  isFlat,
  leavesOf,
  readLeaf,
  type Leaf,
  type RowReader,
} from "./flat-columns.js";
import { converterOf, parsers, rawSchema, unsupported, type RowState } from "./values.js";

export interface ParquetReadOptions {
  onDeadLetter?: (d: DeadLetter) => void;
}

/** Every file a path names: itself, or the Parquet files of a folder. */
export async function* parquetBatches(
  path: string,
  options: ParquetReadOptions = {},
): AsyncGenerator<SourceRecord[]> {
  let folder: boolean;
  try {
    folder = (await stat(path)).isDirectory();
  } catch (e) {
    throw openError(path, e);
  }
  const files: PartFile[] = folder ? partFiles(path) : [{ path, partitions: {} }];
  for (const file of files) yield* fileBatches(file, options);
}

const MAGIC = "PAR1";

/**
 * Records are made from a row group's decoded columns a few thousand at a time: handed on in small batches they
 * die young (in V8's young generation), where a row group's worth at once (DuckDB writes 122,880 rows a group)
 * would be copied into the old generation first, doubling the memory a row group costs.
 */
const BATCH_ROWS = 2048;

async function* fileBatches(file: PartFile, options: ParquetReadOptions): AsyncGenerator<SourceRecord[]> {
  const { path } = file;
  let handle: FileHandle;
  try {
    handle = await open(path, "r");
  } catch (e) {
    throw openError(path, e);
  }
  try {
    const buffer = await fileBuffer(handle, path);
    const metadata = await readMetadata(buffer, path);
    const tree = parquetSchema(metadata);
    for (const column of tree.children) {
      const why = unsupported(column);
      if (why !== undefined) throw new InputError(`${path}: ${why}`, path);
    }
    const raw = rawSchema(metadata);
    const rawTree = parquetSchema(raw);
    const state: RowState = { problem: undefined, inexact: false };
    // `__proto__` is dropped, as the CSV reader drops such a column.
    const columns = tree.children
      .map((node, index) => ({ node, raw: rawTree.children[index] as SchemaTree }))
      .filter(({ node }) => node.element.name !== "__proto__")
      .map(({ node, raw: rawNode }) => ({
        name: node.element.name,
        node,
        flat: isFlat(node),
        /** Each leaf's path from the root in the raw schema, by its dotted name: what the page readers take. */
        leaves: new Map(
          leavesOf(rawTree, rawNode).map((p) => [
            p
              .slice(1)
              .map((n) => n.element.name)
              .join("."),
            p,
          ]),
        ),
        convert: converterOf(node, state),
      }));
    const nested = columns.filter((c) => !c.flat).map((c) => c.name);
    // A partition folder gives a field only where the file has no column of that name.
    const partitions = Object.entries(file.partitions).filter(
      ([key]) => !columns.some((c) => c.name === key),
    );
    const groups = metadata.row_groups;
    let groupStart = 0;
    for (let g = 0; g < groups.length; g++) {
      const group = groups[g] as RowGroup;
      const rows = Number(group.num_rows);
      const where = `${path} row group ${g + 1} of ${groups.length}`;
      const fail = (why: string, cause?: unknown) =>
        new InputError(
          `${where} (rows ${groupStart + 1} to ${groupStart + rows}) cannot be read: ${why}; the file is corrupt or was written by a tool clue cannot read`,
          path,
          groupStart + 1,
          cause === undefined ? undefined : { cause },
        );
      const leaves = await readFlatLeaves(buffer, group, columns, rows, fail);
      const data =
        nested.length === 0
          ? new Map()
          : await readGroup(buffer, raw, { start: groupStart, rows }, nested, fail);
      const readers = columns.map(({ name, node, flat, convert }): RowReader => {
        if (flat) return flatColumnReader(node, leaves, (leaf) => converterOf(leaf, state));
        const values = data.get(name) as ArrayLike<unknown>;
        return (i) => convert(values[i]);
      });
      for (let from = 0; from < rows; from += BATCH_ROWS) {
        const batch: SourceRecord[] = [];
        const to = Math.min(rows, from + BATCH_ROWS);
        for (let i = from; i < to; i++) {
          state.problem = undefined;
          state.inexact = false;
          const record: Record<string, unknown> = {};
          for (let c = 0; c < columns.length; c++)
            record[(columns[c] as { name: string }).name] = (readers[c] as RowReader)(i);
          for (const [key, value] of partitions) record[key] = value;
          const line = groupStart + i + 1;
          // Set by the converters as they ran (TypeScript cannot see that through the closures).
          const problem = state.problem as string | undefined;
          if (problem !== undefined) {
            options.onDeadLetter?.({ line, reason: `${where}: ${problem}`, text: cutText(show(record)) });
            continue;
          }
          if (state.inexact) markInexact(record);
          batch.push({ record, line });
        }
        yield batch;
      }
      groupStart += rows;
    }
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** A row as a dead letter shows it: JSON, with numbers kept as written. */
function show(record: Record<string, unknown>): string {
  return JSON.stringify(record, (_key, v: unknown) =>
    v instanceof InexactNumber ? v.text : typeof v === "bigint" ? v.toString() : v,
  );
}

/** The file as hyparquet reads it: byte ranges on demand, so only the footer and one row group are in memory. */
async function fileBuffer(handle: FileHandle, path: string): Promise<AsyncBuffer> {
  let size: number;
  try {
    size = (await handle.stat()).size;
  } catch (e) {
    throw openError(path, e);
  }
  const read = async (start: number, end: number): Promise<Uint8Array> => {
    const bytes = new Uint8Array(end - start);
    let done = 0;
    while (done < bytes.length) {
      const { bytesRead } = await handle.read(bytes, done, bytes.length - done, start + done);
      if (bytesRead === 0)
        throw new Error(`the file ended at byte ${start + done}: it changed while being read`);
      done += bytesRead;
    }
    return bytes;
  };
  const head = size >= 4 ? await read(0, 4) : new Uint8Array();
  const tail = size >= 8 ? await read(size - 4, size) : new Uint8Array();
  const starts = Buffer.from(head).toString("latin1") === MAGIC;
  const ends = Buffer.from(tail).toString("latin1");
  if (ends === "PARE")
    throw new InputError(`${path} is an encrypted Parquet file, which clue does not read`, path);
  if (!starts || ends !== MAGIC || size < 12) {
    const why = starts
      ? "it starts as a Parquet file but its end (the footer) is missing: it was cut short; copy or write it again"
      : "it does not start with PAR1, the mark of a Parquet file";
    throw new InputError(`${path} is not a readable Parquet file: ${why}`, path);
  }
  return {
    byteLength: size,
    slice: async (start, end = size) => {
      const bytes = await read(start, end);
      return bytes.buffer as ArrayBuffer;
    },
  };
}

async function readMetadata(buffer: AsyncBuffer, path: string): Promise<FileMetaData> {
  try {
    return await parquetMetadataAsync(buffer, { parsers });
  } catch (e) {
    throw new InputError(
      `${path}: the Parquet footer cannot be read (${message(e)}); the file is corrupt`,
      path,
      0,
      {
        cause: e,
      },
    );
  }
}

/**
 * The leaves of a row group's flat columns (see flat-columns.ts), by dotted path: their bytes are read in one
 * stretch, from the first leaf's first page to the last leaf's end.
 */
async function readFlatLeaves(
  buffer: AsyncBuffer,
  group: RowGroup,
  columns: readonly { name: string; flat: boolean; leaves: ReadonlyMap<string, SchemaTree[]> }[],
  rows: number,
  fail: (why: string, cause?: unknown) => InputError,
): Promise<Map<string, Leaf>> {
  const paths = new Map<string, SchemaTree[]>();
  for (const column of columns) if (column.flat) for (const [name, p] of column.leaves) paths.set(name, p);
  const chunks = group.columns
    .map((chunk) => ({ chunk, name: chunk.meta_data?.path_in_schema.join(".") ?? "" }))
    .filter(({ name }) => paths.has(name));
  const leaves = new Map<string, Leaf>();
  if (chunks.length === 0) return leaves;
  if (chunks.length !== paths.size)
    throw fail(`it has ${chunks.length} of the ${paths.size} columns its schema says`);
  let bytes: Uint8Array;
  let first = 0;
  try {
    const ranges = chunks.map(({ chunk }) => chunkRange(chunk));
    first = Math.min(...ranges.map((r) => r.start));
    bytes = new Uint8Array(await buffer.slice(first, Math.max(...ranges.map((r) => r.end))));
  } catch (e) {
    throw fail(message(e), e);
  }
  for (const { chunk, name } of chunks) {
    const { start, end } = chunkRange(chunk);
    try {
      leaves.set(
        name,
        readLeaf(bytes.subarray(start - first, end - first), chunk, paths.get(name) as SchemaTree[], rows),
      );
    } catch (e) {
      throw fail(`column ${name}: ${message(e)}`, e);
    }
  }
  return leaves;
}

/** One row group's nested columns (lists, maps, variants), assembled by hyparquet, each as an array of `rows` values. */
async function readGroup(
  buffer: AsyncBuffer,
  metadata: FileMetaData,
  group: { start: number; rows: number },
  names: readonly string[],
  fail: (why: string, cause?: unknown) => InputError,
): Promise<Map<string, ArrayLike<unknown>>> {
  const { start: groupStart, rows } = group;
  const chunks = new Map<string, { start: number; data: ArrayLike<unknown> }[]>();
  if (rows === 0) return new Map(names.map((name) => [name, []]));
  try {
    await parquetRead({
      file: buffer,
      metadata,
      rowStart: groupStart,
      rowEnd: groupStart + rows,
      columns: [...names],
      utf8: false,
      parsers,
      compressors: decompressors,
      onChunk: ({ columnName, columnData, rowStart }) => {
        const list = chunks.get(columnName) ?? [];
        list.push({ start: rowStart, data: columnData });
        chunks.set(columnName, list);
      },
    });
  } catch (e) {
    throw fail(message(e), e);
  }
  return new Map(
    names.map((name) => {
      const list = (chunks.get(name) ?? []).sort((a, b) => a.start - b.start);
      const only = list[0];
      if (list.length === 1 && only && only.start === groupStart && only.data.length === rows)
        return [name, only.data];
      const values: unknown[] = [];
      for (const { start, data } of list) {
        if (start !== groupStart + values.length) break;
        for (let i = 0; i < data.length; i++) values.push(data[i]);
      }
      if (values.length !== rows)
        throw fail(`column ${name} has ${values.length} values where the row group has ${rows} rows`);
      return [name, values];
    }),
  );
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
