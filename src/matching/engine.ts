import type { Evaluator, Row } from "../expr/compile.js";
import { holds } from "../expr/expression.js";
import type { Value } from "../expr/types.js";
import { combineKeyNumbers, keyNumbers, type KeyNumbers } from "./key-numbers.js";
import {
  PAIR_DECIDED,
  PAIR_MERGE,
  PAIR_UNBLOCKED,
  PairBuffer,
  filterPairs,
  type PairList,
} from "./pair-list.js";
import type { RestOfRule } from "./split.js";
import { ModelScorer, probabilityOf, type CompiledModel, type Explanation } from "./model.js";

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
  /** `when` over the values of `MatchOptions.parts` (see split.ts), used when those are given. */
  test?: Evaluator;
  /** The parts `test` reads (all of them when not given). */
  testParts?: readonly number[];
  /**
   * `test` without the key equalities, for pairs whose keys are equal in an exact pass (key-numbers.ts: then those
   * equalities hold): what is left to evaluate, and the parts it reads (see split.ts).
   */
  rest?: RestOfRule;
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
  /**
   * Parts of the rules that read one record (see split.ts): computed once per record, read by the rules' `test`s,
   * and by keys that are among them.
   */
  parts?: readonly Evaluator[];
  /**
   * The part values of each record, when a caller already has them (clue train pairs the same records several
   * times): filled in here for the records that lack them, so each record's parts are computed once.
   */
  partRows?: (Value[] | undefined)[];
  /** The probabilistic model: a pair's score is the higher of its rules' and the model's match probability. */
  model?: CompiledModel;
  /** Each record's source number, for link-only and one-to-one. */
  sources?: Int32Array;
  /** Link across sources only: pairs of two records of one source are never compared. */
  linkOnly?: boolean;
  /** Keep, for each record and each other source, only its best pair (and a pair only if best for both). */
  oneToOne?: boolean;
  /** Told the score of every pair compared, kept or not: what a report's histogram of scores is drawn from. */
  onScore?: (score: number) => void;
  /**
   * The key numbers of every blocking pass, when they were made elsewhere (passKeyIds, on worker threads): any
   * numbering will do where equal keys, and only they, have equal numbers.
   */
  keyIds?: readonly KeyNumbers[];
  /**
   * Compare only this share of the candidate pairs: the blocks whose key number (or, comparing every pair, the
   * records whose index) is `index` modulo `of`. A share leaves out manual merges and one-to-one, which the call
   * that gathers the shares (`scored`) applies.
   */
  share?: { of: number; index: number };
  /** The pairs of every share, compared elsewhere: they stand for the comparing (see `share`). */
  scored?: { pairs: readonly PairList[]; compared: number };
}

export interface Match {
  a: { source: string; id: string };
  b: { source: string; id: string };
  score: number;
  rules: string[];
  decision: "merge" | "queue";
  /** With a probabilistic model: each comparison's share of the match weight (the waterfall). */
  explain?: Explanation;
}

/**
 * What findMatches found: the pairs at or above the queue threshold as typed arrays (pair-list.ts), and each pair's
 * Match made on demand — its rules and waterfall worked out again — so that millions of pairs need not each hold an
 * object graph.
 */
export class MatchResult {
  /** Makes a pair's Match; a private field, so that two results compare equal by their pairs alone. */
  readonly #describe: (i: number, j: number, score: number, flags: number) => Match;

  constructor(
    /** The pairs, in ascending order of (i, j). */
    readonly pairs: PairList,
    /** Pairs whose rules were evaluated: the cost that blocking keeps near-linear. */
    readonly compared: number,
    describe: (i: number, j: number, score: number, flags: number) => Match,
  ) {
    this.#describe = describe;
  }

  /** Pair k as a Match. */
  match(k: number): Match {
    const { i, j, score, flags } = this.pairs;
    return this.#describe(i[k] as number, j[k] as number, score[k] as number, flags[k] as number);
  }

  /** Every pair as a Match, each made as it is read. */
  *eachMatch(): Generator<Match> {
    for (let k = 0; k < this.pairs.count; k++) yield this.match(k);
  }

