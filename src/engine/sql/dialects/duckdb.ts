/**
 * DuckDB's SQL (1.5). Helper forms that need a value more than once live in temporary macros (the prelude), so the
 * SQL a run prints stays readable; DuckDB expands them inline.
 */
import type { Dialect } from "../dialect.js";
import { duckdbForms } from "../functions.js";
import { DECIMAL_RE2, WHITESPACE_CLASS } from "../semantics.js";

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
/** A string literal; DuckDB's parser takes no NUL inside quotes, so NULs are joined in with chr(0). */
const string = (text: string): string =>
  text.includes("\u0000")
    ? `(${text
        .split("\u0000")
        .map((part) => `'${part.replaceAll("'", "''")}'`)
        .join(" || chr(0) || ")})`
    : `'${text.replaceAll("'", "''")}'`;

/** JSON.stringify's escapes for the characters below U+0020 (the rest are written as \u00xx in lowercase hex). */
const SHORT_ESCAPES: Record<number, string> = { 8: "\\b", 9: "\\t", 10: "\\n", 12: "\\f", 13: "\\r" };

function escapeControls(text: string): string {
  // Backslash first, so the backslashes the later replacements add are not doubled.
  let sql = `replace(replace(${text}, '\\', '\\\\'), '"', '\\"')`;
  for (let c = 0; c < 0x20; c++) {
    const escape = SHORT_ESCAPES[c] ?? `\\u${c.toString(16).padStart(4, "0")}`;
    sql = `replace(${sql}, chr(${c}), ${string(escape)})`;
  }
  return sql;
}

/**
 * The macros. clue_js_number_text writes a DOUBLE as ECMAScript's Number::toString does: a whole number below
 * 2^53 by its digits; otherwise DuckDB's shortest round-trip digits (CAST AS VARCHAR), which JavaScript writes the
 * same way unless DuckDB uses an exponent (1.5e-05, 1e+16; JavaScript writes 0.000015 and 10000000000000000), which
 * the helper UDF clue__js_number_text writes instead.
 */
const MACROS = [
  `CREATE OR REPLACE TEMP MACRO clue__js_plain(s, x) AS CASE
    WHEN contains(s, 'e') OR contains(s, 'n') THEN clue__js_number_text(x)
    WHEN ends_with(s, '.0') THEN substr(s, 1, length(s) - 2)
    ELSE s
  END`,
  `CREATE OR REPLACE TEMP MACRO clue_js_number_text(x) AS CASE
    WHEN x IS NULL THEN NULL
    WHEN x = trunc(x) AND abs(x) <= 9007199254740992 THEN CAST(CAST(x AS BIGINT) AS VARCHAR)
    ELSE clue__js_plain(CAST(x AS VARCHAR), x)
  END`,
  // The JSON texts a record's values come in are written compactly (by JavaScript, or by json_extract), so the
  // first character says what a value is, and a string without a backslash is its text between the quotes.
  `CREATE OR REPLACE TEMP MACRO clue_json_kind(j) AS CASE
    WHEN j IS NULL THEN NULL WHEN starts_with(j, '"') THEN 'string' WHEN j = 'null' THEN 'null'
    WHEN j = 'true' OR j = 'false' THEN 'boolean' WHEN starts_with(j, '{') THEN 'object' WHEN starts_with(j, '[') THEN 'array'
    ELSE 'number'
  END`,
  `CREATE OR REPLACE TEMP MACRO clue_json_string(j) AS CASE
    WHEN contains(j, '\\') THEN json_extract_string(j, '$') ELSE substr(j, 2, length(j) - 2)
  END`,
  // trim(s, characters) takes microseconds with a set this long; RE2 takes a tenth of that.
  `CREATE OR REPLACE TEMP MACRO clue_js_trim(s) AS regexp_replace(s, ${string(`^[${WHITESPACE_CLASS}]+|[${WHITESPACE_CLASS}]+$`)}, '', 'g')`,
  `CREATE OR REPLACE TEMP MACRO clue__decimal(t) AS CASE
    WHEN regexp_matches(t, ${string(DECIMAL_RE2)}) AND isfinite(TRY_CAST(t AS DOUBLE)) THEN TRY_CAST(t AS DOUBLE)
  END`,
  `CREATE OR REPLACE TEMP MACRO clue_parse_decimal(s) AS clue__decimal(clue_js_trim(s))`,
  `CREATE OR REPLACE TEMP MACRO clue_json_quote(s) AS CASE
    WHEN s IS NULL THEN NULL
    WHEN regexp_matches(s, '[\\x00-\\x1f"\\\\]') THEN '"' || ${escapeControls("s")} || '"'
    ELSE '"' || s || '"'
  END`,
];

