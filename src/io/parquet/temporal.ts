/**
 * Parquet's dates, times, timestamps and decimals as text: the forms values.ts gives them. Plain integer arithmetic
 * (a decimal never passes through a float, a timestamp keeps its microseconds or nanoseconds).
 */
import type { SchemaElement } from "hyparquet";
import { civilFromDays, formatDate } from "../../expr/functions/calendar.js";

export const UNITS = {
  MILLIS: { perSecond: 1_000n, digits: 3 },
  MICROS: { perSecond: 1_000_000n, digits: 6 },
  NANOS: { perSecond: 1_000_000_000n, digits: 9 },
} as const;

/** The days either side of 1970 a JavaScript date reaches (±100,000,000). */
export const MAX_DAYS = 100_000_000;

export interface TimeType {
  kind: "timestamp" | "time";
  unit: keyof typeof UNITS;
  utc: boolean;
}

export function timeOf(element: SchemaElement): TimeType | undefined {
  const logical = element.logical_type;
  if (logical?.type === "TIMESTAMP")
    return { kind: "timestamp", unit: logical.unit, utc: logical.isAdjustedToUTC };
  if (logical?.type === "TIME") return { kind: "time", unit: logical.unit, utc: logical.isAdjustedToUTC };
  // The legacy converted types are UTC instants by the format's definition.
  switch (element.converted_type) {
    case "TIMESTAMP_MILLIS":
      return { kind: "timestamp", unit: "MILLIS", utc: true };
    case "TIMESTAMP_MICROS":
      return { kind: "timestamp", unit: "MICROS", utc: true };
    case "TIME_MILLIS":
      return { kind: "time", unit: "MILLIS", utc: true };
    case "TIME_MICROS":
      return { kind: "time", unit: "MICROS", utc: true };
    default:
      return undefined;
  }
}

/** A decimal's unscaled integer: INT32, INT64, or big-endian two's complement bytes. */
export function unscaled(v: unknown): bigint {
  if (typeof v === "bigint") return v;
  if (typeof v === "number") return BigInt(v);
  const bytes = v as Uint8Array;
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  const bits = BigInt(bytes.length * 8);
  return bytes.length > 0 && (bytes[0] as number) >= 0x80 ? value - (1n << bits) : value;
}

/** `12345` at scale 2 is `123.45`; the digits as written, with no float in between. */
export function decimalText(value: bigint, scale: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString();
  if (scale <= 0) return `${negative ? "-" : ""}${digits}${"0".repeat(-scale)}`;
  const padded = digits.padStart(scale + 1, "0");
  const whole = padded.slice(0, -scale);
  const fraction = padded.slice(-scale).replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction === "" ? "" : `.${fraction}`}`;
}

export function isoDate(days: number): string {
  const civil = civilFromDays(days);
  // Plain arithmetic for four-digit years (a Date costs ten times as much); Date's expanded years beyond them.
  if (civil.year >= 1 && civil.year <= 9999) return formatDate(civil);
  return new Date(days * 86_400_000).toISOString().slice(0, -14);
}

/** `value` units since 1970-01-01T00:00:00 as ISO 8601, the fraction as long as it needs; undefined when out of range. */
export function isoDateTime(
  value: bigint,
  perSecond: bigint,
  digits: number,
  utc: boolean,
): string | undefined {
  let seconds = value / perSecond;
  let fraction = value % perSecond;
  if (fraction < 0n) {
    fraction += perSecond;
    seconds -= 1n;
  }
  const ms = Number(seconds) * 1000;
  if (!(Math.abs(ms) <= 8.64e15)) return undefined;
  const base = new Date(ms).toISOString().slice(0, -5);
  return `${base}${fractionText(fraction, digits)}${utc ? "Z" : ""}`;
}

export function isoTime(value: bigint, perSecond: bigint, digits: number, utc: boolean): string {
  const seconds = Number(value / perSecond);
  const two = (n: number) => String(n).padStart(2, "0");
  const clock = `${two(Math.floor(seconds / 3600))}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}`;
  return `${clock}${fractionText(value % perSecond, digits)}${utc ? "Z" : ""}`;
}

function fractionText(fraction: bigint, digits: number): string {
  if (fraction === 0n) return "";
  return `.${fraction.toString().padStart(digits, "0").replace(/0+$/, "")}`;
}
