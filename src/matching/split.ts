import type { Node } from "../expr/ast.js";
import { compile, type CompileOptions, type Evaluator } from "../expr/compile.js";
import { beyondKeys, fieldPaths, readsOther, shape } from "./blocking.js";

/**
 * Dedup rules split into what depends on one record and what depends on the pair. Every largest part of a rule that
 * reads only one record's fields (`e164(phone, default_country="AU")`, `concat(other.first_name, " ",
 * other.last_name)`) becomes a *part*, compiled on the record side and computed once per record; the rule itself
 * becomes a *test* that reads part values instead: part k of the record is the field `k` of its part values, part k
 * of the other record is `other.k`. The same part in several rules, or in a rule and a blocking key, is one part.
 *
 * `test(partsOf(a), partsOf(b))` equals `when(a, b)` because functions are pure and never throw: computing a part
 * once per record, or before an `and` would have needed it, cannot change a result. A rule that compares a million
 * records' pairs thus parses each phone number once rather than once per pair it is in.
 */
export interface SplitRules {
  /** The one-record parts, each evaluated on a record alone. */
  parts: Evaluator[];
  /** Per rule: its condition over part values. */
  tests: Evaluator[];
  /** Per rule: its blocking keys, as parts (the same evaluator objects as in `parts`). */
  keys: Evaluator[][];
  /** Per rule: the parts its test reads. */
  testParts: number[][];
  /** Per rule: its test without the key equalities (see blocking.ts beyondKeys), and the parts that reads. */
  rests: RestOfRule[];
  /** The explicit blocking keys, as parts. */
  blocking: Evaluator[];
}

/**
 * What is left of a rule to test on a pair whose keys are equal: undefined `test` when nothing is (the rule is its
 * keys). `parts` are the part numbers it reads, so that only those need computing.
 */
export interface RestOfRule {
  test: Evaluator | undefined;
  parts: number[];
}

export function splitRules(
  rules: readonly { when: Node; keys: readonly Node[] }[],
  blocking: readonly Node[],
  options: CompileOptions,
): SplitRules {
  const parts: Evaluator[] = [];
  const byShape = new Map<string, number>();
  /** The part that computes `node` (which reads the record's fields only), added when new. */
  const partOf = (node: Node): number => {
    const key = shape(node);
    let k = byShape.get(key);
    if (k === undefined) {
      k = parts.length;
      parts.push(compile(node, options));
      byShape.set(key, k);
    }
    return k;
  };
  const rewrite = (node: Node): Node => {
    switch (readsOther(node)) {
      case "constant":
        return node;
      case "none":
        return { kind: "field", path: [String(partOf(node))], span: node.span };
      case "only":
        return { kind: "field", path: ["other", String(partOf(dropOther(node)))], span: node.span };
      case "mixed":
        return mapChildren(node, rewrite);
    }
  };
  const restOf = (when: Node): RestOfRule => {
    const rest = beyondKeys(when);
    if (rest === undefined) return { test: undefined, parts: [] };
    const rewritten = rewrite(rest);
    return { test: compile(rewritten, options), parts: partsRead(rewritten) };
  };
  return {
    tests: rules.map((rule) => compile(rewrite(rule.when), options)),
    testParts: rules.map((rule) => partsRead(rewrite(rule.when))),
    rests: rules.map((rule) => restOf(rule.when)),
    keys: rules.map((rule) => rule.keys.map((key) => parts[partOf(key)] as Evaluator)),
    blocking: blocking.map((key) => parts[partOf(key)] as Evaluator),
    parts,
  };
}

/** The part numbers a rewritten condition reads (its fields are part numbers, `k` or `other.k`), ascending. */
function partsRead(node: Node): number[] {
  const parts = new Set(fieldPaths(node).map((path) => Number(path[path[0] === "other" ? 1 : 0])));
  return [...parts].sort((a, b) => a - b);
}

/** The expression with `other.x` read as `x`: what it computes for the other record, computed on that record. */
function dropOther(node: Node): Node {
  if (node.kind === "field") return node.path[0] === "other" ? { ...node, path: node.path.slice(1) } : node;
  return mapChildren(node, dropOther);
}

function mapChildren(node: Node, f: (n: Node) => Node): Node {
  switch (node.kind) {
    case "literal":
    case "field":
      return node;
    case "list":
      return { ...node, items: node.items.map(f) };
    case "call":
      return { ...node, args: node.args.map((a) => ({ ...a, value: f(a.value) })) };
    case "unary":
    case "is-null":
      return { ...node, operand: f(node.operand) };
    case "binary":
    case "in":
      return { ...node, left: f(node.left), right: f(node.right) };
  }
}
