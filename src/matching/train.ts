import type { Row } from "../expr/compile.js";
import type { Value } from "../expr/types.js";
import { mulberry32 } from "../util/mulberry32.js";
import type { CompiledDedup, CompiledTrainingPass } from "./compile-dedup.js";
import { findMatches, type MatchRecord } from "./engine.js";
import { levelsOf, log2Odds, NO_LEVEL, type CompiledComparison, type CompiledModel } from "./model.js";

/**
 * Estimates a dedup model's parameters from unlabelled records, the way Splink trains:
 *
 * - u, per level: the share of random pairs (nearly all non-matches) that fall into it;
 * - the prior: the pairs the deterministic `rules:` find, over all pairs, divided by their assumed recall;
 * - m, per level: expectation–maximisation on the pairs of each training blocking pass, with u held fixed. A
 *   comparison that reads a field the pass blocks on is left out of that pass (blocking on it biases it); each m is
 *   the average over the passes that estimated it.
 *
 * Deterministic for a seed: random pairs come from a seeded generator, and everything else is in record order.
 */
export interface TrainOptions {
  seed: number;
  /** How many random pairs estimate u (all pairs when there are fewer). */
  maxPairs: number;
  /** The share of true matches the deterministic rules are assumed to find. */
  recall: number;
  maxIterations: number;
  /** EM stops when no m moves by more than this. */
  tolerance: number;
}

export const TRAIN_DEFAULTS: TrainOptions = {
  seed: 42,
  maxPairs: 1_000_000,
  recall: 1,
  maxIterations: 25,
  tolerance: 1e-4,
};

export interface TrainedLevel {
  name: string;
  /** Undefined for a null level, and when no pass estimated it (m) or no random pair fell into it (u). */
  m: number | undefined;
  u: number | undefined;
  /** Random pairs in the level. */
  randomPairs: number;
}

export interface TrainingSession {
  /** The pass's pair condition as written. */
  condition: string;
  pairs: number;
  iterations: number;
  converged: boolean;
  /** The share of the pass's pairs EM takes for matches. */
  matchShare: number;
  /** The comparisons it estimated. */
  estimated: string[];
}

export interface TrainingWarning {
  code:
    | "train/level-unobserved"
    | "train/no-prior"
    | "train/no-pairs"
    | "train/not-converged"
    | "train/not-estimated";
  /** Where in the dedup file: ["comparisons", c, "levels", k, "m"], ["training", "blocking", p], ["prior"]. */
  path: (string | number)[];
  message: string;
}

export interface TrainResult {
  prior: number | undefined;
  priorFrom: "rules" | "kept" | "none";
  /** Pairs the deterministic rules found, when they set the prior. */
  rulePairs: number;
  /** All the pairs the records make (across sources only, when link-only). */
  totalPairs: number;
  randomPairs: number;
  comparisons: { name: string; levels: TrainedLevel[] }[];
  sessions: TrainingSession[];
  warnings: TrainingWarning[];
}

