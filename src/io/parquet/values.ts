/**
 * Parquet values as clue's JSON readers give them: text, numbers, booleans, null, objects and lists. hyparquet
 * decodes the pages; this module decides what each logical type becomes, since its defaults lose things a record
 * must keep (a decimal scaled through a float, a timestamp cut to milliseconds and without its time zone flag, an
 * int64 as a bigint no expression knows). Columns of those types are read raw (their annotation taken off the
 * schema hyparquet reads with, see {@link rawSchema}) and converted here, from the annotations of the file's own
 * schema.
 *
 * | Parquet                                 | clue value                                                 |
 * | --------------------------------------- | ---------------------------------------------------------- |
 * | STRING, ENUM, UUID, unannotated binary  | text (bytes that are not UTF-8 make the row a dead letter) |
 * | INT8..INT64, UINT8..UINT64, FLOAT, DOUBLE | number; an integer past 2^53 as the JSON reader keeps it |
 * | DECIMAL                                 | number from its exact digits (the JSON reader's rule)      |
 * | DATE                                    | `YYYY-MM-DD`                                               |
 * | TIMESTAMP (UTC), INT96                  | `YYYY-MM-DDTHH:MM:SS[.fraction]Z`                          |
 * | TIMESTAMP (local, no zone)              | `YYYY-MM-DDTHH:MM:SS[.fraction]`                           |
 * | TIME                                    | `HH:MM:SS[.fraction]`                                      |
 * | BOOLEAN                                 | true / false                                               |
 * | JSON                                    | the parsed value                                           |
 * | STRUCT, MAP                             | object                                                     |
 * | LIST, repeated fields                   | list                                                       |
 * | NaN, ±Infinity                          | the text `NaN`, `Infinity`, `-Infinity` (as CSV gives it)  |
 */
import type { FileMetaData, ParquetParsers, SchemaElement, SchemaTree } from "hyparquet";
import { holdsInexactNumbers, InexactNumber, numberProblem } from "../exact-number.js";
import { parseJsonObject } from "../json-object.js";
import { decimalText, isoDateTime, isoTime, MAX_DAYS, timeOf, UNITS, unscaled, isoDate } from "./temporal.js";

/** What converting one row found: a value no record can hold (the row becomes a dead letter), an inexact number. */
export interface RowState {
  problem: string | undefined;
  inexact: boolean;
}

export type Convert = (value: unknown) => unknown;

/** A value no record can hold, and why: the row becomes a dead letter. */
class Unreadable {
  constructor(readonly why: string) {}
}

const NOT_TEXT = new Unreadable(
  "holds bytes that are not UTF-8 text (clue reads a binary column only when it holds text)",
);

const lenient = new TextDecoder();
const strict = new TextDecoder("utf-8", { fatal: true });

/** UTF-8 bytes as text. Checking strictly only when the lenient decoder replaced something is cheap. */
function textOf(bytes: Uint8Array): string | Unreadable {
  const text = lenient.decode(bytes);
  if (!text.includes("\uFFFD")) return text;
  try {
    return strict.decode(bytes);
  } catch {
    return NOT_TEXT;
  }
}

/** A JSON column's value, as the record `{v: value}` (see {@link jsonOf}). */
type Wrapped = { v: unknown };

/**
 * Through the `{"v": …}` wrapper a JSON value of any kind goes through the JSON Lines reader's own parser, so a
 * number it cannot hold stays an InexactNumber and `__proto__` keys are dropped, as in a JSON Lines file.
 */
function jsonOf(bytes: Uint8Array): Wrapped | Unreadable {
  const text = textOf(bytes);
  if (text instanceof Unreadable) return text;
  const parsed = parseJsonObject(`{"v":${text}}`);
  return parsed.ok
    ? (parsed.record as Wrapped)
    : new Unreadable(`holds text that is not JSON: ${parsed.reason}`);
}

/**
 * hyparquet's hooks for the types it converts itself: text and JSON columns (kept here for the strict checks
 * above) and INT96, the legacy timestamp Spark and Impala write as UTC nanoseconds.
 */
export const parsers: Partial<ParquetParsers> = {
  stringFromBytes: (bytes) => bytes && textOf(bytes),
  jsonFromBytes: (bytes) => bytes && jsonOf(bytes),
  timestampFromNanoseconds: (nanos) =>
    isoDateTime(nanos, 1_000_000_000n, 9, true) ?? new Unreadable("holds an INT96 timestamp out of range"),
};

