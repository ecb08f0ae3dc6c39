/**
 * clue's value semantics (src/expr/types.ts, src/expr/compile.ts) written in SQL through a dialect: text of a value,
 * equality and order across types, JavaScript's trim and number parsing. Every form here gives exactly what the JS
 * evaluator gives, nulls included; where an engine cannot (JavaScript orders text by UTF-16 code units, SQL by code
 * points), the form falls back to a helper UDF for the values where the two differ.
 */
import type { Dialect, Sql } from "./dialect.js";
import type { SqlType } from "./plan.js";

/** What JavaScript's trim() and the regex `\s` take for whitespace (ECMAScript WhiteSpace and LineTerminator). */
export const JS_WHITESPACE =
  "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff";

/** The same set as an RE2 character class body. */
export const WHITESPACE_CLASS =
  "\\t\\n\\x{0B}\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}";

/** types.ts's DECIMAL, anchored, in RE2 syntax. */
export const DECIMAL_RE2 = "^[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?$";

/** The helper UDFs the semantics need (their JS implementations are in src/engine/udfs.ts). */
export const HELPERS = {
  /** -1, 0 or 1: JavaScript's order of two texts (UTF-16 code units). */
  compareText: "clue__compare_text",
} as const;

/** JavaScript's trim() from the dialect's building blocks, for dialects without a macro of their own. */
export function portableJsTrim(d: Dialect, text: string): string {
  return d.trimChars(text, JS_WHITESPACE);
}

/** parseDecimal (the DOUBLE a text holds in strict decimal syntax once trimmed, or NULL; never ±Infinity), likewise. */
export function portableParseDecimal(d: Dialect, text: string): string {
  const trimmed = d.jsTrim(text);
  const cast = d.tryDouble(trimmed);
  return `CASE WHEN ${d.regexMatches(trimmed, DECIMAL_RE2)} AND ${d.isFinite(cast)} THEN ${cast} END`;
}

/** textOf / asText: text as it is, a number as JavaScript prints it, a boolean as true or false. */
export function textOf(d: Dialect, v: Sql): string {
  switch (v.type) {
    case "text":
      return v.sql;
    case "number":
      return d.jsNumberText(v.sql);
    case "boolean":
      return `CASE WHEN ${v.sql} THEN 'true' WHEN NOT ${v.sql} THEN 'false' END`;
  }
}

/** A value as JSON.stringify writes it; `null` for NULL. */
export function jsonOf(d: Dialect, v: Sql): string {
  switch (v.type) {
    case "text":
      return `coalesce(${d.jsonQuote(v.sql)}, 'null')`;
    case "number":
      return `coalesce(${d.jsNumberText(v.sql)}, 'null')`;
    case "boolean":
      return `CASE WHEN ${v.sql} THEN 'true' WHEN NOT ${v.sql} THEN 'false' ELSE 'null' END`;
  }
}

const bothPresent = (a: Sql, b: Sql) => `${a.sql} IS NOT NULL AND ${b.sql} IS NOT NULL`;

/** `==` (types.ts equals): NULL when either side is; a number equals text holding the same number; else by type. */
export function equalsSql(d: Dialect, a: Sql, b: Sql): string {
  if (a.type === b.type) return `(${a.sql} = ${b.sql})`;
  if (a.type === "text" && b.type === "number")
    return `CASE WHEN ${bothPresent(a, b)} THEN coalesce(${d.parseDecimal(a.sql)} = ${b.sql}, false) END`;
  if (a.type === "number" && b.type === "text") return equalsSql(d, b, a);
  return `CASE WHEN ${bothPresent(a, b)} THEN false END`;
}

export type OrderOp = "<" | "<=" | ">" | ">=";

/** `<`, `<=`, `>`, `>=`: numbers by value, texts as JavaScript orders them, text against number as a number. */
export function orderSql(d: Dialect, a: Sql, b: Sql, op: OrderOp): string {
  if (a.type === "number" && b.type === "number") return `(${a.sql} ${op} ${b.sql})`;
  if (a.type === "text" && b.type === "text") {
    // Code point order (SQL's) and UTF-16 order (JavaScript's) part only where a text has a character beyond
    // U+FFFF: those pairs are compared by the helper.
    return (
      `CASE WHEN ${d.hasAstral(a.sql)} OR ${d.hasAstral(b.sql)} ` +
      `THEN ${HELPERS.compareText}(${a.sql}, ${b.sql}) ${op} 0 ELSE ${a.sql} ${op} ${b.sql} END`
    );
  }
  if (a.type === "text" && b.type === "number") return `(${d.parseDecimal(a.sql)} ${op} ${b.sql})`;
  if (a.type === "number" && b.type === "text") return `(${a.sql} ${op} ${d.parseDecimal(b.sql)})`;
  return "CAST(NULL AS BOOLEAN)";
}

/** A value where a boolean is wanted (`and`, `or`, `not`, a `when`): a non-boolean is unknown. */
export function asBoolean(d: Dialect, v: Sql): string {
  return v.type === "boolean" ? v.sql : d.nullOf("boolean");
}

/** finite(): a DOUBLE that is ±Infinity or NaN becomes NULL. */
export function finiteSql(d: Dialect, n: string): string {
  return `CASE WHEN ${d.isFinite(n)} THEN ${n} END`;
}

export function sql(text: string, type: SqlType): Sql {
  return { sql: text, type };
}
