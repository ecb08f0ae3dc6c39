/**
 * Numbers as pages show them. A fixed locale rather than the machine's, so the same run renders the same page on
 * every machine (golden files, screenshots).
 */
const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat("en-US", { maximumFractionDigits: 3 });

export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return Number.isInteger(n) ? integer.format(n) : decimal.format(n);
}

/** A log2 weight with its sign always shown: the sign says which way the evidence points. */
export function formatWeight(w: number): string {
  const text = Math.abs(w).toFixed(2);
  if (text === "0.00") return "0.00";
  // U+2212 rather than a hyphen: it lines up with "+" and screen readers say "minus".
  return `${w < 0 ? "\u2212" : "+"}${text}`;
}

/**
 * A probability as a percentage with one decimal. Near 0 and 1, rounding would claim a certainty the model does not
 * have ("100.0%" for 0.9996), so those show as "> 99.9%" and "< 0.1%".
 */
export function formatPercent(p: number): string {
  if (!Number.isFinite(p)) return "n/a";
  const text = (p * 100).toFixed(1);
  if (text === "100.0" && p < 1) return "> 99.9%";
  if (text === "0.0" && p > 0) return "< 0.1%";
  return `${text}%`;
}
