import { blockingCost } from "../charts/blocking-cost.js";
import { clusterSizes } from "../charts/cluster-sizes.js";
import { passRates } from "../charts/pass-rates.js";
import { scoreHistogram } from "../charts/score-histogram.js";
import { thresholdCurve } from "../charts/threshold-curve.js";
import { figure, section, statGrid, table, toc } from "../components.js";
import { formatNumber, formatPercent } from "../format.js";
import { html, raw, type Html } from "../html.js";
import { page } from "../page.js";
import type { ReportData, ValidationFigures } from "./data.js";

/** Rows listed in a table before "and N more": a report must stay readable at a million records. */
const LISTED = 50;

const rate = (r: number | null | undefined) => (r === null || r === undefined ? "n/a" : formatPercent(r));

/** A pass rate lower than the base's by more than the one decimal the report prints. */
export function worseThanBase(v: ValidationFigures): boolean {
  return (
    typeof v.base === "number" && v.rate !== null && Math.round(v.rate * 1000) < Math.round(v.base * 1000)
  );
}

/**
 * The run's report as one HTML document: no script, no network, every chart an inline SVG drawn by Vega-Lite when
 * the report is made — readable offline, from a CI artifact, or printed.
 */
export async function renderReport(data: ReportData): Promise<string> {
  const sections: { id: string; title: string; body: Html }[] = [];
  const t = data.totals;
  sections.push({
    id: "summary",
    title: "Summary",
    body: html`${statGrid([
      { label: "Records read", value: t.read },
      { label: "Validated", value: t.validated },
      { label: "Removed by cleaning", value: t.removed },
      { label: "Dead letters", value: t.deadLetters, hint: "could not be read or processed" },
      ...(data.matching
        ? [
            { label: "Pairs compared", value: data.matching.compared },
            { label: "Merged", value: data.matching.merged },
            { label: "Queued for review", value: data.matching.queued },
            { label: "Golden records", value: data.matching.goldenRecords },
          ]
        : []),
    ])}
<p>Inputs: ${data.inputs.map((i, k) => html`${k > 0 ? ", " : ""}<code>${i.input}</code> (${i.source})`)}.</p>`,
  });
  sections.push({ id: "validations", title: "Validations", body: await validationSection(data) });
  sections.push({ id: "dead-letters", title: "Dead letters", body: deadLetterSection(data) });
  sections.push({ id: "cleaning", title: "Removed by cleaning", body: removedSection(data) });
  if (data.matching) {
    const m = data.matching;
    sections.push({
      id: "scores",
      title: "Match scores",
      body: html`${figure({
        chart: raw(await scoreHistogram(m.scores, m.thresholds)),
        caption: `Scores of the ${formatNumber(m.scores.length)} pairs compared and scored (${m.file})${vetoed(m.compared - m.scores.length)}: at or above ${m.thresholds.autoApprove} they merge, from ${m.thresholds.queue} they wait for review.`,
      })}`,
    });
    sections.push({
      id: "clusters",
      title: "Cluster sizes",
      body: clusterSection(data, await clusterSizes(m.clusterSizes)),
    });
    sections.push({ id: "blocking", title: "Blocking cost", body: await blockingSection(data) });
  }
  if (data.evaluation)
    sections.push({ id: "accuracy", title: "Accuracy against labels", body: await accuracySection(data) });
  const body = html`${toc(sections)}
${sections.map((s) => section(s))}`;
  return page({
    title: data.matching ? `Run report: ${data.matching.entity}` : "Run report",
    context: "clue report",
    body,
    connectSrc: "'none'",
  });
}

async function validationSection(data: ReportData): Promise<Html> {
  const rules = data.validations.filter((v) => v.skipped === undefined);
  const compared = data.base !== undefined && data.base.problem === undefined;
  const worse = rules.filter(worseThanBase);
  const chart = await passRates(
    rules
      .filter((v) => v.rate !== null)
      .map((v) => ({
        rule: v.rule,
        rate: v.rate as number,
        ...(typeof v.base === "number" ? { base: v.base } : {}),
      })),
  );
  const note = !data.base
    ? html`<p>Run with <code>--base REF</code> to compare each pass rate with a git revision.</p>`
    : data.base.problem !== undefined
      ? html`<p class="problem">Not compared with ${data.base.ref}: ${data.base.problem}</p>`
      : worse.length > 0
        ? html`<p><strong>Worse than ${data.base.ref}:</strong> ${worse.map((v, k) => html`${k > 0 ? ", " : ""}<code>${v.rule}</code>`)}.</p>`
        : html`<p>No pass rate is lower than at ${data.base.ref}.</p>`;
  const noteOf = (v: ValidationFigures) =>
    v.skipped ??
    [
      v.breached ? `over max_fail_ratio ${v.maxFailRatio}: clue test fails` : "",
      worseThanBase(v) ? "worse than the base" : "",
    ]
      .filter(Boolean)
      .join("; ");
  const anyNote = data.validations.some((v) => noteOf(v) !== "");
  return html`${note}
${figure({ chart: raw(chart), caption: compared ? `Pass rate per validation; the dark tick is ${data.base?.ref}.` : "Pass rate per validation." })}
${table({
  caption: "Pass rate per validation",
  columns: [
    { key: "rule", label: "Validation" },
    { key: "entity", label: "Entity" },
    { key: "checked", label: "Checked", align: "right" },
    { key: "failed", label: "Failed", align: "right" },
    { key: "rate", label: "Pass rate", align: "right" },
    ...(compared ? [{ key: "base", label: `At ${data.base?.ref}`, align: "right" as const }] : []),
    ...(anyNote ? [{ key: "note", label: "Note" }] : []),
  ],
  rows: data.validations.map((v) => ({
    rule: v.rule,
    entity: v.entity,
    checked: v.skipped === undefined ? formatNumber(v.checked) : "-",
    failed: v.skipped === undefined ? formatNumber(v.failed) : "-",
    rate: v.skipped === undefined ? rate(v.rate) : "skipped",
    base: v.base === null ? "(not there)" : rate(v.base),
    note: noteOf(v),
  })),
})}`;
}

