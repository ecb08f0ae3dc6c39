/** Shared by the function-library tests: calling a function by name, tables of cases, and evaluating expressions. */
import { describe, expect, it } from "vitest";
import { compileExpression } from "../../src/expr/expression.js";
import type { CallContext } from "../../src/expr/function-def.js";
import { functions } from "../../src/expr/functions/index.js";
import type { Value } from "../../src/expr/types.js";

export type Call = (name: string, ...args: (Value | undefined)[]) => Value;

/** Calls a library function directly (no null or length guard of the evaluator in between). */
export function caller(ctx: CallContext): Call {
  return (name, ...args) => {
    const fn = functions.get(name);
    if (fn === undefined) throw new Error(`no function ${name}`);
    return fn.call(args, ctx);
  };
}

/** [function, arguments, expected result]: one line per tricky case. */
export type Case = [string, (Value | undefined)[], Value];

/** A describe block with one test per case, each called through `call`. */
export function caseTable(call: Call): (title: string, cases: Case[]) => void {
  return (title, cases) => {
    describe(title, () => {
      it.each(cases)("%s(%j) = %j", (name, args, expected) => {
        expect(call(name, ...args)).toStrictEqual(expected);
      });
    });
  };
}

/**
 * Evaluates an expression through the real parser, checker and evaluator, fields unchecked and `other` allowed, so
 * the evaluator's own rules (null arguments, the text cap) apply.
 */
export function evaluator(
  ctx: CallContext,
): (expr: string, record?: Record<string, Value>, other?: Record<string, Value>) => Value {
  return (expr, record = {}, other) => {
    const compiled = compileExpression(expr, { fields: undefined, other: true, functions, context: ctx });
    if (!compiled.ok) throw new Error(compiled.errors.map((e) => e.message).join("; "));
    return compiled.expression.evaluate(record, other);
  };
}
