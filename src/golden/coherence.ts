import type { Cluster } from "./clusters.js";
import type { MergeList } from "../matching/pair-list.js";

/** A cluster whose records are too loosely linked: the share of its record pairs that matched, below the minimum. */
export interface IncoherentCluster {
  /** Record indexes, ascending. */
  members: number[];
  /** Matched pairs among the members ÷ n(n−1)/2. */
  density: number;
  /** The weakest merge inside it: the link most likely to be a chain rather than a match. */
  weakest: { i: number; j: number; score: number };
  /** With `split`: the clusters it was split into. */
  parts?: number[][];
}

/**
 * Coherence (cluster_guard.min_density): a cluster of three or more records in which fewer than `minDensity` of
 * the record pairs matched (scored at or above the queue threshold) is held together by a chain, not by
 * agreement — A like B, B like C, A nothing like C. Such a cluster is reported, and with `split` it is rebuilt from
 * its own merges, strongest first, taking a merge only when the cluster it makes stays at least that dense; the
 * weak links that chained it are the ones left out.
 *
 * `links` are all the scored pairs (merged and queued), `merges` the merged ones; clusters keep their order, and a
 * split cluster's parts take its place in order of their first member.
 */
export function enforceCoherence(
  clusters: readonly Cluster[],
  links: MergeList,
  merges: MergeList,
  minDensity: number,
  split: boolean,
): { clusters: Cluster[]; incoherent: IncoherentCluster[] } {
  const clusterOf = new Map<number, number>();
  clusters.forEach((c, k) => {
    if (c.members.length >= 3) for (const m of c.members) clusterOf.set(m, k);
  });
  if (clusterOf.size === 0) return { clusters: [...clusters], incoherent: [] };
  // Links and merges inside each candidate cluster.
  const inside = (list: MergeList) => {
    const by = new Map<number, number[]>();
    for (let k = 0; k < list.count; k++) {
      const c = clusterOf.get(list.i[k] as number);
      if (c === undefined || c !== clusterOf.get(list.j[k] as number)) continue;
      const found = by.get(c);
      if (found) found.push(k);
      else by.set(c, [k]);
    }
    return by;
  };
  const linksIn = inside(links);
  const mergesIn = inside(merges);
  const incoherent: IncoherentCluster[] = [];
  const out: Cluster[] = [];
  clusters.forEach((cluster, c) => {
    const n = cluster.members.length;
    const linked = linksIn.get(c) ?? [];
    const density = n < 3 ? 1 : distinctPairs(links, linked) / ((n * (n - 1)) / 2);
    if (density >= minDensity) {
      out.push(cluster);
      return;
    }
    const own = mergesIn.get(c) ?? [];
    let weakest = own[0] as number;
    for (const k of own) if ((merges.score[k] as number) < (merges.score[weakest] as number)) weakest = k;
    const report: IncoherentCluster = {
      members: cluster.members,
      density,
      weakest: {
        i: merges.i[weakest] as number,
        j: merges.j[weakest] as number,
        score: merges.score[weakest] as number,
      },
    };
    incoherent.push(report);
    if (!split) {
      out.push(cluster);
      return;
    }
    const parts = rebuild(cluster.members, links, linked, merges, own, minDensity);
    report.parts = parts.map((p) => p.members);
    out.push(...parts);
  });
  // Clusters in order of their first member, as clusterRecords gives them.
  if (split && incoherent.length > 0) out.sort((x, y) => (x.members[0] as number) - (y.members[0] as number));
  return { clusters: out, incoherent };
}

/** How many distinct record pairs the listed links hold (a pair can be listed twice by two decisions). */
function distinctPairs(list: MergeList, ks: readonly number[]): number {
  const seen = new Set<string>();
  for (const k of ks) {
    const i = list.i[k] as number;
    const j = list.j[k] as number;
    seen.add(i < j ? `${i},${j}` : `${j},${i}`);
  }
  return seen.size;
}

/** A cluster's merges applied strongest first, each only when the joined cluster stays dense enough. */
function rebuild(
  members: readonly number[],
  links: MergeList,
  linked: readonly number[],
  merges: MergeList,
  own: readonly number[],
  minDensity: number,
): Cluster[] {
  const parent = new Map(members.map((m) => [m, m]));
  const size = new Map(members.map((m) => [m, 1]));
  const edges = new Map(members.map((m) => [m, 0]));
  const confidence = new Map(members.map((m) => [m, 1]));
  const neighbours = new Map<number, Set<number>>(members.map((m) => [m, new Set()]));
  /** Each root's members. */
  const groups = new Map(members.map((m) => [m, [m]]));
  for (const k of linked) {
    const i = links.i[k] as number;
    const j = links.j[k] as number;
    neighbours.get(i)?.add(j);
    neighbours.get(j)?.add(i);
  }
  const find = (x: number): number => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root) as number;
    while (parent.get(x) !== root) {
      const next = parent.get(x) as number;
      parent.set(x, root);
      x = next;
    }
    return root;
  };
  const order = [...own].sort(
    (x, y) =>
      (merges.score[y] as number) - (merges.score[x] as number) ||
      (merges.i[x] as number) - (merges.i[y] as number) ||
      (merges.j[x] as number) - (merges.j[y] as number),
  );
  for (const k of order) {
    const a = find(merges.i[k] as number);
    const b = find(merges.j[k] as number);
    if (a === b) continue;
    const [small, big] = (size.get(a) as number) <= (size.get(b) as number) ? [a, b] : [b, a];
    // Links between the two: from each member of the smaller side to a member of the other.
    let between = 0;
    for (const m of groups.get(small) as number[])
      for (const o of neighbours.get(m) ?? []) if (find(o) === big) between++;
    const n = (size.get(a) as number) + (size.get(b) as number);
    const total = (edges.get(a) as number) + (edges.get(b) as number) + between;
    if (n >= 3 && total / ((n * (n - 1)) / 2) < minDensity) continue;
    parent.set(small, big);
    size.set(big, n);
    groups.set(big, [...(groups.get(big) as number[]), ...(groups.get(small) as number[])]);
    groups.delete(small);
    edges.set(big, total);
    confidence.set(
      big,
      Math.min(confidence.get(big) as number, confidence.get(small) as number, merges.score[k] as number),
    );
  }
  return [...groups.entries()]
    .map(([root, group]) => ({
      members: group.sort((x, y) => x - y),
      confidence: confidence.get(root) as number,
    }))
    .sort((x, y) => (x.members[0] as number) - (y.members[0] as number));
}