/** Annotations clue converts itself: hyparquet reads these columns raw. */
function convertsItself(element: SchemaElement): boolean {
  const converted = element.converted_type;
  const logical = element.logical_type?.type;
  return (
    converted === "DECIMAL" ||
    converted === "DATE" ||
    converted === "TIME_MILLIS" ||
    converted === "TIME_MICROS" ||
    converted === "TIMESTAMP_MILLIS" ||
    converted === "TIMESTAMP_MICROS" ||
    logical === "DECIMAL" ||
    logical === "DATE" ||
    logical === "TIME" ||
    logical === "TIMESTAMP"
  );
}

/** The file's metadata with the annotations of {@link convertsItself} taken off its leaf columns. */
export function rawSchema(metadata: FileMetaData): FileMetaData {
  return {
    ...metadata,
    schema: metadata.schema.map((element) => {
      if (element.num_children !== undefined || !convertsItself(element)) return element;
      const { converted_type: _c, logical_type: _l, ...rest } = element;
      return rest;
    }),
  };
}

/** Why clue cannot read a column at all, or undefined; checked before any row group is read. */
export function unsupported(node: SchemaTree): string | undefined {
  const { converted_type: converted, logical_type: logical } = node.element;
  if (converted === "INTERVAL")
    return `column ${node.path.join(".")} is an INTERVAL, which clue does not read`;
  if (converted === "BSON" || logical?.type === "BSON")
    return `column ${node.path.join(".")} is BSON, which clue does not read`;
  for (const child of node.children) {
    const why = unsupported(child);
    if (why !== undefined) return why;
  }
  return undefined;
}

/** The converter of a top-level column (or any node below one): hyparquet's assembled value in, clue's value out. */
export function converterOf(node: SchemaTree, state: RowState, inList = false): Convert {
  const inner = nodeConverter(node, state);
  // A repeated field outside a LIST annotation (the legacy two-level form) is a list of its values.
  if (node.element.repetition_type === "REPEATED" && !inList)
    return (v) => (Array.isArray(v) ? v.map(inner) : inner(v));
  return inner;
}

function nodeConverter(node: SchemaTree, state: RowState): Convert {
  const element = node.element;
  const logical = element.logical_type?.type;
  if (logical === "VARIANT" || logical === "GEOMETRY" || logical === "GEOGRAPHY")
    return genericConverter(node.path.join("."), state);
  if (element.converted_type === "LIST" && isListLike(node)) {
    const middle = node.children[0] as SchemaTree;
    const item = converterOf(
      middle.children.length === 1 ? (middle.children[0] as SchemaTree) : middle,
      state,
      true,
    );
    return (v) => {
      if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<unknown>, item);
      if (!Array.isArray(v)) return nullish(v);
      // hyparquet makes a fresh array per row: converted in place, with no copy to collect.
      const list = v as unknown[];
      for (let i = 0; i < list.length; i++) list[i] = item(list[i]);
      return list;
    };
  }
  if (element.converted_type === "MAP" && isMapLike(node)) {
    const pair = node.children[0] as SchemaTree;
    const valueNode = pair.children.find((c) => c.element.name === "value");
    const value = valueNode ? converterOf(valueNode, state) : nullish;
    return (v) => {
      if (v === null || v === undefined || typeof v !== "object") return nullish(v);
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(v)) out[key] = value((v as Record<string, unknown>)[key]);
      return out;
    };
  }
  if (node.children.length > 0) {
    // `__proto__` is dropped at every depth, as the JSON readers drop it.
    const fields = node.children
      .filter((c) => c.element.name !== "__proto__")
      .map((c) => [c.element.name, converterOf(c, state)] as const);
    if (fields.length === node.children.length)
      // hyparquet makes a fresh object per row, its keys in the schema's order: converted in place.
      return (v) => {
        if (v === null || v === undefined || typeof v !== "object") return nullish(v);
        const struct = v as Record<string, unknown>;
        for (const [name, convert] of fields) struct[name] = convert(struct[name]);
        return struct;
      };
    // A `__proto__` field was assigned as one by hyparquet, setting the object's prototype: a clean copy is made.
    return (v) => {
      if (v === null || v === undefined || typeof v !== "object") return nullish(v);
      const out: Record<string, unknown> = {};
      for (const [name, convert] of fields) out[name] = convert((v as Record<string, unknown>)[name]);
      return out;
    };
  }
  return leafConverter(node, state);
}

function nullish(v: unknown): unknown {
  return v === undefined ? null : v;
}

