import type { RunStats } from "./run.js";
import { overThreshold } from "./validation.js";

/** The data-quality summary: per rule, records checked and failed, pass rate, and threshold breaches. */
export function dqTable(stats: RunStats): string[] {
  const rows: string[][] = [];
  for (const [entity, rules] of stats.rules) {
    for (const s of rules.values()) {
      if (s.skipped !== undefined) {
        rows.push([entity, s.rule, "-", "-", "skipped", s.skipped]);
        continue;
      }
      const rate = s.checked === 0 ? "-" : `${(((s.checked - s.failed) / s.checked) * 100).toFixed(1)}%`;
      const note = overThreshold(s)
        ? `FAILS: over max_fail_ratio ${s.maxFailRatio}`
        : s.maxFailRatio !== undefined
          ? `max_fail_ratio ${s.maxFailRatio}`
          : "";
      rows.push([entity, s.rule, String(s.checked), String(s.failed), rate, note]);
    }
  }
  if (rows.length === 0) return [];
  const header = ["entity", "rule", "checked", "failed", "pass rate", ""];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i >= 2 && i <= 4 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

export function breachedRules(stats: RunStats): string[] {
  const out: string[] = [];
  for (const rules of stats.rules.values())
    for (const s of rules.values()) if (overThreshold(s)) out.push(s.rule);
  return out;
}
