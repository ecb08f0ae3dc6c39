/**
 * A JSON file holding one top-level array of objects, read element by element so a 1 GB export streams. A small
 * tokenizer tracks brackets and strings only far enough to find where each top-level element ends; the element's
 * text then goes to JSON.parse, which is far faster than any JavaScript parser and gives the precise error.
 *
 * An element longer than the size limit is a dead letter, and the tokenizer keeps following its strings and
 * brackets (without keeping its text) to where it really ends, so the elements after it are all read.
 */
import { parseJsonObject } from "./json-object.js";
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

// Tokenizer states: plain constants, as enums are not erasable syntax.
const BEFORE_ARRAY = 0;
const BETWEEN_ELEMENTS = 1;
const IN_ELEMENT = 2;
const AFTER_ARRAY = 3;
const STOPPED = 4;
/** Stopped, but still collecting the rest of the offending line for the dead letter's text. */
const DRAINING = 5;

const NL = 10;
const QUOTE = 34;
const COMMA = 44;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const REST_LOST = "the rest of the file could not be read";

export function createJsonArrayParser(options: ParserOptions = {}): RecordParser {
  const onDeadLetter = options.onDeadLetter;
  const maxChars = options.maxRecordChars ?? MAX_RECORD_CHARS;
  let state: number = BEFORE_ARRAY;
  let line = 1;
  let atStart = true;
  // Current element: where it started, its text from earlier chunks, and the tokenizer's view of it.
  let elementLine = 0;
  let carried = "";
  /** The closing bracket expected for each open one, innermost last; a mismatch means we lost the structure. */
  const closers: number[] = [];
  let inString = false;
  let escaped = false;
  /** The current element has passed the size limit: only its first characters are kept, for the dead letter. */
  let oversized = false;
  let oversizedText = "";
  /** Some text seen so far stood for bytes that were not UTF-8: elements are checked for it from then on. */
  let tainted = false;

  function dead(at: number, reason: string, text: string): void {
    onDeadLetter?.({ line: at, reason, text: cutText(text) });
  }

  function finishElement(text: string, out: SourceRecord[]): void {
    if (tainted && hasLostBytes(text)) return dead(elementLine, NOT_UTF8_REASON, text.trim());
    const result = parseJsonObject(text);
    if (result.ok) out.push({ record: result.record, line: elementLine });
    else dead(elementLine, result.reason, text.trim());
  }

  let drainLine = 0;
  let drainReason = "";
  let drained = "";

  /** Stops at `chunk[i]`; the dead letter shows the text from there to the end of its line, whatever the chunks. */
  function stopShowingLine(reason: string, chunk: string, i: number): void {
    drainLine = line;
    drainReason = reason;
    drained = "";
    state = DRAINING;
    drain(chunk, i);
  }

  function drain(chunk: string, i: number): void {
    const nl = chunk.indexOf("\n", i);
    drained += chunk.slice(i, nl === -1 ? chunk.length : nl);
    if (nl !== -1 || drained.length >= MAX_DEAD_LETTER_TEXT) finishDrain();
  }

  function finishDrain(): void {
    stop(drainLine, drainReason, drained.endsWith("\r") ? drained.slice(0, -1) : drained);
    drained = "";
  }

  function stop(at: number, reason: string, text: string): void {
    dead(at, reason, text);
    state = STOPPED;
    carried = "";
  }

  function keepHead(text: string): void {
    if (oversizedText.length < MAX_DEAD_LETTER_TEXT) oversizedText += text;
  }

  /** Sends the dead letter of the oversized element that just ended. */
  function tooLong(reason: string): void {
    dead(elementLine, reason, cutText(oversizedText).trimEnd());
    oversized = false;
    oversizedText = "";
  }

  // Newlines and backslashes are rare, so rather than test every character for them, the scanner keeps the index
  // of the next one in the current chunk (-1: none left) and moves past them with indexOf.
  let nextNewline = -1;
  let nextBackslash = -1;

  /** Brings `line` up to date with position `pos` of the chunk; positions only move forward. */
  function countLines(chunk: string, pos: number): void {
    while (nextNewline !== -1 && nextNewline < pos) {
      line++;
      nextNewline = chunk.indexOf("\n", nextNewline + 1);
    }
  }

  /** Scans inside an element from `i`; returns the index of the `,` or `]` that ends it, or -1 at chunk end. */
  function scanElement(chunk: string, i: number, start: number): number {
    const n = chunk.length;
    while (i < n) {
      if (inString) {
        // Skip to the closing quote with indexOf: most of an element's text is inside strings. A raw newline
        // inside a string is invalid JSON, but usually a producer forgot to escape it while the quotes still
        // balance: JSON.parse rejects just this element and the next one reads fine.
        if (escaped) {
          escaped = false;
          i++;
          continue;
        }
        const quote = chunk.indexOf('"', i);
        if (nextBackslash !== -1 && nextBackslash < i) nextBackslash = chunk.indexOf("\\", i);
        if (nextBackslash !== -1 && (quote === -1 || nextBackslash < quote)) {
          escaped = true;
          i = nextBackslash + 1;
          continue;
        }
        if (quote === -1) return -1;
        inString = false;
        i = quote + 1;
        continue;
      }
      const c = chunk.charCodeAt(i);
      if (c === QUOTE) inString = true;
      else if (c === OPEN_BRACE) closers.push(CLOSE_BRACE);
      else if (c === OPEN_BRACKET) closers.push(CLOSE_BRACKET);
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (closers.length === 0 && c === CLOSE_BRACKET) return i;
        if (closers.pop() !== c) {
          countLines(chunk, i);
          const what = `unexpected "${String.fromCharCode(c)}" on line ${line}`;
          const text = (oversized ? oversizedText : carried) + chunk.slice(start, i + 1);
          stop(elementLine, `malformed element (${what}); ${REST_LOST}`, text);
          return n;
        }
      } else if (c === COMMA && closers.length === 0) return i;
      i++;
    }
    return -1;
  }

  function push(chunk: string): SourceRecord[] {
    const out: SourceRecord[] = [];
    if (atStart && chunk.length > 0) {
      atStart = false;
      if (chunk.startsWith(BOM)) chunk = chunk.slice(1);
    }
    if (!tainted && hasLostBytes(chunk)) tainted = true;
    const n = chunk.length;
    nextNewline = chunk.indexOf("\n");
    nextBackslash = chunk.indexOf("\\");
    let i = 0;
    if (state === DRAINING) drain(chunk, 0);
    while (i < n && state !== STOPPED && state !== DRAINING) {
      if (state === IN_ELEMENT) {
        const start = i;
        const end = scanElement(chunk, i, start);
        if (end === -1) {
          if (oversized) keepHead(chunk.slice(start, start + MAX_DEAD_LETTER_TEXT));
          else {
            carried += chunk.slice(start);
            if (carried.length > maxChars) {
              oversized = true;
              keepHead(carried.slice(0, MAX_DEAD_LETTER_TEXT));
              carried = "";
            }
          }
          break;
        }
        if (end === n) break; // stopped inside scanElement
        if (oversized || carried.length + (end - start) > maxChars) {
          // Checked here as well as between chunks, so the outcome never depends on where the chunks were cut.
          keepHead(
            carried.slice(0, MAX_DEAD_LETTER_TEXT) +
              chunk.slice(start, Math.min(end, start + MAX_DEAD_LETTER_TEXT)),
          );
          countLines(chunk, end);
          tooLong(`element is longer than ${maxChars} characters${lineSpan(elementLine, line)}`);
        } else
          finishElement(carried === "" ? chunk.slice(start, end) : carried + chunk.slice(start, end), out);
        carried = "";
        state = chunk.charCodeAt(end) === COMMA ? BETWEEN_ELEMENTS : AFTER_ARRAY;
        i = end + 1;
        continue;
      }
      const c = chunk.charCodeAt(i);
      if (isSpace(c)) {
        i++;
        continue;
      }
      countLines(chunk, i);
      if (state === BEFORE_ARRAY) {
        if (c === OPEN_BRACKET) state = BETWEEN_ELEMENTS;
        else {
          const hint = c === OPEN_BRACE ? `; for one object per line, name the file .jsonl` : "";
          stopShowingLine(`not a JSON array (the file starts with "${chunk[i]}")${hint}`, chunk, i);
        }
      } else if (state === BETWEEN_ELEMENTS) {
        // `]` here closes `[]`, or follows a trailing comma: harmless, so accepted.
        if (c === CLOSE_BRACKET) state = AFTER_ARRAY;
        else if (c === COMMA) dead(line, "empty element (two commas in a row)", ",");
        else {
          state = IN_ELEMENT;
          elementLine = line;
          continue; // the element's first character is scanned as part of it
        }
      } else if (state === AFTER_ARRAY) {
        stopShowingLine("unexpected text after the end of the array", chunk, i);
      }
      i++;
    }
    countLines(chunk, n);
    return out;
  }

  function end(): SourceRecord[] {
    const out: SourceRecord[] = [];
    if (state === IN_ELEMENT && oversized) {
      const whole = closers.length === 0 && !inString;
      tooLong(`element is longer than ${maxChars} characters${whole ? "" : ", and the file ends inside it"}`);
      dead(line, `the file ends before the array is closed (missing "]")`, "");
    } else if (state === IN_ELEMENT) {
      if (closers.length === 0 && !inString && carried.trim() !== "") {
        // A truncated file often ends right after a whole element: keep it, then report the missing `]`.
        finishElement(carried, out);
        dead(line, `the file ends before the array is closed (missing "]")`, "");
      } else {
        dead(elementLine, `the file ends inside this element; the array is not closed`, carried);
      }
    } else if (state === BETWEEN_ELEMENTS) {
      dead(line, `the file ends before the array is closed (missing "]")`, "");
    } else if (state === DRAINING) {
      finishDrain();
    }
    state = STOPPED;
    carried = "";
    return out;
  }

  return { push, end };
}

/** Parses a JSON array held in memory (any chunking), e.g. in tests. */
export function parseJsonArray(chunks: Iterable<string>, options?: ParserOptions): Generator<SourceRecord> {
  return runParser(createJsonArrayParser(options), chunks);
}

function isSpace(code: number): boolean {
  return code === 32 || code === NL || code === 13 || code === 9;
}
