/**
 * clue expressions → Power Fx, for the functions that have a faithful equivalent, and back (import). The function
 * table is plain data: adding a translation is adding a row. Field values come from the golden record with
 * `GetVocabularyKeyValue(Entity, "<key>")` (CluedIn's Power Fx host function), converted to the field's type.
 *
 * Null: every function in the table gives null for a null argument in clue, so an expression is null exactly when
 * one of the fields it reads is; callers guard on those fields (`IsBlank`) instead of relying on Power Fx's blank
 * rules, which differ (text functions treat blank as "").
 */
import type { Node, Span } from "../expr/ast.js";
import type { EntityField } from "../types/index.js";
import { clueLiteral, paren } from "./clue-text.js";
import { call, str, type Fx, type FxOp } from "./powerfx-syntax.js";

export interface FxFunction {
  /** The Power Fx function. */
  fx: string;
  /** Set when the Power Fx function is close but not equal: what differs. */
  approximation?: string;
}

const SPACES_ONLY =
  "Power Fx removes the space character only; clue also removes tabs, line breaks and no-break spaces";

/** clue function → Power Fx function, same arguments in the same order. */
export const FX_FUNCTIONS: Readonly<Record<string, FxFunction>> = {
  lower: { fx: "Lower" },
  upper: { fx: "Upper" },
  trim: { fx: "TrimEnds", approximation: SPACES_ONLY },
  collapse_whitespace: { fx: "Trim", approximation: SPACES_ONLY },
  title_case: {
    fx: "Proper",
    approximation:
      "Power Fx Proper capitalises after any non-letter; clue after whitespace, hyphens and apostrophes",
  },
  length: { fx: "Len" },
  replace: { fx: "Substitute" },
  concat: { fx: "Concatenate" },
  abs: { fx: "Abs" },
};

const FROM_FX = new Map(Object.entries(FX_FUNCTIONS).map(([clue, f]) => [f.fx, clue]));

/** How a field of each type is read in Power Fx (values are held as text). */
const READ_AS: Record<EntityField["type"], string | undefined> = {
  string: undefined,
  integer: "Value",
  number: "Value",
  boolean: "Boolean",
  date: "DateTimeValue",
  datetime: "DateTimeValue",
};
const LITERAL_CONVERSIONS: Record<string, string> = { to_date: "DateValue", to_datetime: "DateTimeValue" };

const OPS: Partial<Record<string, FxOp>> = {
  "==": "=",
  "!=": "<>",
  "<": "<",
  "<=": "<=",
  ">": ">",
  ">=": ">=",
  "+": "+",
  "-": "-",
  "*": "*",
  "/": "/",
};

export interface FieldContext {
  /** The vocabulary key of a field: `person.email`. */
  key(field: string): string;
  type(field: string): EntityField["type"] | undefined;
}

export type FxResult =
  | { ok: true; fx: Fx; fields: string[]; approximations: string[] }
  | { ok: false; reason: string; span: Span };

class Untranslatable extends Error {
  constructor(
    readonly reason: string,
    readonly span: Span,
  ) {
    super(reason);
  }
}

export function toPowerFx(node: Node, ctx: FieldContext): FxResult {
  const fields = new Set<string>();
  const approximations = new Set<string>();
  try {
    const fx = translate(node, ctx, fields, approximations);
    return { ok: true, fx, fields: [...fields], approximations: [...approximations] };
  } catch (error) {
    if (error instanceof Untranslatable) return { ok: false, reason: error.reason, span: error.span };
    throw error;
  }
}

export function readField(ctx: FieldContext, field: string): Fx {
  const read = call("GetVocabularyKeyValue", { t: "ident", name: "Entity" }, str(ctx.key(field)));
  const as = READ_AS[ctx.type(field) ?? "string"];
  return as ? call(as, read) : read;
}

