/**
 * Blocking in SQL, as src/matching/engine.ts plans it: each rule with equality keys is a pass of its own keys; a
 * rule without keys takes the explicit `blocking:` keys (one pass each), or needs every pair when there are none;
 * the model adds the explicit keys' passes. A pair is a candidate of the first pass in which its records share a key
 * (so each pair is compared once, a < b in run order), a key being equal exactly when the JS engine's key is:
 * a number, or text that reads as one, by its value; other text as itself; null never.
 */
import type { Node } from "../../../expr/ast.js";
import { blockingKeys } from "../../../matching/blocking.js";
import type { PlanBuilder } from "../builder.js";
import type { Sql } from "../dialect.js";
import type { Parts } from "./records.js";

export interface BlockingPlan {
  /** Per pass, the part columns of its keys. */
  passes: string[][];
  /** Every pair is a candidate (a rule has no key and there are no explicit keys). */
  allPairs: boolean;
}

/** The passes of a rule set (engine.ts `plan`), with each key as a part. */
export function blockingPasses(
  parts: Parts,
  rules: readonly { name: string; when: Node }[],
  explicit: readonly Node[],
  hasModel: boolean,
  where: string,
): BlockingPlan {
  const passes: string[][] = [];
  let allPairs = false;
  let usedExplicit = false;
  const explicitPasses = () => explicit.map((key) => [parts.partOf(key, `${where}, blocking`)]);
  for (const rule of rules) {
    const keys = blockingKeys(rule.when);
    if (keys.length > 0) passes.push(keys.map((k) => parts.partOf(k, `${where}, rule ${rule.name}`)));
    else if (explicit.length === 0) allPairs = true;
    else if (!usedExplicit) {
      usedExplicit = true;
      passes.push(...explicitPasses());
    }
  }
  if (hasModel && !usedExplicit) {
    passes.push(...explicitPasses());
    if (explicit.length === 0 && rules.length === 0) allPairs = true;
  }
  return { passes, allPairs };
}

/** A key value as text that is equal exactly when the JS engine's blocking key is (engine.ts singleKey). */
export function keyText(b: PlanBuilder, v: Sql): string {
  const { d } = b;
  switch (v.type) {
    case "number":
      return d.concat(["'n'", d.jsNumberText(v.sql)]);
    case "boolean":
      return `CASE WHEN ${v.sql} THEN 'btrue' WHEN NOT ${v.sql} THEN 'bfalse' END`;
    case "text": {
      const n = d.parseDecimal(v.sql);
      return `CASE WHEN ${n} IS NOT NULL THEN ${d.concat(["'n'", d.jsNumberText(n)])} ELSE ${d.concat(["'s'", v.sql])} END`;
    }
  }
}

/** The key of a pass: its keys' texts joined (NULL when any is NULL, as a null key never matches). */
export function passKey(b: PlanBuilder, parts: Parts, keys: readonly string[]): string {
  const texts = keys.map((k) => keyText(b, { sql: b.d.ident(k), type: parts.typeOf(k) }));
  return texts.length === 1
    ? (texts[0] as string)
    : b.d.concat(texts.flatMap((t, i) => (i === 0 ? [t] : ["chr(0)", t])));
}

/** Whether the records `a` and `b` (rows of the parts table) share a key of any pass (or every pair is a candidate). */
export function sharesKey(
  blocking: BlockingPlan,
  a: string,
  b: string,
  upTo = blocking.passes.length,
): string {
  if (blocking.allPairs) return "true";
  const tests = blocking.passes.slice(0, upTo).map((_, p) => `coalesce(${a}._k${p} = ${b}._k${p}, false)`);
  return tests.length === 0 ? "false" : `(${tests.join(" OR ")})`;
}

/** Adds the candidate pairs (i < j): each pair once, from the first pass that brings it together. */
export function candidatePairs(b: PlanBuilder, blocking: BlockingPlan, linkOnly: boolean): string {
  const cross = linkOnly ? " AND a._source <> b._source" : "";
  const selects = blocking.allPairs
    ? [`SELECT a._rid AS i, b._rid AS j FROM parts a JOIN parts b ON a._rid < b._rid${cross}`]
    : blocking.passes.map((_, p) => {
        const earlier = p === 0 ? "" : ` AND NOT ${sharesKey(blocking, "a", "b", p)}`;
        return `SELECT a._rid AS i, b._rid AS j FROM parts a JOIN parts b ON a._k${p} = b._k${p} AND a._rid < b._rid${cross}${earlier}`;
      });
  b.table(
    "candidates",
    selects.length === 0
      ? "SELECT CAST(NULL AS BIGINT) AS i, CAST(NULL AS BIGINT) AS j WHERE false"
      : selects.join("\nUNION ALL\n"),
    blocking.allPairs
      ? "candidate pairs: every pair (a rule has no equality to block on, and there are no blocking keys)"
      : "candidate pairs: each pair once, from the first blocking pass whose key its records share",
  );
  return "candidates";
}
