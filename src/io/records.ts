/**
 * Streaming readers of source records: `clue run --input FILE` and the evaluator read sample data through here.
 * Memory stays flat whatever the file's length: only one chunk of text and the records it completes are held.
 */
import { createCsvParser, type CsvDialect } from "./csv.js";
import { createJsonArrayParser } from "./json-array.js";
import { createJsonlParser } from "./jsonl.js";
import type { DeadLetter, ParserOptions, RecordParser, SourceRecord } from "./record-parser.js";
import { flatten } from "./flatten.js";
import { textChunks } from "./text-chunks.js";

import { InputError } from "./input-error.js";
export { InputError };
export type { DeadLetter, SourceRecord } from "./record-parser.js";

export type SourceFormat = "jsonl" | "json" | "csv";

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
}

const MAX_SNIFF_CHARS = 1024 * 1024;

const parsers: Record<SourceFormat, (options: ParserOptions & CsvDialect) => RecordParser> = {
  jsonl: createJsonlParser,
  json: createJsonArrayParser,
  csv: createCsvParser,
};

const extensions: Record<string, SourceFormat> = {
  ".jsonl": "jsonl",
  ".ndjson": "jsonl",
  ".json": "json",
  ".csv": "csv",
};

/** The format a file's name announces (`.jsonl`/`.ndjson`, `.json`, `.csv`, each optionally + `.gz`), if any. */
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
export function sniffFormat(text: string): SourceFormat | undefined {
  const match = /[^\s\uFEFF]/.exec(text);
  if (match === null) return undefined;
  return match[0] === "[" ? "json" : match[0] === "{" ? "jsonl" : "csv";
}

/**
 * Streams the records of a file. Format from options, else from the extension, else sniffed. Gzip is detected by
 * its magic bytes. Bad records go to `onDeadLetter` and the reading goes on; a file that cannot be read at all
 * throws InputError (from the iteration, not from this call).
 */
export function readRecords(path: string, options: ReadOptions = {}): AsyncIterable<SourceRecord> {
  return flatten(() => recordBatches(path, options));
}

/** One batch per chunk of text: the parsers work a chunk at a time. */
async function* recordBatches(path: string, options: ReadOptions): AsyncGenerator<SourceRecord[]> {
  let format = options.format ?? formatOf(path);
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

function makeParser(format: SourceFormat, path: string, options: ReadOptions): RecordParser {
  const { onDeadLetter, delimiter, skipInitialSpace, maxRecordChars } = options;
  return parsers[format]({ path, onDeadLetter, delimiter, skipInitialSpace, maxRecordChars });
}