/** A JSONPath as DuckDB reads it: `$."name"[0]`. */
function jsonPath(path: readonly (string | number)[]): string {
  return `$${path.map((p) => (typeof p === "number" ? `[${p}]` : `."${p.replaceAll('"', '\\"')}"`)).join("")}`;
}

export const duckdb: Dialect = {
  name: "duckdb",
  ident,
  string,
  number: (n) => `CAST('${String(n)}' AS DOUBLE)`,
  boolean: (b) => (b ? "true" : "false"),
  nullOf: (type) => `CAST(NULL AS ${duckdb.types[type]})`,
  types: { text: "VARCHAR", number: "DOUBLE", boolean: "BOOLEAN" },

  prelude: () => MACROS,
  helpers: { clue__js_number_text: { args: ["number"], returns: "text" } },
  createView: (name, sql) => `CREATE OR REPLACE TEMP VIEW ${ident(name)} AS\n${sql}`,
  createTable: (name, sql) => `CREATE OR REPLACE TABLE ${ident(name)} AS\n${sql}`,
  keepsTableOrder: true,

  jsonExtract: (json, path) => `json_extract(${json}, ${string(jsonPath(path))})`,
  jsonExtractMany: (json, paths) =>
    `json_extract(${json}, [${paths.map((p) => string(jsonPath(p))).join(", ")}])`,
  listItem: (list, index) => `${list}[${index + 1}]`,
  jsonKind: (json) => `clue_json_kind(${json})`,
  jsonString: (json) => `clue_json_string(${json})`,
  jsonNumber: (json) => `CAST(${json} AS DOUBLE)`,
  jsonBoolean: (json) => `CAST(${json} AS BOOLEAN)`,

  jsonQuote: (text) => `clue_json_quote(${text})`,
  jsNumberText: (n) => `clue_js_number_text(${n})`,

  concat: (parts) => (parts.length === 1 ? (parts[0] as string) : `(${parts.join(" || ")})`),
  build: (parts) => (parts.length === 1 ? (parts[0] as string) : `concat(${parts.join(", ")})`),
  concatSkippingNulls: (separator, parts) => `concat_ws(${string(separator)}, ${parts.join(", ")})`,
  regexMatches: (text, re2) => `regexp_matches(${text}, ${string(re2)})`,
  regexReplaceAll: (text, re2, literal) =>
    `regexp_replace(${text}, ${string(re2)}, ${string(literal.replaceAll("\\", "\\\\"))}, 'g')`,
  trimChars: (text, chars) => `trim(${text}, ${string(chars)})`,
  codePointLength: (text) => `length(${text})`,
  utf16Length: (text) =>
    `(length(${text}) + length(regexp_replace(${text}, '[^\\x{10000}-\\x{10FFFF}]', '', 'g')))`,
  hasAstral: (text) => `regexp_matches(${text}, '[\\x{10000}-\\x{10FFFF}]')`,
  isAscii: (text) => `(strlen(${text}) = length(${text}))`,
  lowerAscii: (text) => `lower(${text})`,
  upperAscii: (text) => `upper(${text})`,
  sha256: (text) => `sha256(${text})`,

  jsTrim: (text) => `clue_js_trim(${text})`,
  parseDecimal: (text) => `clue_parse_decimal(${text})`,
  tryDouble: (text) => `TRY_CAST(${text} AS DOUBLE)`,
  isFinite: (n) => `isfinite(${n})`,
  remainder: (a, b) => `(${a} % ${b})`,

  structOf: (fields) => `struct_pack(${fields.map(([name, sql]) => `${ident(name)} := ${sql}`).join(", ")})`,
  field: (struct, name) => `struct_extract(${struct}, ${string(name)})`,
  argMax: (value, key, where) => `arg_max(${value}, ${key}) FILTER (WHERE ${where})`,
  stringAgg: (expr, separator, orderBy) => `string_agg(${expr}, ${string(separator)} ORDER BY ${orderBy})`,

  functions: duckdbForms,
};
