/** The contract every format parser in this folder follows: text chunks in, records and dead letters out. */

export interface SourceRecord {
  record: Record<string, unknown>;
  /** 1-based line where the record starts. */
  line: number;
}

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

export function cutText(text: string): string {
  return text.length > MAX_DEAD_LETTER_TEXT ? text.slice(0, MAX_DEAD_LETTER_TEXT) : text;
}

/** Runs a parser over in-memory chunks: the synchronous face of each format, for tests and small inputs. */
export function* runParser(parser: RecordParser, chunks: Iterable<string>): Generator<SourceRecord> {
  for (const chunk of chunks) yield* parser.push(chunk);
  yield* parser.end();
}
