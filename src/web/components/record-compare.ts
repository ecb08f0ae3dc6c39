import { html, type Html } from "../html.js";
import { cellContent, isEmptyValue, valueText } from "./cell.js";

export interface CompareSide {
  label: string;
  values: Record<string, unknown>;
}

export interface RecordCompareOptions {
  /** The fields to show, in this order. */
  fields: readonly string[];
  a: CompareSide;
  b: CompareSide;
  caption?: string;
}

function sameValue(x: unknown, y: unknown): boolean {
  if (isEmptyValue(x) || isEmptyValue(y)) return isEmptyValue(x) && isEmptyValue(y);
  return valueText(x) === valueText(y);
}

/**
 * The fields whose values differ, compared as they are shown: two values that render alike are alike, so a marker
 * never points at a difference the reader cannot see (1 and "1", or null and "", are the same here).
 */
export function differingFields(fields: readonly string[], a: CompareSide, b: CompareSide): string[] {
  return fields.filter((f) => !sameValue(a.values[f], b.values[f]));
}

/** Two records side by side, one row per field, the differing ones highlighted, marked "≠" and announced. */
export function recordCompare(options: RecordCompareOptions): Html {
  const { fields, a, b } = options;
  const differing = new Set(differingFields(fields, a, b));
  const summary = `${differing.size} of ${fields.length} field${fields.length === 1 ? "" : "s"} differ${differing.size === 1 ? "s" : ""}`;
  const caption = options.caption ?? `${a.label} and ${b.label}`;
  const rows = fields.map((field) => {
    const differs = differing.has(field);
    const marker = differs
      ? html`<span class="diff-marker" role="img" aria-label="differs">≠</span>`
      : html`<span class="same-marker" aria-hidden="true"></span>`;
    return html`<tr${differs ? html` class="diff"` : ""} data-field="${field}">
<th scope="row">${marker}${field}</th>
<td>${cellContent(a.values[field])}</td>
<td>${cellContent(b.values[field])}</td>
</tr>`;
  });
  return html`<div class="table-scroll" role="region" aria-label="${caption}" tabindex="0">
<table class="compare">
<caption>${caption} <span class="caption-note">(${summary})</span></caption>
<thead><tr><th scope="col">Field</th><th scope="col">${a.label}</th><th scope="col">${b.label}</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</div>`;
}
