/**
 * Condition trees → clue expressions (import): the reverse of conditions.ts for every shape it writes. The text
 * it gives compiles back to the same tree (guards such as the Is Not Null beside a Not Equal are written out, and
 * compiling them again merges them away). Shapes clue never writes give undefined: import reports them.
 */
import { clueLiteral, paren } from "./clue-text.js";
import { fromDotnet } from "./dotnet-regex.js";
import type { Condition, ConditionLeaf } from "./model.js";
import { OBJECT_TYPES, operatorName, type OperatorName } from "./operators.js";
import { parseFx, type Fx } from "./powerfx-syntax.js";
import { fromPowerFx } from "./powerfx.js";

const INFIX: Partial<Record<OperatorName, string>> = {
  Equals: "==",
  NotEqual: "!=",
  Less: "<",
  LessOrEqual: "<=",
  Greater: ">",
  GreaterOrEqual: ">=",
};

export function fromCondition(
  c: Condition,
  fieldOfKey: (key: string) => string | undefined,
): string | undefined {
  if (c.kind === "group") {
    const parts = c.rules.map((r) => fromCondition(r, fieldOfKey));
    if (parts.length === 0 || parts.some((p) => p === undefined)) return undefined;
    return parts.length === 1
      ? parts[0]
      : (parts as string[]).map(paren).join(c.condition === "AND" ? " and " : " or ");
  }
  if (c.objectTypeId === OBJECT_TYPES.powerFx) return formula(c.value[0] ?? "", fieldOfKey);
  if (c.objectTypeId !== OBJECT_TYPES.vocabularyKey) return undefined;
  const key = /^Properties\[(.+)\]$/.exec(c.field ?? "")?.[1];
  const field = key === undefined ? undefined : fieldOfKey(key);
  const op = operatorName(c.operator);
  if (field === undefined || op === undefined) return undefined;
  return leaf(field, op, c);
}

function leaf(field: string, op: OperatorName, c: ConditionLeaf): string | undefined {
  const values = c.value.map((v) => literal(v, c.type));
  if (INFIX[op] && values.length === 1) return `${field} ${INFIX[op]} ${values[0]}`;
  switch (op) {
    case "IsNull":
      return `${field} is null`;
    case "IsNotNull":
      return `${field} is not null`;
    case "In":
      return `${field} in [${values.join(", ")}]`;
    case "NotIn":
      return `${field} not in [${values.join(", ")}]`;
    case "MatchesPattern":
      return `regex_matches(${field}, ${clueLiteral(fromDotnet(c.value[0] ?? ""))})`;
    case "DoesNotMatchPattern":
      return `not regex_matches(${field}, ${clueLiteral(fromDotnet(c.value[0] ?? ""))})`;
    default:
      return undefined;
  }
}

/** A value as clue writes it for a leaf of this type: numbers bare, dates through to_date / to_datetime. */
function literal(value: string, type: string | null): string {
  if ((type === "integer" || type === "number") && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(value)) return value;
  if (type === "boolean" && (value === "true" || value === "false")) return value;
  if (type === "datetime") return `${value.length === 10 ? "to_date" : "to_datetime"}(${clueLiteral(value)})`;
  return clueLiteral(value);
}

/** A formula leaf: `And(<field guards>, <test>)` or `<test>`, the test possibly `Not(...)`. */
function formula(text: string, fieldOfKey: (key: string) => string | undefined): string | undefined {
  const fx = parseFx(text);
  if (!fx) return undefined;
  const test = stripGuards(fx);
  if (test.t === "call" && test.name === "Not" && test.args.length === 1) {
    const inner = fromPowerFx(test.args[0]!, fieldOfKey);
    return inner && `not ${paren(inner)}`;
  }
  return fromPowerFx(test, fieldOfKey);
}

const isGuard = (fx: Fx) =>
  fx.t === "call" && fx.name === "Not" && fx.args[0]?.t === "call" && fx.args[0].name === "IsBlank";

export function stripGuards(fx: Fx): Fx {
  if (fx.t !== "call" || fx.name !== "And" || fx.args.length < 2) return fx;
  const guards = fx.args.slice(0, -1);
  return guards.every(isGuard) ? fx.args[fx.args.length - 1]! : fx;
}