  /** Every pair as a Match, in one array: for small runs and tests. */
  get matches(): Match[] {
    return [...this.eachMatch()];
  }

  /** How many pairs merge. */
  get merged(): number {
    let merged = 0;
    for (let k = 0; k < this.pairs.count; k++) merged += (this.pairs.flags[k] as number) & PAIR_MERGE;
    return merged;
  }
}

/** Where a blocking pass comes from: a rule's own keys, or one explicit `blocking:` key (by its position). */
export type PassOrigin = { rule: string } | { blocking: number };

/**
 * A record's part values, each computed when first needed and kept only for records that are compared: a row holds
 * the parts asked for so far (a part not computed yet is undefined; a part's value never is).
 */
function partAccess(records: readonly MatchRecord[], options: MatchOptions) {
  const partList = options.parts ?? [];
  const partIndex = new Map(partList.map((p, k) => [p, k]));
  const partRows = options.partRows ?? new Array<Value[] | undefined>(records.length);
  const allParts = partList.map((_, k) => k);
  const partsWith = (i: number, wanted: readonly number[]): Value[] => {
    let row = partRows[i];
    if (row === undefined) partRows[i] = row = new Array<Value>(partList.length);
    for (const k of wanted)
      if (row[k] === undefined) row[k] = (partList[k] as Evaluator)((records[i] as MatchRecord).row);
    return row;
  };
  const partsOf = (i: number): Value[] => partsWith(i, allParts);
  /** Part k of record i, from its row when computed, else computed and not kept (keys and term frequencies). */
  const partValue = (i: number, k: number): Value => {
    const kept = partRows[i]?.[k];
    return kept !== undefined ? kept : (partList[k] as Evaluator)((records[i] as MatchRecord).row);
  };
  /** A key's value by record: read from its part when it is one (which part, looked up once per key). */
  const valuesOf = (key: Evaluator): ((i: number) => Value) => {
    const k = partIndex.get(key);
    return k === undefined ? (i) => key((records[i] as MatchRecord).row) : (i) => partValue(i, k);
  };
  return { allParts, partsWith, partsOf, partValue, valuesOf };
}

/** The blocking passes; with a rule that has neither keys nor `blocking:`, every pair is a candidate. */
function blockingPasses(options: MatchOptions) {
  const passes: (readonly Evaluator[])[] = [];
  /** Per rule, the pass of its own keys. */
  const passOf: (number | undefined)[] = [];
  const origins: PassOrigin[] = [];
  let allPairs = false;
  let explicit = false;
  for (const rule of options.rules) {
    passOf.push(rule.keys.length > 0 ? passes.length : undefined);
    if (rule.keys.length > 0) {
      passes.push(rule.keys);
      origins.push({ rule: rule.name });
    } else if (options.blocking.length === 0) allPairs = true;
    else if (!explicit) {
      explicit = true;
      options.blocking.forEach((key, k) => {
        passes.push([key]);
        origins.push({ blocking: k });
      });
    }
  }
  // The model scores the pairs of the explicit keys too, even when every rule has keys of its own.
  if (options.model !== undefined && !explicit) {
    explicit = true;
    options.blocking.forEach((key, k) => {
      passes.push([key]);
      origins.push({ blocking: k });
    });
    if (options.blocking.length === 0 && options.rules.length === 0) allPairs = true;
  }
  return { passes, passOf, origins, allPairs };
}

/**
 * A blocking pass's key numbers, part by part (key-numbers.ts): a composite key is never written out as one string.
 * A key that several passes share (the date of birth of two name rules) is numbered once, in `numbered`.
 */
function numberPass(
  n: number,
  keys: readonly Evaluator[],
  valuesOf: (key: Evaluator) => (i: number) => Value,
  numbered: Map<Evaluator, KeyNumbers>,
): KeyNumbers {
  return keys
    .map((key) => {
      let numbers = numbered.get(key);
      if (numbers === undefined) numbered.set(key, (numbers = keyNumbers(n, valuesOf(key))));
      return numbers;
    })
    .reduce(combineKeyNumbers);
}

/**
 * The key numbers of some blocking passes (by their place among findMatches' passes), for a caller that numbers
 * passes apart (worker threads, a share of the passes each) and hands them to findMatches as `keyIds`.
 */
