import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { LabelsError, readLabels, type Figures } from "../../matching/evaluate.js";
import { evaluateDedup, type EvaluationReport } from "../../matching/evaluate-report.js";
import { exitCodes, UsageError } from "../errors.js";
import type { GlobalOptions } from "../main.js";
import { loadValidProject } from "../project-check.js";
import { inputProblem, pairingArgs, pairingOptions, readDedup, table } from "../validated-inputs.js";

export const usage = `Usage: clue evaluate --labels FILE --source NAME --input FILE [--source NAME --input FILE ...] [options]

Measures the entity's dedup rules (and probabilistic model) against labelled pairs: precision, recall and F1 at
the file's thresholds, at every threshold that changes them, per rule and per comparison level, and of the
clusters the merges make.

The labels file is CSV with the header a,b,match: a and b name records as source:id (or a bare id when one record
of the run has it), match is true or false. The dedup file's decisions are labels too (merge: every pair among
its ids is a match; never_merge: a non-match); the file wins where both label a pair, and says so. Rows that cannot
be used (an unknown or ambiguous id, a bad match value, a pair labelled twice) are reported with their line and
left out.

Each labelled pair gets the score the engine gives it (the rules' highest confidence, or the model's probability
when higher), without the decisions. A pair is a predicted match when blocking brings it together and its score
is at least queue_threshold (the figures at auto_approve_threshold are given too); a labelled match that no
blocking key brings together is a miss at every threshold (a "blocking miss"). Clusters: the pairs at or above
auto_approve_threshold merge, transitively, as in the golden stage; a labelled pair is predicted a match when both
records end in one cluster. one_to_one applies to the clusters, not to the pair figures.

Options:
  --labels FILE         the labelled pairs (CSV: a,b,match)
  --source NAME         the source whose mapping reads the next --input (repeat for several sources)
  --input FILE          a JSON Lines, JSON array or CSV file, as for clue run
  --entity NAME         the entity, when a source maps onto several
  --input-format FMT    jsonl | json | csv | parquet, when the file's name does not say
  --format FMT          human | json (default: human)
  --project DIR         the project's root (default: here, or the nearest folder above with config/)
  -h, --help            show this help

Exit codes: 0 evaluated (skipped rows included), 1 the config, an input or the labels file has problems, 64 bad
usage.

Examples:
  clue evaluate --labels config/tests/labels/person.csv \\
    --source crm-contacts --input config/samples/crm-contacts.jsonl \\
    --source billing --entity Person --input config/samples/billing.csv
  clue evaluate --labels labels.csv --source febrl --input febrl.csv --format json`;

export async function run(args: string[], global: GlobalOptions): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { ...pairingOptions, labels: { type: "string" } },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return exitCodes.ok;
  }
  if (values.labels === undefined)
    throw new UsageError("name the labelled pairs: --labels FILE (CSV: a,b,match)");
  const { pairs, format, inputFormat } = pairingArgs(values);
  const fail = (message: string) => {
    process.stderr.write(`clue evaluate: ${message}\n`);
    return exitCodes.problems;
  };
  let labelsText: string;
  try {
    labelsText = readFileSync(values.labels, "utf8");
  } catch (error) {
    return fail(`cannot read --labels ${values.labels}: ${(error as Error).message}`);
  }
  const loaded = loadValidProject(values.project, global.color);
  if (!loaded) return exitCodes.problems;
  try {
    const read = await readDedup(
      loaded.project,
      pairs,
      { entity: values.entity, format: inputFormat },
      "evaluate",
    );
    if (!read.found) return fail(read.problem);
    const { unreadable } = read;
    const { dedup, compiled, records } = read.found;
    const labelSet = readLabels(labelsText, records, dedup.spec.decisions ?? []);
    for (const s of labelSet.skipped)
      process.stderr.write(
        `${s.line === undefined ? dedup.doc.file.path : `${values.labels}:${s.line}`}: skipped: ${s.message}\n`,
      );
    for (const note of labelSet.notes) process.stderr.write(`${values.labels}: ${note}\n`);
    let report: Report;
    try {
      report = evaluateDedup({ dedup, compiled, records, labelSet, labelsFile: values.labels, unreadable });
    } catch (error) {
      if (error instanceof LabelsError) throw error;
      // An untrained model (no prior, or a level without m or u).
      return fail(`${dedup.doc.file.path}: ${(error as Error).message}`);
    }
    if (format === "json") {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      return exitCodes.ok;
    }
    process.stdout.write(`${human(report)}\n`);
    return exitCodes.ok;
  } catch (error) {
    if (error instanceof LabelsError) return fail(`${values.labels}: ${error.message}`);
    return fail(inputProblem(error));
  }
}

