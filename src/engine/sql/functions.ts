/**
 * Native SQL forms of clue functions that give exactly what clue's implementation gives (src/expr/functions), nulls
 * included, written with the dialect's building blocks so that every dialect can take them. A function without a
 * form here (or whose form declines these argument types) runs as a UDF: clue's own implementation.
 *
 * Guarded forms compute the common case natively and hand the rest to the UDF: lower() is SQL's lower() on ASCII
 * text, where the two agree, and clue's lower() on anything else (JavaScript lowercases "İ" to "i̇", DuckDB to "i").
 */
import type { FormContext, NativeForm, Sql } from "./dialect.js";
import { sql, textOf, WHITESPACE_CLASS } from "./semantics.js";

const allOf = (args: readonly (Sql | undefined)[], type: Sql["type"]): args is readonly Sql[] =>
  args.every((a) => a !== undefined && a.type === type);

/** A form for functions of one text (`text` typed argument only; a number or boolean goes to the UDF). */
function onText(build: (text: string, c: FormContext) => string, returns: Sql["type"] = "text"): NativeForm {
  return (args, c) => {
    const [text] = args;
    return args.length === 1 && text?.type === "text" ? sql(build(text.sql, c), returns) : undefined;
  };
}

/** ASCII text natively, anything else through the UDF. */
function asciiGuarded(native: (text: string, c: FormContext) => string): NativeForm {
  return onText(
    (text, c) =>
      `CASE WHEN ${text} IS NULL THEN NULL WHEN ${c.d.isAscii(text)} THEN ${native(text, c)} ELSE ${c.udf([sql(text, "text")])} END`,
  );
}

/**
 * Two texts natively when both are ASCII, not empty and at most 10,000 characters (where DuckDB's byte-wise
 * similarity is clue's code point one, bit for bit: a property test compares them), else through the UDF.
 */
function asciiPairGuarded(native: (a: string, b: string) => string): NativeForm {
  return ([a, b, ...rest], c) => {
    if (a?.type !== "text" || b?.type !== "text" || rest.length > 0) return undefined;
    const fits = (t: string) => `${c.d.isAscii(t)} AND ${t} <> '' AND strlen(${t}) <= 10000`;
    return sql(
      `CASE WHEN ${a.sql} IS NULL OR ${b.sql} IS NULL THEN NULL WHEN ${fits(a.sql)} AND ${fits(b.sql)} THEN ${native(a.sql, b.sql)} ELSE ${c.udf([a, b])} END`,
      "number",
    );
  };
}

export const portableForms: Readonly<Record<string, NativeForm>> = {
  coalesce: (args) => {
    const [first] = args;
    if (first === undefined || !allOf(args, first.type)) return undefined;
    return sql(`coalesce(${args.map((a) => a.sql).join(", ")})`, first.type);
  },
  // Same type and content: NULLIF; values of different types are never the same, so the value stays.
  nullif: ([value, other]) =>
    value === undefined || other === undefined
      ? undefined
      : value.type === other.type
        ? sql(`nullif(${value.sql}, ${other.sql})`, value.type)
        : value,
  is_blank: ([value], { d }) =>
    value === undefined
      ? undefined
      : sql(
          value.type === "text"
            ? `(${value.sql} IS NULL OR ${d.jsTrim(value.sql)} = '')`
            : `(${value.sql} IS NULL)`,
          "boolean",
        ),
  equal_or_null: ([a, b]) =>
    a === undefined || b === undefined || a.type !== b.type
      ? undefined
      : sql(`(${a.sql} IS NULL OR ${b.sql} IS NULL OR ${a.sql} = ${b.sql})`, "boolean"),
  concat: (args, { d }) =>
    args.some((a) => a === undefined)
      ? undefined
      : sql(
          d.concatSkippingNulls(
            "",
            (args as Sql[]).map((a) => textOf(d, a)),
          ),
          "text",
        ),
  lower: asciiGuarded((text, { d }) => d.lowerAscii(text)),
  upper: asciiGuarded((text, { d }) => d.upperAscii(text)),
  trim: onText((text, { d }) => d.jsTrim(text)),
  collapse_whitespace: onText((text, { d }) =>
    d.regexReplaceAll(d.jsTrim(text), `[${WHITESPACE_CLASS}]+`, " "),
  ),
  digits_only: onText((text, { d }) => d.regexReplaceAll(text, "[^0-9]", "")),
  to_string: ([value], { d }) => (value === undefined ? undefined : sql(textOf(d, value), "text")),
  to_number: ([value], { d }) =>
    value === undefined
      ? undefined
      : value.type === "number"
        ? value
        : value.type === "text"
          ? sql(d.parseDecimal(value.sql), "number")
          : undefined,
  abs: ([value], { d }) =>
    value?.type === "number"
      ? sql(`abs(${value.sql})`, "number")
      : value?.type === "text"
        ? sql(`abs(${d.parseDecimal(value.sql)})`, "number")
        : undefined,
  length: onText((text, { d }) => d.codePointLength(text), "number"),
  sha256: ([value], { d }) =>
    value === undefined || value.type === "boolean" ? undefined : sql(d.sha256(textOf(d, value)), "text"),
};

/** Two texts in, one result out, when both arguments are text. */
function onTexts(build: (a: string, b: string) => string, returns: Sql["type"]): NativeForm {
  return ([a, b, ...rest]) =>
    a?.type === "text" && b?.type === "text" && rest.length === 0
      ? sql(build(a.sql, b.sql), returns)
      : undefined;
}

export const duckdbForms: Readonly<Record<string, NativeForm>> = {
  ...portableForms,
  // Byte-wise on UTF-8, which for whole characters is what JavaScript's code-unit tests give.
  contains: onTexts((t, p) => `contains(${t}, ${p})`, "boolean"),
  starts_with: onTexts((t, p) => `starts_with(${t}, ${p})`, "boolean"),
  ends_with: onTexts((t, s) => `ends_with(${t}, ${s})`, "boolean"),
  jaro_winkler: asciiPairGuarded((a, b) => `jaro_winkler_similarity(${a}, ${b})`),
  levenshtein: asciiPairGuarded((a, b) => `CAST(levenshtein(${a}, ${b}) AS DOUBLE)`),
};
