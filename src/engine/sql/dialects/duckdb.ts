/**
 * DuckDB's SQL (1.5). Helper forms that need a value more than once live in temporary macros (the prelude), so the
 * SQL a run prints stays readable; DuckDB expands them inline.
 */
import type { Dialect } from "../dialect.js";
import { duckdbForms } from "../functions.js";
import { DECIMAL_RE2, JS_WHITESPACE } from "../semantics.js";

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
 * The macros. clue_js_number_text reads DuckDB's shortest round-trip digits of a DOUBLE (CAST AS VARCHAR gives them
 * as `123.0`, `1.5e-05` or `1e+16`) and writes them as ECMAScript's Number::toString does: plain digits from 1e-6
 * to 1e21, else `d.ddde±x`.
 */
const MACROS = [
  `CREATE OR REPLACE TEMP MACRO clue__js_format(d, n) AS CASE
    WHEN length(d) <= n AND n <= 21 THEN d || repeat('0', n - length(d))
    WHEN 0 < n AND n <= 21 THEN substr(d, 1, n) || '.' || substr(d, n + 1)
    WHEN -6 < n AND n <= 0 THEN '0.' || repeat('0', -n) || d
    ELSE substr(d, 1, 1) || CASE WHEN length(d) > 1 THEN '.' || substr(d, 2) ELSE '' END || 'e' ||
      CASE WHEN n - 1 >= 0 THEN '+' ELSE '-' END || CAST(abs(n - 1) AS VARCHAR)
  END`,
  `CREATE OR REPLACE TEMP MACRO clue__js_digits(i, f, e) AS clue__js_format(
    rtrim(ltrim(i || f, '0'), '0'),
    length(i) + e - (length(i || f) - length(ltrim(i || f, '0'))))`,
  `CREATE OR REPLACE TEMP MACRO clue__js_parts(p) AS clue__js_digits(
    struct_extract(p, 'i'), struct_extract(p, 'f'),
    CASE WHEN struct_extract(p, 'e') = '' THEN 0 ELSE CAST(struct_extract(p, 'e') AS INTEGER) END)`,
  `CREATE OR REPLACE TEMP MACRO clue_js_number_text(x) AS CASE
    WHEN x IS NULL THEN NULL
    WHEN x = 0 THEN '0'
    WHEN isnan(x) THEN 'NaN'
    WHEN isinf(x) THEN CASE WHEN x > 0 THEN 'Infinity' ELSE '-Infinity' END
    ELSE CASE WHEN x < 0 THEN '-' ELSE '' END || clue__js_parts(regexp_extract(CAST(abs(x) AS VARCHAR),
      '^([0-9]+)(?:\\.([0-9]*))?(?:e([+-]?[0-9]+))?$', ['i', 'f', 'e']))
  END`,
  `CREATE OR REPLACE TEMP MACRO clue_json_kind(j) AS CASE json_type(j)
    WHEN 'VARCHAR' THEN 'string' WHEN 'BOOLEAN' THEN 'boolean' WHEN 'NULL' THEN 'null' WHEN 'OBJECT' THEN 'object'
    WHEN 'ARRAY' THEN 'array' WHEN 'BIGINT' THEN 'number' WHEN 'UBIGINT' THEN 'number' WHEN 'DOUBLE' THEN 'number'
    WHEN 'HUGEINT' THEN 'number' WHEN 'UHUGEINT' THEN 'number'
  END`,
  `CREATE OR REPLACE TEMP MACRO clue_js_trim(s) AS trim(s, ${string(JS_WHITESPACE)})`,
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
  createView: (name, sql) => `CREATE OR REPLACE TEMP VIEW ${ident(name)} AS\n${sql}`,
  createTable: (name, sql) => `CREATE OR REPLACE TABLE ${ident(name)} AS\n${sql}`,

  jsonExtract: (json, path) => `json_extract(${json}, ${string(jsonPath(path))})`,
  jsonExtractMany: (json, paths) =>
    `json_extract(${json}, [${paths.map((p) => string(jsonPath(p))).join(", ")}])`,
  listItem: (list, index) => `${list}[${index + 1}]`,
  jsonKind: (json) => `clue_json_kind(${json})`,
  jsonString: (json) => `json_extract_string(${json}, '$')`,
  jsonNumber: (json) => `CAST(${json} AS DOUBLE)`,
  jsonBoolean: (json) => `CAST(${json} AS BOOLEAN)`,

  jsonQuote: (text) => `clue_json_quote(${text})`,
  jsNumberText: (n) => `clue_js_number_text(${n})`,

  concat: (parts) => (parts.length === 1 ? (parts[0] as string) : `(${parts.join(" || ")})`),
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

  stringAgg: (expr, separator, orderBy) => `string_agg(${expr}, ${string(separator)} ORDER BY ${orderBy})`,

  functions: duckdbForms,
};
