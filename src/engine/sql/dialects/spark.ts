/**
 * Spark SQL (3.5 and 4.x), run by the job under templates/spark/ (clue_job.py), which registers the Python UDFs
 * of templates/spark/clue_udfs.py: each clue function without a native form below, and the helpers this dialect
 * calls by name (HELPERS: JSON field extraction and JavaScript's number text, which Spark SQL cannot do exactly).
 *
 * Spark has no SQL macros, so forms that need a value twice repeat its SQL; Spark computes a repeated
 * deterministic expression once.
 */
import { translate } from "../../../regex/translate.js";
import type { Dialect, NativeForm, Sql } from "../dialect.js";
import { SqlUnsupported } from "../expr.js";
import { portableForms } from "../functions.js";
import { portableJsTrim, portableParseDecimal, sql } from "../semantics.js";
import { groupCount, groupNames, re2ToJava, replacementToJava } from "./spark-regex.js";

const ident = (name: string) => `\`${name.replaceAll("`", "``")}\``;
/** Spark reads backslash escapes in string literals: backslashes and quotes are escaped. */
const string = (text: string) =>
  `'${text.replaceAll("\\", "\\\\").replaceAll("'", "\\'").replaceAll("\n", "\\n").replaceAll("\r", "\\r").replaceAll("\u0000", "\\u0000")}'`;

/** The text of a string literal `string` wrote, or undefined for any other SQL (a column, a call). */
function literalText(sqlText: string): string | undefined {
  const m = /^'((?:[^'\\]|\\.)*)'$/s.exec(sqlText);
  if (m === null) return undefined;
  return (m[1] as string).replace(/\\(.)/gs, (_, c: string) => (c === "n" ? "\n" : c === "r" ? "\r" : c));
}

/** The Python helpers every job registers (templates/spark/clue_udfs.py HELPERS). */
export const HELPERS = {
  jsonExtract: "clue__json_extract",
  jsonExtractMany: "clue__json_extract_many",
  jsNumberText: "clue__js_number_text",
} as const;

/** JSON.stringify's escapes for the characters below U+0020 (the rest are written as \u00xx in lowercase hex). */
const SHORT_ESCAPES: Record<number, string> = { 8: "\\b", 9: "\\t", 10: "\\n", 12: "\\f", 13: "\\r" };

function escapeAll(text: string): string {
  // Backslash first, so the backslashes the later replacements add are not doubled.
  let out = `replace(replace(${text}, '\\\\', '\\\\\\\\'), '"', '\\\\"')`;
  for (let c = 0; c < 0x20; c++) {
    const escape = SHORT_ESCAPES[c] ?? `\\u${c.toString(16).padStart(4, "0")}`;
    out = `replace(${out}, chr(${c}), ${string(escape)})`;
  }
  return out;
}

const MAX_REGEX_INPUT = 10_000;
const MAX_TEXT_LENGTH = 1_000_000;
/** Edit distances are quadratic: clue gives null past this many code points (similarity.ts MAX_COMPARED). */
const MAX_COMPARED = 10_000;

/** The SQL of exactly n text arguments, or undefined (other types go to the UDF). */
function texts(args: readonly (Sql | undefined)[], n: number): string[] | undefined {
  return args.length === n && args.every((a) => a?.type === "text")
    ? args.map((a) => (a as Sql).sql)
    : undefined;
}

/** A native form of text arguments. */
function onTexts(n: number, build: (a: string[]) => string, returns: Sql["type"]): NativeForm {
  return (args) => {
    const t = texts(args, n);
    return t === undefined ? undefined : sql(build(t), returns);
  };
}

/** `text` at most `limit` UTF-16 units long (JavaScript's length), computed cheaply for the common short text. */
function withinUtf16(text: string, limit: number): string {
  return `(char_length(${text}) <= ${Math.floor(limit / 2)} OR ${spark.utf16Length(text)} <= ${limit})`;
}

/** A literal regex pattern of a call, in Java syntax and RE2's (for its groups), or undefined. */
function literalPattern(arg: Sql | undefined): { java: string; re2: string } | undefined {
  const pattern = arg?.type === "text" ? literalText(arg.sql) : undefined;
  if (pattern === undefined) return undefined;
  const translated = translate(pattern);
  // A pattern that does not compile gives null in clue; it is refused by `clue validate` before a run anyway.
  return translated.ok ? { java: re2ToJava(translated.source), re2: translated.source } : undefined;
}

function unsupported(fn: string, why: string): NativeForm {
  return () => {
    throw new SqlUnsupported(
      `${fn}() cannot run on Spark: ${why}; run this config with --engine js or duckdb`,
    );
  };
}

function needsLiteral(fn: string): never {
  throw new SqlUnsupported(
    `${fn}() cannot run on Spark with a pattern (or replacement) that is not a literal text: Spark matches with ` +
      `Java's regex engine, so clue translates each pattern when it compiles; run this config with --engine js or duckdb`,
  );
}

