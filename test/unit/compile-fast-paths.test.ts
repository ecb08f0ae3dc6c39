import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile } from "../../src/expr/compile.js";
import type { FunctionDef } from "../../src/expr/function-def.js";
import { functions } from "../../src/expr/functions/index.js";
import { parse } from "../../src/expr/parser.js";
import { equals, MAX_TEXT_LENGTH, type Value } from "../../src/expr/types.js";
import { checks } from "../../src/pipeline/checks.js";
import type { Check } from "../../src/types/generated/validation.js";

// The compiler runs a chain of one-text functions (`lower(trim(email))`) as one closure over FunctionDef.onText; the
// plain computation is each call on its own, through `call`, as the compiler does for a function without onText.
const context = { lookup: () => null };
const plain = new Map<string, FunctionDef>(
  [...functions].map(([name, def]) => {
    const { onText: _, ...rest } = def;
    return [name, rest];
  }),
);
const textFunctions = [...functions.values()].filter((f) => f.onText !== undefined).map((f) => f.name);

describe("chains of one-text functions", () => {
  const value: fc.Arbitrary<Value | undefined> = fc.oneof(
    fc.string(),
    fc.string({ unit: "grapheme", maxLength: 12 }),
    fc.constantFrom("  Ann  LEE ", "o'brien-smith", "ANN@EXAMPLE.COM ", "Zoë\u00a0", "", " ", "ß"),
    fc.constant("x".repeat(MAX_TEXT_LENGTH + 1)),
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.array(fc.string(), { maxLength: 2 }),
  );

  it("give what the nested calls give, on any value", () => {
    expect(textFunctions).toEqual(expect.arrayContaining(["lower", "trim", "title_case", "email_domain"]));
    const chain = fc
      .array(fc.constantFrom(...textFunctions), { minLength: 1, maxLength: 4 })
      .chain((names) =>
        fc
          .constantFrom("x", "other.x", "concat(x, 'a')")
          .map((arg) => names.reduce((e, f) => `${f}(${e})`, arg)),
      );
    fc.assert(
      fc.property(chain, value, value, (text, x, y) => {
        const parsed = parse(text);
        if (!parsed.ok) throw new Error(parsed.error.message);
        const fast = compile(parsed.node, { functions, context });
        const slow = compile(parsed.node, { functions: plain, context });
        const record = x === undefined ? {} : { x };
        const other = y === undefined ? {} : { x: y };
        expect(fast(record, other)).toEqual(slow(record, other));
      }),
      { numRuns: 5000 },
    );
  });
});

describe("the enum check", () => {
  // It looks text up in a set; the plain computation is `==` against each accepted value.
  const value: fc.Arbitrary<Value> = fc.oneof(
    fc.constantFrom("AU", "au", "42", "042", "4.2e1", "true", "", " AU"),
    fc.constantFrom(42, 0, 1, true, false),
    fc.string({ maxLength: 3 }),
    fc.array(fc.constantFrom("AU", 42), { maxLength: 2 }),
  );
  it("accepts a value exactly when it is == one of the listed values", () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 6 }), value, (accepted, v) => {
        const test = checks.enum.compile({ enum: accepted } as Check, { referenceValues: () => undefined });
        expect(test(v, {})).toBe(accepted.some((a) => equals(v, a) === true));
      }),
      { numRuns: 5000 },
    );
  });
});
