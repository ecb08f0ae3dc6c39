import type { Evaluator, Row } from "../expr/compile.js";
import { holds } from "../expr/expression.js";
import { parseDecimal } from "../expr/types.js";

export interface MatchRecord {
  source: string;
  id: string;
  row: Row;
}

export interface CompiledRule {
  name: string;
  confidence: number;
  when: Evaluator;
  /** The rule's blocking keys (see blocking.ts); empty when the rule needs every pair. */
  keys: Evaluator[];
}

export interface MatchOptions {
  rules: readonly CompiledRule[];
  /** Explicit `blocking:` keys: they stand in for all pairs for rules that have no key of their own. */
  blocking: readonly Evaluator[];
  autoApprove: number;
  queue: number;
  /** Manual decisions, as pairs of record indexes. */
  merge: readonly [number, number][];
  neverMerge: readonly [number, number][];
}

export interface Match {
  a: { source: string; id: string };
  b: { source: string; id: string };
  score: number;
  rules: string[];
  decision: "merge" | "queue";
}

export interface MatchResult {
  matches: Match[];
  /** The same pairs as record indexes, for clustering. */
  pairs: { i: number; j: number; score: number; decision: "merge" | "queue" }[];
  /** Pairs whose rules were evaluated: the cost that blocking keeps near-linear. */
  compared: number;
}

/**
 * Scores candidate pairs (SPEC section 3): a pair's score is the highest confidence among the rules whose `when`
 * holds; at or above auto_approve it merges, at or above queue it goes to review. Only pairs that share a blocking
 * key are compared. Manual `merge` decisions add pairs; `never_merge` pairs are never reported.
 */
export function findMatches(records: readonly MatchRecord[], options: MatchOptions): MatchResult {
  const n = records.length;
  const candidates = new Set<number>();
  const addBlocks = (keysOf: (row: Row) => string | undefined) => {
    const blocks = new Map<string, number[]>();
    records.forEach((r, i) => {
      const key = keysOf(r.row);
      if (key === undefined) return;
      const block = blocks.get(key);
      if (block) block.push(i);
      else blocks.set(key, [i]);
    });
    for (const block of blocks.values()) {
      for (let x = 0; x < block.length; x++)
        for (let y = x + 1; y < block.length; y++)
          candidates.add((block[x] as number) * n + (block[y] as number));
    }
  };
  let allPairs = false;
  for (const rule of options.rules) {
    if (rule.keys.length > 0) addBlocks((row) => compositeKey(rule.keys, row));
    else if (options.blocking.length > 0)
      for (const key of options.blocking) addBlocks((row) => compositeKey([key], row));
    else allPairs = true;
  }
  if (allPairs) for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) candidates.add(i * n + j);

  const forbidden = new Set(options.neverMerge.map(([i, j]) => pairKey(i, j, n)));
  const forced = new Set(options.merge.map(([i, j]) => pairKey(i, j, n)));
  const matches: { i: number; j: number; match: Match }[] = [];
  for (const key of candidates) {
    if (forbidden.has(key)) continue;
    const i = Math.floor(key / n);
    const j = key % n;
    const a = records[i] as MatchRecord;
    const b = records[j] as MatchRecord;
    let score = 0;
    const fired: string[] = [];
    for (const rule of options.rules) {
      if (holds(rule.when(a.row, b.row))) {
        fired.push(rule.name);
        score = Math.max(score, rule.confidence);
      }
    }
    if (forced.has(key)) {
      fired.push("decision:merge");
      score = Math.max(score, 1);
    }
    if (score < options.queue) continue;
    const decision = score >= options.autoApprove ? "merge" : "queue";
    matches.push({
      i,
      j,
      match: {
        a: { source: a.source, id: a.id },
        b: { source: b.source, id: b.id },
        score,
        rules: fired,
        decision,
      },
    });
  }
  // Manual merges of pairs no blocking key brought together.
  for (const [i, j] of options.merge) {
    const key = pairKey(i, j, n);
    if (candidates.has(key) || forbidden.has(key)) continue;
    const [x, y] = i < j ? [i, j] : [j, i];
    const a = records[x] as MatchRecord;
    const b = records[y] as MatchRecord;
    matches.push({
      i: x,
      j: y,
      match: {
        a: { source: a.source, id: a.id },
        b: { source: b.source, id: b.id },
        score: 1,
        rules: ["decision:merge"],
        decision: "merge",
      },
    });
  }
  matches.sort((p, q) => p.i - q.i || p.j - q.j);
  return {
    matches: matches.map((m) => m.match),
    pairs: matches.map((m) => ({ i: m.i, j: m.j, score: m.match.score, decision: m.match.decision })),
    compared: candidates.size,
  };
}

function pairKey(i: number, j: number, n: number): number {
  return i < j ? i * n + j : j * n + i;
}

/** The values of all keys, as one string; undefined when any is null (a null key never matches). */
function compositeKey(keys: readonly Evaluator[], row: Row): string | undefined {
  let out = "";
  for (const key of keys) {
    const v = key(row);
    if (v === null) return undefined;
    // Keys must be equal exactly when `==` says so: the number 42 and the text "042" are equal there.
    const decimal = typeof v === "number" ? v : typeof v === "string" ? parseDecimal(v) : undefined;
    out += `${decimal !== undefined ? `n${decimal}` : typeof v === "string" ? `s${v}` : `j${JSON.stringify(v)}`}\u0000`;
  }
  return out;
}
