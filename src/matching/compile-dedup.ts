import type { Resource } from "../config/project.js";
import { compile, type Evaluator } from "../expr/compile.js";
import { check } from "../expr/checker.js";
import type { CallContext } from "../expr/function-def.js";
import { functions } from "../expr/functions/index.js";
import { parse } from "../expr/parser.js";
import type { Node } from "../expr/ast.js";
import { dedupScope, SOURCE_FIELD } from "../pipeline/scope.js";
import type { EntityField } from "../types/index.js";
import { blockingKeys, fieldPaths } from "./blocking.js";
import type { CompiledRule } from "./engine.js";
import type { CompiledModel } from "./model.js";
import { splitRules, type RestOfRule } from "./split.js";

export interface CompiledDedup {
  entity: string;
  rules: CompiledRule[];
  /** Rules marked `prior_only`: clue train counts their pairs for the prior; runs never use them. */
  priorRules: CompiledRule[];
  blocking: Evaluator[];
  /** The one-record parts of the rules, levels and keys, for findMatches (see split.ts). */
  parts: Evaluator[];
  autoApprove: number;
  queue: number;
  /** The probabilistic model, when the file has `comparisons:`. */
  model: CompiledModel | undefined;
  /** `training.blocking`, compiled: the pairs each EM pass of `clue train` learns from. */
  training: CompiledTrainingPass[];
  linkOnly: boolean;
  oneToOne: boolean;
  /** Whether an expression reads `source` (then each record's row must carry it). */
  readsSource: boolean;
}

export interface CompiledTrainingPass {
  condition: string;
  when: Evaluator;
  test: Evaluator;
  keys: Evaluator[];
  /** The record fields the condition reads. */
  fields: ReadonlySet<string>;
}

/** Compiles a dedup rule set: rules, comparison levels, and the blocking keys derived from them (SPEC section 3). */
export function compileDedup(
  resource: Resource<"dedup">,
  entityFields: Record<string, EntityField> | undefined,
  context: CallContext,
): CompiledDedup {
  const options = { functions, context };
  const fields = dedupScope(entityFields);
  const node = (text: string, other: boolean) => {
    const parsed = parse(text);
    if (!parsed.ok) throw new Error(`dedup ${resource.name}: ${parsed.error.message} (run clue validate)`);
    const checked = check(parsed.node, { fields, functions, ...(other ? { other: true } : {}) });
    if (checked.errors.length > 0)
      throw new Error(`dedup ${resource.name}: ${checked.errors[0]?.message ?? ""} (run clue validate)`);
    return parsed.node;
  };
  const spec = resource.spec;
  const ruleSpecs = spec.rules ?? [];
  const comparisons = spec.comparisons ?? [];
  const passes = spec.training?.blocking ?? [];
  const whens = ruleSpecs.map((rule) => node(rule.when, true));
  const levelWhens = comparisons.map((c) =>
    c.levels.map((level) => (level.when === undefined ? undefined : node(level.when, true))),
  );
  const tfNodes = comparisons.map((c) =>
    c.term_frequency === undefined ? undefined : node(c.term_frequency, false),
  );
  const passWhens = passes.map((text) => node(text, true));
  const blockingNodes = (spec.blocking ?? []).map((key) => node(key, false));

  // One split for everything, so a part that rules, levels, keys and passes share is computed once per record.
  const conditions: { when: Node; keys: Node[] }[] = [
    ...whens.map((when) => ({ when, keys: blockingKeys(when) })),
    ...passWhens.map((when) => ({ when, keys: blockingKeys(when) })),
    ...levelWhens.flat().flatMap((when) => (when ? [{ when, keys: [] }] : [])),
  ];
  const recordSide = [...blockingNodes, ...tfNodes.flatMap((n) => (n ? [n] : []))];
  const split = splitRules(conditions, recordSide, options);
  const tests = [...split.tests];
  const keys = [...split.keys];
  const ruleTests = tests.splice(0, whens.length);
  const ruleKeys = keys.splice(0, whens.length);
  const ruleRests = split.rests.slice(0, whens.length);
  const ruleTestParts = split.testParts.slice(0, whens.length);
  const passTests = tests.splice(0, passWhens.length);
  const passKeys = keys.splice(0, passWhens.length);
  const recordParts = [...split.blocking];
  const blocking = recordParts.splice(0, blockingNodes.length);

  const model: CompiledModel | undefined =
    comparisons.length === 0
      ? undefined
      : {
          prior: spec.prior,
          comparisons: comparisons.map((c, ci) => ({
            name: c.name,
            levels: c.levels.map((level, k) => ({
              name: level.name,
              test: levelWhens[ci]?.[k] === undefined ? undefined : tests.shift(),
              isNull: level.null_level === true,
              tf: level.tf === true,
              m: level.m,
              u: level.u,
            })),
            tfPart:
              tfNodes[ci] === undefined ? undefined : split.parts.indexOf(recordParts.shift() as Evaluator),
            fields: fieldsRead([...(levelWhens[ci] ?? []), tfNodes[ci]]),
          })),
        };
  const all = [...whens, ...passWhens, ...levelWhens.flat(), ...blockingNodes, ...tfNodes];
  const rules = ruleSpecs.map((rule, i) => ({
    name: rule.name,
    confidence: rule.confidence,
    when: compile(whens[i] as Node, options),
    keys: ruleKeys[i] ?? [],
    test: ruleTests[i] as Evaluator,
    testParts: ruleTestParts[i] as number[],
    rest: ruleRests[i] as RestOfRule,
  }));
  return {
    entity: spec.entity,
    rules: rules.filter((_, i) => ruleSpecs[i]?.prior_only !== true),
    priorRules: rules.filter((_, i) => ruleSpecs[i]?.prior_only === true),
    blocking,
    parts: split.parts,
    autoApprove: spec.auto_approve_threshold,
    queue: spec.queue_threshold,
    model,
    training: passes.map((condition, p) => ({
      condition,
      when: compile(passWhens[p] as Node, options),
      test: passTests[p] as Evaluator,
      keys: passKeys[p] ?? [],
      fields: fieldsRead([passWhens[p]]),
    })),
    linkOnly: spec.link_only === true,
    oneToOne: spec.one_to_one === true,
    readsSource: entityFields?.[SOURCE_FIELD] === undefined && fieldsRead(all).has(SOURCE_FIELD),
  };
}

/** The record fields some expressions read, `other.` dropped. */
export function fieldsRead(nodes: readonly (Node | undefined)[]): Set<string> {
  const out = new Set<string>();
  for (const node of nodes)
    for (const path of node ? fieldPaths(node) : []) {
      const field = path[0] === "other" ? path[1] : path[0];
      if (field !== undefined) out.add(field);
    }
  return out;
}
