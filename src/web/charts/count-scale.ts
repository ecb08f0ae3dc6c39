export interface CountScale {
  type: "linear" | "symlog";
  /** Axis ticks: powers of ten on a symlog axis, whose own ticks fall at unreadable places; default on a linear one. */
  ticks?: number[];
  title: string;
}

/**
 * Counts that span two orders of magnitude or more (ten clusters of 40 records beside 50,000 singletons) flatten the
 * small bars to nothing on a linear axis, so those get a logarithmic one. Symlog rather than log: a bar starts at
 * zero, which a log scale cannot place (vega-lite then draws no bar at all), and a pass may have zero pairs.
 */
export function countScale(counts: readonly number[], title: string): CountScale {
  const positive = counts.filter((n) => n > 0);
  if (positive.length === 0) return { type: "linear", title };
  const max = Math.max(...positive);
  if (max / Math.min(...positive) < 100) return { type: "linear", title };
  const ticks = [0];
  for (let p = 1; p <= max * 10 && ticks.length < 12; p *= 10) ticks.push(p);
  return { type: "symlog", ticks, title: `${title} (log scale)` };
}
