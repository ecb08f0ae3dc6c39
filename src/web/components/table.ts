import { attr, html, type Html } from "../html.js";
import { cellContent } from "./cell.js";

export type Align = "left" | "right" | "center";

export interface Column {
  key: string;
  label: string;
  /** Numbers read best right-aligned, so their digits line up. */
  align?: Align;
}

export interface TableOptions {
  caption: string;
  columns: readonly Column[];
  rows: readonly Record<string, unknown>[];
  /** The first column names its row (<th scope="row">), so a screen reader announces it with every cell. */
  rowHeaders?: boolean;
}

function alignClass(align: Align | undefined): string | undefined {
  return align === undefined || align === "left" ? undefined : `align-${align}`;
}

/**
 * A data table with a caption and scoped headers. It sits in a scrolling region so a wide table never widens the
 * page; the region is focusable and named so keyboard users can scroll it too (WCAG 2.1.1).
 */
export function table(options: TableOptions): Html {
  const { caption, columns, rows, rowHeaders = true } = options;
  const head = columns.map(
    (col) => html`<th scope="col"${attr("class", alignClass(col.align))}>${col.label}</th>`,
  );
  const cell = (row: Record<string, unknown>, col: Column, i: number) =>
    rowHeaders && i === 0
      ? html`<th scope="row"${attr("class", alignClass(col.align))}>${cellContent(row[col.key])}</th>`
      : html`<td${attr("class", alignClass(col.align))}>${cellContent(row[col.key])}</td>`;
  const body =
    rows.length === 0
      ? html`<tr><td colspan="${columns.length}" class="empty">No rows</td></tr>`
      : rows.map((row) => html`<tr>${columns.map((col, i) => cell(row, col, i))}</tr>\n`);
  return html`<div class="table-scroll" role="region" aria-label="${caption}" tabindex="0">
<table>
<caption>${caption}</caption>
<thead><tr>${head}</tr></thead>
<tbody>
${body}
</tbody>
</table>
</div>`;
}
