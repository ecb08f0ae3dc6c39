import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileExpression } from "../../src/expr/expression.js";
import { functions } from "../../src/expr/functions/index.js";
import { parse } from "../../src/expr/parser.js";
import type { ExprType } from "../../src/expr/types.js";

const fields = new Map<string, ExprType>([
  ["email", "string"],
  ["phone", "string"],
  ["age", "number"],
  ["active", "boolean"],
  ["born", "date"],
]);
const scope = { fields: undefined, other: true, functions, context: { lookup: () => null } };

// Pieces of the language, so random sequences often come close to valid expressions and reach deep code paths.
const vocabulary = [
  ...["email", "phone", "age", "active", "born", "other", "x", "address", "city"],
  ...["and", "or", "not", "in", "is", "null", "true", "false"],
  ...["==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%", "(", ")", "[", "]", ",", ".", "="],
  ...["'a'", '"b c"', "'\\n'", "'", '"', "0", "1.5", "1e3", ".5", "-", "\\", "&", "!"],
  ...[...functions.keys()].slice(0, 30),
];
const tokens = fc.array(fc.constantFrom(...vocabulary), { maxLength: 30 }).map((t) => t.join(" "));
// JSON and CSV cannot hold NaN or Infinity, so records never do either.
const value = fc.oneof(
  fc.string(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
);
const record = fc.dictionary(
  fc.constantFrom("email", "phone", "age", "active", "born", "x", "constructor", "__proto__"),
  value,
);

describe("expression language fuzzing", () => {
  it("parses any text without throwing; every error carries a span inside the text", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: "binary", maxLength: 100 }), tokens),
        (text) => {
          const result = parse(text);
          if (!result.ok) {
            expect(result.error.span.start).toBeGreaterThanOrEqual(0);
            expect(result.error.span.end).toBeLessThanOrEqual(text.length);
            expect(result.error.span.start).toBeLessThanOrEqual(result.error.span.end);
            expect(result.error.message.length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("checks and evaluates whatever parses, on any record, without throwing and in bounded time", () => {
    fc.assert(
      fc.property(tokens, record, record, (text, a, b) => {
        const typed = compileExpression(text, { ...scope, fields });
        if (!typed.ok) for (const e of typed.errors) expect(e.span.end).toBeLessThanOrEqual(text.length);
        const compiled = compileExpression(text, scope);
        if (!compiled.ok) return;
        // CPU time, not wall-clock time: a busy machine may pause this process for longer than an evaluation
        // should ever take, but only work done here counts against the bound.
        const started = process.cpuUsage();
        const result = compiled.expression.evaluate(a, b);
        const used = process.cpuUsage(started);
        expect((used.user + used.system) / 1000).toBeLessThan(200);
        expect(result === null || ["string", "number", "boolean", "object"].includes(typeof result)).toBe(
          true,
        );
        if (typeof result === "number") expect(Number.isFinite(result)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it("survives hostile nesting and length", () => {
    for (const text of [
      "(".repeat(10_000),
      "[".repeat(10_000),
      "not ".repeat(10_000) + "true",
      "-".repeat(10_000) + "1",
      "a.".repeat(3000) + "b",
    ]) {
      const result = parse(text);
      expect(result.ok).toBe(false);
    }
  });
});
