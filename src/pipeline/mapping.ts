import { JSONPath } from "jsonpath-plus";
import { parseDecimal, type Value } from "../expr/types.js";
import { holdsInexactNumbers, InexactNumber, numberProblem } from "../io/exact-number.js";
import type { EntityField, Mapping } from "../types/index.js";
import { RecordRejected } from "./record-rejected.js";

export type EntityRecord = Record<string, Value>;
type Reader = (raw: Readonly<Record<string, unknown>>) => unknown;

/** `$.a.b.c`: most paths are plain property chains, read directly instead of through jsonpath-plus. */
const PLAIN_PATH = /^\$(\.[A-Za-z_][A-Za-z0-9_]*)+$/;

/**
 * Compiles a mapping once: a record maker that reads each entity field from a source record. A path that finds
 * nothing gives null. Values of number and boolean fields are converted from text when that loses nothing, since
 * CSV gives every value as text.
 *
 * A number no JavaScript number holds as written (text for a number field, or a JSON number the reader kept as an
 * InexactNumber) is never rounded into another value: a string field keeps its digits, any other field rejects
 * the record (RecordRejected).
 */
export function compileMapping(
  mapping: Mapping,
  fields: Record<string, EntityField>,
): (raw: Readonly<Record<string, unknown>>) => EntityRecord {
  const map = compileFieldReaders(mapping, fields);
  return (raw) => {
    const record = map(raw);
    // Only a record the reader marked can hold an InexactNumber deeper down (in a list or object a path gave).
    if (holdsInexactNumbers(raw)) {
      for (const [field, value] of Object.entries(record)) {
        const nested = findInexact(value);
        if (nested)
          throw new RecordRejected(
            `field ${field} holds a number that cannot be kept: ${nested.problem}; map that number onto a string field of its own to keep it as written`,
          );
      }
    }
    return record;
  };
}

function compileFieldReaders(
  mapping: Mapping,
  fields: Record<string, EntityField>,
): (raw: Readonly<Record<string, unknown>>) => EntityRecord {
  const readers: [string, Reader, (v: unknown) => Value][] = Object.entries(mapping.fields).map(
    ([field, path]) => [field, compilePath(path), converterFor(field, fields[field]?.type)],
  );
  // Every entity field is present, in the entity's order, so rows have one shape (one hidden class for V8 too).
  const names = Object.keys(fields);
  if (names.includes("__proto__") || readers.some(([field]) => field === "__proto__")) {
    // Only a copy of a template holds a `__proto__` field as an own property (assigning it to `{}` would set the
    // prototype instead).
    const template: EntityRecord = Object.fromEntries(names.map((name) => [name, null]));
    const count = readers.length;
    return (raw) => {
      const record: EntityRecord = { ...template };
      for (let i = 0; i < count; i++) {
        const [field, read, convert] = readers[i] as (typeof readers)[number];
        record[field] = convert(read(raw));
      }
      return record;
    };
  }
  // Otherwise records are built field by field in that order (then any mapped field the entity lacks), rather than
  // copied from a template: V8 gives every copy of a spread template a hidden class of its own once a property is
  // added (as `_issues` is at stage validated), ~300 bytes a record, where records built this way share one.
  const byField = new Map(readers.map((r) => [r[0], r]));
  const steps: [string, Reader | undefined, (v: unknown) => Value][] = [
    ...names.map((name): [string, Reader | undefined, (v: unknown) => Value] => {
      const reader = byField.get(name);
      return reader ? reader : [name, undefined, () => null];
    }),
    ...readers.filter(([field]) => !Object.hasOwn(fields, field)),
  ];
  const count = steps.length;
  return (raw) => {
    const record: EntityRecord = {};
    for (let i = 0; i < count; i++) {
      const [field, read, convert] = steps[i] as (typeof steps)[number];
      record[field] = read === undefined ? null : convert(read(raw));
    }
    return record;
  };
}

export function compilePath(path: string): Reader {
  if (PLAIN_PATH.test(path)) {
    const keys = path.slice(2).split(".");
    const first = keys[0] as string;
    // A record as a reader makes it is a plain object: a name that Object.prototype lacks can only be found on it
    // as an own property, so it is read directly (the hot path). Deeper objects are checked as before: a value
    // there may be an InexactNumber, whose prototype has names of its own.
    if (keys.length === 1)
      return first in Object.prototype
        ? (raw) => (Object.hasOwn(raw, first) ? raw[first] : undefined)
        : (raw) => raw[first];
    if (keys.length === 2 && !(first in Object.prototype)) {
      const second = keys[1] as string;
      return (raw) => {
        const node = raw[first];
        return node !== null && typeof node === "object" && Object.hasOwn(node, second)
          ? (node as Record<string, unknown>)[second]
          : undefined;
      };
    }
    return (raw) => {
      let node: unknown = raw;
      for (const key of keys) {
        if (node === null || typeof node !== "object" || !Object.hasOwn(node, key)) return undefined;
        node = (node as Record<string, unknown>)[key];
      }
      return node;
    };
  }
  // A path that can match several nodes (wildcards, filters, recursive descent) gives the list of them.
  const single = !/[*?]|\.\.|\[[^\]]*[:,]/.test(path);
  return (raw) => {
    let found: unknown[];
    try {
      // "safe": filters such as `$.names[?(@.type=='given')]` run in jsonpath-plus's own sandboxed evaluator,
      // never through JavaScript's eval.
      found = JSONPath<unknown[]>({ path, json: raw as object, wrap: true, eval: "safe" });
    } catch {
      return undefined;
    }
    if (found.length === 0) return undefined;
    return single ? found[0] : found;
  };
}

function converterFor(field: string, type: EntityField["type"] | undefined): (v: unknown) => Value {
  const plain = (v: unknown): Value => {
    if (typeof v === "object" && v instanceof InexactNumber) throw rejection(field, v.problem);
    return v === undefined ? null : (v as Value);
  };
  if (type === "number" || type === "integer") {
    return (v) => {
      if (typeof v === "string") {
        const n = parseDecimal(v);
        // Only text past what a number holds can be changed by the conversion; the check is skipped for the rest.
        if (n === undefined || n === 0 || Math.abs(n) > Number.MAX_SAFE_INTEGER) {
          const problem = numberProblem(v.trim());
          if (problem !== undefined) throw rejection(field, problem);
        }
        if (n !== undefined && (type === "number" || Number.isInteger(n))) return n;
      }
      return plain(v);
    };
  }
  if (type === "boolean") {
    return (v) => (v === "true" ? true : v === "false" ? false : plain(v));
  }
  // The number's text is exactly what the file says: a string field keeps it.
  if (type === "string")
    return (v) =>
      typeof v === "object" && v instanceof InexactNumber ? v.text : v === undefined ? null : (v as Value);
  return plain;
}

function rejection(field: string, problem: string): RecordRejected {
  return new RecordRejected(
    `field ${field}: ${problem}; make ${field} a string field to keep such values as written`,
  );
}

/** The first InexactNumber inside a value, at any depth. */
function findInexact(value: unknown): InexactNumber | undefined {
  if (value instanceof InexactNumber) return value;
  if (typeof value !== "object" || value === null) return undefined;
  for (const item of Array.isArray(value) ? value : Object.values(value)) {
    const found = findInexact(item);
    if (found) return found;
  }
  return undefined;
}
