/**
 * Where records end in a file's text, found without parsing them, so that the main thread can hand worker threads
 * pieces of text that each hold whole records. A cutter is fed the file's chunks in order and says, for each, where
 * the last record that ends in it ends; the parsers (src/io/) then read each piece exactly as they read the file.
 */
import {
  AFTER_QUOTE,
  CR_AFTER_QUOTE,
  FIELD_START,
  QUOTED,
  SKIP_LINE,
  UNQUOTED,
  type CsvDialect,
} from "../io/csv.js";

export interface Cutter {
  /** The index just past the line end of the last record that ends in `chunk`, or -1 when none ends in it. */
  cut(chunk: string): number;
}

const NL = 10;
const CR = 13;
const QUOTE = 34;
const SPACE = 32;

/** JSON Lines: every line end ends a record (or a blank line, which is skipped). */
export function jsonlCutter(): Cutter {
  return {
    cut(chunk) {
      const nl = chunk.lastIndexOf("\n");
      return nl === -1 ? -1 : nl + 1;
    },
  };
}

/**
 * CSV: a line end ends a record unless it is inside a quoted field. The states follow src/io/csv.ts exactly (a quote
 * opens a field only at its start, `""` inside one is a quote, text after a closing quote or a quote inside an
 * unquoted field makes the record run to the next line end), so the records cut here are the records it reads.
 */
export function csvCutter(dialect: CsvDialect): Cutter {
  const delim = (dialect.delimiter ?? ",").charCodeAt(0);
  const skipSpace = dialect.skipInitialSpace === true;
  let state = FIELD_START;
  return {
    cut(chunk) {
      const n = chunk.length;
      let last = -1;
      let i = 0;
      // The next quote at or after i, looked up again only once passed: a chunk without quotes is scanned once.
      let quote = -1;
      while (i < n) {
        if (state === FIELD_START || state === UNQUOTED) {
          // No quote before the next line end: whatever the fields, the record ends there.
          const nl = chunk.indexOf("\n", i);
          if (quote !== n && quote < i) quote = chunk.indexOf('"', i);
          if (quote === -1) quote = n;
          if (nl !== -1 ? nl < quote : quote === n) {
            if (nl === -1) {
              if (n > i) state = fieldStateAfter(chunk, i, n, state, delim, skipSpace);
              break;
            }
            state = FIELD_START;
            i = nl + 1;
            last = i;
            continue;
          }
          // A quote comes first: it opens a quoted field only at a field's start.
          state = fieldStateAfter(chunk, i, quote, state, delim, skipSpace);
          state = state === FIELD_START ? QUOTED : SKIP_LINE;
          i = quote + 1;
          continue;
        }
        if (state === QUOTED) {
          if (quote !== n && quote < i) quote = chunk.indexOf('"', i);
          if (quote === -1) quote = n;
          if (quote === n) break;
          state = AFTER_QUOTE;
          i = quote + 1;
          continue;
        }
        const c = chunk.charCodeAt(i);
        if (state === AFTER_QUOTE) {
          if (c === QUOTE) state = QUOTED;
          else if (c === delim) state = FIELD_START;
          else if (c === CR) state = CR_AFTER_QUOTE;
          else if (c === NL) {
            state = FIELD_START;
            last = i + 1;
          } else {
            state = SKIP_LINE;
            continue;
          }
          i++;
          continue;
        }
        if (state === CR_AFTER_QUOTE) {
          if (c !== NL) {
            state = SKIP_LINE;
            continue;
          }
          state = FIELD_START;
          last = ++i;
          continue;
        }
        // SKIP_LINE: the next line end ends the record, whatever quotes come before it.
        const nl = chunk.indexOf("\n", i);
        if (nl === -1) break;
        state = FIELD_START;
        i = nl + 1;
        last = i;
      }
      return last;
    },
  };
}

/** FIELD_START or UNQUOTED after the characters from..to of a line (no quote or line end among them). */
function fieldStateAfter(
  text: string,
  from: number,
  to: number,
  state: number,
  delim: number,
  skipSpace: boolean,
): number {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === delim) state = FIELD_START;
    else if (state === FIELD_START && !(skipSpace && c === SPACE)) state = UNQUOTED;
  }
  return state;
}

/** How many line ends the text holds. */
export function countLines(text: string): number {
  let count = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) count++;
  return count;
}
