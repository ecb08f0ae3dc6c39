/**
 * clue boolean expressions → CluedIn condition trees. Operator leaves where the meaning is exact (a field compared
 * with a literal, is null, in, regex_matches with a literal pattern; and/or/not as groups), a Power Fx formula
 * leaf where the expression has a faithful Power Fx translation, else a reason it cannot be expressed.
 *
 * Null: a clue condition that is null counts as false, so every expression compiles with a polarity: `holds`
 * (true exactly when the expression is true) or its opposite `fails` (true exactly when it is false, not null).
 * `not` swaps polarity and and/or swap under `fails` (De Morgan holds in clue's three-valued logic). A negative
 * operator (Not Equal, Not In, Does not match pattern) would also hold on a missing value, so it is guarded with
 * Is Not Null; positive operators never hold on a missing value [I: CluedIn's evaluator skips absent values].
 */
import type { Node, Span } from "../expr/ast.js";
import type { EntityField } from "../types/index.js";
import { toDotnet } from "./dotnet-regex.js";
import { EMPTY_GUID, type Condition, type ConditionGroup, type ConditionLeaf } from "./model.js";
import { NEGATIONS, OBJECT_TYPES, OPERATORS, type OperatorName } from "./operators.js";
import { printFx, call, type Fx } from "./powerfx-syntax.js";
import { readField, toPowerFx, type FieldContext } from "./powerfx.js";

export interface Approximation {
  message: string;
  span: Span;
}

export type ConditionResult =
  | { ok: true; condition: Condition; approximations: Approximation[] }
  | { ok: false; reason: string; span: Span };

const COMPARISONS: Partial<Record<string, OperatorName>> = {
  "==": "Equals",
  "!=": "NotEqual",
  "<": "Less",
  "<=": "LessOrEqual",
  ">": "Greater",
  ">=": "GreaterOrEqual",
};
/** `5 < x` is `x > 5`. */
const MIRROR: Partial<Record<OperatorName, OperatorName>> = {
  Less: "Greater",
  Greater: "Less",
  LessOrEqual: "GreaterOrEqual",
  GreaterOrEqual: "LessOrEqual",
};
const GUARDED = new Set<OperatorName>(["NotEqual", "NotIn", "DoesNotMatchPattern"]);
const TEXT_OPERATORS = new Set<OperatorName>(["Equals", "NotEqual", "In", "NotIn"]);
const CASE_INSENSITIVE =
  "CluedIn's text operators compare case-insensitively [inferred]; clue's == and in are case-sensitive";
const LEAF_TYPE: Record<EntityField["type"], string> = {
  string: "string",
  integer: "integer",
  number: "number",
  boolean: "boolean",
  date: "datetime",
  datetime: "datetime",
};

class Inexpressible extends Error {
  constructor(
    readonly reason: string,
    readonly span: Span,
  ) {
    super(reason);
  }
}

/** The condition true exactly when `node` is true (`holds`) or exactly when it is false (`fails`). */
export function toCondition(
  node: Node,
  ctx: FieldContext,
  polarity: "holds" | "fails" = "holds",
): ConditionResult {
  const approximations: Approximation[] = [];
  try {
    const condition = compile(node, ctx, polarity === "holds", approximations);
    return { ok: true, condition: normalize(condition), approximations };
  } catch (error) {
    if (error instanceof Inexpressible) return { ok: false, reason: error.reason, span: error.span };
    throw error;
  }
}

function compile(node: Node, ctx: FieldContext, holds: boolean, approx: Approximation[]): Condition {
  if (node.kind === "unary" && node.op === "not") return compile(node.operand, ctx, !holds, approx);
  if (node.kind === "binary" && (node.op === "and" || node.op === "or")) {
    const all = (node.op === "and") === holds;
    return group(all ? "AND" : "OR", [
      compile(node.left, ctx, holds, approx),
      compile(node.right, ctx, holds, approx),
    ]);
  }
  const leaf = operatorLeaf(node, ctx, approx);
  if (leaf) return polarised(leaf, holds, ctx);
  return formulaLeaf(node, ctx, holds, approx);
}

