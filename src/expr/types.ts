/**
 * Values of the expression language: what records hold once parsed from JSON or CSV. Dates and datetimes are ISO
 * 8601 strings at run time (`2024-05-01`, `2024-05-01T10:00:00Z`), so they compare and sort as text.
 */
export type Value = string | number | boolean | null | Value[] | { [key: string]: Value };

/** Static types the checker knows. `date` and `datetime` are strings that also say what they hold. */
export type ExprType = "string" | "number" | "boolean" | "date" | "datetime" | "list" | "any";

/** Whether a value of type `actual` may be passed where `expected` is wanted. */
export function isAssignable(actual: ExprType, expected: ExprType | readonly ExprType[]): boolean {
  const wanted = typeof expected === "string" ? [expected] : expected;
  if (actual === "any" || wanted.includes("any")) return true;
  if (wanted.includes(actual)) return true;
  // A date or datetime is a string; a string may hold a date (it is checked at run time).
  if (wanted.includes("string") && (actual === "date" || actual === "datetime")) return true;
  if ((wanted.includes("date") || wanted.includes("datetime")) && actual === "string") return true;
  return false;
}

export function describeType(type: ExprType | readonly ExprType[]): string {
  return typeof type === "string" ? type : type.join(" or ");
}

/** The expression type of an entity field type. */
export function fieldType(type: string): ExprType {
  if (type === "integer" || type === "number") return "number";
  if (type === "boolean" || type === "date" || type === "datetime" || type === "string") return type;
  return "any";
}

/** A value as text: strings as they are, numbers and booleans as written, lists and objects as JSON. */
export function textOf(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value) ?? "";
}

/**
 * The longest text an expression handles: a function given longer text, or that would produce it, gives null.
 * Nested replacements can otherwise grow a value exponentially until the process dies.
 */
export const MAX_TEXT_LENGTH = 1_000_000;

/**
 * Regexes run over untrusted values on RE2 (src/regex/), in time linear in the value but also proportional to the
 * pattern's size, and a global replacement searches once per match; so they see at most this many characters (a
 * longer value fails a regex check, and a regex function gives null), which keeps the worst value to seconds.
 */
export const MAX_REGEX_INPUT = 10_000;

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Per ASCII code, 1 for what never follows a digit in a decimal, not even before trailing spaces: + - / : and the
 * letters but E.
 */
const SETTLED_AFTER_DIGIT = (() => {
  const settled = new Uint8Array(128);
  for (const c of "+-/:") settled[c.charCodeAt(0)] = 1;
  for (let c = 65; c <= 90; c++) if (c !== 69) settled[c] = settled[c + 32] = 1;
  return settled;
})();

/** A decimal number written as text ("42", "-3.5", "1e3"), or undefined: no hex, binary, "Infinity" or blanks. */
export function parseDecimal(text: string): number | undefined {
  // Most text that starts like a number is digits with maybe a sign (an id, a phone in E.164), or digits and then a
  // sign or a separator no decimal has after a digit (a date, a time): both are settled in one scan without the
  // trim and the regex. Anything else (spaces, dots, exponents) takes the regex.
  const first = text.charCodeAt(0);
  let i = first === 43 || first === 45 ? 1 : 0;
  const start = i;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) break;
    i++;
  }
  if (i > start) {
    if (i === text.length) {
      const n = Number(text);
      return Number.isFinite(n) ? n : undefined;
    }
    if (SETTLED_AFTER_DIGIT[text.charCodeAt(i)] === 1) return undefined;
  }
  return parseDecimalText(text);
}

function parseDecimalText(text: string): number | undefined {
  const trimmed = text.trim();
  if (!DECIMAL.test(trimmed)) return undefined;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Equality with null semantics: null compared with anything is null. A number equals the string of the same
 * number, since CSV gives every value as text; other values of different types are not equal.
 */
export function equals(a: Value, b: Value): boolean | null {
  if (a === null || b === null) return null;
  if (a === b) return true;
  if (typeof a === "number" && typeof b === "string") return parseDecimal(b) === a;
  if (typeof a === "string" && typeof b === "number") return parseDecimal(a) === b;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => equals(x, b[i] ?? null) === true);
  return false;
}