/**
 * The Spark function table: a native form where Spark SQL computes exactly what clue does, else (no entry) a
 * Python UDF from clue_udfs.py, else an error naming the function (functions the job has no implementation of).
 */
export const SPARK_FUNCTIONS: Readonly<Record<string, NativeForm>> = {
  ...portableForms,
  lower: asciiOrUdf((t) => `lower(${t})`),
  upper: asciiOrUdf((t) => `upper(${t})`),
  // Byte-wise on UTF-8, which for whole characters is what JavaScript's code-unit tests give.
  contains: onTexts(2, ([t, p]) => `contains(${t}, ${p})`, "boolean"),
  starts_with: onTexts(2, ([t, p]) => `startswith(${t}, ${p})`, "boolean"),
  ends_with: onTexts(2, ([t, p]) => `endswith(${t}, ${p})`, "boolean"),
  // Spark's levenshtein counts code points, as clue's does.
  levenshtein: onTexts(
    2,
    ([a, b]) =>
      `CASE WHEN char_length(${a}) <= ${MAX_COMPARED} AND char_length(${b}) <= ${MAX_COMPARED} ` +
      `THEN CAST(levenshtein(${a}, ${b}) AS DOUBLE) END`,
    "number",
  ),
  // least/greatest skip NULLs where clue gives null; + 0.0 turns -0 into 0 as finite() does.
  min: (args) => extreme("least", args),
  max: (args) => extreme("greatest", args),
  is_email: onTexts(1, ([t]) => isEmail(t as string), "boolean"),
  email_domain: onTexts(
    1,
    ([t]) => `CASE WHEN ${isEmail(t as string)} THEN lower(substring_index(${t}, '@', -1)) END`,
    "text",
  ),
  regex_matches: (args) => {
    const [text, pattern] = args;
    const p = literalPattern(pattern);
    if (p === undefined || text?.type !== "text" || args.length !== 2) return needsLiteral("regex_matches");
    return sql(
      `CASE WHEN ${withinUtf16(text.sql, MAX_REGEX_INPUT)} THEN (${text.sql} RLIKE ${string(p.java)}) END`,
      "boolean",
    );
  },
  regex_replace: (args) => {
    const [text, pattern, replacement] = args;
    const p = literalPattern(pattern);
    const by = replacement?.type === "text" ? literalText(replacement.sql) : undefined;
    const java =
      p && by !== undefined ? replacementToJava(by, groupCount(p.re2), groupNames(p.re2)) : undefined;
    if (p === undefined || java === undefined || text?.type !== "text" || args.length !== 3)
      return needsLiteral("regex_replace");
    const limit = Math.min(MAX_REGEX_INPUT, Math.floor(MAX_TEXT_LENGTH / ((by as string).length + 1)));
    return sql(
      `CASE WHEN ${withinUtf16(text.sql, limit)} THEN regexp_replace(${text.sql}, ${string(p.java)}, ${string(java)}) END`,
      "text",
    );
  },
  // The whole first match of a pattern without groups; RLIKE first, since regexp_extract gives '' for no match. A
  // group may take no part in a match, where clue gives null and Spark '': those forms are refused.
  regex_extract: (args) => {
    const [text, pattern] = args;
    const p = literalPattern(pattern);
    if (p === undefined || text?.type !== "text") return needsLiteral("regex_extract");
    if (args.length !== 2 || groupCount(p.re2) > 0)
      throw new SqlUnsupported(
        "regex_extract() runs on Spark for a whole match only (a pattern without groups, no group argument): " +
          "Spark's regexp_extract gives '' for a group that took no part in the match, where clue gives null; " +
          "use (?:...) for grouping, or run this config with --engine js or duckdb",
      );
    return sql(
      `CASE WHEN (${withinUtf16(text.sql, MAX_REGEX_INPUT)}) AND (${text.sql} RLIKE ${string(p.java)}) ` +
        `THEN regexp_extract(${text.sql}, ${string(p.java)}, 0) END`,
      "text",
    );
  },
  double_metaphone: unsupported("double_metaphone", "the Spark job has no Double Metaphone yet"),
  names_equivalent: unsupported("names_equivalent", "the Spark job does not ship the nickname list yet"),
  canonical_name: unsupported("canonical_name", "the Spark job does not ship the nickname list yet"),
  lookup: unsupported("lookup", "the Spark job does not ship reference tables yet"),
};

/**
 * ASCII text natively, other text through the function's UDF. Spark computes a Python UDF for every row whatever
 * branch of a CASE it is in, so the UDF is handed NULL for the ASCII rows (it returns at once) rather than the text.
 */
function asciiOrUdf(native: (text: string) => string): NativeForm {
  return (args, context) => {
    const [t] = texts(args, 1) ?? [];
    if (t === undefined) return undefined;
    const ascii = spark.isAscii(t);
    return sql(
      `CASE WHEN ${ascii} THEN ${native(t)} ELSE ${context.udf([sql(`CASE WHEN NOT ${ascii} THEN ${t} END`, "text")])} END`,
      "text",
    );
  };
}

