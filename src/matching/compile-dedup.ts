import type { Resource } from "../config/project.js";
import { compile } from "../expr/compile.js";
import { check } from "../expr/checker.js";
import type { CallContext } from "../expr/function-def.js";
import { functions } from "../expr/functions/index.js";
import { parse } from "../expr/parser.js";
import type { ExprType } from "../expr/types.js";
import { blockingKeys } from "./blocking.js";
import type { CompiledRule } from "./engine.js";
import type { Evaluator } from "../expr/compile.js";

export interface CompiledDedup {
  entity: string;
  rules: CompiledRule[];
  blocking: Evaluator[];
  autoApprove: number;
  queue: number;
}

/** Compiles a dedup rule set: each rule's condition, and the blocking keys derived from it (SPEC section 3). */
export function compileDedup(
  resource: Resource<"dedup">,
  fields: ReadonlyMap<string, ExprType> | undefined,
  context: CallContext,
): CompiledDedup {
  const options = { functions, context };
  const node = (text: string, other: boolean) => {
    const parsed = parse(text);
    if (!parsed.ok) throw new Error(`dedup ${resource.name}: ${parsed.error.message} (run clue validate)`);
    const checked = check(parsed.node, { fields, functions, ...(other ? { other: true } : {}) });
    if (checked.errors.length > 0)
      throw new Error(`dedup ${resource.name}: ${checked.errors[0]?.message ?? ""} (run clue validate)`);
    return parsed.node;
  };
  const spec = resource.spec;
  return {
    entity: spec.entity,
    rules: spec.rules.map((rule) => {
      const when = node(rule.when, true);
      return {
        name: rule.name,
        confidence: rule.confidence,
        when: compile(when, options),
        keys: blockingKeys(when).map((k) => compile(k, options)),
      };
    }),
    blocking: (spec.blocking ?? []).map((key) => compile(node(key, false), options)),
    autoApprove: spec.auto_approve_threshold,
    queue: spec.queue_threshold,
  };
}
