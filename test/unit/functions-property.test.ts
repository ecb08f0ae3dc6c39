import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CallContext } from "../../src/expr/function-def.js";
import { functions } from "../../src/expr/functions/index.js";
import type { Value } from "../../src/expr/types.js";

const ctx: CallContext = { lookup: (_table, key) => (key === "AU" ? "Australia" : null) };

/** Values shaped like the ones the functions expect, so runs reach past the first type check. */
const meaningful = fc.constantFrom(
  "0412 345 678", "+61 2 9374 4000", "AU", "GB", "ann@example.com", "2024-02-29", "29/02/2024",
  "2024-05-01T10:00:00+10:00", "YYYYMMDD", "MM/DD/YYYY", "^(a+)+$", "(", "[0-9]+", "\\p{L}", "$1", "",
  " ", "Zoë", "José", "Nguyễn", "🙂👍🏽", "o'brien-smith", "1e3", "-0", "NaN",
); // prettier-ignore

const scalar: fc.Arbitrary<Value> = fc.oneof(
  meaningful,
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.double(),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 0, 1, 2, -1, 15, 16, 1e21, Number.MAX_VALUE),
  fc.integer({ min: -100, max: 100 }),
  fc.boolean(),
  fc.constant(null),
);
const { value } = fc.letrec<{ value: Value }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    scalar,
    fc.array(tie("value"), { maxLength: 4 }),
  ),
}));

function isValue(v: unknown): boolean {
  if (v === null || typeof v === "string" || typeof v === "boolean") return true;
  if (typeof v === "number") return Number.isFinite(v);
  return Array.isArray(v) && v.every(isValue);
}

const PASS_THROUGH = new Set(["coalesce", "nullif"]);

describe("every function, given anything", () => {
  it.each([...functions.keys()])("%s never throws, returns a value, and stays fast", (name) => {
    const fn = functions.get(name)!;
    fc.assert(
      fc.property(fc.array(fc.oneof(value, fc.constant(undefined)), { maxLength: 5 }), (args) => {
        const started = performance.now();
        const result = fn.call(args, ctx);
        expect(performance.now() - started).toBeLessThan(1000);
        // coalesce and nullif hand back an argument as it is; only values a function makes must be finite, not -0.
        if (PASS_THROUGH.has(name) && args.some((a) => Object.is(a, result))) return;
        expect(isValue(result), JSON.stringify(result)).toBe(true);
        expect(Object.is(result, -0)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe("levenshtein's fast path", () => {
  it("gives levenshteinDistance's answer on the code points, for any two texts", async () => {
    const { levenshteinDistance, levenshteinOfTexts, toCodePoints } =
      await import("../../src/expr/functions/similarity-algorithms.js");
    const text = fc.oneof(
      fc.string({ unit: fc.constantFrom("a", "b", "c", "é"), maxLength: 12 }),
      // Around the 30 code points the bit-parallel path takes.
      fc.string({ unit: fc.constantFrom("a", "b", "ÿ"), minLength: 26, maxLength: 36 }),
      fc.string({ unit: "grapheme", maxLength: 20 }),
      fc.string({ unit: "binary", maxLength: 80 }),
    );
    fc.assert(
      fc.property(text, text, text, (a, b, c) => {
        // Three texts in turn, so the buffer the previous call left loaded is reused or replaced correctly.
        for (const [x, y] of [
          [a, b],
          [a, c],
          [c, b],
        ] as const) {
          const fast = levenshteinOfTexts(x, y);
          const surrogates = /[\uD800-\uDFFF]/.test(x + y);
          if (surrogates) expect(fast).toBeUndefined();
          else expect(fast).toBe(levenshteinDistance(toCodePoints(x), toCodePoints(y)));
        }
      }),
      { numRuns: 2000 },
    );
  });
});