export function passKeyIds(
  records: readonly MatchRecord[],
  options: MatchOptions,
  which: readonly number[],
): KeyNumbers[] {
  const { valuesOf } = partAccess(records, options);
  const { passes } = blockingPasses(options);
  const numbered = new Map<Evaluator, KeyNumbers>();
  return which.map((pass) => numberPass(records.length, passes[pass] ?? [], valuesOf, numbered));
}

/**
 * The parts (by index in `options.parts`) each blocking pass reads its keys from; none when findMatches compares
 * every pair, and undefined for a pass with a key that is not a part.
 */
export function passParts(options: MatchOptions): (number[] | undefined)[] {
  const { passes, allPairs } = blockingPasses(options);
  if (allPairs) return [];
  const parts = options.parts ?? [];
  return passes.map((keys) => {
    const indexes = keys.map((key) => parts.indexOf(key));
    return indexes.includes(-1) ? undefined : indexes;
  });
}

/** What findMatches and the functions that score or count its pairs share: parts, blocking passes, rules, model. */
function plan(records: readonly MatchRecord[], options: MatchOptions) {
  const n = records.length;
  const { allParts, partsWith, partsOf, partValue, valuesOf } = partAccess(records, options);
  const { passes, passOf, origins, allPairs } = blockingPasses(options);
  const byKey = new Map<Evaluator, KeyNumbers>();
  const numbered: readonly KeyNumbers[] = allPairs
    ? []
    : (options.keyIds ?? passes.map((keys) => numberPass(n, keys, valuesOf, byKey)));
  const keyIds = numbered.map((pass) => pass.ids);
  /** Whether an earlier pass than `pass` already brought i and j together. */
  const seenBefore = (pass: number, i: number, j: number): boolean => {
    for (let q = 0; q < pass; q++) {
      const ids = keyIds[q] as Int32Array;
      const id = ids[i] as number;
      if (id !== -1 && id === ids[j]) return true;
    }
    return false;
  };
  const isCandidate = (i: number, j: number): boolean => allPairs || seenBefore(keyIds.length, i, j);

  const rules = options.rules.map((rule, r) => {
    const test = options.parts !== undefined ? rule.test : undefined;
    const testParts = rule.testParts ?? allParts;
    const evaluate =
      test !== undefined
        ? (i: number, j: number) =>
            holds(test(partsWith(i, testParts) as unknown as Row, partsWith(j, testParts) as unknown as Row))
        : (i: number, j: number) =>
            holds(rule.when((records[i] as MatchRecord).row, (records[j] as MatchRecord).row));
    // A rule holds only when each of its key equalities does (blocking.ts), and two scalar values are `==` only
    // when their keys are the same: so a pair whose keys for the rule differ (or are null) is known not to hold
    // without evaluating the rule. (Lists can be `==` with different keys, [42] and ["42"]: then it is evaluated.)
    // When equal numbers also mean `==` (an exact pass), equal keys make the key equalities hold, so then only the
    // rest of the rule is evaluated. Either way a test computes only the parts it reads.
    const pass = allPairs || passOf[r] === undefined ? undefined : numbered[passOf[r]];
    const ids = pass?.scalar ? pass.ids : undefined;
    const rest = test === undefined || !pass?.exact ? undefined : rule.rest;
    const restTest = rest?.test;
    const restParts = rest?.parts ?? allParts;
    const beyondKeys =
      rest === undefined
        ? evaluate
        : restTest === undefined
          ? () => true
          : (i: number, j: number) =>
              holds(
                restTest(
                  partsWith(i, restParts) as unknown as Row,
                  partsWith(j, restParts) as unknown as Row,
                ),
              );
    return {
      name: rule.name,
      confidence: rule.confidence,
      holds:
        ids === undefined
          ? evaluate
          : (i: number, j: number) => {
              const id = ids[i] as number;
              return id !== -1 && id === ids[j] && beyondKeys(i, j);
            },
    };
  });
  const scorer =
    options.model === undefined ? undefined : new ModelScorer(options.model, n, (i, k) => partValue(i, k));
  return { n, partsOf, origins, keyIds, allPairs, seenBefore, isCandidate, rules, scorer };
}