interface Test {
  field: string;
  operator: OperatorName;
  values: string[];
}

/** The operator test `node` is, when it is one; undefined when it needs a formula. */
function operatorLeaf(node: Node, ctx: FieldContext, approx: Approximation[]): Test | undefined {
  if (node.kind === "is-null" && fieldOf(node.operand, ctx))
    return {
      field: fieldOf(node.operand, ctx)!,
      operator: node.negated ? "IsNotNull" : "IsNull",
      values: [],
    };
  if (node.kind === "in" && fieldOf(node.left, ctx) && node.right.kind === "list") {
    const values = node.right.items.map(literalOf);
    if (values.some((v) => v === undefined)) return undefined;
    return caseNote(
      {
        field: fieldOf(node.left, ctx)!,
        operator: node.negated ? "NotIn" : "In",
        values: values as string[],
      },
      node,
      approx,
    );
  }
  if (node.kind === "binary" && COMPARISONS[node.op]) {
    const op = COMPARISONS[node.op]!;
    const [l, r] = [literalOf(node.left), literalOf(node.right)];
    if (fieldOf(node.left, ctx) && r !== undefined)
      return caseNote({ field: fieldOf(node.left, ctx)!, operator: op, values: [r] }, node, approx);
    if (fieldOf(node.right, ctx) && l !== undefined)
      return caseNote(
        { field: fieldOf(node.right, ctx)!, operator: MIRROR[op] ?? op, values: [l] },
        node,
        approx,
      );
  }
  if (node.kind === "call" && node.name === "regex_matches" && node.args.length === 2) {
    const [text, pattern] = node.args.map((a) => a.value);
    const field = text && fieldOf(text, ctx);
    if (!field || pattern?.kind !== "literal" || typeof pattern.value !== "string") return undefined;
    const dotnet = toDotnet(pattern.value);
    if (dotnet.unsupported)
      throw new Inexpressible(`the pattern cannot run on .NET: ${dotnet.unsupported}`, pattern.span);
    for (const message of dotnet.approximations)
      approx.push({ message: `the pattern differs on .NET: ${message}`, span: pattern.span });
    return { field, operator: "MatchesPattern", values: [dotnet.pattern] };
  }
  return undefined;
}

function caseNote(test: Test, node: Node, approx: Approximation[]): Test {
  if (TEXT_OPERATORS.has(test.operator) && test.values.some((v) => v.toLowerCase() !== v.toUpperCase()))
    approx.push({ message: CASE_INSENSITIVE, span: node.span });
  return test;
}

function fieldOf(node: Node, ctx: FieldContext): string | undefined {
  return node.kind === "field" && node.path.length === 1 && ctx.type(node.path[0]!) !== undefined
    ? node.path[0]
    : undefined;
}

/** A literal as the platform's value text; `to_date("…")` and `to_datetime("…")` of a literal count as literals. */
function literalOf(node: Node): string | undefined {
  if (node.kind === "literal" && node.value !== null && typeof node.value !== "object")
    return String(node.value);
  if (
    node.kind === "unary" &&
    node.op === "-" &&
    node.operand.kind === "literal" &&
    typeof node.operand.value === "number"
  )
    return String(-node.operand.value);
  if (
    node.kind === "call" &&
    (node.name === "to_date" || node.name === "to_datetime") &&
    node.args.length === 1
  ) {
    const arg = node.args[0]!.value;
    if (arg.kind === "literal" && typeof arg.value === "string") return arg.value;
  }
  return undefined;
}

function polarised(test: Test, holds: boolean, ctx: FieldContext): Condition {
  const operator = holds ? test.operator : NEGATIONS[test.operator]!;
  const leaf = vocabularyLeaf(ctx, test.field, operator, test.values);
  return GUARDED.has(operator)
    ? group("AND", [vocabularyLeaf(ctx, test.field, "IsNotNull", []), leaf])
    : leaf;
}

