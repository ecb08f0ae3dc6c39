/**
 * Run-time coercions shared by the function library. Records come from CSV and JSON, so a field the checker calls
 * a string may hold a number at run time; these turn such values into what a function wants, or give null when no
 * sensible conversion exists. None of them throws.
 */
import type { Value } from "../types.js";

/** Strings as they are; finite numbers and booleans as JavaScript prints them; anything else (lists, records) null. */
export function asText(value: Value | undefined): string | null {
  if (typeof value === "string") return value;
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : null;
  if (typeof value === "boolean") return String(value);
  return null;
}

// Strict decimal syntax: no thousands separators, no hex, no "Infinity", so "1,234" is not silently 1.
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

/** Finite numbers as they are; strings holding a strict decimal number (after trimming) parsed; else null. */
export function asNumber(value: Value | undefined): number | null {
  if (typeof value === "number") return finite(value);
  if (typeof value !== "string") return null;
  const text = value.trim();
  return NUMBER.test(text) ? finite(Number(text)) : null;
}

/** Like asNumber, but only whole numbers. */
export function asInteger(value: Value | undefined): number | null {
  const n = asNumber(value);
  return n !== null && Number.isInteger(n) ? n : null;
}

/** Number results are never NaN or ±Infinity (null instead), and never -0, so results compare and print stably. */
export function finite(n: number): number | null {
  if (!Number.isFinite(n)) return null;
  return n === 0 ? 0 : n;
}

/** The code points of a string: what `length`, `substring` and the similarity functions count. */
export function codePoints(text: string): string[] {
  return Array.from(text);
}

/** Structural equality of values: same type and same content (so the string "1" differs from the number 1). */
export function sameValue(a: Value | undefined, b: Value | undefined): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => sameValue(item, b[i]));
  }
  if (typeof a === "object" && typeof b === "object") {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((k) => Object.hasOwn(b, k) && sameValue(a[k], b[k]));
  }
  return false;
}