/**
 * Scores candidate pairs (SPEC section 3): a pair's score is the highest confidence among the rules whose `when`
 * holds; at or above auto_approve it merges, at or above queue it goes to review. Only pairs that share a blocking
 * key are compared. Manual `merge` decisions add pairs; `never_merge` pairs are never reported.
 *
 * Each blocking pass (a rule's keys, or an explicit key) gives every record a key number; a pair is a candidate of
 * the first pass in which its records share a key, so every candidate is compared once without a set of all pairs
 * (which would not fit in memory, or in a JavaScript Set, for tens of millions of pairs).
 */
export function findMatches(records: readonly MatchRecord[], options: MatchOptions): MatchResult {
  const { n, partsOf, keyIds, allPairs, seenBefore, isCandidate, rules, scorer } = plan(records, options);
  const { sources } = options;
  const linkOnly = options.linkOnly === true && sources !== undefined;
  const forbidden = new Set(options.neverMerge.map(([i, j]) => pairKey(i, j, n)));
  const forced = new Set(options.merge.map(([i, j]) => pairKey(i, j, n)));
  const found = new PairBuffer();
  let compared = 0;
  const compare = (i: number, j: number): void => {
    if (linkOnly && sources[i] === sources[j]) return;
    compared++;
    const key = forbidden.size > 0 || forced.size > 0 ? pairKey(i, j, n) : 0;
    if (forbidden.size > 0 && forbidden.has(key)) return;
    let score = 0;
    for (const rule of rules) if (rule.confidence > score && rule.holds(i, j)) score = rule.confidence;
    let flags = 0;
    if (forced.size > 0 && forced.has(key)) {
      flags = PAIR_DECIDED;
      score = Math.max(score, 1);
    }
    if (scorer !== undefined && score < 1) {
      const probability = probabilityOf(
        scorer.weight(partsOf(i) as unknown as Row, partsOf(j) as unknown as Row, i, j),
      );
      score = Math.max(score, probability);
    }
    options.onScore?.(score);
    if (score < options.queue) return;
    found.push(i, j, score, flags | (score >= options.autoApprove ? PAIR_MERGE : 0));
  };
  const { share, scored } = options;
  if (scored) {
    for (const list of scored.pairs)
      for (let k = 0; k < list.count; k++)
        found.push(
          list.i[k] as number,
          list.j[k] as number,
          list.score[k] as number,
          list.flags[k] as number,
        );
    compared = scored.compared;
  } else if (allPairs) {
    for (let i = 0; i < n; i++) {
      if (share && i % share.of !== share.index) continue;
      for (let j = i + 1; j < n; j++) compare(i, j);
    }
  } else {
    keyIds.forEach((ids, pass) => {
      for (const block of blocksOf(ids)) {
        if (share && (ids[block[0] as number] as number) % share.of !== share.index) continue;
        for (let x = 0; x < block.length; x++) {
          const i = block[x] as number;
          for (let y = x + 1; y < block.length; y++) {
            const j = block[y] as number;
            if (!seenBefore(pass, i, j)) compare(i, j);
          }
        }
      }
    });
  }
  // Manual merges of pairs no blocking key brought together.
  for (const [i, j] of share ? [] : options.merge) {
    const [x, y] = i < j ? [i, j] : [j, i];
    if ((x !== y && isCandidate(x, y)) || forbidden.has(pairKey(x, y, n))) continue;
    found.push(x, y, 1, PAIR_MERGE | PAIR_DECIDED | PAIR_UNBLOCKED);
  }
  let pairs = found.sorted(n);
  if (options.oneToOne && sources !== undefined && !share) {
    const kept = bestLinks(pairs, sources);
    pairs = filterPairs(pairs, (k) => kept[k] === 1);
  }
  // A pair's rules and waterfall, worked out again when its Match is asked for: the rules are pure, so they give
  // what they gave when the pair was scored.
  const describe = (i: number, j: number, score: number, flags: number): Match => {
    const a = records[i] as MatchRecord;
    const b = records[j] as MatchRecord;
    const fired = flags & PAIR_UNBLOCKED ? [] : rules.filter((r) => r.holds(i, j)).map((r) => r.name);
    if (flags & PAIR_DECIDED) fired.push("decision:merge");
    const explain =
      scorer === undefined || flags & PAIR_UNBLOCKED
        ? undefined
        : scorer.explain(partsOf(i) as unknown as Row, partsOf(j) as unknown as Row, i, j);
    return {
      a: { source: a.source, id: a.id },
      b: { source: b.source, id: b.id },
      score,
      rules: fired,
      decision: flags & PAIR_MERGE ? "merge" : "queue",
      ...(explain ? { explain } : {}),
    };
  };
  return new MatchResult(pairs, compared, describe);
}

