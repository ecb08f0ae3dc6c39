import { didYouMean } from "../util/did-you-mean.js";
import type { Argument, ExprError, Node } from "./ast.js";
import type { FunctionDef } from "./function-def.js";
import { describeType, isAssignable, type ExprType } from "./types.js";

/** What names an expression may use. */
export interface Scope {
  /** The entity's fields and their types; undefined when the entity is unknown (then any field is accepted). */
  fields: ReadonlyMap<string, ExprType> | undefined;
  /** Dedup rules compare a record with `other`, which has the same fields. */
  other?: boolean;
  functions: ReadonlyMap<string, FunctionDef>;
}

export interface CheckResult {
  type: ExprType;
  errors: ExprError[];
}

/** Types an expression against its scope; collects every error rather than stopping at the first. */
export function check(node: Node, scope: Scope): CheckResult {
  const errors: ExprError[] = [];
  const type = visit(node, scope, errors);
  return { type, errors };
}

function visit(node: Node, scope: Scope, errors: ExprError[]): ExprType {
  switch (node.kind) {
    case "literal":
      return literalType(node.value);
    case "list":
      node.items.forEach((item) => visit(item, scope, errors));
      return "list";
    case "field":
      return fieldType(node, scope, errors);
    case "unary": {
      const t = visit(node.operand, scope, errors);
      const want: ExprType = node.op === "not" ? "boolean" : "number";
      expectType(t, want, node.operand, `\`${node.op}\``, errors);
      return want;
    }
    case "is-null":
      visit(node.operand, scope, errors);
      return "boolean";
    case "in": {
      visit(node.left, scope, errors);
      const right = visit(node.right, scope, errors);
      expectType(right, "list", node.right, "the right of `in`", errors);
      return "boolean";
    }
    case "binary":
      return binaryType(node, scope, errors);
    case "call":
      return callType(node, scope, errors);
  }
}

function binaryType(node: Extract<Node, { kind: "binary" }>, scope: Scope, errors: ExprError[]): ExprType {
  const left = visit(node.left, scope, errors);
  const right = visit(node.right, scope, errors);
  switch (node.op) {
    case "and":
    case "or":
      expectType(left, "boolean", node.left, `\`${node.op}\``, errors);
      expectType(right, "boolean", node.right, `\`${node.op}\``, errors);
      return "boolean";
    case "==":
    case "!=":
      // `x == null` is null for every x (SPEC section 4), so a condition written that way never holds.
      if (isNullLiteral(node.left) || isNullLiteral(node.right)) {
        errors.push({
          code: "expr/type",
          message: `\`${node.op} null\` is always null, never true.`,
          span: node.span,
          hint: node.op === "==" ? "Write `x is null`." : "Write `x is not null`.",
        });
      }
      return "boolean";
    case "<":
    case "<=":
    case ">":
    case ">=":
      if (left !== "any" && right !== "any" && !isAssignable(left, right) && !isAssignable(right, left)) {
        errors.push({
          code: "expr/type",
          message: `Cannot compare ${left} with ${right} using \`${node.op}\`.`,
          span: node.span,
          hint: "Convert one side first, e.g. to_number(...) or to_date(...).",
        });
      }
      return "boolean";
    case "+":
      // `+` adds numbers and joins strings; anything else is a mistake the checker can see.
      if (isText(left) && (isText(right) || right === "number")) return "string";
      if (left === "number" && isText(right)) return "string";
      if (left === "any" || right === "any")
        return left === "string" || right === "string" ? "string" : "any";
      expectType(left, "number", node.left, "`+`", errors);
      expectType(right, "number", node.right, "`+`", errors);
      return "number";
    default:
      expectType(left, "number", node.left, `\`${node.op}\``, errors);
      expectType(right, "number", node.right, `\`${node.op}\``, errors);
      return "number";
  }
}

function fieldType(node: Extract<Node, { kind: "field" }>, scope: Scope, errors: ExprError[]): ExprType {
  let path = node.path;
  if (path[0] === "other") {
    if (!scope.other) {
      errors.push({
        code: "expr/unknown-field",
        message: "`other` exists only in dedup rules, where it is the record compared with.",
        span: node.span,
      });
      return "any";
    }
    path = path.slice(1);
    if (path.length === 0) {
      errors.push({
        code: "expr/syntax",
        message: "Name a field of `other`, e.g. `other.email`.",
        span: node.span,
      });
      return "any";
    }
  }
  const name = path[0] as string;
  if (!scope.fields) return "any";
  const type = scope.fields.get(name);
  if (type === undefined) {
    const guess = didYouMean(name, scope.fields.keys());
    errors.push({
      code: "expr/unknown-field",
      message: `Unknown field "${name}".`,
      span: node.span,
      hint: guess ? `Did you mean "${guess}"?` : `Fields: ${[...scope.fields.keys()].join(", ")}.`,
    });
    return "any";
  }
  // A path into a field (`address.city`) reads inside a nested value, whose shape the entity does not declare.
  return path.length > 1 ? "any" : type;
}

