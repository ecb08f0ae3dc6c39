import { equals, textOf, type Value } from "../expr/types.js";

/** One candidate value for a golden attribute: the member record it comes from. */
export interface Candidate {
  value: Value;
  source: string;
  id: string;
  /** The member's recency (its recency_field, e.g. updated_at), or null. */
  recency: Value;
  /** How many of the member's fields are not null. */
  completeness: number;
  /** The member's position in the input, the last tie-breaker. */
  order: number;
}

export type Strategy = "most_recent" | "source_priority" | "most_complete" | "most_frequent" | "longest";

/**
 * Picks the surviving candidate among those with a value, by a strategy (SPEC section 3). Ties go to source
 * priority, then to the earlier record, so the result never depends on anything but the data and the config.
 */
export const strategies: Record<
  Strategy,
  (candidates: Candidate[], order: readonly string[]) => Candidate | undefined
> = {
  most_recent: (cs, order) => best(cs, order, (a, b) => compareValues(b.recency, a.recency)),
  source_priority: (cs, order) => best(cs, order, () => 0),
  most_complete: (cs, order) => best(cs, order, (a, b) => b.completeness - a.completeness),
  most_frequent: (cs, order) => {
    const count = (c: Candidate) => cs.filter((o) => equals(o.value, c.value) === true).length;
    return best(cs, order, (a, b) => count(b) - count(a) || compareValues(b.recency, a.recency));
  },
  longest: (cs, order) => best(cs, order, (a, b) => textOf(b.value).length - textOf(a.value).length),
};

function best(
  candidates: Candidate[],
  order: readonly string[],
  compare: (a: Candidate, b: Candidate) => number,
): Candidate | undefined {
  const rank = (c: Candidate) => {
    const i = order.indexOf(c.source);
    return i === -1 ? order.length : i;
  };
  // The first of a sort by (compare, rank, order), found in one pass: members differ in order, so there is one.
  let winner = candidates[0];
  for (let k = 1; k < candidates.length; k++) {
    const c = candidates[k] as Candidate;
    const w = winner as Candidate;
    if ((compare(c, w) || rank(c) - rank(w) || c.order - w.order) < 0) winner = c;
  }
  return winner;
}

/** Null sorts last; numbers by value; anything else as text (ISO dates and datetimes sort as text). */
function compareValues(a: Value, b: Value): number {
  if (a === null || b === null) return a === null ? (b === null ? 0 : -1) : 1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  const x = textOf(a);
  const y = textOf(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