/** The score findMatches would give one pair, and how it got it. */
export interface PairScore {
  /** The highest confidence of the rules that hold, or the model's probability when higher; 0 when nothing holds. */
  score: number;
  /** The rules whose `when` holds. */
  rules: string[];
  /** With a model: the level of each comparison the pair falls into ("(none)" when no level holds). */
  levels?: string[];
  /** Whether blocking brings the pair together (and link_only allows it): findMatches compares only these. */
  candidate: boolean;
}

/**
 * Scores an explicit list of pairs (record indexes) with the same rules, keys and model as findMatches, whether or
 * not blocking brings them together and whatever their score: what `clue evaluate` measures labelled pairs with.
 * Manual decisions are not applied (`merge` and `neverMerge` are ignored), nor is one-to-one.
 */
export function scorePairs(
  records: readonly MatchRecord[],
  options: MatchOptions,
  pairs: readonly (readonly [number, number])[],
): PairScore[] {
  const { partsOf, isCandidate, rules, scorer } = plan(records, options);
  const { sources } = options;
  const linkOnly = options.linkOnly === true && sources !== undefined;
  return pairs.map(([a, b]) => {
    const [i, j] = a < b ? [a, b] : [b, a];
    let score = 0;
    const fired: string[] = [];
    for (const rule of rules)
      if (rule.holds(i, j)) {
        fired.push(rule.name);
        score = Math.max(score, rule.confidence);
      }
    const candidate = i !== j && !(linkOnly && sources[i] === sources[j]) && isCandidate(i, j);
    if (scorer === undefined) return { score, rules: fired, candidate };
    const pi = partsOf(i) as unknown as Row;
    const pj = partsOf(j) as unknown as Row;
    const probability = probabilityOf(scorer.weight(pi, pj, i, j));
    const levels = scorer.explain(pi, pj, i, j).comparisons.map((c) => c.level);
    return { score: Math.max(score, probability), rules: fired, levels, candidate };
  });
}

/** One blocking pass's cost: the pairs its blocks hold, counted from their sizes. */
export interface PassCost {
  origin: PassOrigin;
  /** Records with a (non-null) key. */
  keyed: number;
  /** Blocks of two records or more. */
  blocks: number;
  largest: number;
  /** Σ n(n−1)/2 over its blocks (cross-source pairs only under link_only). */
  pairs: number;
  /** Of those, the pairs no earlier pass brings together; undefined when the passes hold too many pairs to list. */
  new: number | undefined;
}

/** Above this many pairs in all, blockingCost does not list them to find which are new. */
export const DISTINCT_LIMIT = 20_000_000;

/**
 * What blocking would cost on these records, without comparing anything: per pass, the pairs its blocks hold. A pair
 * two passes share is counted in both, so the total is an upper bound of what findMatches compares. `allPairs` is
 * true when some rule (or the model) compares every pair.
 */