function callType(node: Extract<Node, { kind: "call" }>, scope: Scope, errors: ExprError[]): ExprType {
  const fn = scope.functions.get(node.name);
  const argTypes = node.args.map((a) => visit(a.value, scope, errors));
  if (!fn) {
    const guess = didYouMean(node.name, scope.functions.keys());
    errors.push({
      code: "expr/unknown-function",
      message: `Unknown function "${node.name}".`,
      span: node.nameSpan,
      hint: guess ? `Did you mean "${guess}"?` : "See docs/functions.md for the function library.",
    });
    return "any";
  }
  const slots = bindArguments(node, fn, errors);
  slots.forEach((slot, i) => {
    if (!slot) return;
    const param = fn.params[Math.min(i, fn.params.length - 1)];
    const t = argTypes[node.args.indexOf(slot)] ?? "any";
    if (param && !isAssignable(t, param.type)) {
      errors.push({
        code: "expr/type",
        message: `Argument "${param.name}" of ${fn.name}() must be ${describeType(param.type)}, not ${t}.`,
        span: slot.span,
        hint: `${fn.name}: ${fn.description}`,
      });
    }
  });
  return fn.returns;
}

/** Matches a call's arguments to the function's parameters: positional first, then named. */
export function bindArguments(
  node: Extract<Node, { kind: "call" }>,
  fn: FunctionDef,
  errors: ExprError[],
): (Argument | undefined)[] {
  const slots: (Argument | undefined)[] = [];
  const required = fn.params.filter((p) => !p.optional).length;
  const signature = `${fn.name}(${fn.params.map((p) => (p.optional ? `${p.name}?` : p.name)).join(", ")}${fn.variadic ? ", ..." : ""})`;
  let named = false;
  for (const arg of node.args) {
    if (arg.name === undefined) {
      if (named) {
        errors.push({
          code: "expr/arguments",
          message: "A positional argument cannot follow a named one.",
          span: arg.span,
        });
        continue;
      }
      if (slots.length >= fn.params.length && !fn.variadic) {
        errors.push({
          code: "expr/arguments",
          message: `${fn.name}() takes at most ${fn.params.length} argument${fn.params.length === 1 ? "" : "s"}.`,
          span: arg.span,
          hint: `Signature: ${signature}.`,
        });
        continue;
      }
      slots.push(arg);
      continue;
    }
    named = true;
    const index = fn.params.findIndex((p) => p.name === arg.name);
    if (index === -1) {
      const guess = didYouMean(
        arg.name,
        fn.params.map((p) => p.name),
      );
      errors.push({
        code: "expr/arguments",
        message: `${fn.name}() has no parameter "${arg.name}".`,
        span: arg.span,
        hint: guess ? `Did you mean "${guess}"?` : `Signature: ${signature}.`,
      });
      continue;
    }
    if (slots[index]) {
      errors.push({
        code: "expr/arguments",
        message: `Argument "${arg.name}" is given twice.`,
        span: arg.span,
      });
      continue;
    }
    while (slots.length < index) slots.push(undefined);
    slots[index] = arg;
  }
  const given = slots.filter((s, i) => s !== undefined && i < required).length;
  if (given < required) {
    errors.push({
      code: "expr/arguments",
      message: `${fn.name}() needs ${required} argument${required === 1 ? "" : "s"}: ${fn.params
        .filter((p) => !p.optional)
        .map((p) => p.name)
        .join(", ")}; ${given === 0 ? "none was" : `only ${given} ${given === 1 ? "was" : "were"}`} given.`,
      span: node.span,
      hint: `Signature: ${signature}.`,
    });
  }
  return slots;
}

function expectType(
  actual: ExprType,
  wanted: ExprType,
  node: Node,
  where: string,
  errors: ExprError[],
): void {
  if (isAssignable(actual, wanted)) return;
  errors.push({ code: "expr/type", message: `${where} needs ${wanted}, not ${actual}.`, span: node.span });
}

function isNullLiteral(node: Node): boolean {
  return node.kind === "literal" && node.value === null;
}

function isText(type: ExprType): boolean {
  return type === "string" || type === "date" || type === "datetime";
}

function literalType(value: unknown): ExprType {
  if (value === null) return "any";
  if (typeof value === "number") return "number";
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "string") return "string";
  return "list";
}
