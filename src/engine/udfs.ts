/**
 * What a UDF of a plan computes, in JavaScript: clue's own function (src/expr/functions) called as the JS evaluator
 * calls it (compile.ts compileCall: null in, null out unless the function handles nulls; text past
 * MAX_TEXT_LENGTH in or out is null), or one of the compiler's helpers. Runners on Node (DuckDB) register these as
 * they are; the Spark runner ports them.
 */
import type { CallContext } from "../expr/function-def.js";
import { functions } from "../expr/functions/index.js";
import { MAX_TEXT_LENGTH, type Value } from "../expr/types.js";
import { numberProblem } from "../io/exact-number.js";
import { checks } from "../pipeline/checks.js";
import { probabilityOf } from "../matching/model.js";
import type { SqlType, UdfSignature } from "./sql/plan.js";

/** A UDF's JavaScript body: arguments in the plan's order (NULL as null), the result of the declared type or null. */
export type UdfBody = (args: readonly (Value | undefined)[]) => Value;

/** The compiler's helpers (names starting `clue__`), by name. */
export const HELPER_UDFS: Readonly<Record<string, (context: CallContext) => UdfBody>> = {
  /** JavaScript's order of two texts, by UTF-16 code units: -1, 0 or 1. */
  clue__compare_text:
    () =>
    ([a, b]) =>
      (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0,
  /** Why a number field's text cannot become a number unchanged (io/exact-number.ts), or null. */
  clue__number_problem:
    () =>
    ([text]) =>
      numberProblem(text as string) ?? null,
  /** A number as JavaScript prints it (String(n)). */
  clue__js_number_text:
    () =>
    ([x]) =>
      (x as number).toString(),
  /** The model's match probability of a match weight (model.ts probabilityOf). */
  clue__probability:
    () =>
    ([w]) =>
      probabilityOf(w as number),
  /** Math.log2, for term-frequency weights. */
  clue__log2:
    () =>
    ([x]) =>
      Math.log2(x as number),
  /** The waterfall's rounding (model.ts): to `digits` decimals. */
  clue__round:
    () =>
    ([x, digits]) => {
      const f = 10 ** (digits as number);
      return Math.round((x as number) * f) / f;
    },
  /** A text whose byte order is JavaScript's order of `text`: its UTF-16 code units, four hex digits each. */
  clue__utf16_key:
    () =>
    ([text]) => {
      const t = text as string;
      let out = "";
      for (let i = 0; i < t.length; i++) out += t.charCodeAt(i).toString(16).padStart(4, "0");
      return out;
    },
  /** checks.ts's `format` check of text (date, datetime, url...). */
  clue__format: (context) => {
    const tests = new Map<string, (v: Value) => boolean>();
    return ([format, text]) => {
      const name = format as string;
      let test = tests.get(name);
      if (test === undefined) {
        const fn = checks.format.compile({ format: name as "email" }, { referenceValues: () => undefined });
        test = (v) => fn(v, {});
        tests.set(name, test);
      }
      void context;
      return test(text as Value);
    };
  },
};

/** The body of a UDF of a plan, or an Error saying why there is none. */
export function udfBody(name: string, signature: UdfSignature, context: CallContext): UdfBody {
  const helper = HELPER_UDFS[name];
  if (helper !== undefined) return helper(context);
  const fn = functions.get(signature.function);
  if (fn === undefined)
    throw new Error(`the plan names a UDF ${name} of an unknown function ${signature.function}`);
  const acceptsNull = fn.acceptsNull === true;
  const arity = signature.args.length;
  const values: (Value | undefined)[] = new Array<Value | undefined>(arity);
  const returns = signature.returns;
  return (args) => {
    let given = 0;
    for (let i = 0; i < arity; i++) {
      if (signature.args[i] === "omitted") {
        values[i] = undefined;
        continue;
      }
      const v = args[given++] ?? null;
      if (v === null && !acceptsNull) return null;
      if (typeof v === "string" && v.length > MAX_TEXT_LENGTH) return null;
      values[i] = v;
    }
    const result = fn.call(values, context);
    if (typeof result === "string" && result.length > MAX_TEXT_LENGTH) return null;
    if (result !== null && !ofType(result, returns))
      throw new Error(`${fn.name}() gave ${JSON.stringify(result)} where its signature says ${returns}`);
    return result;
  };
}

function ofType(value: Value, type: SqlType): boolean {
  return type === "text"
    ? typeof value === "string"
    : type === "number"
      ? typeof value === "number"
      : typeof value === "boolean";
}
