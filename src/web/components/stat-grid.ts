import { formatNumber } from "../format.js";
import { html, type Html } from "../html.js";

export interface Stat {
  label: string;
  value: string | number;
  hint?: string;
}

/** Summary cards: a description list, so each value is announced with its label. */
export function statGrid(stats: readonly Stat[]): Html {
  const cards = stats.map(
    (s) => html`<div class="stat">
<dt>${s.label}</dt>
<dd class="stat-value">${typeof s.value === "number" ? formatNumber(s.value) : s.value}</dd>
${s.hint !== undefined && html`<dd class="stat-hint">${s.hint}</dd>`}
</div>`,
  );
  return html`<dl class="stats">
${cards}
</dl>`;
}
