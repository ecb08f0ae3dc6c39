import { createHmac, randomBytes } from "node:crypto";
import { diffArrays } from "diff";
import { textOf } from "../expr/types.js";

export interface Difference {
  kind: "changed" | "missing" | "unexpected";
  /** 1-based position in the expected rows (missing, changed) or the actual rows (unexpected). */
  index: number;
  id: string;
  fields: { field: string; expected: unknown; actual: unknown }[];
}

export interface CompareOptions {
  idField: string | undefined;
  /**
   * Where personal data is: a field (`email`), or a path into nested values (`attributes.email`, everything under a
   * golden record's email attribute). Such values are shown as a short keyed hash: two values that differ show
   * different hashes, and no hash can be looked up (see shown()).
   */
  pii: ReadonlySet<string>;
}

/**
 * Compares expected and actual rows. The `diff` package aligns the two lists (so one missing record does not make
 * every later one "changed"); rows that replace each other are then compared field by field.
 */
export function compareRows(
  expected: readonly unknown[],
  actual: readonly unknown[],
  options: CompareOptions,
): Difference[] {
  const a = expected.map(canonical);
  const b = actual.map(canonical);
  const out: Difference[] = [];
  let i = 0;
  let j = 0;
  const parts = diffArrays(a, b);
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p]!;
    const count = part.count ?? part.value.length;
    if (!part.added && !part.removed) {
      i += count;
      j += count;
      continue;
    }
    const next = parts[p + 1];
    if (part.removed && next?.added) {
      // A block replaced by a block: pair them up in order, the surplus is missing or unexpected.
      const nextCount = next.count ?? next.value.length;
      const paired = Math.min(count, nextCount);
      for (let k = 0; k < paired; k++) out.push(changed(expected[i + k], actual[j + k], i + k + 1, options));
      for (let k = paired; k < count; k++) out.push(whole("missing", expected[i + k], i + k + 1, options));
      for (let k = paired; k < nextCount; k++)
        out.push(whole("unexpected", actual[j + k], j + k + 1, options));
      i += count;
      j += nextCount;
      p++;
      continue;
    }
    if (part.removed) {
      for (let k = 0; k < count; k++) out.push(whole("missing", expected[i + k], i + k + 1, options));
      i += count;
    } else {
      for (let k = 0; k < count; k++) out.push(whole("unexpected", actual[j + k], j + k + 1, options));
      j += count;
    }
  }
  return out;
}

function changed(expected: unknown, actual: unknown, index: number, options: CompareOptions): Difference {
  const e = asObject(expected);
  const a = asObject(actual);
  const fields = differingPaths(e, a, "").map((field) => ({
    field,
    expected: shown(field, valueAt(e, field), options),
    actual: shown(field, valueAt(a, field), options),
  }));
  return { kind: "changed", index, id: idOf(e, options) ?? idOf(a, options) ?? `#${index}`, fields };
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * The paths at which two rows differ, down into nested objects: a golden record whose email attribute changed says
 * `attributes.email.value`, not `attributes`. Lists are compared whole.
 */
function differingPaths(e: Record<string, unknown>, a: Record<string, unknown>, prefix: string): string[] {
  return [...new Set([...Object.keys(e), ...Object.keys(a)])].flatMap((key) => {
    const x = e[key] ?? null;
    const y = a[key] ?? null;
    if (canonical(x) === canonical(y)) return [];
    const path = `${prefix}${key}`;
    return isPlainObject(x) && isPlainObject(y) ? differingPaths(x, y, `${path}.`) : [path];
  });
}

function valueAt(row: Record<string, unknown>, path: string): unknown {
  let value: unknown = row;
  for (const key of path.split(".")) value = isPlainObject(value) ? value[key] : undefined;
  return value;
}

function whole(
  kind: "missing" | "unexpected",
  row: unknown,
  index: number,
  options: CompareOptions,
): Difference {
  return { kind, index, id: idOf(asObject(row), options) ?? `#${index}`, fields: [] };
}

function idOf(row: Record<string, unknown>, options: CompareOptions): string | undefined {
  const id = options.idField === undefined ? undefined : row[options.idField];
  return id === undefined || id === null ? undefined : textOf(id);
}

/**
 * The key of this run's hashes: random, never printed or saved, so a hash in a diff tells whether two values differ
 * and nothing else — it cannot be looked up in a table of hashed emails, and differs from run to run.
 */
const HASH_KEY = randomBytes(32);

/** A path is personal data when it is a pii path or lies under one. */
function isPii(path: string, pii: ReadonlySet<string>): boolean {
  for (let at = path.length; at > 0; at = path.lastIndexOf(".", at - 1))
    if (pii.has(path.slice(0, at))) return true;
  return false;
}

/** Personal data in a diff is a short keyed hash and its length: two values that differ show different hashes. */
function shown(field: string, value: unknown, options: CompareOptions): unknown {
  if (value === undefined) return undefined;
  if (value === null || !isPii(field, options.pii)) return value;
  const text = canonical(value);
  const hash = createHmac("sha256", HASH_KEY).update(text).digest("hex").slice(0, 8);
  return `<pii ${hash}, ${text.length} characters>`;
}

function asObject(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : { value };
}

/** JSON with sorted keys: two rows are equal whatever order their fields were written in. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)),
        )
      : v,
  );
}

/** `why` explains missing records by id (e.g. removed by a cleaning step). */
export function renderDifferences(
  differences: readonly Difference[],
  why: ReadonlyMap<string, string> = new Map(),
  limit = 50,
): string[] {
  const lines: string[] = [];
  for (const d of differences.slice(0, limit)) {
    if (d.kind === "missing")
      lines.push(
        `  - missing record ${d.id} (expected row ${d.index})${why.has(d.id) ? `: ${why.get(d.id)}` : ""}`,
      );
    else if (d.kind === "unexpected") lines.push(`  + unexpected record ${d.id} (actual row ${d.index})`);
    else {
      lines.push(`  ~ record ${d.id} (row ${d.index}):`);
      for (const f of d.fields)
        lines.push(
          `      ${f.field}: expected ${JSON.stringify(f.expected) ?? "(absent)"}, actual ${JSON.stringify(f.actual) ?? "(absent)"}`,
        );
    }
  }
  if (differences.length > limit) lines.push(`  ... and ${differences.length - limit} more differences`);
  return lines;
}
