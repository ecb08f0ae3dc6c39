/**
 * CSV as RFC 4180 describes it, with the rules of SPEC §9: the first row is the header; an empty unquoted field is
 * null and a quoted empty field (`""`) the empty string; a UTF-8 BOM and CRLF or LF line ends are accepted.
 *
 * Choices beyond the RFC:
 * - values are kept exactly as written, leading spaces included (FEBRL-style `id, name, city` files): trimming is
 *   the mapping's and cleaning's job, and a reader that trims cannot be undone;
 * - a row with fewer fields than the header gets null for the missing ones (common in exports), a row with more is
 *   a dead letter: the extra values would have no column to go to;
 * - blank lines are skipped anywhere, so a one-column file cannot hold a null row;
 * - a quote is special only at the start of a field: `ab"c`, or text after a closing quote, is a dead letter;
 * - a lone CR (without LF) is data, not a line end;
 * - a record longer than the size limit is a dead letter, and reading resumes where the record really ends: the
 *   scanner keeps following its quotes without keeping its text, so a long quoted field full of line ends does not
 *   turn into made-up rows. Only a quote that is never closed loses the rest of the file, and says so.
 */
import { InputError } from "./input-error.js";
import { buildRecord, headerKeys } from "./csv-header.js";
import type { CsvKeys } from "./csv-header.js";
import {
  BOM,
  MAX_DEAD_LETTER_TEXT,
  MAX_RECORD_CHARS,
  NOT_UTF8_REASON,
  cutText,
  hasLostBytes,
  lineSpan,
  runParser,
} from "./record-parser.js";
import type { ParserOptions, RecordParser, SourceRecord } from "./record-parser.js";

/** How a CSV file departs from RFC 4180's defaults (a mapping's `csv:`). */
export interface CsvDialect {
  /** One character; comma by default. Never guessed: a `;` inside a comma file's value would fool a guess. */
  delimiter?: string;
  /** Skip spaces after a delimiter, so `a, "b"` reads as `a` and `b` (Python's skipinitialspace). */
  skipInitialSpace?: boolean;
}

export interface CsvOptions extends ParserOptions, CsvDialect {
  /** The header's columns, when the text starts after it (a piece of a file parsed by a worker thread). */
  keys?: CsvKeys;
  /** Told the header's columns once they are read. */
  onHeader?: (keys: CsvKeys) => void;
}

// Scanner states: plain constants, as enums are not erasable syntax. Exported for src/parallel/cut.ts, which
// follows them to find where records end.
export const FIELD_START = 0;
export const UNQUOTED = 1;
export const QUOTED = 2;
/** Just read a quote inside a quoted field: either the closing quote or the first half of `""`. */
export const AFTER_QUOTE = 3;
export const CR_AFTER_QUOTE = 4;
/** The record is bad; skip to the end of its line, then report it. */
export const SKIP_LINE = 5;
const STOPPED = 6;

const NL = 10;
const CR = 13;
const QUOTE = 34;
const SPACE = 32;

