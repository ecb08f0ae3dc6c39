/** JSON Lines (also called NDJSON): one JSON object per line. */
import { parseJsonObject } from "./json-object.js";
import { BOM, MAX_RECORD_CHARS, cutText, runParser } from "./record-parser.js";
import type { ParserOptions, RecordParser, SourceRecord } from "./record-parser.js";

export function createJsonlParser(options: ParserOptions = {}): RecordParser {
  const onDeadLetter = options.onDeadLetter;
  const maxChars = options.maxRecordChars ?? MAX_RECORD_CHARS;
  /** The current line's text from earlier chunks; lines are the only thing carried between chunks. */
  let partial = "";
  let line = 1;
  let atStart = true;
  /** An over-long line was reported; its remainder is discarded up to the next line end. */
  let skipping = false;

  function take(text: string, out: SourceRecord[]): void {
    const end = text.endsWith("\r") ? text.length - 1 : text.length;
    const body = end === text.length ? text : text.slice(0, end);
    // Blank lines separate nothing in JSON Lines; editors and `cat a b` leave them around.
    if (body.length === 0 || (isSpace(body.charCodeAt(0)) && body.trim() === "")) return;
    if (body.length > maxChars) return tooLong(body);
    const result = parseJsonObject(body);
    if (result.ok) out.push({ record: result.record, line });
    else onDeadLetter?.({ line, reason: result.reason, text: cutText(body) });
  }

  function tooLong(text: string): void {
    onDeadLetter?.({ line, reason: `line is longer than ${maxChars} characters`, text: cutText(text) });
  }

  return {
    push(chunk) {
      const out: SourceRecord[] = [];
      if (atStart && chunk.length > 0) {
        atStart = false;
        if (chunk.startsWith(BOM)) chunk = chunk.slice(1);
      }
      let start = 0;
      for (let nl = chunk.indexOf("\n"); nl !== -1; nl = chunk.indexOf("\n", start)) {
        if (skipping) skipping = false;
        else take(partial === "" ? chunk.slice(start, nl) : partial + chunk.slice(start, nl), out);
        partial = "";
        line++;
        start = nl + 1;
      }
      if (!skipping && start < chunk.length) {
        partial += chunk.slice(start);
        if (partial.length > maxChars) {
          tooLong(partial);
          partial = "";
          skipping = true;
        }
      }
      return out;
    },
    end() {
      const out: SourceRecord[] = [];
      if (!skipping && partial !== "") take(partial, out);
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