export function train(
  records: readonly MatchRecord[],
  compiled: CompiledDedup,
  options: TrainOptions,
): TrainResult {
  const model = compiled.model as CompiledModel;
  const n = records.length;
  const parts = compiled.parts;
  // Each record's part values, computed once and shared with every findMatches call below.
  const values: Value[][] = records.map((r) => parts.map((part) => part(r.row)));
  const partRows = values as unknown as Row[];
  const sources = compiled.linkOnly ? sourceNumbers(records) : undefined;
  const warnings: TrainingWarning[] = [];
  const totalPairs = pairCount(n, sources);

  // u from random pairs.
  const random = mulberry32(options.seed);
  const uCounts = model.comparisons.map((c) => new Float64Array(c.levels.length));
  const levels = new Uint8Array(model.comparisons.length);
  let randomPairs = 0;
  const count = (i: number, j: number) => {
    levelsOf(model, partRows[i] as Row, partRows[j] as Row, levels);
    randomPairs++;
    for (let c = 0; c < levels.length; c++) {
      const k = levels[c] as number;
      if (k !== NO_LEVEL) (uCounts[c] as Float64Array)[k] = ((uCounts[c] as Float64Array)[k] as number) + 1;
    }
  };
  if (totalPairs <= options.maxPairs) {
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++) if (!sources || sources[i] !== sources[j]) count(i, j);
  } else {
    for (let drawn = 0; drawn < options.maxPairs;) {
      const i = Math.floor(random() * n);
      const j = Math.floor(random() * n);
      if (i === j || (sources && sources[i] === sources[j])) continue;
      count(i, j);
      drawn++;
    }
  }
  const u = model.comparisons.map((c, ci) =>
    shares(c, uCounts[ci] as Float64Array, (k) =>
      warnings.push({
        code: "train/level-unobserved",
        path: ["comparisons", ci, "levels", k, "u"],
        message: `Comparison "${c.name}", level "${c.levels[k]?.name}": no random pair fell into it, so u cannot be estimated; ${c.levels[k]?.u === undefined ? `it is set to less than one in ${randomPairs + 1} (1 / (pairs + 1))` : "it keeps its value"}.`,
      }),
    ),
  );

  // The prior from the deterministic rules.
  let prior = model.prior;
  let priorFrom: TrainResult["priorFrom"] = prior === undefined ? "none" : "kept";
  let rulePairs = 0;
  // Every rule counts here, whatever its confidence: a pair one finds is taken for a match.
  const priorRules = [...compiled.rules, ...compiled.priorRules].map((r) => ({ ...r, confidence: 1 }));
  if (priorRules.length > 0 && totalPairs > 0) {
    rulePairs = findMatches(records, {
      rules: priorRules,
      blocking: compiled.blocking,
      parts,
      partRows: values,
      autoApprove: 1,
      queue: Number.MIN_VALUE,
      merge: [],
      neverMerge: [],
      ...(sources ? { sources, linkOnly: true } : {}),
    }).pairs.count;
    if (rulePairs > 0) {
      prior = Math.min(0.5, rulePairs / options.recall / totalPairs);
      priorFrom = "rules";
    } else
      warnings.push({
        code: "train/no-prior",
        path: ["rules"],
        message: "The deterministic rules found no pair, so they cannot set the prior; it keeps its value.",
      });
  }
  if (prior === undefined)
    warnings.push({
      code: "train/no-prior",
      path: ["prior"],
      message:
        "No prior: the file has neither deterministic rules that find pairs nor a `prior:`. Add a rule that only true matches pass (an exact email, an id) or set `prior:`.",
    });

  // m by EM, pass by pass.
  const mSums = model.comparisons.map((c) => new Float64Array(c.levels.length));
  const mPasses = new Array<number>(model.comparisons.length).fill(0);
  const sessions: TrainingSession[] = [];
  compiled.training.forEach((pass, p) => {
    const session = emSession(records, values, compiled, pass, u, options, sources);
    sessions.push(session.summary);
    if (session.summary.pairs === 0)
      warnings.push({
        code: "train/no-pairs",
        path: ["training", "blocking", p],
        message: `Training pass "${pass.condition}" found no pair: it estimates nothing.`,
      });
    else if (!session.summary.converged)
      warnings.push({
        code: "train/not-converged",
        path: ["training", "blocking", p],
        message: `Training pass "${pass.condition}": EM did not converge in ${options.maxIterations} iterations (its estimates are used as they stand).`,
      });
    session.m.forEach((m, c) => {
      if (!m) return;
      mPasses[c] = (mPasses[c] as number) + 1;
      m.forEach((x, k) => ((mSums[c] as Float64Array)[k] = ((mSums[c] as Float64Array)[k] as number) + x));
    });
  });
  const comparisons = model.comparisons.map((c, ci) => {
    const passes = mPasses[ci] as number;
    if (passes === 0)
      warnings.push({
        code: "train/not-estimated",
        path: ["comparisons", ci],
        message: `Comparison "${c.name}" reads a field every training pass blocks on, so no pass estimates its m; it keeps its values. Add a pass that does not block on it.`,
      });
    return {
      name: c.name,
      levels: c.levels.map((level, k): TrainedLevel => {
        const randomIn = (uCounts[ci] as Float64Array)[k] as number;
        if (level.isNull) return { name: level.name, m: undefined, u: undefined, randomPairs: randomIn };
        let m = passes === 0 ? undefined : ((mSums[ci] as Float64Array)[k] as number) / passes;
        if (m !== undefined && m < MIN_PROBABILITY) {
          warnings.push({
            code: "train/level-unobserved",
            path: ["comparisons", ci, "levels", k, "m"],
            message: `Comparison "${c.name}", level "${level.name}": EM saw no match fall into it; m is set to ${MIN_PROBABILITY}.`,
          });
          m = MIN_PROBABILITY;
        }
        const uk =
          (u[ci] as (number | undefined)[])[k] ?? (level.u === undefined ? 1 / (randomPairs + 1) : undefined);
        return { name: level.name, m, u: uk, randomPairs: randomIn };
      }),
    };
  });
  return { prior, priorFrom, rulePairs, totalPairs, randomPairs, comparisons, sessions, warnings };
}

