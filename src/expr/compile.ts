import type { Node } from "./ast.js";
import { bindArguments } from "./checker.js";
import type { CallContext, FunctionDef } from "./function-def.js";
import { equals, MAX_TEXT_LENGTH, parseDecimal, type Value } from "./types.js";

/** A record as the evaluator sees it: field name → value (missing fields read as null). */
export type Row = Readonly<Record<string, unknown>>;

/** A compiled expression: evaluated many times, on a record and (in dedup rules) the record it is compared with. */
export type Evaluator = (record: Row, other?: Row) => Value;

export interface CompileOptions {
  functions: ReadonlyMap<string, FunctionDef>;
  context: CallContext;
}

/**
 * Turns a checked expression into a tree of closures, once; evaluating it is then plain function calls, with no
 * interpretation of the tree and no `eval`. Null semantics follow SPEC section 4: a function given null returns
 * null; a comparison or arithmetic with null is null; `and`/`or` use three-valued logic.
 */
export function compile(node: Node, options: CompileOptions): Evaluator {
  // A part without fields (a literal list, `to_date("1900-01-01")`) has one value: computed once, here.
  if (node.kind !== "literal" && isConstant(node, options)) {
    const value = compileNode(node, options)({});
    return () => value;
  }
  return compileNode(node, options);
}

/** Whether a node reads no field: then it has the same value for every record (functions are pure). */
function isConstant(node: Node, options: CompileOptions): boolean {
  switch (node.kind) {
    case "literal":
      return true;
    case "field":
      return false;
    case "list":
      return node.items.every((n) => isConstant(n, options));
    case "call":
      // lookup() and the name functions read reference tables, which are fixed for a run; the rest are pure.
      return options.functions.has(node.name) && node.args.every((a) => isConstant(a.value, options));
    case "unary":
    case "is-null":
      return isConstant(node.operand, options);
    case "binary":
    case "in":
      return isConstant(node.left, options) && isConstant(node.right, options);
  }
}

function compileNode(node: Node, options: CompileOptions): Evaluator {
  switch (node.kind) {
    case "literal": {
      const value = node.value;
      return () => value;
    }
    case "list": {
      const items = node.items.map((n) => compile(n, options));
      return (r, o) => items.map((item) => item(r, o));
    }
    case "field":
      return compileField(node.path);
    case "is-null": {
      const name = directField(node.operand);
      if (name !== undefined) {
        // `field is not null`, the commonest condition: one read, no closure in between.
        return node.negated
          ? (r) => {
              const v = r[name];
              return v !== undefined && v !== null;
            }
          : (r) => {
              const v = r[name];
              return v === undefined || v === null;
            };
      }
      const operand = compile(node.operand, options);
      return node.negated ? (r, o) => operand(r, o) !== null : (r, o) => operand(r, o) === null;
    }
    case "in": {
      const left = compile(node.left, options);
      const right = compile(node.right, options);
      const negated = node.negated;
      if (isConstant(node.right, options)) {
        // A literal list: text is looked up in a Set; anything else falls back to element-wise equality.
        const list = right({});
        if (!Array.isArray(list)) return () => null;
        const texts = new Set(list.filter((item): item is string => typeof item === "string"));
        return (r, o) => {
          const needle = left(r, o);
          if (needle === null) return null;
          const found =
            typeof needle === "string" && texts.has(needle)
              ? true
              : list.some((item) => equals(needle, item) === true);
          return negated ? !found : found;
        };
      }
      return (r, o) => {
        const needle = left(r, o);
        const list = right(r, o);
        if (needle === null || !Array.isArray(list)) return null;
        const found = list.some((item) => equals(needle, item) === true);
        return negated ? !found : found;
      };
    }
    case "unary": {
      const operand = compile(node.operand, options);
      if (node.op === "not") {
        return (r, o) => {
          const v = operand(r, o);
          return typeof v === "boolean" ? !v : null;
        };
      }
      return (r, o) => {
        const v = operand(r, o);
        return typeof v === "number" ? -v : null;
      };
    }
    case "binary":
      return compileBinary(node, options);
    case "call":
      return compileCall(node, options);
  }
}

/**
 * The name of a plain field of the record (`email`, not `other.email` or `address.city`) that Object.prototype
 * does not have, so `record[name]` can only find an own property: such reads may skip the usual checks.
 */
function directField(node: Node): string | undefined {
  if (node.kind !== "field" || node.path.length !== 1) return undefined;
  const name = node.path[0] as string;
  return name === "other" || name in Object.prototype ? undefined : name;
}

