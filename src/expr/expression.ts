import type { ExprError } from "./ast.js";
import { check, type Scope } from "./checker.js";
import { compile, type Evaluator } from "./compile.js";
import type { CallContext, FunctionDef } from "./function-def.js";
import { parse } from "./parser.js";
import type { ExprType } from "./types.js";

export interface CompiledExpression {
  source: string;
  type: ExprType;
  evaluate: Evaluator;
}

export type CompileResult = { ok: true; expression: CompiledExpression } | { ok: false; errors: ExprError[] };

export interface ExpressionScope {
  fields: ReadonlyMap<string, ExprType> | undefined;
  other?: boolean;
  functions: ReadonlyMap<string, FunctionDef>;
  context: CallContext;
}

/** Parse, check and compile one expression: the errors of all three steps, or a ready evaluator. */
export function compileExpression(source: string, scope: ExpressionScope): CompileResult {
  const parsed = parse(source);
  if (!parsed.ok) return { ok: false, errors: [parsed.error] };
  const checkScope: Scope = {
    fields: scope.fields,
    functions: scope.functions,
    ...(scope.other ? { other: true } : {}),
  };
  const checked = check(parsed.node, checkScope);
  if (checked.errors.length > 0) return { ok: false, errors: checked.errors };
  const evaluate = compile(parsed.node, { functions: scope.functions, context: scope.context });
  return { ok: true, expression: { source, type: checked.type, evaluate } };
}

/** A `when` holds only when it is true: null (unknown) is false, so missing values never match (SPEC section 4). */
export function holds(value: unknown): boolean {
  return value === true;
}