/** The smallest m or u written: a level EM never saw still gets a finite weight. */
export const MIN_PROBABILITY = 1e-6;

/** Each non-null level's share of the counted pairs; undefined (and `unseen` called) for a level with none. */
function shares(
  c: CompiledComparison,
  counts: Float64Array,
  unseen: (k: number) => void,
): (number | undefined)[] {
  let total = 0;
  c.levels.forEach((l, k) => {
    if (!l.isNull) total += counts[k] as number;
  });
  return c.levels.map((l, k) => {
    if (l.isNull) return undefined;
    const n = counts[k] as number;
    if (n === 0 || total === 0) {
      unseen(k);
      return undefined;
    }
    return n / total;
  });
}

interface Session {
  summary: TrainingSession;
  /** Per comparison, the m of each level; undefined for a comparison the pass did not estimate. */
  m: (number[] | undefined)[];
}

/** One EM pass on the pairs a training condition finds, u fixed. */
function emSession(
  records: readonly MatchRecord[],
  values: Value[][],
  compiled: CompiledDedup,
  pass: CompiledTrainingPass,
  u: readonly (number | undefined)[][],
  options: TrainOptions,
  sources: Int32Array | undefined,
): Session {
  const model = compiled.model as CompiledModel;
  const found = findMatches(records, {
    rules: [{ name: "training", confidence: 1, when: pass.when, keys: pass.keys, test: pass.test }],
    blocking: [],
    parts: compiled.parts,
    partRows: values,
    autoApprove: 1,
    queue: 1,
    merge: [],
    neverMerge: [],
    ...(sources ? { sources, linkOnly: true } : {}),
  });
  // Pairs with the same levels everywhere are one pattern, counted.
  const patterns = new Map<string, { levels: Uint8Array; count: number }>();
  const levels = new Uint8Array(model.comparisons.length);
  for (let k = 0; k < found.pairs.count; k++) {
    const i = found.pairs.i[k] as number;
    const j = found.pairs.j[k] as number;
    levelsOf(model, values[i] as unknown as Row, values[j] as unknown as Row, levels);
    const key = String.fromCharCode(...levels);
    const seen = patterns.get(key);
    if (seen) seen.count++;
    else patterns.set(key, { levels: levels.slice(), count: 1 });
  }
  const active = model.comparisons.map((c) => ![...c.fields].some((f) => pass.fields.has(f)));
  const m = model.comparisons.map((c, ci) => (active[ci] ? initialM(c) : undefined));
  const summary: TrainingSession = {
    condition: pass.condition,
    pairs: found.pairs.count,
    iterations: 0,
    converged: false,
    matchShare: 0,
    estimated: model.comparisons.filter((_, ci) => active[ci]).map((c) => c.name),
  };
  if (found.pairs.count === 0) return { summary, m: m.map(() => undefined) };
  let share = 0.5;
  const list = [...patterns.values()];
  for (let iteration = 1; iteration <= options.maxIterations; iteration++) {
    // Expectation: each pattern's probability of being a match under the current m.
    const sums = model.comparisons.map((c) => new Float64Array(c.levels.length));
    const totals = new Float64Array(model.comparisons.length);
    let matchWeight = 0;
    let all = 0;
    for (const pattern of list) {
      let w = log2Odds(Math.min(Math.max(share, 1e-9), 1 - 1e-9));
      for (let c = 0; c < pattern.levels.length; c++) {
        const mc = m[c];
        const k = pattern.levels[c] as number;
        if (!mc || k === NO_LEVEL) continue;
        const uk = (u[c] as (number | undefined)[])[k];
        const mk = mc[k] as number;
        if (uk === undefined || (model.comparisons[c] as CompiledComparison).levels[k]?.isNull) continue;
        w += Math.log2(Math.max(mk, MIN_PROBABILITY) / uk);
      }
      const p = 1 / (1 + 2 ** -w);
      matchWeight += p * pattern.count;
      all += pattern.count;
      for (let c = 0; c < pattern.levels.length; c++) {
        const k = pattern.levels[c] as number;
        if (!m[c] || k === NO_LEVEL || (model.comparisons[c] as CompiledComparison).levels[k]?.isNull)
          continue;
        (sums[c] as Float64Array)[k] = ((sums[c] as Float64Array)[k] as number) + p * pattern.count;
        totals[c] = (totals[c] as number) + p * pattern.count;
      }
    }
    // Maximisation: m is each level's share of the expected matches; the match share, theirs of all pairs.
    let moved = 0;
    m.forEach((mc, c) => {
      if (!mc) return;
      const total = totals[c] as number;
      if (total === 0) return;
      mc.forEach((old, k) => {
        const next = ((sums[c] as Float64Array)[k] as number) / total;
        moved = Math.max(moved, Math.abs(next - old));
        mc[k] = next;
      });
    });
    share = matchWeight / all;
    summary.iterations = iteration;
    summary.matchShare = share;
    if (moved < options.tolerance) {
      summary.converged = true;
      break;
    }
  }
  return { summary, m };
}

