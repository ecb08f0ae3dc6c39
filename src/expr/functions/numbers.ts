/** Numbers. Text is accepted where a number is wanted (CSV has no types) but only in strict decimal syntax. */
import type { FunctionDef } from "../function-def.js";
import type { Value } from "../types.js";
import { asInteger, asNumber, finite } from "./coerce.js";

const NUMBER_LIKE = ["number", "string"] as const;

/**
 * Half away from zero (2.5 → 3, -2.5 → -3), as people round by hand and as SQL's round does for numerics.
 * Scaling by 10^digits alone misrounds 1.005 (really 1.00499…) to 1; reading the scaled value back at 15
 * significant digits drops that binary noise first.
 */
export function roundHalfAwayFromZero(x: number, digits: number): number | null {
  const scale = 10 ** Math.abs(digits);
  const scaled = digits >= 0 ? Math.abs(x) * scale : Math.abs(x) / scale;
  if (!Number.isFinite(scaled)) return finite(x);
  const rounded = Math.round(Number(scaled.toPrecision(15)));
  return finite(Math.sign(x) * (digits >= 0 ? rounded / scale : rounded * scale));
}

/** Every argument as a number (lists are not flattened), or null when one is not one. */
function numbers(args: readonly (Value | undefined)[]): number[] | null {
  const out: number[] = [];
  for (const a of args) {
    const n = asNumber(a);
    if (n === null) return null;
    out.push(n);
  }
  return out.length > 0 ? out : null;
}

export const numberFunctions: readonly FunctionDef[] = [
  {
    name: "to_number",
    description:
      'A number from text in strict decimal syntax after trimming ("12", "-3.5", "1e3"); "1,234", "12 kg" or "0x1F" give null.',
    params: [{ name: "value", type: NUMBER_LIKE }],
    returns: "number",
    examples: [
      { expr: 'to_number(" -3.5 ")', result: -3.5 },
      { expr: 'to_number("1e3")', result: 1000 },
      { expr: 'to_number("1,234")', result: null },
    ],
    call: ([value]) => asNumber(value),
  },
  {
    name: "round",
    description:
      "Rounds half away from zero to digits decimals (default 0; negative rounds to tens, hundreds…; an integer from -15 to 15).",
    params: [
      { name: "value", type: NUMBER_LIKE },
      { name: "digits", type: "number", optional: true },
    ],
    returns: "number",
    examples: [
      { expr: "round(2.5)", result: 3 },
      { expr: 'round(to_number("-2.5"))', result: -3 },
      { expr: "round(1.005, 2)", result: 1.01 },
      { expr: "round(1234.5, -2)", result: 1200 },
    ],
    call: ([value, places]) => {
      const x = asNumber(value);
      const digits = places === undefined ? 0 : asInteger(places);
      if (x === null || digits === null || Math.abs(digits) > 15) return null;
      return roundHalfAwayFromZero(x, digits);
    },
  },
  {
    name: "abs",
    description: "The absolute value of a number.",
    params: [{ name: "value", type: NUMBER_LIKE }],
    returns: "number",
    examples: [
      { expr: 'abs(to_number("-4.2"))', result: 4.2 },
      { expr: 'abs("7")', result: 7 },
    ],
    call: ([value]) => {
      const x = asNumber(value);
      return x === null ? null : finite(Math.abs(x));
    },
  },
  {
    name: "min",
    description: "The smallest of its arguments; null when any is null or not a number.",
    params: [{ name: "value", type: NUMBER_LIKE }],
    variadic: true,
    returns: "number",
    examples: [
      { expr: "min(3, 1.5, 2)", result: 1.5 },
      { expr: "min(3, null)", result: null },
    ],
    call: (args) => {
      const ns = numbers(args);
      return ns === null ? null : finite(Math.min(...ns));
    },
  },
  {
    name: "max",
    description: "The largest of its arguments; null when any is null or not a number.",
    params: [{ name: "value", type: NUMBER_LIKE }],
    variadic: true,
    returns: "number",
    examples: [
      { expr: 'max(3, "10", 2)', result: 10 },
      { expr: 'max(1, "n/a")', result: null },
    ],
    call: (args) => {
      const ns = numbers(args);
      return ns === null ? null : finite(Math.max(...ns));
    },
  },
];
