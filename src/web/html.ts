/**
 * A tiny HTML builder whose only way to put text on a page escapes it. Record values, field names and rule names
 * come from users' data and config, so every interpolation is escaped unless it is already `Html`: markup this
 * module built, or a trusted string wrapped with `raw()` (the chart renderer's SVG).
 *
 * Escaping covers & < > " ', which makes a value safe in element content and inside a quoted attribute. It does not
 * make a value safe as an unquoted attribute, a URL (javascript:) or inside <script>/<style>: templates always
 * quote attributes and never put data in those places.
 */
export class Html {
  /** Use `html` or `raw()` rather than this constructor, so that where trust starts stays easy to find. */
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

/** What a template may interpolate; null, undefined and false render nothing, so `cond && html`…`` works. */
export type Interpolation = Html | string | number | boolean | null | undefined | readonly Interpolation[];

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  // &#39; rather than &apos;: HTML 4 and some XML consumers of the inline SVG do not know &apos;.
  "'": "&#39;",
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}

/** Marks a string as trusted markup; only for markup this program generated, never for data. */
export function raw(markup: string): Html {
  return new Html(markup);
}

function piece(value: Interpolation): string {
  if (value instanceof Html) return value.text;
  if (value === null || value === undefined || value === false) return "";
  if (Array.isArray(value)) return (value as readonly Interpolation[]).map(piece).join("");
  return escapeHtml(String(value));
}

/** The tagged template: `html\`<td>${value}</td>\`` escapes `value` unless it is `Html`. */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Html {
  let out = strings[0] ?? "";
  for (let i = 0; i < values.length; i++) out += piece(values[i]) + (strings[i + 1] ?? "");
  return new Html(out);
}

/** Joins fragments, escaping any plain strings among them. */
export function join(parts: readonly Interpolation[], separator = ""): Html {
  return new Html(parts.map(piece).join(escapeHtml(separator)));
}

/** ` name="value"`, or nothing when there is no value: for optional attributes such as a column's alignment class. */
export function attr(name: string, value: string | undefined): Html {
  return value === undefined ? new Html("") : html` ${name}="${value}"`;
}
