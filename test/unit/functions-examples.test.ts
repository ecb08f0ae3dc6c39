import { describe, expect, it } from "vitest";
import { compileExpression } from "../../src/expr/expression.js";
import { functions } from "../../src/expr/functions/index.js";

const context = {
  lookup: (table: string, key: string, column?: string) =>
    table === "countries" && key === "AU" ? (column === "code" ? "AU" : "Australia") : null,
};

// Every example of docs/functions.md, parsed, checked and evaluated by the real evaluator: the docs cannot lie.
describe.each([...functions.values()].map((fn) => [fn.name, fn] as const))("%s", (_name, fn) => {
  it.each(fn.examples.map((e) => [e.expr, e.result] as const))("%s", (expr, result) => {
    const compiled = compileExpression(expr, { fields: new Map(), functions, context });
    if (!compiled.ok) throw new Error(compiled.errors.map((e) => e.message).join("; "));
    expect(compiled.expression.evaluate({})).toEqual(result);
  });
});
