/**
 * A data file cut into pieces for worker threads. JSON Lines and CSV are cut where records end (cut.ts) and sent as
 * text, each piece to be parsed by a worker; what cannot be cut so is parsed here, on the main thread, and sent as
 * records: a JSON array (its elements are found by a tokenizer that must see the whole file), a CSV file up to and
 * with its header (the columns every later piece needs), and the rest of a file once a record runs past the size
 * limit (the parser then follows it to its end without keeping it, as it does in one thread).
 *
 * The pieces follow the file's chunks (src/io/text-chunks.ts) one for one: a piece holds the records that end in its
 * chunk, so the dead letters and records of each piece are the batches the one-thread reader hands out, and a run
 * writes its dead letters in the same order whatever the number of threads.
 */
import { createCsvParser, type CsvDialect } from "../io/csv.js";
import type { CsvKeys } from "../io/csv-header.js";
import { createJsonArrayParser } from "../io/json-array.js";
import { createJsonlParser } from "../io/jsonl.js";
import {
  MAX_RECORD_CHARS,
  type DeadLetter,
  type RecordParser,
  type SourceRecord,
} from "../io/record-parser.js";
import { formatOf, InputError, sniffFormat, type TextFormat } from "../io/records.js";
import { textChunks } from "../io/text-chunks.js";
import { countLines, csvCutter, jsonlCutter, type Cutter } from "./cut.js";

export type Piece =
  /** Text holding whole records, for a worker to parse; `end`: the file's last piece (the parser's `end()` too). */
  | {
      kind: "text";
      format: "jsonl" | "csv";
      text: string;
      /** The line the text starts on; undefined when it starts the file (a BOM there is dropped). */
      firstLine: number | undefined;
      /** CSV: the header's columns. */
      keys: CsvKeys | undefined;
      end: boolean;
    }
  /** Records parsed on the main thread, with the dead letters met on the way (they come first). */
  | { kind: "records"; records: SourceRecord[]; deadLetters: DeadLetter[] };

export interface PieceOptions {
  format?: TextFormat | undefined;
  csv: CsvDialect;
}

/** As in src/io/records.ts: past this much leading whitespace a file is taken for JSON Lines. */
const MAX_SNIFF_CHARS = 1024 * 1024;

/**
 * The pieces of a file, as `readRecords` would read it: format from the options, else the extension, else sniffed
 * from the first non-blank character; gzip inflated; a binary file refused. Throws InputError as the readers do.
 */
export async function* filePieces(path: string, options: PieceOptions): AsyncGenerator<Piece> {
  const named = options.format ?? formatOf(path);
  let format: TextFormat | undefined = named === "parquet" ? undefined : named;
  let cutter = format === undefined ? undefined : new PieceCutter(path, format, options.csv);
  let pending = "";
  let first = true;
  for await (const chunk of textChunks(path)) {
    if (first && chunk.slice(0, 8192).includes("\u0000")) {
      throw new InputError(`${path} looks binary (it holds NUL bytes), not JSON Lines, JSON or CSV`, path, 0);
    }
    first = false;
    if (cutter === undefined) {
      pending += chunk;
      format = sniffFormat(pending) ?? (pending.length > MAX_SNIFF_CHARS ? "jsonl" : undefined);
      if (format === undefined) continue;
      cutter = new PieceCutter(path, format, options.csv);
      yield* cutter.push(pending);
      pending = "";
      continue;
    }
    yield* cutter.push(chunk);
  }
  if (cutter !== undefined) yield* cutter.end();
}

/**
 * A text piece's records and dead letters, as a worker reads them: a parser that starts where the piece starts (its
 * line, the CSV header's columns) reads it as the one-thread parser reads that part of the file.
 */
export function parsePiece(
  piece: Extract<Piece, { kind: "text" }>,
  path: string,
  dialect: CsvDialect,
  onDeadLetter: (d: DeadLetter) => void,
  maxRecordChars = MAX_RECORD_CHARS,
): SourceRecord[] {
  const start = piece.firstLine === undefined ? {} : { firstLine: piece.firstLine };
  const options = { path, onDeadLetter, maxRecordChars, ...start };
  const parser =
    piece.format === "jsonl"
      ? createJsonlParser(options)
      : createCsvParser({ ...options, ...dialect, keys: piece.keys });
  const records = parser.push(piece.text);
  return piece.end ? records.concat(parser.end()) : records;
}