function translate(node: Node, ctx: FieldContext, fields: Set<string>, approx: Set<string>): Fx {
  const again = (n: Node) => translate(n, ctx, fields, approx);
  switch (node.kind) {
    case "literal":
      if (node.value === null) return call("Blank");
      if (typeof node.value === "string") return str(node.value);
      if (typeof node.value === "number") return { t: "num", value: node.value };
      if (typeof node.value === "boolean") return { t: "bool", value: node.value };
      break;
    case "field":
      if (node.path.length === 1 && ctx.type(node.path[0]!) !== undefined) {
        fields.add(node.path[0]!);
        return readField(ctx, node.path[0]!);
      }
      throw new Untranslatable(`field ${node.path.join(".")} is not a field of the entity`, node.span);
    case "call":
      return translateCall(node, again, approx);
    case "unary":
      if (node.op === "not") return call("Not", again(node.operand));
      if (node.operand.kind === "literal" && typeof node.operand.value === "number")
        return { t: "num", value: -node.operand.value };
      break;
    case "binary": {
      if (node.op === "and" || node.op === "or")
        return call(node.op === "and" ? "And" : "Or", again(node.left), again(node.right));
      if (node.op === "%") return call("Mod", again(node.left), again(node.right));
      const op = OPS[node.op];
      if (op) return { t: "op", op, left: again(node.left), right: again(node.right) };
      break;
    }
    case "in":
      if (node.right.kind === "list") {
        const test: Fx = {
          t: "op",
          op: "exactin",
          left: again(node.left),
          right: { t: "table", items: node.right.items.map(again) },
        };
        return node.negated ? call("Not", test) : test;
      }
      break;
    case "is-null": {
      const test = call("IsBlank", again(node.operand));
      return node.negated ? call("Not", test) : test;
    }
    case "list":
      break;
  }
  throw new Untranslatable("this has no Power Fx equivalent in clue's translation", node.span);
}

function translateCall(
  node: Extract<Node, { kind: "call" }>,
  again: (n: Node) => Fx,
  approx: Set<string>,
): Fx {
  const conversion = LITERAL_CONVERSIONS[node.name];
  const only = node.args[0]?.value;
  if (conversion && node.args.length === 1 && only?.kind === "literal" && typeof only.value === "string")
    return call(conversion, str(only.value));
  const fn = FX_FUNCTIONS[node.name];
  if (!fn || node.args.some((a) => a.name !== undefined))
    throw new Untranslatable(`${node.name}() has no faithful Power Fx equivalent`, node.nameSpan);
  if (fn.approximation) approx.add(`${node.name}() → ${fn.fx}(): ${fn.approximation}`);
  return call(fn.fx, ...node.args.map((a) => again(a.value)));
}

/** Power Fx → clue text, for what `toPowerFx` writes; undefined for anything else. */
export function fromPowerFx(fx: Fx, fieldOfKey: (key: string) => string | undefined): string | undefined {
  const back = (f: Fx) => fromPowerFx(f, fieldOfKey);
  switch (fx.t) {
    case "str":
      return clueLiteral(fx.value);
    case "num":
    case "bool":
      return String(fx.value);
    case "op": {
      const [l, r] = [back(fx.left), back(fx.right)];
      if (l === undefined || r === undefined) return undefined;
      if (fx.op === "exactin") return `${paren(l)} in ${r}`;
      const op = Object.entries(OPS).find(([, v]) => v === fx.op)?.[0];
      return op && `${paren(l)} ${op} ${paren(r)}`;
    }
    case "table": {
      const items = fx.items.map(back);
      return items.every((i) => i !== undefined) ? `[${items.join(", ")}]` : undefined;
    }
    case "call":
      return fromFxCall(fx, back, fieldOfKey);
    case "ident":
      return undefined;
  }
}

function fromFxCall(
  fx: Extract<Fx, { t: "call" }>,
  back: (f: Fx) => string | undefined,
  fieldOfKey: (key: string) => string | undefined,
): string | undefined {
  const [first] = fx.args;
  if (fx.name === "GetVocabularyKeyValue") {
    const key = fx.args[1];
    return key?.t === "str" ? fieldOfKey(key.value) : undefined;
  }
  if (
    fx.args.length === 1 &&
    first?.t === "call" &&
    first.name === "GetVocabularyKeyValue" &&
    Object.values(READ_AS).includes(fx.name)
  )
    return back(first);
  const literal = Object.entries(LITERAL_CONVERSIONS).find(([, v]) => v === fx.name)?.[0];
  if (literal && fx.args.length === 1 && first?.t === "str") return `${literal}(${clueLiteral(first.value)})`;
  if (fx.name === "Blank" && fx.args.length === 0) return "null";
  const args = fx.args.map(back);
  if (args.some((a) => a === undefined)) return undefined;
  const [a, b] = args as string[];
  if (fx.name === "Not" && first?.t === "call" && first.name === "IsBlank")
    return `${paren(back(first.args[0]!) ?? "")} is not null`;
  if (fx.name === "IsBlank" && a !== undefined) return `${paren(a)} is null`;
  if (fx.name === "Not" && a !== undefined) return `not ${paren(a)}`;
  if ((fx.name === "And" || fx.name === "Or") && b !== undefined)
    return `${paren(a!)} ${fx.name.toLowerCase()} ${paren(b)}`;
  if (fx.name === "Mod" && b !== undefined) return `${paren(a!)} % ${paren(b)}`;
  const clue = FROM_FX.get(fx.name);
  return clue && `${clue}(${args.join(", ")})`;
}
