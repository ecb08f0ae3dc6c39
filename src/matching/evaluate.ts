import { parseCsv } from "../io/csv.js";
import type { MatchRecord, PairScore } from "./engine.js";

/** A labelled pair of records (indexes, i < j). */
export interface Label {
  i: number;
  j: number;
  match: boolean;
  /** The labels file's line, or undefined for a label from the dedup file's `decisions:`. */
  line: number | undefined;
}

export interface LabelSet {
  labels: Label[];
  /** Rows (and decision ids) left out, each with why: never skipped silently. */
  skipped: { line: number | undefined; message: string }[];
  /** Conflicts settled (the file wins over decisions), said once each. */
  notes: string[];
  fromFile: number;
  fromDecisions: number;
}

/**
 * The labelled pairs: the labels file's rows (`a,b,match`, where `a` and `b` are `source:id`, or a bare id when one
 * record has it, and `match` is true or false), and the dedup file's decisions (merge: every pair among its ids is a
 * match; never_merge: a non-match). The file wins where both label a pair.
 */
export function readLabels(
  text: string,
  records: readonly MatchRecord[],
  decisions: readonly { merge?: string[] | undefined; never_merge?: string[] | undefined }[],
): LabelSet {
  const skipped: LabelSet["skipped"] = [];
  const notes: string[] = [];
  const byName = new Map<string, number[]>();
  records.forEach((r, i) => {
    for (const key of new Set([`${r.source}:${r.id}`, r.id])) {
      const found = byName.get(key);
      if (found) found.push(i);
      else byName.set(key, [i]);
    }
  });
  const resolve = (name: string): number | string => {
    const found = byName.get(name);
    if (found === undefined) return `no record has the id "${name}"`;
    if (found.length > 1)
      return `the id "${name}" is ambiguous: ${found.length} records have it; write it as source:id`;
    return found[0] as number;
  };
  const n = records.length;
  const key = (i: number, j: number) => (i < j ? i * n + j : j * n + i);
  const nameOf = (i: number) => `${(records[i] as MatchRecord).source}:${(records[i] as MatchRecord).id}`;

  // Decisions first, so that the file's rows can override them.
  const fromDecisions = new Map<number, Label>();
  for (const d of decisions) {
    const groups: [string[], boolean][] = [];
    if (d.merge) groups.push([d.merge, true]);
    if (d.never_merge) groups.push([d.never_merge, false]);
    for (const [ids, match] of groups) {
      const found: number[] = [];
      for (const id of ids) {
        const r = resolve(id);
        if (typeof r === "string") skipped.push({ line: undefined, message: `decisions: ${r}` });
        else found.push(r);
      }
      for (let x = 0; x < found.length; x++)
        for (let y = x + 1; y < found.length; y++) {
          const [i, j] = [found[x] as number, found[y] as number].sort((p, q) => p - q) as [number, number];
          if (i === j) continue;
          const before = fromDecisions.get(key(i, j));
          if (before && before.match !== match) {
            notes.push(
              `decisions label ${nameOf(i)} and ${nameOf(j)} both a match and a non-match; the first decision is kept`,
            );
            continue;
          }
          fromDecisions.set(key(i, j), { i, j, match, line: undefined });
        }
    }
  }

  const fromFile = new Map<number, Label>();
  const columns = (/^\uFEFF?([^\r\n]*)/.exec(text)?.[1] ?? "")
    .split(",")
    .map((c) => c.trim().replace(/^"|"$/g, ""));
  const missing = ["a", "b", "match"].filter((c) => !columns.includes(c));
  if (missing.length > 0)
    throw new LabelsError(`the labels file needs a header a,b,match; it has no ${missing.join(", ")} column`);
  for (const { record, line } of parseCsv([text], {
    skipInitialSpace: true,
    onDeadLetter: (d) => void skipped.push({ line: d.line, message: d.reason }),
  })) {
    const cells = Object.fromEntries(
      Object.entries(record).map(([k, v]) => [k.trim(), typeof v === "string" ? v.trim() : ""]),
    );
    const a = resolve(cells.a ?? "");
    const b = resolve(cells.b ?? "");
    const value = (cells.match ?? "").toLowerCase();
    const problem =
      cells.a === "" || cells.b === ""
        ? "a and b must both name a record"
        : typeof a === "string"
          ? a
          : typeof b === "string"
            ? b
            : value !== "true" && value !== "false"
              ? `match must be true or false, not "${cells.match ?? ""}"`
              : a === b
                ? "a and b are the same record"
                : undefined;
    if (problem !== undefined) {
      skipped.push({ line, message: problem });
      continue;
    }
    const [i, j] = (a as number) < (b as number) ? [a as number, b as number] : [b as number, a as number];
    const match = value === "true";
    const earlier = fromFile.get(key(i, j));
    if (earlier) {
      skipped.push({
        line,
        message: `the pair ${nameOf(i)}, ${nameOf(j)} is already labelled on line ${earlier.line ?? "?"}${earlier.match === match ? "" : " the other way"}; this row is left out`,
      });
      continue;
    }
    fromFile.set(key(i, j), { i, j, match, line });
    const decided = fromDecisions.get(key(i, j));
    if (decided && decided.match !== match)
      notes.push(
        `line ${line}: the file labels ${nameOf(i)}, ${nameOf(j)} ${match ? "a match" : "a non-match"}, the decisions ${decided.match ? "merge" : "never_merge"} them; the file wins`,
      );
  }
  const labels = [...fromFile.values()];
  let decisionCount = 0;
  for (const [k, label] of fromDecisions)
    if (!fromFile.has(k)) {
      labels.push(label);
      decisionCount++;
    }
  labels.sort((p, q) => p.i - q.i || p.j - q.j);
  return { labels, skipped, notes, fromFile: fromFile.size, fromDecisions: decisionCount };
}