export function vocabularyLeaf(
  ctx: FieldContext,
  field: string,
  operator: OperatorName,
  values: string[],
): ConditionLeaf {
  return {
    kind: "leaf",
    objectTypeId: OBJECT_TYPES.vocabularyKey,
    field: `Properties[${ctx.key(field)}]`,
    operator: OPERATORS[operator],
    type: LEAF_TYPE[ctx.type(field) ?? "string"],
    value: operator === "IsNull" || operator === "IsNotNull" ? [] : values,
  };
}

/** Constructs a formula condition can hold: anything else is null-aware in ways a field guard cannot express. */
const NOT_IN_FORMULAS = new Set(["binary:and", "binary:or", "unary:not", "is-null", "literal:null"]);

function formulaLeaf(node: Node, ctx: FieldContext, holds: boolean, approx: Approximation[]): Condition {
  const blocker = findNode(node, (n) =>
    NOT_IN_FORMULAS.has(
      n.kind === "binary" || n.kind === "unary"
        ? `${n.kind}:${n.op}`
        : n.kind === "literal" && n.value === null
          ? "literal:null"
          : n.kind,
    ),
  );
  if (blocker)
    throw new Inexpressible(
      "a null-aware operator inside a computed condition has no exact equivalent",
      blocker.span,
    );
  const translated = toPowerFx(node, ctx);
  if (!translated.ok) throw new Inexpressible(translated.reason, translated.span);
  for (const message of translated.approximations) approx.push({ message, span: node.span });
  const test: Fx = holds ? translated.fx : call("Not", translated.fx);
  const guards = translated.fields.map((f) => call("Not", call("IsBlank", readField(ctx, f))));
  return formula(printFx(guards.length === 0 ? test : call("And", ...guards, test)));
}

function findNode(node: Node, test: (n: Node) => boolean): Node | undefined {
  if (test(node)) return node;
  const children: Node[] =
    node.kind === "list"
      ? node.items
      : node.kind === "call"
        ? node.args.map((a) => a.value)
        : node.kind === "unary" || node.kind === "is-null"
          ? [node.operand]
          : node.kind === "binary" || node.kind === "in"
            ? [node.left, node.right]
            : [];
  for (const child of children) {
    const found = findNode(child, test);
    if (found) return found;
  }
  return undefined;
}

export function formula(text: string): ConditionLeaf {
  return {
    kind: "leaf",
    objectTypeId: OBJECT_TYPES.powerFx,
    field: null,
    operator: EMPTY_GUID,
    type: null,
    value: [text],
  };
}

export function group(condition: "AND" | "OR", rules: Condition[]): ConditionGroup {
  return { kind: "group", condition, rules };
}

/** `EntityType Equals /Person`: how every clue rule, project and stream is scoped to its entity. */
export function entityTypeLeaf(entity: string): ConditionLeaf {
  return {
    kind: "leaf",
    objectTypeId: OBJECT_TYPES.property,
    field: "EntityType",
    operator: OPERATORS.Equals,
    type: "string",
    value: [`/${entity}`],
  };
}

/**
 * Nested groups of the same kind merged into their parent and repeated children dropped: the platform's meaning
 * is unchanged, and a condition read back and compiled again comes out identical.
 */
export function normalize(condition: Condition): Condition {
  if (condition.kind === "leaf") return condition;
  const rules: Condition[] = [];
  const seen = new Set<string>();
  const add = (c: Condition) => {
    const key = JSON.stringify(c);
    if (!seen.has(key)) {
      seen.add(key);
      rules.push(c);
    }
  };
  for (const child of condition.rules.map(normalize)) {
    if (child.kind === "group" && child.condition === condition.condition) child.rules.forEach(add);
    else add(child);
  }
  return { ...condition, rules };
}
