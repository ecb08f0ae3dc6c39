/** JSON Lines (also called NDJSON): one JSON object per line. */
import { parseJsonObject } from "./json-object.js";
import { isPlainJsonObject } from "./plain-json.js";
import {
  BOM,
  MAX_DEAD_LETTER_TEXT,
  MAX_RECORD_CHARS,
  NOT_UTF8_REASON,
  cutText,
  hasLostBytes,
  runParser,
  UNPARSED,
} from "./record-parser.js";
import type { ParserOptions, RecordParser, SourceRecord } from "./record-parser.js";

export function createJsonlParser(options: ParserOptions = {}): RecordParser {
  const onDeadLetter = options.onDeadLetter;
  const maxChars = options.maxRecordChars ?? MAX_RECORD_CHARS;
  const plainText = options.plainText === true;
  /** The current line's text from earlier chunks; lines are the only thing carried between chunks. */
  let partial = "";
  let line = options.firstLine ?? 1;
  let atStart = options.firstLine === undefined;
  /**
   * The current line passed the size limit: it is discarded up to the next line end, keeping only its start for
   * the dead letter, which is sent when the line ends (so its text does not depend on where chunks were cut).
   */
  let skipping = false;
  let skippedText = "";
  /** Some text seen so far stood for bytes that were not UTF-8: lines are checked for it from then on. */
  let tainted = false;

  function take(text: string, out: SourceRecord[]): void {
    const end = text.endsWith("\r") ? text.length - 1 : text.length;
    const body = end === text.length ? text : text.slice(0, end);
    // Blank lines separate nothing in JSON Lines; editors and `cat a b` leave them around.
    if (body.length === 0 || (isSpace(body.charCodeAt(0)) && body.trim() === "")) return;
    if (body.length > maxChars) return tooLong(body);
    if (tainted && hasLostBytes(body)) {
      onDeadLetter?.({ line, reason: NOT_UTF8_REASON, text: cutText(body) });
      return;
    }
    if (plainText && isPlainJsonObject(body)) {
      out.push({ record: UNPARSED, line, text: body });
      return;
    }
    const result = parseJsonObject(body);
    if (result.ok) out.push({ record: result.record, line });
    else onDeadLetter?.({ line, reason: result.reason, text: cutText(body) });
  }

  function tooLong(text: string): void {
    onDeadLetter?.({ line, reason: `line is longer than ${maxChars} characters`, text: cutText(text) });
  }

  function keep(text: string): void {
    if (skippedText.length < MAX_DEAD_LETTER_TEXT) skippedText += text;
  }

  function endSkip(rest: string): void {
    keep(rest.slice(0, MAX_DEAD_LETTER_TEXT));
    const text = cutText(skippedText);
    tooLong(text.endsWith("\r") ? text.slice(0, -1) : text);
    skipping = false;
    skippedText = "";
  }

  return {
    push(chunk) {
      const out: SourceRecord[] = [];
      if (atStart && chunk.length > 0) {
        atStart = false;
        if (chunk.startsWith(BOM)) chunk = chunk.slice(1);
      }
      if (!tainted && hasLostBytes(chunk)) tainted = true;
      let start = 0;
      for (let nl = chunk.indexOf("\n"); nl !== -1; nl = chunk.indexOf("\n", start)) {
        if (skipping) endSkip(chunk.slice(start, nl));
        else take(partial === "" ? chunk.slice(start, nl) : partial + chunk.slice(start, nl), out);
        partial = "";
        line++;
        start = nl + 1;
      }
      if (skipping) keep(chunk.slice(start, start + MAX_DEAD_LETTER_TEXT));
      else if (start < chunk.length) {
        partial += chunk.slice(start);
        if (partial.length > maxChars) {
          skipping = true;
          keep(partial.slice(0, MAX_DEAD_LETTER_TEXT));
          partial = "";
        }
      }
      return out;
    },
    end() {
      const out: SourceRecord[] = [];
      if (skipping) endSkip("");
      else if (partial !== "") take(partial, out);
      partial = "";
      return out;
    },
  };
}

/** Parses JSON Lines held in memory (any chunking), e.g. in tests. */
export function parseJsonl(chunks: Iterable<string>, options?: ParserOptions): Generator<SourceRecord> {
  return runParser(createJsonlParser(options), chunks);
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 13;
}