function isListLike(node: SchemaTree): boolean {
  const middle = node.children[0];
  return (
    node.children.length === 1 &&
    middle?.element.repetition_type === "REPEATED" &&
    middle.children.length <= 1
  );
}

function isMapLike(node: SchemaTree): boolean {
  const pair = node.children[0];
  return (
    node.children.length === 1 && pair?.element.repetition_type === "REPEATED" && pair.children.length === 2
  );
}

function leafConverter(node: SchemaTree, state: RowState): Convert {
  const element = node.element;
  const column = node.path.join(".");
  const converted = element.converted_type;
  const logical = element.logical_type;
  const fail = (why: string): null => {
    state.problem ??= `column ${column} ${why}`;
    return null;
  };
  const exact = (text: string): unknown => exactOf(text, state);

  if (converted === "DECIMAL" || logical?.type === "DECIMAL") {
    const scale = (logical?.type === "DECIMAL" ? logical.scale : element.scale) ?? 0;
    return (v) => (v === null || v === undefined ? null : exact(decimalText(unscaled(v), scale)));
  }
  if (converted === "DATE" || logical?.type === "DATE") {
    return (v) => {
      if (v === null || v === undefined) return null;
      const days = Number(v);
      return Math.abs(days) > MAX_DAYS
        ? fail(`holds a date out of range (${days} days from 1970)`)
        : isoDate(days);
    };
  }
  const time = timeOf(element);
  if (time !== undefined) {
    const { perSecond, digits } = UNITS[time.unit];
    if (time.kind === "time")
      return (v) =>
        v === null || v === undefined ? null : isoTime(BigInt(v as bigint), perSecond, digits, time.utc);
    return (v) => {
      if (v === null || v === undefined) return null;
      const text = isoDateTime(BigInt(v as bigint), perSecond, digits, time.utc);
      return (
        text ??
        fail(
          `holds a timestamp out of range (${typeof v === "bigint" || typeof v === "number" ? v : "?"} ${time.unit.toLowerCase()} from 1970)`,
        )
      );
    };
  }
  if (element.type === "INT64" || converted === "UINT_64")
    return (v) => {
      if (typeof v !== "bigint") return nullish(v);
      return v >= -MAX_SAFE && v <= MAX_SAFE ? Number(v) : exact(v.toString());
    };
  if (element.type === "FLOAT" || element.type === "DOUBLE" || logical?.type === "FLOAT16")
    return (v) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : nullish(v));
  const json = converted === "JSON" || logical?.type === "JSON";
  // Text, JSON and INT96 columns come decoded by the parsers above; unannotated and ENUM bytes are decoded here.
  return (v) => {
    const value = v instanceof Uint8Array ? (json ? jsonOf(v) : textOf(v)) : v;
    if (value instanceof Unreadable) return fail(value.why);
    if (json && typeof value === "object" && value !== null) {
      if (holdsInexactNumbers(value)) state.inexact = true;
      // A dictionary page decodes each distinct value once: every row gets its own copy, as from a JSON file.
      return copy((value as Wrapped).v);
    }
    return nullish(value);
  };
}

/** A fresh copy of parsed JSON (InexactNumbers are immutable and shared). */
function copy(value: unknown): unknown {
  if (typeof value !== "object" || value === null || value instanceof InexactNumber) return value;
  if (Array.isArray(value)) return value.map(copy);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = copy((value as Record<string, unknown>)[key]);
  return out;
}

/**
 * A VARIANT, GEOMETRY or GEOGRAPHY value comes decoded by hyparquet as plain JavaScript: its int64s and binary
 * parts still need clue's form.
 */
function genericConverter(column: string, state: RowState): Convert {
  const convert = (v: unknown): unknown => {
    if (v === undefined || v === null) return null;
    if (typeof v === "bigint")
      return v >= -MAX_SAFE && v <= MAX_SAFE ? Number(v) : exactOf(v.toString(), state);
    if (typeof v === "number") return Number.isFinite(v) ? v : String(v);
    if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
    if (v instanceof Uint8Array) {
      const text = textOf(v);
      if (text instanceof Unreadable) {
        state.problem ??= `column ${column} ${text.why}`;
        return null;
      }
      return text;
    }
    if (Array.isArray(v)) return v.map(convert);
    if (typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(v))
        if (key !== "__proto__") out[key] = convert((v as Record<string, unknown>)[key]);
      return out;
    }
    return v;
  };
  return convert;
}

function exactOf(text: string, state: RowState): unknown {
  const problem = numberProblem(text);
  if (problem === undefined) return Number(text);
  state.inexact = true;
  return new InexactNumber(text, problem);
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
