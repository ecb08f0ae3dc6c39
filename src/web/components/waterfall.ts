import type { Explanation } from "../../matching/model.js";
import { formatPercent, formatWeight } from "../format.js";
import { html, type Html } from "../html.js";

export interface WaterfallOptions {
  caption?: string;
}

type BarKind = "prior" | "comparison" | "total";

/**
 * A bar growing right (evidence for a match) or left (against) from a zero line in the middle of the cell. Widths
 * are shares of the largest weight in the table, so bars compare within one explanation.
 */
function bar(weight: number, largest: number, kind: BarKind): Html {
  const share = largest > 0 ? (Math.abs(weight) / largest) * 50 : 0;
  const width = `${share.toFixed(2)}%`;
  const left = weight < 0 ? `${(50 - share).toFixed(2)}%` : "50%";
  const colour =
    kind === "prior" ? "wf-prior" : kind === "total" ? "wf-total" : weight < 0 ? "wf-neg" : "wf-pos";
  return html`<div class="wf-track" aria-hidden="true"><span class="wf-bar ${colour}" style="left: ${left}; width: ${width}"></span></div>`;
}

/**
 * Why a pair scored what it did: the prior's log-odds, each comparison's log2(m/u), and their sum, as a table whose
 * numbers are text (the bars only repeat them for the eye) and whose last rows give the match weight and probability.
 */
export function waterfall(explanation: Explanation, options: WaterfallOptions = {}): Html {
  const { prior, comparisons, match_weight: total, probability } = explanation;
  const largest = Math.max(Math.abs(prior), Math.abs(total), ...comparisons.map((c) => Math.abs(c.weight)));
  const caption = options.caption ?? "Match weight, step by step";
  const rows = comparisons.map(
    (c) => html`<tr class="${c.weight < 0 ? "wf-against" : "wf-for"}">
<th scope="row">${c.comparison}</th>
<td>${c.level}</td>
<td class="align-right">${formatWeight(c.weight)}</td>
<td>${bar(c.weight, largest, "comparison")}</td>
</tr>`,
  );
  return html`<div class="table-scroll" role="region" aria-label="${caption}" tabindex="0">
<table class="waterfall">
<caption>${caption}</caption>
<thead><tr><th scope="col">Step</th><th scope="col">Level</th><th scope="col" class="align-right">Weight (log2)</th><th scope="col">Contribution</th></tr></thead>
<tbody>
<tr class="wf-start">
<th scope="row">Prior</th>
<td><span class="empty">odds that two records match</span></td>
<td class="align-right">${formatWeight(prior)}</td>
<td>${bar(prior, largest, "prior")}</td>
</tr>
${rows}
</tbody>
<tfoot>
<tr class="wf-sum">
<th scope="row">Match weight</th>
<td></td>
<td class="align-right">${formatWeight(total)}</td>
<td>${bar(total, largest, "total")}</td>
</tr>
<tr>
<th scope="row">Match probability</th>
<td></td>
<td class="align-right">${formatPercent(probability)}</td>
<td></td>
</tr>
</tfoot>
</table>
</div>`;
}
