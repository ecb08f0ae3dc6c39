import type { MergeList } from "../matching/pair-list.js";

/**
 * A bound on cluster size: merges apply strongest first, and one that would join two clusters into more than
 * `maxSize` records is skipped (`split`) or applied anyway (`flag`); either way it is handed to `chained`, so the run
 * can name the pairs that chained records together.
 */
export interface ClusterGuard {
  maxSize: number;
  split: boolean;
  chained(merge: { i: number; j: number; score: number }, size: number): void;
}

export interface Cluster {
  /** Record indexes, ascending. */
  members: number[];
  /** The weakest merge that joined the cluster (1 for a single record): how sure the cluster is. */
  confidence: number;
}

/**
 * Clusters are the connected components of merged pairs (SPEC section 3). Merges are applied strongest first, and a
 * merge that would put two records of a `never_merge` decision into one cluster is skipped, so a never_merge splits
 * a cluster that transitivity alone would join.
 */
export function clusterRecords(
  count: number,
  merges: MergeList,
  neverMerge: readonly [number, number][],
  guard?: ClusterGuard,
): Cluster[] {
  if (neverMerge.length === 0) return clusterWithoutVetoes(count, merges, guard);
  const parent = Array.from({ length: count }, (_, i) => i);
  const confidence = new Array<number>(count).fill(1);
  const members = Array.from({ length: count }, (_, i) => [i]);
  const find = rootFinder(parent);
  const forbidden = new Map<number, number[]>();
  for (const [a, b] of neverMerge) {
    forbidden.set(a, [...(forbidden.get(a) ?? []), b]);
    forbidden.set(b, [...(forbidden.get(b) ?? []), a]);
  }
  for (const k of strongestFirst(merges)) {
    const i = merges.i[k] as number;
    const j = merges.j[k] as number;
    const score = merges.score[k] as number;
    const ri = find(i);
    const rj = find(j);
    if (ri === rj) continue;
    const left = members[ri] as number[];
    const right = new Set(members[rj] as number[]);
    if (left.some((m) => (forbidden.get(m) ?? []).some((f) => right.has(f)))) continue;
    if (guard && left.length + right.size > guard.maxSize) {
      guard.chained({ i, j, score }, left.length + right.size);
      if (guard.split) continue;
    }
    const [big, small] = left.length >= right.size ? [ri, rj] : [rj, ri];
    parent[small] = big;
    members[big] = [...(members[big] as number[]), ...(members[small] as number[])];
    members[small] = [];
    confidence[big] = Math.min(confidence[big] as number, confidence[small] as number, score);
  }
  const clusters: Cluster[] = [];
  for (let i = 0; i < count; i++) {
    if (find(i) !== i) continue;
    clusters.push({
      members: [...(members[i] as number[])].sort((a, b) => a - b),
      confidence: confidence[i] as number,
    });
  }
  return clusters.sort((a, b) => (a.members[0] as number) - (b.members[0] as number));
}

/**
 * clusterRecords when no never_merge decision can veto a merge, as it is on most runs: the same merges in the same
 * order, with the sizes and confidences in typed arrays and each cluster's members gathered once at the end, rather
 * than a list of members per record kept up to date (a million records, a million lists).
 */
function clusterWithoutVetoes(count: number, merges: MergeList, guard: ClusterGuard | undefined): Cluster[] {
  const parent = new Int32Array(count);
  for (let i = 0; i < count; i++) parent[i] = i;
  const size = new Int32Array(count).fill(1);
  const confidence = new Float64Array(count).fill(1);
  const find = rootFinder(parent);
  for (const k of strongestFirst(merges)) {
    const i = merges.i[k] as number;
    const j = merges.j[k] as number;
    const score = merges.score[k] as number;
    const ri = find(i);
    const rj = find(j);
    if (ri === rj) continue;
    const joined = (size[ri] as number) + (size[rj] as number);
    if (guard && joined > guard.maxSize) {
      guard.chained({ i, j, score }, joined);
      if (guard.split) continue;
    }
    const [big, small] = (size[ri] as number) >= (size[rj] as number) ? [ri, rj] : [rj, ri];
    parent[small] = big;
    size[big] = (size[big] as number) + (size[small] as number);
    confidence[big] = Math.min(confidence[big] as number, confidence[small] as number, score);
  }
  // Records in ascending order: each cluster's members come out ascending, and clusters in order of their first.
  // Member lists are made at their final length (a list grown by push holds room for 17).
  const clusterOf = new Int32Array(count).fill(-1);
  const recordCluster = new Int32Array(count);
  const sizes: number[] = [];
  const roots: number[] = [];
  for (let i = 0; i < count; i++) {
    const root = find(i);
    let k = clusterOf[root] as number;
    if (k === -1) {
      k = sizes.length;
      clusterOf[root] = k;
      sizes.push(0);
      roots.push(root);
    }
    recordCluster[i] = k;
    sizes[k] = (sizes[k] as number) + 1;
  }
  const clusters: Cluster[] = sizes.map((n, k) => ({
    members: new Array<number>(n),
    confidence: confidence[roots[k] as number] as number,
  }));
  const filled = new Int32Array(sizes.length);
  for (let i = 0; i < count; i++) {
    const k = recordCluster[i] as number;
    (clusters[k] as Cluster).members[filled[k] as number] = i;
    filled[k] = (filled[k] as number) + 1;
  }
  return clusters;
}

/**
 * The merges' indexes, strongest first (then by i and j): an index array of 4 bytes a merge, sorted, so that the
 * merges themselves stay in their typed arrays.
 */
function strongestFirst(merges: MergeList): Uint32Array {
  const { i, j, score } = merges;
  const order = new Uint32Array(merges.count);
  for (let k = 0; k < merges.count; k++) order[k] = k;
  return order.sort(
    (x, y) =>
      (score[y] as number) - (score[x] as number) ||
      (i[x] as number) - (i[y] as number) ||
      (j[x] as number) - (j[y] as number),
  );
}

/** Union-find's find with path compression over a parent array (plain or typed). */
function rootFinder(parent: { [i: number]: number }): (i: number) => number {
  return (i) => {
    let root = i;
    while (parent[root] !== root) root = parent[root] as number;
    while (parent[i] !== root) {
      const next = parent[i] as number;
      parent[i] = root;
      i = next;
    }
    return root;
  };
}
