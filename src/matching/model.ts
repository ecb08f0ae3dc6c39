import type { Evaluator, Row } from "../expr/compile.js";
import { holds } from "../expr/expression.js";
import type { Value } from "../expr/types.js";
import { PipelineError } from "../pipeline/pipeline-error.js";

/**
 * The probabilistic (Fellegi–Sunter) part of a dedup rule set: comparisons, each an ordered list of levels; a pair
 * falls into the first level of each comparison whose condition holds, and its match weight is the prior's log-odds
 * plus each level's log2(m / u). m is how often matching pairs fall into the level, u how often non-matching ones do.
 */
export interface CompiledLevel {
  name: string;
  /** The level's condition over part values (split.ts); undefined for an else level, which always holds. */
  test: Evaluator | undefined;
  /** A null level says nothing about the pair: weight 0, and it is left out of m and u. */
  isNull: boolean;
  /** u is replaced by the frequency of the pair's value (the greater of the two): a rare value counts more. */
  tf: boolean;
  m: number | undefined;
  u: number | undefined;
}

export interface CompiledComparison {
  name: string;
  levels: CompiledLevel[];
  /** The part whose values' frequencies adjust the levels marked `tf`. */
  tfPart: number | undefined;
  /** The record fields the comparison reads: training does not estimate it on pairs blocked on these. */
  fields: ReadonlySet<string>;
}

export interface CompiledModel {
  comparisons: CompiledComparison[];
  /** The probability that two records drawn at random match; undefined until trained. */
  prior: number | undefined;
}

/** No level held (the last level has a condition and it was false): the comparison says nothing. */
export const NO_LEVEL = 255;

/** The level of each comparison a pair falls into, written into `out` (NO_LEVEL where none holds). */
export function levelsOf(model: CompiledModel, a: Row, b: Row, out: Uint8Array): void {
  const { comparisons } = model;
  for (let c = 0; c < comparisons.length; c++) {
    const levels = (comparisons[c] as CompiledComparison).levels;
    let found = NO_LEVEL;
    for (let k = 0; k < levels.length; k++) {
      const test = (levels[k] as CompiledLevel).test;
      if (test === undefined || holds(test(a, b))) {
        found = k;
        break;
      }
    }
    out[c] = found;
  }
}

export function log2Odds(p: number): number {
  return Math.log2(p / (1 - p));
}

export function probabilityOf(weight: number): number {
  return 1 / (1 + 2 ** -weight);
}

/** One comparison's share of a pair's match weight: the waterfall a reviewer reads. */
export interface Contribution {
  comparison: string;
  level: string;
  /** log2(m / u), with u the value's frequency on a term-frequency level; 0 on a null level. */
  weight: number;
}

export interface Explanation {
  /** log2 of the prior odds. */
  prior: number;
  comparisons: Contribution[];
  /** prior + the comparisons' weights. */
  match_weight: number;
  /** 2^w / (1 + 2^w). */
  probability: number;
}

/**
 * Scores pairs with a trained model. Weights are worked out once per level; a term-frequency level looks up each
 * record's value frequency, counted over the run's records when the scorer is made.
 */
export class ModelScorer {
  private readonly weights: Float64Array[];
  private readonly priorWeight: number;
  /** Per comparison with a term-frequency part: each record's value frequency (NaN when it has none). */
  private readonly frequencies: (Float64Array | undefined)[];
  private readonly levels: Uint8Array;

  constructor(
    private readonly model: CompiledModel,
    count: number,
    partOf: (i: number, part: number) => Value,
  ) {
    const { prior } = model;
    if (prior === undefined || !(prior > 0 && prior < 1))
      throw new PipelineError(
        "the dedup model has no prior: run clue train (with rules that find pairs), or set `prior:` between 0 and 1",
      );
    this.priorWeight = log2Odds(prior);
    this.weights = model.comparisons.map((c) =>
      Float64Array.from(c.levels, (level) => {
        if (level.isNull) return 0;
        if (level.m === undefined || level.u === undefined)
          throw new PipelineError(
            `comparison ${c.name}, level ${level.name} has no m or u: run clue train (or set both)`,
          );
        return Math.log2(level.m / level.u);
      }),
    );
    this.frequencies = model.comparisons.map((c) =>
      c.tfPart === undefined || !c.levels.some((l) => l.tf)
        ? undefined
        : termFrequencies(count, (i) => partOf(i, c.tfPart as number)),
    );
    this.levels = new Uint8Array(model.comparisons.length);
  }

  /** The pair's match weight. */
  weight(a: Row, b: Row, i: number, j: number): number {
    levelsOf(this.model, a, b, this.levels);
    let w = this.priorWeight;
    for (let c = 0; c < this.levels.length; c++) w += this.levelWeight(c, this.levels[c] as number, i, j);
    return w;
  }

  /** The pair's weight, comparison by comparison. */
  explain(a: Row, b: Row, i: number, j: number): Explanation {
    levelsOf(this.model, a, b, this.levels);
    const comparisons: Contribution[] = [];
    let w = this.priorWeight;
    this.model.comparisons.forEach((c, k) => {
      const level = this.levels[k] as number;
      const weight = this.levelWeight(k, level, i, j);
      w += weight;
      comparisons.push({
        comparison: c.name,
        level: level === NO_LEVEL ? "(none)" : (c.levels[level] as CompiledLevel).name,
        weight: round(weight),
      });
    });
    return {
      prior: round(this.priorWeight),
      comparisons,
      match_weight: round(w),
      probability: round(probabilityOf(w), 6),
    };
  }

  private levelWeight(c: number, level: number, i: number, j: number): number {
    if (level === NO_LEVEL) return 0;
    const def = (this.model.comparisons[c] as CompiledComparison).levels[level] as CompiledLevel;
    const frequencies = this.frequencies[c];
    if (def.tf && frequencies !== undefined) {
      // Splink's adjustment: the greater of the two values' frequencies stands in for u.
      const f = Math.max(frequencies[i] as number, frequencies[j] as number);
      if (f > 0) return Math.log2((def.m as number) / f);
    }
    return (this.weights[c] as Float64Array)[level] as number;
  }
}

/** Each record's value frequency among the records that have a value (NaN for a record without one). */
export function termFrequencies(count: number, valueOf: (i: number) => Value): Float64Array {
  const keys: (string | undefined)[] = new Array<string | undefined>(count);
  const counts = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < count; i++) {
    const v = valueOf(i);
    if (v === null) continue;
    const key = typeof v === "string" ? v : JSON.stringify(v);
    keys[i] = key;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    total++;
  }
  const out = new Float64Array(count).fill(Number.NaN);
  for (let i = 0; i < count; i++) {
    const key = keys[i];
    if (key !== undefined) out[i] = (counts.get(key) as number) / total;
  }
  return out;
}

function round(x: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
