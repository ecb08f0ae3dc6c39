import { diffWordsWithSpace } from "diff";
import type { Explanation } from "../matching/model.js";
import type { DataDelta, DiffReport, Finding, MatchDelta, ResourceChange } from "./diff.js";
import { pct } from "./diff.js";

const show = (v: unknown) => JSON.stringify(v) ?? "null";

/** A changed expression as one line with the removed words in [- -] and the added ones in {+ +}. */
export function wordDiff(before: string, after: string): string {
  return diffWordsWithSpace(before, after)
    .map((part) => (part.added ? `{+${part.value}+}` : part.removed ? `[-${part.value}-]` : part.value))
    .join("")
    .replace(/\s+/g, " ");
}

function fieldLines(change: ResourceChange, indent: string): string[] {
  const lines: string[] = [];
  const expressions = new Set(change.expressions.map((e) => e.path));
  for (const f of change.fields) {
    if (expressions.has(f.path)) {
      lines.push(`${indent}~ ${f.path}: ${wordDiff(String(f.before), String(f.after))}`);
      continue;
    }
    if (f.op === "add") lines.push(`${indent}+ ${f.path}: ${show(f.after)}`);
    else if (f.op === "remove") lines.push(`${indent}- ${f.path}: ${show(f.before)}`);
    else lines.push(`${indent}~ ${f.path}: ${show(f.before)} → ${show(f.after)}`);
  }
  return lines;
}

const SIGN = { added: "+", removed: "-", changed: "~" } as const;

function findingLine(f: Finding): string {
  const accepted = f.accepted !== undefined ? ` (accepted: ${f.accepted})` : "";
  return `${f.severity} ${f.code} ${f.resource}: ${f.message}${accepted}`;
}

function dataLine(d: DataDelta): string {
  const what = d.kind === "rows" ? "rows" : "entities published";
  const parts = [
    d.added.length > 0
      ? `${d.added.length} added (${d.added.slice(0, 5).join(", ")}${d.added.length > 5 ? ", ..." : ""})`
      : "",
    d.removed.length > 0
      ? `${d.removed.length} removed (${d.removed.slice(0, 5).join(", ")}${d.removed.length > 5 ? ", ..." : ""})`
      : "",
    d.changed.length > 0
      ? `${d.changed.length} changed (${[...new Set(d.changed.flatMap((c) => c.fields))].sort().join(", ")})`
      : "",
  ].filter(Boolean);
  return `${d.export}: ${d.before} → ${d.after} ${what}; ${parts.length > 0 ? parts.join("; ") : "no change"}`;
}

/** A waterfall on one line: the prior, each comparison's level and weight, the sum and its probability. */
export function waterfallLine(e: Explanation): string {
  const w = (x: number) => `${x >= 0 ? "+" : "−"}${Math.abs(x).toFixed(2)}`;
  const parts = [
    `prior ${w(e.prior)}`,
    ...e.comparisons.map((c) => `${c.comparison}=${c.level} ${w(c.weight)}`),
  ];
  return `${parts.join(", ")} = ${w(e.match_weight)} (${(e.probability * 100).toFixed(1)}%)`;
}

const SHOWN_PAIRS = 20;

function matchLines(d: MatchDelta): string[] {
  const side = (s: MatchDelta["before"]) =>
    s
      ? `${s.decision} at ${s.score.toFixed(4)}${s.rules.length > 0 ? ` (${s.rules.join(", ")})` : ""}`
      : "no pair";
  const lines = [`${SIGN[d.status]} ${d.pair}: ${side(d.before)} → ${side(d.after)}`];
  if (d.explainBefore) lines.push(`    was: ${waterfallLine(d.explainBefore)}`);
  if (d.explain) lines.push(`    ${d.status === "removed" ? "was" : "why"}: ${waterfallLine(d.explain)}`);
  return lines;
}

function matchSection(matches: readonly MatchDelta[], indent: string): string[] {
  const lines = matches.slice(0, SHOWN_PAIRS).flatMap((d) => matchLines(d).map((l) => indent + l));
  if (matches.length > SHOWN_PAIRS) lines.push(`${indent}... and ${matches.length - SHOWN_PAIRS} more pairs`);
  return lines;
}

function counts(report: DiffReport): string {
  const n = (s: ResourceChange["status"]) => report.resources.filter((r) => r.status === s).length;
  const errors = report.findings.filter((f) => f.severity === "error" && f.accepted === undefined).length;
  const warnings = report.findings.filter((f) => f.severity === "warning" && f.accepted === undefined).length;
  return `${n("added")} added, ${n("changed")} changed, ${n("removed")} removed; ${errors} breaking error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`;
}

