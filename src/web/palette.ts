/**
 * The colours every page and chart share, so the review app, the report and the charts inside them read as one
 * product. Each text colour is checked against the background it is used on: WCAG AA asks 4.5:1 for text and 3:1
 * for the parts of a graphic a reader needs (bars, rules, focus rings).
 */
export const palette = {
  /** Page background. */
  background: "#ffffff",
  /** Cards, table headers, code. */
  surface: "#f6f8fa",
  /** Body text: 15.8:1 on white, 14.3:1 on the highlight. */
  text: "#1f2328",
  /** Secondary text (hints, axis labels, "(empty)"): 6.1:1 on white, 5.7:1 on surface. */
  muted: "#59636e",
  /** Table and card borders: decoration only, so no contrast requirement. */
  border: "#d1d9e0",
  /** Chart grid lines: lighter than borders so the data stays in front. */
  grid: "#e6eaef",
  /** Links, focus ring, the main chart series: 6.4:1 on white. */
  accent: "#0b5cbd",
  /** Positive weights, merge: 7.4:1 on white, 6.6:1 on its soft background. */
  positive: "#116329",
  /** Negative weights, never-merge: 5.8:1 on white, 5.1:1 on its soft background. */
  negative: "#c5221f",
  /** Queue (a person decides): 5.9:1 on white, 5.5:1 on its soft background. */
  caution: "#8a5b00",
  /** The background of a differing field: pale, so the text on it keeps its contrast. */
  highlight: "#fff5b1",
  /** Badge backgrounds, each under its own text colour at ≥ 4.5:1. */
  positiveSoft: "#dafbe1",
  negativeSoft: "#ffebe9",
  cautionSoft: "#fff8c5",
} as const;

/** The system font stack: no web fonts, since pages must work offline and load nothing. */
export const fontStack =
  'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "Liberation Sans", sans-serif';

export const monoStack =
  'ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace';
