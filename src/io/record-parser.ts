/** The contract every format parser in this folder follows: text chunks in, records and dead letters out. */

export interface SourceRecord {
  record: Record<string, unknown>;
  /** 1-based line where the record starts. */
  line: number;
  /**
   * The record's JSON text as the file has it, when the reader was asked to hand plain texts on unparsed
   * (`plainText`, see plain-json.ts): `record` is then {@link UNPARSED}, and only the text says what it holds.
   */
  text?: string;
}

/** The `record` of a record handed on as its text (SourceRecord.text). */
export const UNPARSED: Record<string, unknown> = Object.freeze({});

/** A record that could not be read; the run goes on without it (SPEC §9). */
export interface DeadLetter {
  line: number;
  reason: string;
  /** The raw text of the bad record, cut at {@link MAX_DEAD_LETTER_TEXT} characters. */
  text: string;
}

export interface ParserOptions {
  /** Bad records are dropped silently when no one listens. */
  onDeadLetter?: (d: DeadLetter) => void;
  /** Named in InputError messages; parsers never touch the file system. */
  path?: string;
  /** A record longer than this is not buffered any further (see {@link MAX_RECORD_CHARS}). */
  maxRecordChars?: number;
  /**
   * The line the text starts on, when it is a piece of a file that starts at a record (worker threads parse a file
   * in pieces, see src/parallel/): lines count from here, and a leading BOM is data, as it would be mid-file.
   */
  firstLine?: number;
  /**
   * JSON Lines only: a line that is a plain JSON object (plain-json.ts) comes as its text, unparsed, for a reader of
   * JSON text (the DuckDB engine); other lines are parsed as usual.
   */
  plainText?: boolean;
}

/**
 * Incremental parser: `push` any slice of the text (boundaries may fall anywhere, even inside a CRLF or a quoted
 * field) and get the records completed by it; `end` flushes the last one. Batches keep the per-record cost of the
 * async plumbing in `readRecords` low.
 */
export interface RecordParser {
  push(chunk: string): SourceRecord[];
  end(): SourceRecord[];
}

export const MAX_DEAD_LETTER_TEXT = 10_000;

/**
 * One record is held in memory while it is read, so a file without line ends (or an unterminated quote) would
 * otherwise grow a single string until V8's ~512M-character limit crashes the process. Master-data records are
 * kilobytes; 16M characters leaves a wide margin.
 */
export const MAX_RECORD_CHARS = 16 * 1024 * 1024;

export const BOM = "\uFEFF";

/**
 * Stands in the text for bytes of the file that are not UTF-8 (see utf8.ts). Decoding valid UTF-8 never gives a
 * lone surrogate, so unlike U+FFFD (which a file may well hold) any lone surrogate in a record's text marks bytes
 * that were lost: the parsers make such a record a dead letter rather than pass on altered text.
 */
export const NOT_UTF8 = "\uDFFF";

export const NOT_UTF8_REASON =
  "invalid UTF-8: the record holds bytes that are not UTF-8 text (shown as \uFFFD); save the file as UTF-8";

type Es2024String = { isWellFormed(): boolean; toWellFormed(): string };

/** Whether the text holds a lone surrogate, i.e. (in text from a file) bytes that were not UTF-8. */
export function hasLostBytes(text: string): boolean {
  // String.prototype.isWellFormed is ES2024 (Node 20 has it); the project's lib setting stops at ES2023.
  return !(text as unknown as Es2024String).isWellFormed();
}

/** A record's text as a dead letter shows it: at most {@link MAX_DEAD_LETTER_TEXT} characters, lost bytes as U+FFFD. */
export function cutText(text: string): string {
  const cut = text.length > MAX_DEAD_LETTER_TEXT ? text.slice(0, MAX_DEAD_LETTER_TEXT) : text;
  return hasLostBytes(cut) ? (cut as unknown as Es2024String).toWellFormed() : cut;
}

/** ` (lines 3 to 5)` for a record that spans lines; nothing for one on a single line. */
export function lineSpan(first: number, last: number): string {
  return last > first ? ` (lines ${first} to ${last})` : "";
}

/** Runs a parser over in-memory chunks: the synchronous face of each format, for tests and small inputs. */
export function* runParser(parser: RecordParser, chunks: Iterable<string>): Generator<SourceRecord> {
  for (const chunk of chunks) yield* parser.push(chunk);
  yield* parser.end();
}
