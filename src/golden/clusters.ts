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
  merges: readonly { i: number; j: number; score: number }[],
  neverMerge: readonly [number, number][],
): Cluster[] {
  const parent = Array.from({ length: count }, (_, i) => i);
  const confidence = new Array<number>(count).fill(1);
  const members = Array.from({ length: count }, (_, i) => [i]);
  const find = (i: number): number => {
    let root = i;
    while (parent[root] !== root) root = parent[root] as number;
    while (parent[i] !== root) {
      const next = parent[i] as number;
      parent[i] = root;
      i = next;
    }
    return root;
  };
  const forbidden = new Map<number, number[]>();
  for (const [a, b] of neverMerge) {
    forbidden.set(a, [...(forbidden.get(a) ?? []), b]);
    forbidden.set(b, [...(forbidden.get(b) ?? []), a]);
  }
  const sorted = [...merges].sort((x, y) => y.score - x.score || x.i - y.i || x.j - y.j);
  for (const { i, j, score } of sorted) {
    const ri = find(i);
    const rj = find(j);
    if (ri === rj) continue;
    const left = members[ri] as number[];
    const right = new Set(members[rj] as number[]);
    if (left.some((m) => (forbidden.get(m) ?? []).some((f) => right.has(f)))) continue;
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