export function blockingCost(
  records: readonly MatchRecord[],
  options: MatchOptions,
): {
  passes: PassCost[];
  allPairs: boolean;
  total: number;
  /** The pairs findMatches compares (each once); undefined above DISTINCT_LIMIT. */
  distinct: number | undefined;
  everyPair: number;
} {
  const { n, origins, keyIds, allPairs, seenBefore } = plan(records, options);
  const { sources } = options;
  const linkOnly = options.linkOnly === true && sources !== undefined;
  const pairsIn = (block: ArrayLike<number>): number => {
    if (!linkOnly) return (block.length * (block.length - 1)) / 2;
    const perSource = new Map<number, number>();
    for (let x = 0; x < block.length; x++) {
      const s = sources[block[x] as number] as number;
      perSource.set(s, (perSource.get(s) ?? 0) + 1);
    }
    let same = 0;
    for (const c of perSource.values()) same += c * c;
    return (block.length * block.length - same) / 2;
  };
  const everyPair = linkOnly ? pairsIn(Int32Array.from({ length: n }, (_, i) => i)) : (n * (n - 1)) / 2;
  const passes = keyIds.map((ids, k): PassCost => {
    let keyed = 0;
    for (const id of ids) if (id !== -1) keyed++;
    let blocks = 0;
    let largest = 0;
    let pairs = 0;
    for (const block of blocksOf(ids)) {
      blocks++;
      largest = Math.max(largest, block.length);
      pairs += pairsIn(block);
    }
    return { origin: origins[k] as PassOrigin, keyed, blocks, largest, pairs, new: undefined };
  });
  const total = allPairs ? everyPair : passes.reduce((sum, p) => sum + p.pairs, 0);
  // Which pairs are new to a pass takes listing them (not comparing them), as findMatches does: bounded.
  if (!allPairs && total <= DISTINCT_LIMIT)
    keyIds.forEach((ids, pass) => {
      let fresh = 0;
      for (const block of blocksOf(ids))
        for (let x = 0; x < block.length; x++)
          for (let y = x + 1; y < block.length; y++) {
            const i = block[x] as number;
            const j = block[y] as number;
            if (!(linkOnly && sources[i] === sources[j]) && !seenBefore(pass, i, j)) fresh++;
          }
      (passes[pass] as PassCost).new = fresh;
    });
  const distinct = allPairs
    ? everyPair
    : passes.every((p) => p.new !== undefined)
      ? passes.reduce((sum, p) => sum + (p.new as number), 0)
      : undefined;
  return { passes: allPairs ? [] : passes, allPairs, total, distinct, everyPair };
}

/**
 * One-to-one linking: for each record and each other source, its best pair (highest score; on a tie, the earlier
 * pair); a pair is kept (1) when it is the best of both its records. Manual merges are always kept.
 */
function bestLinks(pairs: PairList, sources: Int32Array): Uint8Array {
  const best = new Map<string, number>();
  const offer = (record: number, other: number, k: number) => {
    const key = `${record}\u0000${sources[other]}`;
    const current = best.get(key);
    if (current === undefined || (pairs.score[k] as number) > (pairs.score[current] as number))
      best.set(key, k);
  };
  for (let k = 0; k < pairs.count; k++) {
    offer(pairs.i[k] as number, pairs.j[k] as number, k);
    offer(pairs.j[k] as number, pairs.i[k] as number, k);
  }
  const kept = new Uint8Array(pairs.count);
  for (let k = 0; k < pairs.count; k++) {
    const i = pairs.i[k] as number;
    const j = pairs.j[k] as number;
    kept[k] =
      (pairs.flags[k] as number) & PAIR_DECIDED ||
      (best.get(`${i}\u0000${sources[j]}`) === k && best.get(`${j}\u0000${sources[i]}`) === k)
        ? 1
        : 0;
  }
  return kept;
}

/** The records of each key with more than one record, in ascending order (a counting sort by key number). */
function* blocksOf(ids: Int32Array): Generator<Int32Array> {
  let keys = 0;
  for (const id of ids) if (id >= keys) keys = id + 1;
  // start[k] is where key k's records begin in `members`; start[keys] is how many records have a key.
  const start = new Int32Array(keys + 1);
  for (const id of ids) if (id !== -1) start[id + 1] = (start[id + 1] as number) + 1;
  for (let k = 1; k <= keys; k++) start[k] = (start[k] as number) + (start[k - 1] as number);
  const next = start.slice(0, keys);
  const members = new Int32Array(start[keys] as number);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as number;
    if (id === -1) continue;
    const at = next[id] as number;
    members[at] = i;
    next[id] = at + 1;
  }
  for (let k = 0; k < keys; k++) {
    const from = start[k] as number;
    const to = start[k + 1] as number;
    if (to - from > 1) yield members.subarray(from, to);
  }
}

function pairKey(i: number, j: number, n: number): number {
  return i < j ? i * n + j : j * n + i;
}