function extreme(fn: "least" | "greatest", args: readonly (Sql | undefined)[]): Sql | undefined {
  if (args.length === 0 || !args.every((a) => a?.type === "number")) return undefined;
  const values = (args as readonly Sql[]).map((a) => a.sql);
  return sql(
    `CASE WHEN ${values.map((v) => `${v} IS NULL`).join(" OR ")} THEN NULL ELSE ${fn}(${values.join(", ")}) + 0.0 END`,
    "number",
  );
}

// email.ts: the WHATWG rule with a dotted domain, at most 254 characters, the last @ at index 1 to 64 (text that
// passes is ASCII, so characters and UTF-16 units count the same).
const ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
const EMAIL_JAVA = `^${ATOM}(?:\\.${ATOM})*@${LABEL}(?:\\.${LABEL})+\\z`;

function isEmail(text: string): string {
  const at = `(char_length(${text}) - char_length(substring_index(${text}, '@', -1)) - 1)`;
  return `(${text} RLIKE ${string(EMAIL_JAVA)} AND char_length(${text}) <= 254 AND ${at} BETWEEN 1 AND 64)`;
}

export const spark: Dialect = {
  name: "spark",
  ident,
  string,
  number: (n) => `CAST('${String(n)}' AS DOUBLE)`,
  boolean: (b) => (b ? "true" : "false"),
  nullOf: (type) => `CAST(NULL AS ${spark.types[type]})`,
  types: { text: "STRING", number: "DOUBLE", boolean: "BOOLEAN" },

  prelude: () => [],
  createView: (name, text) => `CREATE OR REPLACE TEMPORARY VIEW ${ident(name)} AS\n${text}`,
  // A table step is a temporary view the runner checkpoints before the next step reads it.
  createTable: (name, text) => `CREATE OR REPLACE TEMPORARY VIEW ${ident(name)} AS\n${text}`,
  keepsTableOrder: false,

  // Spark's get_json_object gives a JSON string's contents without its quotes, so the string "true" and the
  // boolean true look the same: fields are read by a Python helper that gives each value's JSON text as written
  // (strings quoted, number tokens as they are), parsing the record once for all the mapped paths.
  jsonExtract: (json, path) => `${HELPERS.jsonExtract}(${json}, ${string(JSON.stringify(path))})`,
  jsonExtractMany: (json, paths) => `${HELPERS.jsonExtractMany}(${json}, ${string(JSON.stringify(paths))})`,
  listItem: (list, index) => `element_at(${list}, ${index + 1})`,
  jsonKind: (json) =>
    `CASE WHEN ${json} IS NULL THEN NULL ELSE CASE substr(${json}, 1, 1) WHEN '"' THEN 'string' WHEN '{' THEN 'object' ` +
    `WHEN '[' THEN 'array' WHEN 't' THEN 'boolean' WHEN 'f' THEN 'boolean' WHEN 'n' THEN 'null' ELSE 'number' END END`,
  // The JSON string as the value of an object, which get_json_object unquotes and unescapes.
  jsonString: (json) => `get_json_object(concat('{"v":', ${json}, '}'), '$.v')`,
  jsonNumber: (json) => `CAST(${json} AS DOUBLE)`,
  jsonBoolean: (json) => `(${json} = 'true')`,

  // Text without control characters needs only \ and " escaped; the rare rest goes through every escape.
  jsonQuote: (text) =>
    `CASE WHEN ${text} IS NULL THEN NULL WHEN ${text} RLIKE '[\\\\x00-\\\\x1f]' THEN concat('"', ${escapeAll(text)}, '"') ` +
    `ELSE concat('"', replace(replace(${text}, '\\\\', '\\\\\\\\'), '"', '\\\\"'), '"') END`,
  // Whole numbers below 2^53 as BIGINT text; the others through the helper (Java's Double.toString is not
  // JavaScript's shortest form before Java 19). The helper gets NULL for the whole numbers, so it returns at once.
  jsNumberText: (n) => {
    const whole = `(${n} = floor(${n}) AND abs(${n}) < 9007199254740992)`;
    return (
      `CASE WHEN ${n} IS NULL THEN NULL WHEN ${whole} THEN CAST(CAST(${n} AS BIGINT) AS STRING) ` +
      `ELSE ${HELPERS.jsNumberText}(CASE WHEN ${whole} THEN NULL ELSE ${n} END) END`
    );
  },

  concat: (parts) => (parts.length === 1 ? (parts[0] as string) : `concat(${parts.join(", ")})`),
  build: (parts) => (parts.length === 1 ? (parts[0] as string) : `concat(${parts.join(", ")})`),
  concatSkippingNulls: (separator, parts) => `concat_ws(${string(separator)}, ${parts.join(", ")})`,
  regexMatches: (text, re2) => `(${text} RLIKE ${string(re2ToJava(re2))})`,
  regexReplaceAll: (text, re2, literal) =>
    `regexp_replace(${text}, ${string(re2ToJava(re2))}, ${string(literal.replaceAll("\\", "\\\\").replaceAll("$", "\\$"))})`,
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
