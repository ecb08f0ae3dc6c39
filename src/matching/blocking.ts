import type { Node } from "../expr/ast.js";
import { parse } from "../expr/parser.js";
import type { DedupRules } from "../types/index.js";
import type { PassOrigin } from "./engine.js";

/** A blocking pass named by its keys as written: a rule's equalities (from its `when`), or the `blocking:` entry. */
export function passKeys(spec: DedupRules, origin: PassOrigin): string[] {
  if ("blocking" in origin) return [spec.blocking?.[origin.blocking] ?? "?"];
  const when = spec.rules?.find((r) => r.name === origin.rule)?.when ?? "";
  const parsed = parse(when);
  return parsed.ok ? blockingKeys(parsed.node).map((k) => when.slice(k.span.start, k.span.end)) : [];
}

/**
 * Blocking keys of a match rule: for each `E(x) == E(other.x)` among the rule's top-level `and` conjuncts, the
 * record-side expression E(x). Two records can satisfy the rule only if they agree on every such key, so comparing
 * just the records that share a key's value finds exactly the pairs that comparing all pairs would (null keys never
 * match, as `==` with null is null). A rule without such a conjunct has no key: it needs every pair.
 */
export function blockingKeys(when: Node): Node[] {
  return conjuncts(when).flatMap((conjunct) => keyOf(conjunct) ?? []);
}

/**
 * A rule's condition without its key equalities: what is left to test of a pair whose keys are known equal (and
 * scalar, so that equal keys mean `==` holds). Undefined when the rule is nothing but key equalities.
 */
export function beyondKeys(when: Node): Node | undefined {
  const rest = conjuncts(when).filter((conjunct) => keyOf(conjunct) === undefined);
  if (rest.length === 0) return undefined;
  return rest.reduce((left, right) => ({ kind: "binary", op: "and", left, right, span: left.span }));
}

/** The record side of a conjunct `E(x) == E(other.x)` (either way round), or undefined for any other conjunct. */
function keyOf(conjunct: Node): Node | undefined {
  if (conjunct.kind !== "binary" || conjunct.op !== "==") return undefined;
  const { left, right } = conjunct;
  if (readsOther(left) === "none" && readsOther(right) === "only" && shape(left) === shape(right, true))
    return left;
  if (readsOther(right) === "none" && readsOther(left) === "only" && shape(right) === shape(left, true))
    return right;
  return undefined;
}

function conjuncts(node: Node): Node[] {
  return node.kind === "binary" && node.op === "and"
    ? [...conjuncts(node.left), ...conjuncts(node.right)]
    : [node];
}

/** The field paths an expression reads, in order (`other.x` as ["other", "x"]). */
export function fieldPaths(node: Node): (readonly string[])[] {
  const paths: (readonly string[])[] = [];
  const visit = (n: Node): void => {
    switch (n.kind) {
      case "field":
        paths.push(n.path);
        return;
      case "literal":
        return;
      case "list":
        n.items.forEach(visit);
        return;
      case "call":
        n.args.forEach((a) => visit(a.value));
        return;
      case "unary":
      case "is-null":
        visit(n.operand);
        return;
      case "binary":
      case "in":
        visit(n.left);
        visit(n.right);
        return;
    }
  };
  visit(node);
  return paths;
}

/** Whether an expression reads `other`'s fields only, the record's only, or both / neither. */
export function readsOther(node: Node): "none" | "only" | "mixed" | "constant" {
  const fields = fieldPaths(node).map((path) => path[0] === "other");
  if (fields.length === 0) return "constant";
  if (fields.every((f) => f)) return "only";
  if (fields.every((f) => !f)) return "none";
  return "mixed";
}

/** The expression's structure as text, with `other.` dropped when asked: equal shapes compute the same key. */
export function shape(node: Node, dropOther = false): string {
  return JSON.stringify(node, (key, value: unknown) => {
    if (key === "span" || key === "nameSpan") return undefined;
    if (dropOther && key === "path" && Array.isArray(value) && value[0] === "other")
      return (value as unknown[]).slice(1);
    return value;
  });
}