/** Reads a field; own properties only, so a field named `constructor` cannot reach Object.prototype. */
function compileField(path: readonly string[]): Evaluator {
  const fromOther = path[0] === "other";
  const names = fromOther ? path.slice(1) : path;
  const first = names[0] as string;
  if (names.length === 1) {
    // A name that Object.prototype lacks can only be found as an own property: read it directly (the hot path).
    if (!(first in Object.prototype)) {
      return fromOther
        ? (_r, o) => {
            const v = o === undefined ? undefined : o[first];
            return v === undefined ? null : (v as Value);
          }
        : (r) => {
            const v = r[first];
            return v === undefined ? null : (v as Value);
          };
    }
    return fromOther
      ? (_r, o) => (o !== undefined && Object.hasOwn(o, first) ? normalise(o[first]) : null)
      : (r) => (Object.hasOwn(r, first) ? normalise(r[first]) : null);
  }
  return (r, o) => {
    let node: unknown = fromOther ? o : r;
    for (const name of names) {
      if (node === null || typeof node !== "object" || !Object.hasOwn(node, name)) return null;
      node = (node as Row)[name];
    }
    return normalise(node);
  };
}

/** JSON has no undefined; data may. A missing value is null. */
function normalise(value: unknown): Value {
  return value === undefined ? null : (value as Value);
}

function compileBinary(node: Extract<Node, { kind: "binary" }>, options: CompileOptions): Evaluator {
  const left = compile(node.left, options);
  const right = compile(node.right, options);
  switch (node.op) {
    case "and":
      return (r, o) => {
        const a = left(r, o);
        if (a === false) return false;
        const b = right(r, o);
        if (b === false) return false;
        return a === true && b === true ? true : null;
      };
    case "or":
      return (r, o) => {
        const a = left(r, o);
        if (a === true) return true;
        const b = right(r, o);
        if (b === true) return true;
        return a === false && b === false ? false : null;
      };
    case "==": {
      // Comparing with a constant (`country == 'AU'`) skips one closure call and, for text, the general equality.
      if (isConstant(node.right, options)) {
        const c = right({});
        if (typeof c === "string") {
          return (r, o) => {
            const a = left(r, o);
            return a === c ? true : a === null ? null : equals(a, c);
          };
        }
        return (r, o) => equals(left(r, o), c);
      }
      return (r, o) => equals(left(r, o), right(r, o));
    }
    case "!=":
      return (r, o) => {
        const eq = equals(left(r, o), right(r, o));
        return eq === null ? null : !eq;
      };
    case "<":
      return (r, o) => order(left(r, o), right(r, o), (c) => c < 0);
    case "<=":
      return (r, o) => order(left(r, o), right(r, o), (c) => c <= 0);
    case ">":
      return (r, o) => order(left(r, o), right(r, o), (c) => c > 0);
    case ">=":
      return (r, o) => order(left(r, o), right(r, o), (c) => c >= 0);
    case "+":
      return (r, o) => {
        const a = left(r, o);
        const b = right(r, o);
        if (typeof a === "number" && typeof b === "number") return finite(a + b);
        if (typeof a === "string" && (typeof b === "string" || typeof b === "number")) return a + String(b);
        if (typeof a === "number" && typeof b === "string") return String(a) + b;
        return null;
      };
    default: {
      const op = arithmetic[node.op] as (a: number, b: number) => Value;
      return (r, o) => {
        const a = left(r, o);
        const b = right(r, o);
        return typeof a === "number" && typeof b === "number" ? op(a, b) : null;
      };
    }
  }
}

const arithmetic: Record<string, (a: number, b: number) => Value> = {
  "-": (a, b) => finite(a - b),
  "*": (a, b) => finite(a * b),
  // Division by zero has no value: null, like any other undefined result.
  "/": (a, b) => (b === 0 ? null : finite(a / b)),
  "%": (a, b) => (b === 0 ? null : finite(a % b)),
};

function finite(n: number): Value {
  return Number.isFinite(n) ? n : null;
}

function order(a: Value, b: Value, test: (comparison: number) => boolean): boolean | null {
  if (a === null || b === null) return null;
  if (typeof a === "number" && typeof b === "number") return test(a - b);
  if (typeof a === "string" && typeof b === "string") return test(a < b ? -1 : a > b ? 1 : 0);
  const nb = typeof a === "number" && typeof b === "string" ? parseDecimal(b) : undefined;
  if (typeof a === "number" && nb !== undefined) return test(a - nb);
  const na = typeof a === "string" && typeof b === "number" ? parseDecimal(a) : undefined;
  if (na !== undefined && typeof b === "number") return test(na - b);
  return null;
}