/**
 * Where EM starts: the first non-null level (the strictest) holds most matches, and each later one a quarter of the
 * one before. Never the m in the file: training again on the same records must give the same numbers.
 */
function initialM(c: CompiledComparison): number[] {
  let weight = 1;
  const raw = c.levels.map((l) => {
    if (l.isNull) return 0;
    const w = weight;
    weight /= 4;
    return w;
  });
  const total = raw.reduce((a, b) => a + b, 0);
  return raw.map((x) => x / total);
}

/** Each record's source as a number. */
export function sourceNumbers(records: readonly MatchRecord[]): Int32Array {
  const numbers = new Map<string, number>();
  return Int32Array.from(records, (r) => {
    let k = numbers.get(r.source);
    if (k === undefined) numbers.set(r.source, (k = numbers.size));
    return k;
  });
}

/** How many pairs n records make; with sources, only the pairs across two sources. */
function pairCount(n: number, sources: Int32Array | undefined): number {
  if (!sources) return (n * (n - 1)) / 2;
  const sizes = new Map<number, number>();
  for (const s of sources) sizes.set(s, (sizes.get(s) ?? 0) + 1);
  let within = 0;
  for (const size of sizes.values()) within += (size * (size - 1)) / 2;
  return (n * (n - 1)) / 2 - within;
}
