/** Null handling, reference tables and hashing. */
import { createHash } from "node:crypto";
import type { FunctionDef } from "../function-def.js";
import { equals } from "../types.js";
import { asText, sameValue } from "./coerce.js";
import { textFunction } from "./define.js";

export const miscFunctions: readonly FunctionDef[] = [
  {
    name: "coalesce",
    description: "The first argument that is not null (null when all are); handles null itself.",
    params: [{ name: "value", type: "any" }],
    variadic: true,
    returns: "any",
    acceptsNull: true,
    examples: [
      { expr: 'coalesce(null, "", "x")', result: "" },
      { expr: "coalesce(null, null)", result: null },
    ],
    call: (args) => args.find((a) => a !== null && a !== undefined) ?? null,
  },
  {
    name: "nullif",
    description:
      'Null when value equals other (same type and content: "1" is not 1), else value; handles null itself, as in SQL.',
    params: [
      { name: "value", type: "any" },
      { name: "other", type: "any" },
    ],
    returns: "any",
    acceptsNull: true,
    examples: [
      { expr: 'nullif("n/a", "n/a")', result: null },
      { expr: 'nullif("Ann", "n/a")', result: "Ann" },
      { expr: 'nullif("1", 1)', result: "1" },
    ],
    call: ([value, other]) => (value === undefined || sameValue(value, other) ? null : value),
  },
  {
    name: "equal_or_null",
    description:
      'True when a or b is null or they are equal as == compares them (12 equals "12"), else false: in a dedup rule a missing value then neither confirms nor refutes a match; handles null itself.',
    params: [
      { name: "a", type: "any" },
      { name: "b", type: "any" },
    ],
    returns: "boolean",
    acceptsNull: true,
    examples: [
      { expr: 'equal_or_null("AU", "AU")', result: true },
      { expr: 'equal_or_null(null, "AU")', result: true },
      { expr: 'equal_or_null(12, "12.0")', result: true },
      { expr: 'equal_or_null("AU", "au")', result: false },
    ],
    call: ([a, b]) => a === null || b === null || a === undefined || b === undefined || equals(a, b) === true,
  },
  {
    name: "lookup",
    description:
      "The value in column (default: the second column) of the row of reference table whose first column is key; null when no row matches.",
    params: [
      { name: "table", type: "string" },
      { name: "key", type: ["string", "number", "boolean"] },
      { name: "column", type: "string", optional: true },
    ],
    returns: "any",
    examples: [
      { expr: 'lookup("countries", null)', result: null },
      { expr: 'lookup(null, "AU")', result: null },
    ],
    call: ([table, key, column], ctx) => {
      const name = asText(table);
      // Keys are compared as text: reference tables are CSV, and a numeric field should find row "42".
      const k = asText(key);
      const col = column === undefined ? undefined : asText(column);
      if (name === null || k === null || col === null) return null;
      try {
        return ctx.lookup(name, k, col) ?? null;
      } catch {
        // A table that failed to load must not turn one bad row into a crashed run.
        return null;
      }
    },
  },
  textFunction(
    {
      name: "sha256",
      description:
        "The SHA-256 hash of text's UTF-8 bytes as 64 lowercase hex digits (e.g. to pseudonymise keys).",
      returns: "string",
      examples: [
        { expr: 'sha256("")', result: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
        { expr: 'sha256("abc")', result: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
      ],
    },
    (text) => createHash("sha256").update(text, "utf8").digest("hex"),
  ),
];
