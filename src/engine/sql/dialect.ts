/**
 * What differs between the SQL engines: quoting, literals, type names, the SQL forms of a few building blocks, and
 * which clue functions have a native form with clue's exact semantics (the others are UDFs running clue's own
 * implementation). One file per dialect under dialects/; the compiler (expr.ts, stages/) writes SQL only through
 * this interface.
 *
 * Builders take SQL text and return SQL text. An argument may be any expression: a builder that needs a value twice
 * repeats its text, so dialects keep such forms in helper macros (plan.prelude) where the engine has them.
 */
import type { SqlEngine, SqlType } from "./plan.js";

/** A compiled SQL expression and the type of the values it gives. */
export interface Sql {
  sql: string;
  type: SqlType;
  /**
   * Where the value comes from, when the compiler knows: a field of the row read (not computed on the way), or a
   * constant. Optional: lets Bindings look a UDF's results up by distinct value (Bindings `lookups`).
   */
  origin?: "field" | "constant";
}

/**
 * A native form of a clue function: the SQL for a call, given the arguments (compiled, in parameter order; an
 * omitted trailing optional parameter is undefined), or undefined when this form does not apply to these argument
 * types (the call is then a UDF). A native form must give exactly what clue's implementation gives, nulls included.
 */
export type NativeForm = (args: readonly (Sql | undefined)[], context: FormContext) => Sql | undefined;

/** What a native form may use: the dialect, and the call's own UDF (for the values a guarded form hands back). */
export interface FormContext {
  d: Dialect;
  /** The SQL of this call as a UDF on these arguments (registering the UDF with the plan). */
  udf(args: readonly Sql[]): string;
}

/** How a JSON value found in a record is told apart: what `jsonKind` gives. */
export type JsonKind = "string" | "number" | "boolean" | "null" | "object" | "array";

export interface Dialect {
  name: SqlEngine;
  /** A quoted identifier (column, view or table name). */
  ident(name: string): string;
  /** A string literal holding exactly `text`. */
  string(text: string): string;
  /** A DOUBLE literal holding exactly `n` (finite). */
  number(n: number): string;
  boolean(b: boolean): string;
  /** NULL of a type. */
  nullOf(type: SqlType): string;
  /** The SQL type names. */
  types: Record<SqlType, string>;

  // --- statements -------------------------------------------------------------------------------------------------
  /** Statements to run before anything else (helper macros); may be empty. */
  prelude(): string[];
  /** Helper UDFs the prelude's macros call (src/engine/udfs.ts HELPER_UDFS): every plan in the dialect lists them. */
  helpers?: Readonly<Record<string, { args: SqlType[]; returns: SqlType }>>;
  createView(name: string, sql: string): string;
  createTable(name: string, sql: string): string;
  /**
   * Whether a table created from a query ending in ORDER BY is read back in that order by a plain scan (DuckDB,
   * when the runner keeps insertion order): a plan then sorts a table once, before its rows become long JSON texts,
   * instead of sorting the output (see SqlStep `ordered`).
   */
  keepsTableOrder: boolean;

  // --- JSON in: reading fields out of a record's JSON text ---------------------------------------------------------
  /** The JSON text of the value at `path` (a JSONPath of names and indexes, `$.a.b[0]`), or NULL when missing. */
  jsonExtract(json: string, path: readonly (string | number)[]): string;
  /** The JSON texts at several paths as one list, reading the JSON once (listItem picks them out). */
  jsonExtractMany(json: string, paths: readonly (readonly (string | number)[])[]): string;
  /** Item `index` (0-based) of a list. */
  listItem(list: string, index: number): string;
  /** What a JSON text holds, as one of the JsonKind words; NULL for a NULL argument. */
  jsonKind(json: string): string;
  /** The text a JSON string holds. */
  jsonString(json: string): string;
  /** The number a JSON number holds, as a DOUBLE. */
  jsonNumber(json: string): string;
  /** The boolean a JSON boolean holds. */
  jsonBoolean(json: string): string;

  // --- JSON out: writing rows exactly as JavaScript's JSON.stringify does ------------------------------------------
  /** A string as JSON.stringify writes it (escapes as JavaScript writes them: lowercase hex, \n, \t...). */
  jsonQuote(text: string): string;
  /** A number as JavaScript prints it (String(n): 1, 0.5, 1e+21, 1e-7; -0 as 0). */
  jsNumberText(n: string): string;

  // --- text ---------------------------------------------------------------------------------------------------------
  /** Concatenation that is NULL when any part is (`||`). */
  concat(parts: readonly string[]): string;
  /**
   * Concatenation of parts none of which is NULL, in one go (JSON rows are built of dozens of parts: `||` copies
   * the growing text at each step).
   */
  build(parts: readonly string[]): string;
  /** Concatenation that skips NULL parts (NULL only... never: "" when every part is NULL). */
  concatSkippingNulls(separator: string, parts: readonly string[]): string;
  /** Whether an RE2 pattern (as src/regex/translate.ts writes it) matches anywhere in text. */
  regexMatches(text: string, re2: string): string;
  /** Every match of an RE2 pattern replaced with a literal text. */
  regexReplaceAll(text: string, re2: string, literal: string): string;
  /** Text with the characters of `chars` (a literal set) removed from both ends. */
  trimChars(text: string, chars: string): string;
  /** Length in Unicode code points. */
  codePointLength(text: string): string;
  /** Length in UTF-16 code units (JavaScript's `length`). */
  utf16Length(text: string): string;
  /** Whether text holds a character outside the Basic Multilingual Plane (where UTF-16 and code point order part). */
  hasAstral(text: string): string;
  /** Whether text is all ASCII. */
  isAscii(text: string): string;
  lowerAscii(text: string): string;
  upperAscii(text: string): string;
  /** SHA-256 of the UTF-8 bytes as 64 lowercase hex digits. */
  sha256(text: string): string;

  /** JavaScript's trim(): JS_WHITESPACE removed from both ends (semantics.ts). */
  jsTrim(text: string): string;
  /** types.ts parseDecimal: the DOUBLE a text holds in strict decimal syntax once trimmed, else NULL. */
  parseDecimal(text: string): string;

  // --- numbers --------------------------------------------------------------------------------------------------------
  /** Text to DOUBLE, NULL when it does not convert. */
  tryDouble(text: string): string;
  isFinite(n: string): string;
  /** JavaScript's `%` (the sign of the dividend), divisor not zero. */
  remainder(a: string, b: string): string;

  // --- aggregates and lists ---------------------------------------------------------------------------------------------
  /** A struct of named fields (compared field by field, in order, as a sort key). */
  structOf(fields: readonly (readonly [string, string])[]): string;
  /** A field of a struct. */
  field(struct: string, name: string): string;
  /** The value at the row of the greatest key among the rows where `where` holds (an aggregate). */
  argMax(value: string, key: string, where: string): string;
  /** string_agg(expr, separator ORDER BY orderBy) */
  stringAgg(expr: string, separator: string, orderBy: string): string;

  /** Native forms of clue functions; a function missing here (or whose form declines) is a UDF. */
  functions: Readonly<Record<string, NativeForm>>;
}
