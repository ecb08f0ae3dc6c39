/**
 * A record's values as hyparquet-writer takes them for each column type, or a ValueMismatch saying why one does not
 * fit: a value is never dropped or altered to fit its column. Numbers and booleans in a string column are written as
 * their text (a string field read from JSON keeps numbers as numbers; JSON Lines output writes them the same way).
 */
import { daysFromCivil, isValidDate } from "../../expr/functions/calendar.js";
import type { Column, ColumnType } from "./columns.js";
import { typeName } from "./columns.js";

/** A value its column's type cannot hold. */
export class ValueMismatch extends Error {
  override name = "ValueMismatch";
}

export type Encode = (value: unknown) => unknown;

export function encoderOf(type: ColumnType): Encode {
  if (typeof type === "string") return SCALARS[type];
  if ("list" in type) {
    const item = encoderOf(type.list);
    return (v) => {
      if (v === null || v === undefined) return null;
      if (!Array.isArray(v)) throw mismatch(v, typeName(type));
      return v.map(item);
    };
  }
  return structEncoder(type.struct);
}

function structEncoder(columns: readonly Column[]): Encode {
  const fields = columns.map((c) => [c.name, encoderOf(c.type)] as const);
  const known = new Set(columns.map((c) => c.name));
  return (v) => {
    if (v === null || v === undefined) return null;
    if (typeof v !== "object" || Array.isArray(v)) throw mismatch(v, "struct");
    for (const key of Object.keys(v))
      if (!known.has(key))
        throw new ValueMismatch(`has a field ${key} the columns do not (${[...known].join(", ")})`);
    const out: Record<string, unknown> = {};
    for (const [name, encode] of fields) out[name] = encode((v as Record<string, unknown>)[name]);
    return out;
  };
}

const SCALARS: Record<Extract<ColumnType, string>, Encode> = {
  string: (v) => {
    if (v === null || v === undefined || typeof v === "string") return v ?? null;
    if (typeof v === "number" || typeof v === "boolean") return String(v);
    throw mismatch(v, "string");
  },
  number: (v) => {
    if (v === null || v === undefined) return null;
    if (typeof v === "number") return v;
    throw mismatch(v, "number");
  },
  integer: (v) => {
    if (v === null || v === undefined) return null;
    if (typeof v === "number" && Number.isInteger(v) && Math.abs(v) < 2 ** 63) return BigInt(v);
    throw mismatch(v, "integer (64-bit)");
  },
  boolean: (v) => {
    if (v === null || v === undefined) return null;
    if (typeof v === "boolean") return v;
    throw mismatch(v, "boolean");
  },
  date: (v) => {
    if (v === null || v === undefined) return null;
    const days = typeof v === "string" ? dateDays(v) : undefined;
    if (days === undefined) throw mismatch(v, "date (YYYY-MM-DD)");
    return days;
  },
  datetime: (v) => {
    if (v === null || v === undefined) return null;
    const micros = typeof v === "string" ? dateTimeMicros(v) : undefined;
    if (micros === undefined) throw mismatch(v, "datetime (ISO 8601, e.g. 2024-05-01T10:00:00Z)");
    return micros;
  },
};

/**
 * The value is described, not shown: it may be personal data (a pii field), which clue never prints.
 */
function mismatch(value: unknown, wanted: string): ValueMismatch {
  return new ValueMismatch(`holds ${kindOf(value)}, not a ${wanted}`);
}

function kindOf(value: unknown): string {
  if (typeof value === "string") return `text (${value.length} characters)`;
  if (typeof value === "number")
    return Number.isInteger(value) ? "an integer beyond 64 bits" : "a number with a fraction";
  if (typeof value === "boolean") return "a boolean";
  if (Array.isArray(value)) return `a list (${value.length} items)`;
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of `YYYY-MM-DD`, or undefined when it is no such date. */
export function dateDays(text: string): number | undefined {
  const m = DATE.exec(text);
  if (!m) return undefined;
  const date = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  return isValidDate(date) ? daysFromCivil(date) : undefined;
}

const DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Microseconds since 1970-01-01T00:00:00Z of an ISO 8601 datetime, as clue's datetimes are written: a written
 * offset is applied, none means UTC (as `to_datetime` reads it), a bare date is midnight. A fraction finer than a
 * microsecond must be zeros past the sixth digit: a Parquet timestamp keeps microseconds, and a value is not rounded.
 */
export function dateTimeMicros(text: string): bigint | undefined {
  const m = DATETIME.exec(text);
  if (!m) return undefined;
  const date = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  const [hours, minutes, seconds] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (!isValidDate(date) || hours > 23 || minutes > 59 || seconds > 59) return undefined;
  const fraction = (m[7] ?? "").padEnd(9, "0");
  if (!/^0{3}$/.test(fraction.slice(6))) return undefined;
  const offset = offsetMinutes(m[8]);
  if (offset === undefined) return undefined;
  const epochSeconds = daysFromCivil(date) * 86_400 + hours * 3600 + minutes * 60 + seconds - offset * 60;
  return BigInt(epochSeconds) * 1_000_000n + BigInt(fraction.slice(0, 6));
}

function offsetMinutes(zone: string | undefined): number | undefined {
  if (zone === undefined || zone.toUpperCase() === "Z") return 0;
  const digits = zone.slice(1).replace(":", "");
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2) || "0");
  if (hours > 23 || minutes > 59) return undefined;
  return (zone[0] === "-" ? -1 : 1) * (hours * 60 + minutes);
}
