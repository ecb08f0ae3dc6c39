import { canonicalJson } from "../../util/canonical-json.js";
import { formatNumber } from "../format.js";
import { Html, html } from "../html.js";

/** Null, undefined and "" all read as "(empty)": to a steward a blank field is a blank field, whatever the source. */
export function isEmptyValue(value: unknown): boolean {
  return value === null || value === undefined || value === "";
}

/** The text a value shows as, and the key two values are compared by. */
export function valueText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number") return formatNumber(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "bigint") return value.toString();
  return canonicalJson(value);
}

/** A table cell's content: markup as is, empty values muted, anything else as escaped text. */
export function cellContent(value: unknown): Html {
  if (value instanceof Html) return value;
  if (isEmptyValue(value)) return html`<span class="empty">(empty)</span>`;
  return html`<span class="value">${valueText(value)}</span>`;
}