/** The labels file cannot be used at all. */
export class LabelsError extends Error {
  override name = "LabelsError";
}

export interface Figures {
  threshold: number;
  /** Share of the predicted matches that are labelled true; null when nothing is predicted. */
  precision: number | null;
  /** Share of the labelled matches predicted; null when there are none. */
  recall: number | null;
  /** 0 when precision or recall is null or 0. */
  f1: number;
  tp: number;
  fp: number;
  fn: number;
}

/** Precision, recall and F1 from the counts. */
export function figures(threshold: number, tp: number, fp: number, fn: number): Figures {
  const precision = tp + fp === 0 ? null : tp / (tp + fp);
  const recall = tp + fn === 0 ? null : tp / (tp + fn);
  const f1 =
    precision === null || recall === null || tp === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { threshold, precision, recall, f1, tp, fp, fn };
}

/**
 * The figures at every threshold that changes them: each distinct score among the labelled pairs that blocking
 * brings together, and the extra thresholds (the file's two), ascending. A pair is predicted a match at t when
 * blocking brings it together and its score is at least t; a labelled match blocking never generates is a miss at
 * every threshold.
 */
export function sweep(
  scored: readonly { match: boolean; score: PairScore }[],
  extra: readonly number[],
): { thresholds: Figures[]; best: { threshold: number; f1: number } } {
  const positives = scored.filter((s) => s.match).length;
  const candidates = scored.filter((s) => s.score.candidate).sort((p, q) => q.score.score - p.score.score);
  const points = [...new Set([...candidates.map((s) => s.score.score), ...extra])].sort((p, q) => q - p);
  // Downwards from the highest threshold: each step adds the candidates scored at least that high.
  const out: Figures[] = [];
  let tp = 0;
  let fp = 0;
  let k = 0;
  for (const t of points) {
    while (k < candidates.length && (candidates[k] as { score: PairScore }).score.score >= t) {
      if ((candidates[k] as { match: boolean }).match) tp++;
      else fp++;
      k++;
    }
    out.push(figures(t, tp, fp, positives - tp));
  }
  out.reverse();
  let best = { threshold: out[out.length - 1]?.threshold ?? 0, f1: -1 };
  // Ascending, so `>=` leaves the higher threshold on a tie.
  for (const f of out) if (f.f1 >= best.f1) best = { threshold: f.threshold, f1: f.f1 };
  return { thresholds: out, best: { threshold: best.threshold, f1: Math.max(best.f1, 0) } };
}

/** Per rule or comparison level: how many labelled pairs hit it, and the share of them labelled true. */
export interface Hits {
  pairs: number;
  true: number;
  precision: number | null;
}

export function hits(matches: readonly boolean[]): Hits {
  const t = matches.filter(Boolean).length;
  return { pairs: matches.length, true: t, precision: matches.length === 0 ? null : t / matches.length };
}