function compileCall(node: Extract<Node, { kind: "call" }>, options: CompileOptions): Evaluator {
  const fn = options.functions.get(node.name);
  // The checker has reported unknown functions and bad arguments; compiling such a call gives null.
  if (!fn) return () => null;
  const chain = textChain(node, options);
  if (chain !== undefined) return compileTextChain(chain, options);
  const slots = bindArguments(node, fn, []);
  const args = slots.map((slot) => (slot ? compile(slot.value, options) : undefined));
  const { context } = options;
  const acceptsNull = fn.acceptsNull === true;
  const arity = args.length;
  const only = args[0];
  const field = slots.length === 1 && slots[0] ? directField(slots[0].value) : undefined;
  if (arity === 1 && field !== undefined) {
    // `f(field)`: the field is read here, saving the closure call in between.
    const single: (Value | undefined)[] = [undefined];
    return (r) => {
      const v = r[field] as Value | undefined;
      if (v === undefined || (v === null && !acceptsNull)) return null;
      if (typeof v === "string" && v.length > MAX_TEXT_LENGTH) return null;
      single[0] = v;
      const result = fn.call(single, context);
      return typeof result === "string" && result.length > MAX_TEXT_LENGTH ? null : result;
    };
  }
  if (arity === 1 && only !== undefined) {
    // The commonest call, `f(x)`: no loop, and one argument array reused for every record (functions do not keep it).
    const single: (Value | undefined)[] = [undefined];
    return (r, o) => {
      const v = only(r, o);
      if ((v === null && !acceptsNull) || (typeof v === "string" && v.length > MAX_TEXT_LENGTH)) return null;
      single[0] = v;
      const result = fn.call(single, context);
      return typeof result === "string" && result.length > MAX_TEXT_LENGTH ? null : result;
    };
  }
  // One argument array per call site, refilled for every record: calls do not nest into themselves.
  const values: (Value | undefined)[] = new Array<Value | undefined>(arity);
  return (r, o) => {
    for (let i = 0; i < arity; i++) {
      const arg = args[i];
      const v = arg === undefined ? undefined : arg(r, o);
      if (v === null && !acceptsNull) return null;
      if (typeof v === "string" && v.length > MAX_TEXT_LENGTH) return null;
      values[i] = v;
    }
    const result = fn.call(values, context);
    return typeof result === "string" && result.length > MAX_TEXT_LENGTH ? null : result;
  };
}

/** `f(g(h(x)))` where each is a function of one text (FunctionDef.onText): x, and the functions innermost first. */
interface TextChain {
  argument: Node;
  functions: FunctionDef[];
}

function textChain(node: Node, options: CompileOptions): TextChain | undefined {
  const functions: FunctionDef[] = [];
  let at = node;
  for (;;) {
    if (at.kind !== "call") break;
    const fn = options.functions.get(at.name);
    if (fn?.onText === undefined || fn.acceptsNull === true) break;
    const slots = bindArguments(at, fn, []);
    const only = slots[0];
    if (slots.length !== 1 || only === undefined || only === null) break;
    functions.push(fn);
    at = only.value;
  }
  return functions.length === 0 ? undefined : { argument: at, functions: functions.reverse() };
}

/**
 * A chain of one-text functions as one closure, step for step what the nested calls would do: null in gives null,
 * text longer than MAX_TEXT_LENGTH in or out gives null, and a value that is not text takes the function's `call`.
 */
function compileTextChain({ argument, functions }: TextChain, options: CompileOptions): Evaluator {
  const { context } = options;
  const steps = functions.map((f) => rememberLast(f));
  const count = steps.length;
  const single: (Value | undefined)[] = [undefined];
  const apply = (value: Value | undefined): Value => {
    let v: Value | undefined = value;
    for (let s = 0; s < count; s++) {
      if (v === undefined || v === null) return null;
      if (typeof v === "string") {
        if (v.length > MAX_TEXT_LENGTH) return null;
        v = (steps[s] as (text: string) => Value)(v);
      } else {
        single[0] = v;
        v = (functions[s] as FunctionDef).call(single, context);
      }
      if (typeof v === "string" && v.length > MAX_TEXT_LENGTH) return null;
    }
    return v as Value;
  };
  const field = directField(argument);
  if (field !== undefined) return (r) => apply(r[field] as Value | undefined);
  const arg = compile(argument, options);
  return (r, o) => apply(arg(r, o));
}

/**
 * A one-text function that remembers its last answer, shared by every call site of the function: cleaning steps
 * run one after another on one record, and several ask the same of a value that has not changed in between
 * (`email_domain(email)` in two steps, `trim(last_name)` under two functions). Functions are pure, so the last answer
 * is the answer.
 */
const lastAnswers = new WeakMap<FunctionDef, (text: string) => Value>();

function rememberLast(fn: FunctionDef): (text: string) => Value {
  let remembered = lastAnswers.get(fn);
  if (remembered === undefined) {
    const apply = fn.onText as (text: string) => Value;
    let lastText: string | undefined;
    let lastValue: Value = null;
    remembered = (text) => {
      if (text === lastText) return lastValue;
      lastValue = apply(text);
      lastText = text;
      return lastValue;
    };
    lastAnswers.set(fn, remembered);
  }
  return remembered;
}
