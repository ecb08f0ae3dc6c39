/** The CSV header row: column names, and turning a row of values into a record keyed by them. */
import { InputError } from "./input-error.js";

/**
 * Column names, or undefined for a column whose values are dropped: one with an empty name (a trailing delimiter
 * in exports: nothing could map it) or named `__proto__` (assigning it would replace the record's prototype).
 */
export type CsvKeys = (string | undefined)[];

export function headerKeys(names: (string | null)[], path: string, line: number): CsvKeys {
  const seen = new Map<string, number>();
  return names.map((raw, index) => {
    // Names are trimmed (`id, name` is common) while values are not: see csv.ts.
    const name = (raw ?? "").trim();
    if (name === "" || name === "__proto__") return undefined;
    const earlier = seen.get(name);
    if (earlier !== undefined) {
      // Which of the two columns a mapping means is unknowable, so no row can be read correctly.
      throw new InputError(
        `the CSV header names column "${name}" twice (columns ${earlier + 1} and ${index + 1})`,
        path,
        line,
      );
    }
    seen.set(name, index);
    return name;
  });
}

/** Missing trailing fields become null: exports often cut rows short after the last non-empty value. */
export function buildRecord(keys: CsvKeys, values: (string | null)[]): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k];
    if (key !== undefined) record[key] = k < values.length ? values[k] : null;
  }
  return record;
}