/** What `clue evaluate --format json` writes. */
export type Report = EvaluationReport;

function human(r: Report): string {
  const n = (x: number) => x.toLocaleString("en-US");
  const p = (x: number | null) => (x === null ? "-" : x.toFixed(3));
  const c = r.counts;
  const lines = [
    `clue evaluate: ${r.file} on ${n(r.records)} records${r.unreadable > 0 ? ` (${n(r.unreadable)} unreadable, left out)` : ""}: ${n(c.labels)} labelled pairs (${n(c.positives)} match, ${n(c.negatives)} non-match${c.from_decisions > 0 ? `; ${n(c.from_decisions)} from decisions` : ""})${c.skipped > 0 ? `, ${n(c.skipped)} skipped (see above)` : ""}.`,
    `  blocking misses: ${n(r.blocking_misses.length)} labelled matches that no blocking key brings together (a miss at every threshold)`,
  ];
  const line = (label: string, f: Figures) =>
    `  ${label.padEnd(36)} precision ${p(f.precision)}  recall ${p(f.recall)}  F1 ${f.f1.toFixed(3)}  (tp ${n(f.tp)}, fp ${n(f.fp)}, fn ${n(f.fn)})`;
  lines.push(
    "",
    line(`pairs, queue_threshold ${r.queue_threshold}`, r.pairs),
    line(`pairs, auto_approve_threshold ${r.auto_approve_threshold}`, r.auto_approve),
    line("clusters (merges at auto_approve)", r.clusters),
  );
  // About ten thresholds spread over the range, the file's two and the best.
  const all = r.thresholds;
  const picked = new Set<number>();
  const steps = Math.min(10, all.length);
  for (let k = 0; k < steps; k++) picked.add(Math.round((k * (all.length - 1)) / Math.max(steps - 1, 1)));
  all.forEach((f, k) => {
    if ([r.queue_threshold, r.auto_approve_threshold, r.best.threshold].includes(f.threshold)) picked.add(k);
  });
  const rows: string[][] = [["threshold", "precision", "recall", "F1", "predicted", ""]];
  for (const k of [...picked].sort((a, b) => a - b)) {
    const f = all[k] as Figures;
    const marks = [
      f.threshold === r.best.threshold ? "best" : "",
      f.threshold === r.queue_threshold ? "queue" : "",
      f.threshold === r.auto_approve_threshold ? "auto_approve" : "",
    ].filter(Boolean);
    rows.push([
      String(Number(f.threshold.toPrecision(6))),
      p(f.precision),
      p(f.recall),
      f.f1.toFixed(3),
      n(f.tp + f.fp),
      marks.join(", "),
    ]);
  }
  lines.push("", `  ${n(all.length)} thresholds; a sample:`, ...table(rows));
  lines.push("", `  best: threshold ${Number(r.best.threshold.toPrecision(6))}, F1 ${r.best.f1.toFixed(3)}`);
  if (r.rules.length > 0)
    lines.push(
      "",
      ...table([
        ["rule", "confidence", "pairs", "true", "precision"],
        ...r.rules.map((x) => [x.rule, String(x.confidence), n(x.pairs), n(x.true), p(x.precision)]),
      ]),
    );
  if (r.comparisons.length > 0)
    lines.push(
      "",
      ...table([
        ["comparison", "level", "pairs", "true", "precision"],
        ...r.comparisons.map((x) => [x.comparison, x.level, n(x.pairs), n(x.true), p(x.precision)]),
      ]),
    );
  return lines.join("\n");
}