function revisions(report: DiffReport): string {
  const rev = (r: DiffReport["base"]) => `${r.ref}${r.sha ? ` (${r.sha.slice(0, 12)})` : ""}`;
  return `${rev(report.base)} → ${rev(report.head)}`;
}

export function renderHuman(report: DiffReport): string {
  const lines = [`clue diff ${revisions(report)}: ${counts(report)}.`];
  if (report.findings.length > 0) {
    lines.push("", "Breaking changes and notes:");
    for (const f of report.findings) lines.push(`  ${findingLine(f)}`);
  }
  if (report.resources.length > 0) {
    lines.push("", "Resources:");
    for (const r of report.resources) {
      lines.push(`  ${SIGN[r.status]} ${r.resource}  (${r.file})`);
      if (r.status === "changed") lines.push(...fieldLines(r, "      "));
    }
  }
  if (report.data.length > 0) {
    lines.push("", "Data on the samples (export rows and events):");
    for (const d of report.data) lines.push(`  ${dataLine(d)}`);
  }
  if (report.matches.length > 0) {
    lines.push("", "Matches on the samples (pairs found, lost or decided otherwise):");
    lines.push(...matchSection(report.matches, "  "));
  }
  const dq = report.dq.filter((d) => d.before !== d.after);
  if (report.dq.length > 0) {
    lines.push(
      "",
      `Validation pass rates on the samples: ${report.dq.some((d) => d.worse) ? "WORSE for some rules" : "same or better"}`,
    );
    for (const d of dq) lines.push(`  ${d.worse ? "!" : " "} ${d.rule}: ${pct(d.before)} → ${pct(d.after)}`);
  }
  for (const p of report.problems) lines.push("", `note: ${p}`);
  return lines.join("\n");
}

export function renderMarkdown(report: DiffReport): string {
  const lines = [`### clue diff: ${revisions(report)}`, "", `**${counts(report)}**`];
  const table = (rows: string[][], header: string[]) => [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.map((c) => c.replace(/\|/g, "\\|")).join(" | ")} |`),
  ];
  if (report.findings.length > 0) {
    lines.push("", "#### Breaking changes and notes", "");
    lines.push(
      ...table(
        report.findings.map((f) => [
          f.accepted !== undefined ? `${f.severity} (accepted)` : f.severity,
          `\`${f.code}\``,
          `\`${f.resource}\``,
          f.message + (f.accepted !== undefined ? ` — accepted: ${f.accepted}` : ""),
        ]),
        ["severity", "code", "resource", "what"],
      ),
    );
  }
  if (report.resources.length > 0) {
    lines.push("", "#### Resources", "", "```diff");
    for (const r of report.resources) {
      lines.push(`${SIGN[r.status]} ${r.resource}  (${r.file})`);
      if (r.status === "changed") lines.push(...fieldLines(r, "    "));
    }
    lines.push("```");
  }
  if (report.data.length > 0) {
    lines.push("", "#### Data on the samples", "");
    for (const d of report.data) lines.push(`- ${dataLine(d)}`);
  }
  if (report.matches.length > 0) {
    lines.push("", "#### Matches on the samples", "", "```diff");
    lines.push(...matchSection(report.matches, ""));
    lines.push("```");
  }
  if (report.dq.length > 0) {
    lines.push(
      "",
      `#### Validation pass rates: ${report.dq.some((d) => d.worse) ? "**worse for some rules**" : "same or better"}`,
      "",
    );
    lines.push(
      ...table(
        report.dq
          .filter((d) => d.before !== d.after || d.worse)
          .map((d) => [`\`${d.rule}\``, pct(d.before), pct(d.after), d.worse ? "worse" : "ok"]),
        ["rule", "base", "head", ""],
      ),
    );
  }
  for (const p of report.problems) lines.push("", `> note: ${p}`);
  return capMarkdown(lines.join("\n"));
}

/** GitHub caps a comment at 65,536 characters; a job summary at 1 MiB. Leave room for the rest of a comment. */
export const MARKDOWN_LIMIT = 60_000;

function capMarkdown(text: string): string {
  if (text.length <= MARKDOWN_LIMIT) return text;
  const note =
    "\n\n> … cut to fit a PR comment; run `clue diff` locally (or `--format human`) for the full text.";
  let cut = text.slice(0, MARKDOWN_LIMIT - note.length - 10);
  cut = cut.slice(0, cut.lastIndexOf("\n"));
  // A cut inside a fenced block closes it, so the rest of the comment renders.
  if ((cut.match(/^```/gm) ?? []).length % 2 === 1) cut += "\n```";
  return cut + note;
}
