/**
 * Spark SQL (3.5 and 4.x). A skeleton: quoting, literals, types and the building blocks are written here; the
 * function table (SPARK_FUNCTIONS, at the end) is the Spark runner's to fill, one entry per clue function with an
 * exact native form; every function without one runs as a UDF (clue's implementation ported to Python).
 *
 * Spark has no SQL macros, so the helpers DuckDB keeps in its prelude are written inline here.
 */
import type { Dialect, NativeForm } from "../dialect.js";
import { portableForms } from "../functions.js";
import { portableJsTrim, portableParseDecimal } from "../semantics.js";

const ident = (name: string) => `\`${name.replaceAll("`", "``")}\``;
/** Spark reads backslash escapes in string literals: backslashes and quotes are escaped. */
const string = (text: string) =>
  `'${text.replaceAll("\\", "\\\\").replaceAll("'", "\\'").replaceAll("\n", "\\n").replaceAll("\r", "\\r").replaceAll("\u0000", "\\u0000")}'`;

function jsonPath(path: readonly (string | number)[]): string {
  return `$${path.map((p) => (typeof p === "number" ? `[${p}]` : `['${p.replaceAll("'", "\\'")}']`)).join("")}`;
}

/**
 * The Spark function table: clue function → native form (the Spark runner's to fill). The portable forms
 * (functions.ts) are written with the building blocks below; a function left out runs as a UDF.
 */
export const SPARK_FUNCTIONS: Readonly<Record<string, NativeForm>> = { ...portableForms };

export const spark: Dialect = {
  name: "spark",
  ident,
  string,
  number: (n) => `CAST('${String(n)}' AS DOUBLE)`,
  boolean: (b) => (b ? "true" : "false"),
  nullOf: (type) => `CAST(NULL AS ${spark.types[type]})`,
  types: { text: "STRING", number: "DOUBLE", boolean: "BOOLEAN" },

  prelude: () => [],
  createView: (name, sql) => `CREATE OR REPLACE TEMPORARY VIEW ${ident(name)} AS\n${sql}`,
  // A table step is a temporary view the runner caches (or checkpoints) before the next step reads it.
  createTable: (name, sql) => `CREATE OR REPLACE TEMPORARY VIEW ${ident(name)} AS\n${sql}`,

  // get_json_object gives a JSON string's contents unquoted, so kinds are read with to_json/from_json: the Spark
  // runner's to settle (see jsonKind).
  jsonExtract: (json, path) => `get_json_object(${json}, ${string(jsonPath(path))})`,
  jsonExtractMany: (json, paths) => `array(${paths.map((p) => spark.jsonExtract(json, p)).join(", ")})`,
  listItem: (list, index) => `element_at(${list}, ${index + 1})`,
  jsonKind: (json) =>
    `CASE WHEN ${json} IS NULL THEN NULL WHEN ${json} = 'null' THEN 'null' WHEN ${json} IN ('true', 'false') THEN 'boolean' ` +
    `WHEN ${json} RLIKE '^-?[0-9]' THEN 'number' WHEN ${json} RLIKE '^\\\\{' THEN 'object' WHEN ${json} RLIKE '^\\\\[' THEN 'array' ELSE 'string' END`,
  jsonString: (json) => json,
  jsonNumber: (json) => `CAST(${json} AS DOUBLE)`,
  jsonBoolean: (json) => `CAST(${json} AS BOOLEAN)`,

  jsonQuote: (text) => `to_json(named_struct('v', ${text}))`,
  jsNumberText: (n) => `CAST(${n} AS STRING)`,

  concat: (parts) => (parts.length === 1 ? (parts[0] as string) : `concat(${parts.join(", ")})`),
  build: (parts) => (parts.length === 1 ? (parts[0] as string) : `concat(${parts.join(", ")})`),
  concatSkippingNulls: (separator, parts) => `concat_ws(${string(separator)}, ${parts.join(", ")})`,
  regexMatches: (text, re2) => `(${text} RLIKE ${string(re2)})`,
  regexReplaceAll: (text, re2, literal) =>
    `regexp_replace(${text}, ${string(re2)}, ${string(literal.replaceAll("\\", "\\\\").replaceAll("$", "\\$"))})`,
  trimChars: (text, chars) => `trim(BOTH ${string(chars)} FROM ${text})`,
  codePointLength: (text) => `char_length(${text})`,
  utf16Length: (text) =>
    `(char_length(${text}) + char_length(regexp_replace(${text}, '[^\\\\x{10000}-\\\\x{10FFFF}]', '')))`,
  hasAstral: (text) => `(${text} RLIKE '[\\\\x{10000}-\\\\x{10FFFF}]')`,
  isAscii: (text) => `(octet_length(${text}) = char_length(${text}))`,
  lowerAscii: (text) => `lower(${text})`,
  upperAscii: (text) => `upper(${text})`,
  sha256: (text) => `sha2(${text}, 256)`,
  jsTrim: (text) => portableJsTrim(spark, text),
  parseDecimal: (text) => portableParseDecimal(spark, text),

  tryDouble: (text) => `try_cast(${text} AS DOUBLE)`,
  isFinite: (n) => `(${n} IS NOT NULL AND NOT isnan(${n}) AND abs(${n}) != double('infinity'))`,
  remainder: (a, b) => `(${a} % ${b})`,

  structOf: (fields) => `named_struct(${fields.map(([name, sql]) => `${string(name)}, ${sql}`).join(", ")})`,
  field: (struct, name) => `${struct}.${ident(name)}`,
  argMax: (value, key, where) =>
    `max_by(CASE WHEN ${where} THEN ${value} END, CASE WHEN ${where} THEN ${key} END)`,
  stringAgg: (expr, separator, orderBy) =>
    `array_join(transform(array_sort(collect_list(struct(${orderBy} AS k, ${expr} AS v))), x -> x.v), ${string(separator)})`,

  functions: SPARK_FUNCTIONS,
};
