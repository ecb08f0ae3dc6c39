import { clusterRecords } from "../golden/clusters.js";
import type { Resource } from "../config/project.js";
import type { CompiledDedup } from "./compile-dedup.js";
import { findMatches, scorePairs, type MatchRecord, type PairScore } from "./engine.js";
import { figures, hits, LabelsError, sweep, type Figures, type Hits, type LabelSet } from "./evaluate.js";
import { matchOptionsOf } from "./match-stage.js";
import { mergedPairs } from "./pair-list.js";

/** What `clue evaluate --format json` writes. */
export interface EvaluationReport {
  format_version: 1;
  file: string;
  labels_file: string;
  records: number;
  unreadable: number;
  counts: Record<
    "labels" | "positives" | "negatives" | "from_file" | "from_decisions" | "skipped" | "blocking_misses",
    number
  >;
  queue_threshold: number;
  auto_approve_threshold: number;
  pairs: Figures;
  auto_approve: Figures;
  clusters: Figures;
  best: { threshold: number; f1: number };
  thresholds: Figures[];
  rules: ({ rule: string; confidence: number } & Hits)[];
  comparisons: ({ comparison: string; level: string } & Hits)[];
  blocking_misses: { a: string; b: string; score: number }[];
  skipped: { line: number | undefined; message: string }[];
  notes: string[];
}

/**
 * The dedup file measured against labelled pairs (what `clue evaluate` prints and `clue report` draws): each pair
 * scored as the engine scores it, precision, recall and F1 at the file's thresholds and at every other, clusters,
 * and hits per rule and comparison level. Throws LabelsError when there is no label, and the engine's error for an
 * untrained model.
 */
export function evaluateDedup(input: {
  dedup: Resource<"dedup">;
  compiled: CompiledDedup;
  records: readonly MatchRecord[];
  labelSet: LabelSet;
  labelsFile: string;
  unreadable: number;
}): EvaluationReport {
  const { dedup, compiled, records, labelSet, labelsFile, unreadable } = input;
  const { labels } = labelSet;
  if (labels.length === 0)
    throw new LabelsError(`no labelled pairs to evaluate in ${labelsFile} or the decisions`);

  const options = matchOptionsOf(compiled, records);
  const scores = scorePairs(
    records,
    options,
    labels.map((l) => [l.i, l.j]),
  );
  // Clusters as the golden stage makes them, without the decisions (they are labels here).
  const result = findMatches(records, options);
  const clusterOf = new Int32Array(records.length);
  clusterRecords(records.length, mergedPairs(result.pairs), []).forEach((c, k) =>
    c.members.forEach((m) => (clusterOf[m] = k)),
  );
  const scored = labels.map((label, k) => ({ label, match: label.match, score: scores[k] as PairScore }));
  const positives = labels.filter((l) => l.match).length;
  const at = (t: number): Figures => {
    let tp = 0;
    let fp = 0;
    for (const s of scored)
      if (s.score.candidate && s.score.score >= t) {
        if (s.match) tp++;
        else fp++;
      }
    return figures(t, tp, fp, positives - tp);
  };
  const { thresholds, best } = sweep(scored, [compiled.queue, compiled.autoApprove]);
  let ctp = 0;
  let cfp = 0;
  for (const s of scored)
    if (clusterOf[s.label.i] === clusterOf[s.label.j]) {
      if (s.match) ctp++;
      else cfp++;
    }
  const clusters = figures(compiled.autoApprove, ctp, cfp, positives - ctp);
  const misses = scored.filter((s) => s.match && !s.score.candidate);
  const name = (i: number) => `${records[i]?.source}:${records[i]?.id}`;
  const rules = compiled.rules.map((rule) => ({
    rule: rule.name,
    confidence: rule.confidence,
    ...hits(scored.filter((s) => s.score.rules.includes(rule.name)).map((s) => s.match)),
  }));
  const comparisons = (compiled.model?.comparisons ?? []).flatMap((c, ci) =>
    [...c.levels.map((l) => l.name), "(none)"]
      .map((level) => ({
        comparison: c.name,
        level,
        ...hits(scored.filter((s) => s.score.levels?.[ci] === level).map((s) => s.match)),
      }))
      .filter((row) => row.level !== "(none)" || row.pairs > 0),
  );
  return {
    format_version: 1,
    file: dedup.doc.file.path,
    labels_file: labelsFile,
    records: records.length,
    unreadable,
    counts: {
      labels: labels.length,
      positives,
      negatives: labels.length - positives,
      from_file: labelSet.fromFile,
      from_decisions: labelSet.fromDecisions,
      skipped: labelSet.skipped.length,
      blocking_misses: misses.length,
    },
    queue_threshold: compiled.queue,
    auto_approve_threshold: compiled.autoApprove,
    pairs: at(compiled.queue),
    auto_approve: at(compiled.autoApprove),
    clusters,
    best,
    thresholds,
    rules,
    comparisons,
    blocking_misses: misses.map((s) => ({ a: name(s.label.i), b: name(s.label.j), score: s.score.score })),
    skipped: labelSet.skipped,
    notes: labelSet.notes,
  };
}