function deadLetterSection(data: ReportData): Html {
  if (data.totals.deadLetters === 0) return html`<p>Every record was read and processed.</p>`;
  return html`<p>${formatNumber(data.totals.deadLetters)} record${data.totals.deadLetters === 1 ? "" : "s"} could not be read or processed; <code>clue run</code> writes them, with their text, to dead-letter files. Their text is not shown here (it may hold personal data).</p>
${table({
  caption: `Dead letters${data.deadLetters.length < data.totals.deadLetters ? ` (the first ${data.deadLetters.length})` : ""}`,
  columns: [
    { key: "source", label: "Source" },
    { key: "line", label: "Line", align: "right" },
    { key: "reason", label: "Reason" },
  ],
  rows: data.deadLetters.slice(0, LISTED),
})}`;
}

function removedSection(data: ReportData): Html {
  if (data.totals.removed === 0) return html`<p>Cleaning removed no record.</p>`;
  const listed = data.removed.slice(0, LISTED);
  return html`${table({
    caption: `Records removed by cleaning${listed.length < data.totals.removed ? ` (the first ${listed.length} of ${formatNumber(data.totals.removed)})` : ""}`,
    columns: [
      { key: "source", label: "Source" },
      { key: "line", label: "Line", align: "right" },
      { key: "id", label: "Id" },
      { key: "step", label: "Step" },
      { key: "reason", label: "Reason" },
    ],
    rows: listed.map((r) => ({ ...r })),
  })}`;
}

function clusterSection(data: ReportData, chart: string): Html {
  const m = data.matching;
  if (!m) return html``;
  const largest = m.clusterSizes.reduce((x, c) => Math.max(x, c.size), 0);
  return html`${figure({ chart: raw(chart), caption: `Golden records by how many records they merge (the largest: ${formatNumber(largest)}).` })}
${m.guard.length > 0 ? html`<pre class="value">${m.guard.join("\n")}</pre>` : ""}`;
}

async function blockingSection(data: ReportData): Promise<Html> {
  const b = data.matching?.blocking;
  if (!b) return html``;
  if (b.allPairs)
    return html`<p>A rule (or the model) has no blocking key, so every pair is compared: ${formatNumber(b.everyPair)} pairs.</p>`;
  const total = b.passes.reduce((s, p) => s + p.pairs, 0);
  return html`${figure({
    chart: raw(await blockingCost(b.passes.map((p) => ({ name: p.name, pairs: p.pairs })))),
    caption: `Candidate pairs per blocking pass: ${formatNumber(total)} in all, against ${formatNumber(b.everyPair)} if every pair were compared.`,
  })}
${table({
  caption: "Blocking passes",
  columns: [
    { key: "name", label: "Pass" },
    { key: "keyed", label: "Records with a key", align: "right" },
    { key: "blocks", label: "Blocks", align: "right" },
    { key: "largest", label: "Largest block", align: "right" },
    { key: "pairs", label: "Pairs", align: "right" },
  ],
  rows: b.passes.map((p) => ({
    name: p.name,
    keyed: formatNumber(p.keyed),
    blocks: formatNumber(p.blocks),
    largest: formatNumber(p.largest),
    pairs: formatNumber(p.pairs),
  })),
})}`;
}

async function accuracySection(data: ReportData): Promise<Html> {
  const e = data.evaluation;
  if (!e) return html``;
  const f = (x: number | null) => (x === null ? "-" : x.toFixed(3));
  const chart = await thresholdCurve(
    // A threshold that predicts nothing has no precision: it is left off the curve rather than drawn as 0.
    e.thresholds.flatMap((p) =>
      p.precision === null || p.recall === null
        ? []
        : [{ threshold: p.threshold, precision: p.precision, recall: p.recall, f1: p.f1 }],
    ),
    { autoApprove: e.auto_approve_threshold, queue: e.queue_threshold },
  );
  return html`<p>${formatNumber(e.counts.labels)} labelled pairs from <code>${e.labels_file}</code> and the decisions (${formatNumber(e.counts.positives)} match, ${formatNumber(e.counts.negatives)} non-match); ${formatNumber(e.counts.blocking_misses)} true pairs share no blocking key. Best F1 ${e.best.f1.toFixed(3)} at threshold ${e.best.threshold}.</p>
${figure({ chart: raw(chart), caption: "Precision, recall and F1 of the labelled pairs as the threshold moves." })}
${table({
  caption: "At the file's thresholds",
  columns: [
    { key: "at", label: "Measured" },
    { key: "precision", label: "Precision", align: "right" },
    { key: "recall", label: "Recall", align: "right" },
    { key: "f1", label: "F1", align: "right" },
  ],
  rows: [
    { at: `Pairs at queue_threshold ${e.queue_threshold}`, ...e.pairs },
    { at: `Pairs at auto_approve_threshold ${e.auto_approve_threshold}`, ...e.auto_approve },
    { at: "Clusters", ...e.clusters },
  ].map((r) => ({ at: r.at, precision: f(r.precision), recall: f(r.recall), f1: f(r.f1) })),
})}`;
}

/** The caption's note on pairs compared but never scored, because a never_merge decision forbids them. */
function vetoed(count: number): string {
  if (count <= 0) return "";
  const one = count === 1;
  return `; ${formatNumber(count)} more ${one ? "was" : "were"} compared but a never_merge decision vetoed ${one ? "it" : "them"}`;
}
