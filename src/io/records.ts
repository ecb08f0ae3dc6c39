/**
 * Streaming readers of source records: `clue run --input FILE` and the evaluator read sample data through here.
 * Memory stays flat whatever the file's length: only one chunk of text and the records it completes are held (for
 * Parquet, one row group: see parquet/read.ts).
 */
import { open, stat } from "node:fs/promises";
import { createCsvParser, type CsvDialect } from "./csv.js";
import { createJsonArrayParser } from "./json-array.js";
import { createJsonlParser } from "./jsonl.js";
import type { DeadLetter, ParserOptions, RecordParser, SourceRecord } from "./record-parser.js";
import { flatten } from "./flatten.js";
import { textChunks } from "./text-chunks.js";

import { InputError } from "./input-error.js";
export { InputError };
export type { DeadLetter, SourceRecord } from "./record-parser.js";

/** The formats read as text, chunk by chunk. */
export type TextFormat = "jsonl" | "json" | "csv";
export type SourceFormat = TextFormat | "parquet";

/** Every format, as `--input-format` and a mapping's `format:` name them. */
export const SOURCE_FORMATS: readonly SourceFormat[] = ["jsonl", "json", "csv", "parquet"];

export interface ReadOptions {
  format?: SourceFormat;
  onDeadLetter?: (d: DeadLetter) => void;
  /** CSV only: one character, comma by default. */
  delimiter?: string;
  /** CSV only: skip spaces after a delimiter. */
  skipInitialSpace?: boolean;
  /** See MAX_RECORD_CHARS. */
  maxRecordChars?: number;
  /** Bytes per read, 64 KiB by default; tests make it tiny to put chunk boundaries everywhere. */
  chunkBytes?: number;
  /** JSON Lines only: plain records come as their text (ParserOptions.plainText). */
  plainText?: boolean;
}

const MAX_SNIFF_CHARS = 1024 * 1024;

const parsers: Record<TextFormat, (options: ParserOptions & CsvDialect) => RecordParser> = {
  jsonl: createJsonlParser,
  json: createJsonArrayParser,
  csv: createCsvParser,
};

const extensions: Record<string, SourceFormat> = {
  ".jsonl": "jsonl",
  ".ndjson": "jsonl",
  ".json": "json",
  ".csv": "csv",
  ".parquet": "parquet",
};

/**
 * The format a file's name announces (`.jsonl`/`.ndjson`, `.json`, `.csv`, each optionally + `.gz`, or `.parquet`),
 * if any.
 */
export function formatOf(path: string): SourceFormat | undefined {
  const name = path.toLowerCase().replace(/\.gz$/, "");
  const dot = name.lastIndexOf(".");
  if (dot === -1 || /[\\/]/.test(name.slice(dot))) return undefined;
  return extensions[name.slice(dot)];
}

/**
 * Guesses a nameless format from the first non-blank character: `[` opens a JSON array, `{` a JSON Lines object,
 * anything else is taken for a CSV header. Undefined while only whitespace has been seen.
 */
export function sniffFormat(text: string): TextFormat | undefined {
  const match = /[^\s\uFEFF]/.exec(text);
  if (match === null) return undefined;
  return match[0] === "[" ? "json" : match[0] === "{" ? "jsonl" : "csv";
}

/**
 * Streams the records of a file, or of a folder of Parquet files. Format from options, else from the extension,
 * else sniffed (a folder, or a file starting with Parquet's mark PAR1, is Parquet). Gzip is detected by its magic
 * bytes. Bad records go to `onDeadLetter` and the reading goes on; a file that cannot be read at all throws
 * InputError (from the iteration, not from this call).
 */
export function readRecords(path: string, options: ReadOptions = {}): AsyncIterable<SourceRecord> {
  return flatten(() => recordBatches(path, options));
}

/** One batch per chunk of text (the parsers work a chunk at a time), or per Parquet row group. */
async function* recordBatches(path: string, options: ReadOptions): AsyncGenerator<SourceRecord[]> {
  const byName = formatOf(path);
  const named = options.format ?? byName;
  // A Parquet file says what it is (it starts and ends with PAR1), and text cannot be read from a folder: both are
  // read as Parquet whatever format a mapping names for the source's files; but a folder whose own name says it is
  // text (`people.csv/`, as Spark writes CSV) is not taken for Parquet.
  if (named === "parquet" || (await isParquet(path, byName === undefined || byName === "parquet"))) {
    // Loaded only when needed: a run on JSON Lines does not pay for the Parquet decoder's start-up.
    const { parquetBatches } = await import("./parquet/read.js");
    yield* parquetBatches(path, { ...(options.onDeadLetter ? { onDeadLetter: options.onDeadLetter } : {}) });
    return;
  }
  yield* textBatches(path, named, options);
}

/**
 * A folder, or a regular file that starts and ends with Parquet's mark; false too when it cannot be read (the reader
 * says why). Only a regular file is opened: opening a FIFO (`--input /dev/stdin`) would wait for a writer, and what
 * it read would be lost to the text reader.
 */
async function isParquet(path: string, folders: boolean): Promise<boolean> {
  try {
    const found = await stat(path);
    if (found.isDirectory()) return folders;
    if (!found.isFile() || found.size < 12) return false;
    const handle = await open(path, "r");
    try {
      const { size } = await handle.stat();
      const head = Buffer.alloc(4);
      const tail = Buffer.alloc(4);
      await handle.read(head, 0, 4, 0);
      await handle.read(tail, 0, 4, size - 4);
      return head.toString("latin1") === "PAR1" && tail.toString("latin1") === "PAR1";
    } finally {
      await handle.close();
    }
  } catch {
    return false;
  }
}

async function* textBatches(
  path: string,
  named: TextFormat | undefined,
  options: ReadOptions,
): AsyncGenerator<SourceRecord[]> {
  let format = named;
  let parser = format === undefined ? undefined : makeParser(format, path, options);
  /** Text seen before the format could be sniffed (leading whitespace only, in practice). */
  let pending = "";
  let first = true;
  for await (const chunk of textChunks(path, options.chunkBytes)) {
    // Text data has no NUL characters; binary data has them early. Refusing it beats thousands of null records.
    if (first && chunk.slice(0, 8192).includes("\u0000")) {
      throw new InputError(`${path} looks binary (it holds NUL bytes), not JSON Lines, JSON or CSV`, path, 0);
    }
    first = false;
    if (parser === undefined) {
      pending += chunk;
      // A file of nothing but blank lines must not be buffered whole: past a limit JSON Lines is assumed, as it
      // skips blank lines without judging them.
      format = sniffFormat(pending) ?? (pending.length > MAX_SNIFF_CHARS ? "jsonl" : undefined);
      if (format === undefined) continue;
      parser = makeParser(format, path, options);
      yield parser.push(pending);
      pending = "";
      continue;
    }
    yield parser.push(chunk);
  }
  // A file with nothing but whitespace has no records, whatever its format.
  if (parser !== undefined) yield parser.end();
}

function makeParser(format: TextFormat, path: string, options: ReadOptions): RecordParser {
  const { onDeadLetter, delimiter, skipInitialSpace, maxRecordChars, plainText } = options;
  return parsers[format]({ path, onDeadLetter, delimiter, skipInitialSpace, maxRecordChars, plainText });
}
