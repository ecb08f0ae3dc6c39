import type { Value } from "../expr/types.js";
import type { MatchRecord } from "../matching/engine.js";
import type { MatchStageResult } from "../matching/match-stage.js";
import type { Explanation } from "../matching/model.js";
import { PAIR_MERGE } from "../matching/pair-list.js";
import { canonicalJson } from "../util/canonical-json.js";

/** A pair waiting for a steward: scored at or above the queue threshold, below auto-approve. */
export interface QueuedPair {
  /** `source:id ~ source:id`: the pair's name in the app's URLs and in decisions. */
  key: string;
  /** The pair's index in the run's pairs. */
  index: number;
  a: string;
  b: string;
  score: number;
}

/** Everything a steward sees of one pair. */
export interface PairDetail extends QueuedPair {
  /** The entity's fields, then any other the records hold. */
  fields: string[];
  values: { a: Record<string, Value>; b: Record<string, Value> };
  /** The fields whose values differ (one empty and one not counts). */
  differing: string[];
  rules: string[];
  explain?: Explanation;
  /** The records of each side's cluster as the run made it (merging the pair would join the two). */
  clusters: { a: string[]; b: string[] };
  /**
   * never_merge decisions between a record of one side's cluster and one of the other's: a merge of this pair would
   * not join the clusters whole (the veto keeps those two apart), so the preview names them.
   */
  vetoes: [string, string][];
}

/** A record's name in decisions: `source:id`. */
export const recordName = (r: MatchRecord): string => `${r.source}:${r.id}`;

/**
 * The queued pairs, most uncertain first: by distance from the middle of the review band (between queue_threshold
 * and auto_approve_threshold), where a steward's decision tells the most; then by name, so the order is stable.
 */
export function reviewQueue(matched: MatchStageResult): QueuedPair[] {
  const { pairs } = matched.pairs;
  const { autoApprove, queue } = matched.thresholds;
  const middle = (autoApprove + queue) / 2;
  const out: (QueuedPair & { distance: number })[] = [];
  for (let k = 0; k < pairs.count; k++) {
    if ((pairs.flags[k] as number) & PAIR_MERGE) continue;
    const a = recordName(matched.members[pairs.i[k] as number] as MatchRecord);
    const b = recordName(matched.members[pairs.j[k] as number] as MatchRecord);
    const score = pairs.score[k] as number;
    out.push({ key: `${a} ~ ${b}`, index: k, a, b, score, distance: Math.abs(score - middle) });
  }
  out.sort((x, y) => x.distance - y.distance || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  return out.map(({ distance: _distance, ...pair }) => pair);
}

/** Internal fields the pipeline adds to a row, not shown to a steward. */
const HIDDEN = /^_/;

/** One pair in full: both records field by field, what differs, why it scored, and the clusters it would join. */
export function pairDetail(matched: MatchStageResult, pair: QueuedPair): PairDetail {
  const { pairs } = matched.pairs;
  const i = pairs.i[pair.index] as number;
  const j = pairs.j[pair.index] as number;
  const ra = matched.members[i] as MatchRecord;
  const rb = matched.members[j] as MatchRecord;
  const extra = [...new Set([...Object.keys(ra.row), ...Object.keys(rb.row)])]
    .filter((f) => !HIDDEN.test(f) && !matched.fields.includes(f))
    .sort();
  const fields = [...matched.fields, ...extra];
  const pick = (row: Record<string, unknown>) =>
    Object.fromEntries(fields.map((f) => [f, (row[f] ?? null) as Value]));
  const values = { a: pick(ra.row), b: pick(rb.row) };
  const differing = fields.filter((f) => canonicalJson(values.a[f]) !== canonicalJson(values.b[f]));
  const match = matched.pairs.match(pair.index);
  const clusterOf = matched.clusterOf();
  const membersOf = (record: number) => {
    const cluster = clusterOf[record] as number;
    const names: string[] = [];
    clusterOf.forEach((c, k) => {
      if (c === cluster) names.push(recordName(matched.members[k] as MatchRecord));
    });
    return names;
  };
  const ci = clusterOf[i] as number;
  const cj = clusterOf[j] as number;
  const name = (k: number) => recordName(matched.members[k] as MatchRecord);
  const vetoes = matched.neverMerge
    .filter(([x, y]) => {
      const cx = clusterOf[x] as number;
      const cy = clusterOf[y] as number;
      return (cx === ci && cy === cj) || (cx === cj && cy === ci);
    })
    .map(([x, y]): [string, string] => [name(x), name(y)]);
  return {
    ...pair,
    fields,
    values,
    differing,
    rules: match.rules,
    ...(match.explain ? { explain: match.explain } : {}),
    clusters: { a: membersOf(i), b: membersOf(j) },
    vetoes,
  };
}