export function createCsvParser(options: CsvOptions = {}): RecordParser {
  const delimiter = options.delimiter ?? ",";
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === "\n" || delimiter === "\r") {
    throw new TypeError(
      `a CSV delimiter is one character other than a quote or a line end, not ${JSON.stringify(delimiter)}`,
    );
  }
  const delim = delimiter.charCodeAt(0);
  const skipSpace = options.skipInitialSpace === true;
  const path = options.path ?? "";
  const onDeadLetter = options.onDeadLetter;
  const maxChars = options.maxRecordChars ?? MAX_RECORD_CHARS;

  let keys: CsvKeys | undefined = options.keys;
  let state = FIELD_START;
  let atStart = options.firstLine === undefined;
  let line = options.firstLine ?? 1;
  let recordLine = line;
  let quoteLine = line;
  let values: (string | null)[] = [];
  /** The current field's raw text from earlier chunks. */
  let fieldCarried = "";
  let hasEscapedQuote = false;
  /** The current record's raw text from earlier chunks, only as much as a dead letter shows. */
  let recordCarried = "";
  let recordChars = 0;
  let skipReason = "";
  /**
   * The current record has passed the size limit: its values are no longer kept (only the start of its text, for
   * the dead letter), but the scanner still follows it to its end, where the dead letter is sent.
   */
  let oversized = false;
  /** Some text seen so far stood for bytes that were not UTF-8: records are checked for it from then on. */
  let tainted = false;

  /** The record's raw text for a dead letter: what earlier chunks held, then `chunk` from `start` to `end`. */
  function rawText(chunk: string, start: number, end: number): string {
    const text = recordCarried + chunk.slice(start, end);
    return text.endsWith("\r") ? text.slice(0, -1) : text;
  }

  function tooLongReason(): string {
    return `record is longer than ${maxChars} characters${lineSpan(recordLine, line)}`;
  }

  function endRecord(out: SourceRecord[], chunk: string, start: number, end: number): void {
    const fields = values;
    values = [];
    if (oversized || recordChars + (end - start) > maxChars) {
      // Checked here as well as between chunks, so the outcome never depends on where the chunks were cut.
      oversized = false;
      badRecord(tooLongReason(), rawText(chunk, start, end));
      return;
    }
    // A blank line reads as one empty field.
    if (fields.length === 1 && fields[0] === null) return;
    if (tainted && fields.some((v) => v !== null && hasLostBytes(v))) {
      badRecord(NOT_UTF8_REASON, rawText(chunk, start, end));
      return;
    }
    if (keys === undefined) {
      keys = headerKeys(fields, path, recordLine);
      options.onHeader?.(keys);
    } else if (fields.length > keys.length) {
      const reason = `row has ${fields.length} fields, the header has ${keys.length}`;
      onDeadLetter?.({ line: recordLine, reason, text: cutText(rawText(chunk, start, end)) });
    } else out.push({ record: buildRecord(keys, fields), line: recordLine });
  }

  function badRecord(reason: string, text: string): void {
    // Without a header no row can be named, so a bad header stops the file instead of shifting every row.
    if (keys === undefined) throw new InputError(`the CSV header is malformed: ${reason}`, path, recordLine);
    onDeadLetter?.({ line: recordLine, reason, text: cutText(text) });
    values = [];
    oversized = false;
  }

  function push(chunk: string): SourceRecord[] {
    const out: SourceRecord[] = [];
    if (atStart && chunk.length > 0) {
      atStart = false;
      if (chunk.startsWith(BOM)) chunk = chunk.slice(1);
    }
    if (!tainted && hasLostBytes(chunk)) tainted = true;
    const n = chunk.length;
    let i = 0;
    let fieldStart = 0;
    let recordStart = 0;
    const nextRecord = (nlIndex: number): void => {
      line++;
      recordLine = line;
      recordStart = nlIndex + 1;
      recordCarried = "";
      recordChars = 0;
      state = FIELD_START;
    };

    while (i < n && state !== STOPPED) {
      let c = chunk.charCodeAt(i);
      if (state === FIELD_START) {
        if (skipSpace && c === SPACE) {
          i++;
          continue;
        }
        if (c === QUOTE) {
          state = QUOTED;
          quoteLine = line;
          hasEscapedQuote = false;
          fieldStart = ++i;
          continue;
        }
        if (c === delim) {
          values.push(null);
          i++;
          continue;
        }
        if (c === NL) {
          values.push(null);
          endRecord(out, chunk, recordStart, i);
          nextRecord(i++);
          continue;
        }
        state = UNQUOTED;
        fieldStart = i;
      }
      if (state === UNQUOTED) {
        while (c !== delim && c !== NL && c !== QUOTE && ++i < n) c = chunk.charCodeAt(i);
        if (i === n) break;
        if (c === QUOTE) {
          state = SKIP_LINE;
          skipReason = `a quote inside an unquoted field (line ${line}); quote the whole field and double the quote`;
          continue;
        }
        let value = fieldCarried + chunk.slice(fieldStart, i);
        fieldCarried = "";
        if (c === NL && value.endsWith("\r")) value = value.slice(0, -1);
        values.push(value === "" ? null : value);
        if (c === NL) {
          endRecord(out, chunk, recordStart, i);
          nextRecord(i);
        } else state = FIELD_START;
        i++;
        continue;
      }
      if (state === QUOTED) {
        while (c !== QUOTE) {
          if (c === NL) line++;
          if (++i === n) break;
          c = chunk.charCodeAt(i);
        }
        if (i === n) break;
        state = AFTER_QUOTE;
        i++;
        continue;
      }
      if (state === AFTER_QUOTE) {
        if (c === QUOTE) {
          hasEscapedQuote = true;
          state = QUOTED;
          i++;
          continue;
        }
        if (c === delim || c === NL || c === CR) {
          // The text so far ends with the closing quote, which is not part of the value.
          const raw = fieldCarried + chunk.slice(fieldStart, i);
          fieldCarried = "";
          const value = raw.slice(0, -1);
          values.push(hasEscapedQuote ? value.replaceAll('""', '"') : value);
          if (c === delim) state = FIELD_START;
          else if (c === CR) state = CR_AFTER_QUOTE;
          else {
            endRecord(out, chunk, recordStart, i);
            nextRecord(i);
          }
          i++;
          continue;
        }
        state = SKIP_LINE;
        skipReason = `unexpected text after a closing quote (line ${line})`;
        continue;
      }
      if (state === CR_AFTER_QUOTE) {
        if (c === NL) {
          endRecord(out, chunk, recordStart, i);
          nextRecord(i++);
          continue;
        }
        state = SKIP_LINE;
        skipReason = `unexpected text after a closing quote (line ${line})`;
        continue;
      }
      // SKIP_LINE: the quotes of a broken record cannot be trusted, so the next line end is taken as its end.
      const nl = chunk.indexOf("\n", i);
      if (nl === -1) break;
      badRecord(oversized ? tooLongReason() : skipReason, rawText(chunk, recordStart, nl));
      fieldCarried = "";
      nextRecord(nl);
      i = nl + 1;
    }

    if (state === STOPPED) return out;
    if (!oversized && state !== FIELD_START && state !== SKIP_LINE && state !== CR_AFTER_QUOTE) {
      fieldCarried += chunk.slice(fieldStart);
    }
    if (recordCarried.length < MAX_DEAD_LETTER_TEXT) {
      recordCarried += chunk.slice(recordStart, recordStart + MAX_DEAD_LETTER_TEXT);
    }
    recordChars += n - recordStart;
    if (recordChars > maxChars && !oversized) {
      // The header names every column: past the limit it cannot be read, and nor can any row.
      if (keys === undefined) badRecord(`record is longer than ${maxChars} characters`, recordCarried);
      oversized = true;
    }
    if (oversized) {
      // At most one chunk's worth of values (a line of commas) is held before it is dropped again.
      values = [];
      fieldCarried = "";
    }
    return out;
  }

  function end(): SourceRecord[] {
    const out: SourceRecord[] = [];
    const text = rawText("", 0, 0);
    if (oversized && state === QUOTED) {
      badRecord(
        `record is longer than ${maxChars} characters: the quote opened on line ${quoteLine} is never closed, ` +
          `so the rest of the file, from line ${recordLine}, could not be read`,
        text,
      );
    } else if (state === UNQUOTED) {
      const value = fieldCarried.endsWith("\r") ? fieldCarried.slice(0, -1) : fieldCarried;
      values.push(value === "" ? null : value);
      endRecord(out, "", 0, 0);
    } else if (state === FIELD_START && (values.length > 0 || oversized)) {
      // The last line ends with a delimiter and no line end: one more (empty) field.
      values.push(null);
      endRecord(out, "", 0, 0);
    } else if (state === AFTER_QUOTE) {
      const value = fieldCarried.slice(0, -1);
      values.push(hasEscapedQuote ? value.replaceAll('""', '"') : value);
      endRecord(out, "", 0, 0);
    } else if (state === CR_AFTER_QUOTE) {
      endRecord(out, "", 0, 0);
    } else if (state === QUOTED) {
      badRecord(`unterminated quoted field: the quote opened on line ${quoteLine} is never closed`, text);
    } else if (state === SKIP_LINE) {
      badRecord(oversized ? tooLongReason() : skipReason, text);
    }
    state = STOPPED;
    fieldCarried = "";
    recordCarried = "";
    return out;
  }

  return { push, end };
}

/** Parses CSV held in memory (any chunking), e.g. in tests. */
export function parseCsv(chunks: Iterable<string>, options?: CsvOptions): Generator<SourceRecord> {
  return runParser(createCsvParser(options), chunks);
}
