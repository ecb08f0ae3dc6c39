import type { Resource } from "../config/project.js";
import { compile } from "../expr/compile.js";
import { check } from "../expr/checker.js";
import type { CallContext } from "../expr/function-def.js";
import { functions } from "../expr/functions/index.js";
import { parse } from "../expr/parser.js";
import type { ExprType } from "../expr/types.js";
import { blockingKeys } from "./blocking.js";
import { splitRules } from "./split.js";
import type { Node } from "../expr/ast.js";
import type { CompiledRule } from "./engine.js";
import type { Evaluator } from "../expr/compile.js";

export interface CompiledDedup {
  entity: string;
  rules: CompiledRule[];
  blocking: Evaluator[];
  /** The one-record parts of the rules and keys, for findMatches (see split.ts). */
  parts: Evaluator[];
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
  const whens = spec.rules.map((rule) => node(rule.when, true));
  const keys = whens.map((when) => blockingKeys(when));
  const blocking = (spec.blocking ?? []).map((key) => node(key, false));
  const split = splitRules(
    whens.map((when, i) => ({ when, keys: keys[i] ?? [] })),
    blocking,
    options,
  );
  return {
    entity: spec.entity,
    rules: spec.rules.map((rule, i) => ({
      name: rule.name,
      confidence: rule.confidence,
      when: compile(whens[i] as Node, options),
      keys: split.keys[i] ?? [],
      test: split.tests[i] as Evaluator,
    })),
    blocking: split.blocking,
    parts: split.parts,
    autoApprove: spec.auto_approve_threshold,
    queue: spec.queue_threshold,
  };
}