/** Cuts one file's chunks into pieces; falls back to parsing here (a local parser) where it must. */
export class PieceCutter {
  private readonly cutter: Cutter | undefined;
  /** The text after the last record end: the start of a record that ends in a later chunk. */
  private carry = "";
  /** The line the carry starts on; undefined while it starts the file. */
  private carryLine: number | undefined = undefined;
  private keys: CsvKeys | undefined;
  /** The parser of this thread: for a JSON array, a CSV header, and the rest of a file past a record too long. */
  private local: RecordParser | undefined;
  /** Whether every chunk now goes to `local` whole (no more cutting). */
  private localOnly: boolean;
  private letters: DeadLetter[] = [];

  constructor(
    private readonly path: string,
    private readonly format: TextFormat,
    private readonly dialect: CsvDialect,
    /** As the parsers' option (tests make it small to reach the fallback). */
    private readonly maxRecordChars = MAX_RECORD_CHARS,
  ) {
    const onDeadLetter = (d: DeadLetter) => this.letters.push(d);
    if (format === "json") {
      this.cutter = undefined;
      this.local = createJsonArrayParser({ path, onDeadLetter, maxRecordChars });
      this.localOnly = true;
    } else if (format === "csv") {
      this.cutter = csvCutter(dialect);
      // The header is read here: every later piece needs its columns.
      this.local = createCsvParser({
        path,
        onDeadLetter,
        maxRecordChars,
        ...dialect,
        onHeader: (keys) => (this.keys = keys),
      });
      this.localOnly = false;
    } else {
      this.cutter = jsonlCutter();
      this.local = undefined;
      this.localOnly = false;
    }
  }

  *push(chunk: string): Generator<Piece> {
    if (this.localOnly || this.cutter === undefined) {
      yield this.parsedHere((this.local as RecordParser).push(chunk));
      return;
    }
    const end = this.cutter.cut(chunk);
    if (end !== -1) {
      const text = this.carry + chunk.slice(0, end);
      const firstLine = this.carryLine;
      this.carry = chunk.slice(end);
      this.carryLine = (firstLine ?? 1) + countLines(text);
      if (this.format === "csv" && this.keys === undefined) {
        yield this.parsedHere((this.local as RecordParser).push(text));
        // Once the header is read, the parser of this thread is done with; the pieces after it go to workers.
        if (this.keys !== undefined) this.local = undefined;
      } else yield this.textPiece(text, firstLine, false);
    } else this.carry += chunk;
    if (this.carry.length > this.maxRecordChars) {
      // A record longer than the limit: the parser here follows it to its end (keeping only what its dead letter
      // shows), and reads the rest of the file.
      this.local ??= this.parserFrom(this.carryLine);
      this.localOnly = true;
      const carry = this.carry;
      this.carry = "";
      yield this.parsedHere(this.local.push(carry));
    }
  }

  *end(): Generator<Piece> {
    if (this.local !== undefined) {
      const local = this.local;
      const records = this.carry === "" ? [] : local.push(this.carry);
      this.carry = "";
      yield this.parsedHere([...records, ...local.end()]);
      return;
    }
    if (this.carry !== "") yield this.textPiece(this.carry, this.carryLine, true);
    this.carry = "";
  }

  private textPiece(text: string, firstLine: number | undefined, end: boolean): Piece {
    return { kind: "text", format: this.format as "jsonl" | "csv", text, firstLine, keys: this.keys, end };
  }

  private parsedHere(records: SourceRecord[]): Piece {
    const deadLetters = this.letters;
    this.letters = [];
    return { kind: "records", records, deadLetters };
  }

  /** A parser of this thread that starts at a record on `firstLine`, as a worker's would. */
  private parserFrom(firstLine: number | undefined): RecordParser {
    const options = {
      path: this.path,
      onDeadLetter: (d: DeadLetter) => this.letters.push(d),
      maxRecordChars: this.maxRecordChars,
      ...(firstLine === undefined ? {} : { firstLine }),
    };
    return this.format === "csv"
      ? createCsvParser({ ...options, ...this.dialect, keys: this.keys })
      : createJsonlParser(options);
  }
}
