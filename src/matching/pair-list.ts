/**
 * Pairs as parallel typed arrays: 17 bytes a pair where an object per pair (with its ids, rules and waterfall) took
 * hundreds, so that millions of matched pairs fit (a run keeps what it needs to make a pair's Match again on demand).
 */
export interface PairList {
  count: number;
  i: Int32Array;
  j: Int32Array;
  score: Float64Array;
  /** PAIR_MERGE when the pair merges (else it is queued), PAIR_DECIDED when a manual merge put it there. */
  flags: Uint8Array;
}

export const PAIR_MERGE = 1;
/** A `merge` decision named the pair. */
export const PAIR_DECIDED = 2;
/** A `merge` decision named a pair no blocking key brings together: no rule was evaluated on it. */
export const PAIR_UNBLOCKED = 4;

/** The merges clustering reads: pairs with scores, as parallel arrays. */
export interface MergeList {
  count: number;
  i: ArrayLike<number>;
  j: ArrayLike<number>;
  score: ArrayLike<number>;
}

/** Collects pairs as they are found, growing its arrays by doubling. */
export class PairBuffer {
  private list: PairList = empty(1024);

  push(i: number, j: number, score: number, flags: number): void {
    const list = this.list;
    if (list.count === list.i.length) this.grow();
    const k = this.list.count++;
    this.list.i[k] = i;
    this.list.j[k] = j;
    this.list.score[k] = score;
    this.list.flags[k] = flags;
  }

  get count(): number {
    return this.list.count;
  }

  /** The pairs in ascending order of (i, j), in arrays of their exact length; the buffer is spent. */
  sorted(records: number): PairList {
    const { count } = this.list;
    const order = orderByPair(this.list, records);
    const out = empty(count);
    out.count = count;
    for (let k = 0; k < count; k++) {
      const from = order[k] as number;
      out.i[k] = this.list.i[from] as number;
      out.j[k] = this.list.j[from] as number;
      out.score[k] = this.list.score[from] as number;
      out.flags[k] = this.list.flags[from] as number;
    }
    this.list = empty(0);
    return out;
  }

  private grow(): void {
    const next = empty(this.list.i.length * 2);
    next.i.set(this.list.i);
    next.j.set(this.list.j);
    next.score.set(this.list.score);
    next.flags.set(this.list.flags);
    next.count = this.list.count;
    this.list = next;
  }
}

/** The pairs of a list that `keep` accepts, in their order. */
export function filterPairs(list: PairList, keep: (k: number) => boolean): PairList {
  const kept: number[] = [];
  for (let k = 0; k < list.count; k++) if (keep(k)) kept.push(k);
  const out = empty(kept.length);
  out.count = kept.length;
  kept.forEach((from, k) => {
    out.i[k] = list.i[from] as number;
    out.j[k] = list.j[from] as number;
    out.score[k] = list.score[from] as number;
    out.flags[k] = list.flags[from] as number;
  });
  return out;
}

/** The pairs that merge, for clustering. */
export function mergedPairs(list: PairList): PairList {
  return filterPairs(list, (k) => ((list.flags[k] as number) & PAIR_MERGE) !== 0);
}

/** A MergeList from objects (tests, and callers with a handful of pairs). */
export function mergeListOf(merges: readonly { i: number; j: number; score: number }[]): MergeList {
  return {
    count: merges.length,
    i: merges.map((m) => m.i),
    j: merges.map((m) => m.j),
    score: merges.map((m) => m.score),
  };
}

function empty(capacity: number): PairList {
  return {
    count: 0,
    i: new Int32Array(capacity),
    j: new Int32Array(capacity),
    score: new Float64Array(capacity),
    flags: new Uint8Array(capacity),
  };
}

/**
 * The order of the pairs by (i, j): a counting sort by i (linear), then each record's few pairs by j. Sorting
 * millions of pair indexes with a comparator takes seconds; this takes a fraction of one.
 */
function orderByPair(list: PairList, records: number): Uint32Array {
  const { count, i, j } = list;
  const start = new Uint32Array(records + 1);
  for (let k = 0; k < count; k++) {
    const r = (i[k] as number) + 1;
    start[r] = (start[r] as number) + 1;
  }
  for (let r = 1; r <= records; r++) start[r] = (start[r] as number) + (start[r - 1] as number);
  const next = start.slice(0, records);
  const order = new Uint32Array(count);
  for (let k = 0; k < count; k++) {
    const r = i[k] as number;
    order[next[r] as number] = k;
    next[r] = (next[r] as number) + 1;
  }
  for (let r = 0; r < records; r++) {
    const from = start[r] as number;
    const to = start[r + 1] as number;
    if (to - from < 2) continue;
    // Insertion sort: a record has few pairs as a rule; a block of many falls back to the built-in sort.
    if (to - from > 32) {
      order.subarray(from, to).sort((a, b) => (j[a] as number) - (j[b] as number));
      continue;
    }
    for (let x = from + 1; x < to; x++) {
      const k = order[x] as number;
      const key = j[k] as number;
      let y = x - 1;
      while (y >= from && (j[order[y] as number] as number) > key) {
        order[y + 1] = order[y] as number;
        y--;
      }
      order[y + 1] = k;
    }
  }
  return order;
}
