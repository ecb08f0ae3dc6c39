/** Turning one JSON text into a record, shared by the JSON Lines and JSON array readers. */
import { randomBytes } from "node:crypto";
import { InexactNumber, markInexact, numberProblem } from "./exact-number.js";

export type JsonObjectResult = { ok: true; record: Record<string, unknown> } | { ok: false; reason: string };

/**
 * JSON.parse makes `__proto__` an own data property (no pollution by itself), but a later `Object.assign` or
 * `obj[key] = …` copy in the pipeline would turn it into a prototype change. Such keys are dropped at every depth,
 * as the CSV reader drops a `__proto__` column. The reviver is slow, so it only runs when the text mentions one.
 */
function dropProto(key: string, value: unknown): unknown {
  return key === "__proto__" ? undefined : value;
}

/**
 * Whether the text may hold a number JSON.parse would change (see exact-number.ts): one needs 16 digits in a row
 * or an exponent of three digits. Texts that pass go through a precise scan. Written out and as two expressions,
 * this is about 7 times as fast as `/\d{16}|[eE][+-]?\d{3}/`: some 15% of the cost of JSON.parse itself.
 */
const SIXTEEN_DIGITS = /\d\d\d\d\d\d\d\d\d\d\d\d\d\d\d\d/;
const LONG_EXPONENT = /[eE][-+]?\d\d\d/;

function maybeInexact(text: string): boolean {
  return SIXTEEN_DIGITS.test(text) || LONG_EXPONENT.test(text);
}

/**
 * Whether a parsed record may hold a number: a number among its values, or an object or array (not looked into).
 * Most records are flat text, and this look at their values costs a tenth of scanning their text.
 */
function holdsNumbers(record: object): boolean {
  for (const key in record) {
    const value: unknown = (record as Record<string, unknown>)[key];
    if (typeof value === "number" || (typeof value === "object" && value !== null)) return true;
  }
  return false;
}

export function parseJsonObject(text: string): JsonObjectResult {
  let value: unknown;
  try {
    value = text.includes("__proto__") ? JSON.parse(text, dropProto) : JSON.parse(text);
  } catch (e) {
    return { ok: false, reason: `not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    let record = value;
    try {
      if (holdsNumbers(value) && maybeInexact(text)) record = keepInexactNumbers(text, value);
    } catch (e) {
      // The reviver walks the record recursively: one nested many thousands of levels deep overflows the stack.
      if (!(e instanceof RangeError)) throw e;
      return { ok: false, reason: `too deeply nested to read its numbers exactly: ${e.message}` };
    }
    return { ok: true, record: record as Record<string, unknown> };
  }
  return { ok: false, reason: `not a JSON object (found ${describe(value)})` };
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}

/**
 * Stands, in a rewritten text, for the n-th inexact number. JSON.parse gives no access to a token's source text on
 * Node 20 (a reviver's `context.source` came later), so each such token is swapped for a string holding this
 * prefix and its index, and the reviver swaps it back for an InexactNumber. The random part keeps a string that is
 * really in the data from being taken for one.
 */
const PLACEHOLDER = `\u0000clue-number-${randomBytes(8).toString("hex")}:`;

/** The record parsed again from `text` (valid JSON) with every inexact number kept as an InexactNumber. */
function keepInexactNumbers(text: string, parsed: object): object {
  const found = inexactTokens(text);
  if (found.length === 0) return parsed;
  let rewritten = "";
  let from = 0;
  found.forEach((t, index) => {
    rewritten += text.slice(from, t.start) + JSON.stringify(`${PLACEHOLDER}${index}`);
    from = t.end;
  });
  rewritten += text.slice(from);
  const record = JSON.parse(rewritten, (key: string, value: unknown) => {
    if (key === "__proto__") return undefined;
    if (typeof value === "string" && value.startsWith(PLACEHOLDER)) {
      const t = found[Number(value.slice(PLACEHOLDER.length))];
      if (t) return new InexactNumber(text.slice(t.start, t.end), t.problem);
    }
    return value;
  }) as object;
  markInexact(record);
  return record;
}

interface Token {
  start: number;
  end: number;
  problem: string;
}

const QUOTE = 34;
const BACKSLASH = 92;
const MINUS = 45;

/** The number tokens of a valid JSON text that a JavaScript number cannot hold as written. */
function inexactTokens(text: string): Token[] {
  const found: Token[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // Skip the string: digits inside it are text, not numbers.
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === BACKSLASH) i++;
        else if (d === QUOTE) break;
      }
      i++;
    } else if (c === MINUS || isDigit(c)) {
      // In valid JSON a token starting this way is a number, and it ends at the first character no number holds.
      const start = i;
      while (++i < n && isNumberPart(text.charCodeAt(i)));
      const problem = numberProblem(text.slice(start, i));
      if (problem !== undefined) found.push({ start, end: i, problem });
    } else i++;
  }
  return found;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Digits, `.`, `e`/`E`, `+` and `-`. */
function isNumberPart(c: number): boolean {
  return isDigit(c) || c === 46 || c === 101 || c === 69 || c === 43 || c === MINUS;
}
