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
  /** Fields whose values are personal data: shown as a short hash, so a diff says "differs" without printing it. */
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
  const fields = [...new Set([...Object.keys(e), ...Object.keys(a)])]
    .filter((f) => canonical(e[f] ?? null) !== canonical(a[f] ?? null))
    .map((field) => ({
      field,
      expected: shown(field, e[field], options),
      actual: shown(field, a[field], options),
    }));
  return { kind: "changed", index, id: idOf(e, options) ?? idOf(a, options) ?? `#${index}`, fields };
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

/** Personal data in a diff says only that it differs, and how long it is: no value, and no hash to reverse. */
function shown(field: string, value: unknown, options: CompareOptions): unknown {
  if (value === undefined) return undefined;
  if (!options.pii.has(field) || value === null) return value;
  return `<pii, ${canonical(value).length} characters>`;
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
