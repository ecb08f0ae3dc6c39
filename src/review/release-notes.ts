import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Project } from "../config/project.js";
import { compileGlob } from "../diagnostics/glob.js";
import { pct, type DiffReport, type ResourceChange } from "./diff.js";

export interface ReleaseNotes {
  format_version: number;
  base: DiffReport["base"];
  head: DiffReport["head"];
  summary: { area: string; changes: string[] }[];
  risk: {
    breaking: string[];
    pii: string[];
    thresholds: string[];
    data: string[];
    quality: string[];
    /** What could not be checked: samples that failed to evaluate, config that breaks its schema. */
    unchecked: string[];
  };
  rollback: { to: string; config_hash: string; commands: string[] };
  owners: string[];
  metrics: string[];
}

const AREAS: [string, string[]][] = [
  ["Mappings", ["mappings"]],
  ["Cleaning", ["cleaning-projects"]],
  ["Validations", ["validations"]],
  ["Dedup", ["dedup-rules"]],
  ["Exports", ["exports", "contracts"]],
  ["Other", ["entities", "webhooks", "environments", "tests"]],
];

function describe(change: ResourceChange): string {
  if (change.status !== "changed")
    return `${change.status === "added" ? "Added" : "Removed"} \`${change.resource}\``;
  const fields = [...new Set(change.fields.map((f) => f.path.split(".")[0] ?? f.path))].sort();
  return `Changed \`${change.resource}\`: ${fields.join(", ")}`;
}

/** CODEOWNERS lines (`pattern owner...`), gitignore-style patterns; the last matching line wins. */
export function codeOwners(text: string, path: string): string[] {
  let owners: string[] = [];
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    const [pattern = "", ...who] = trimmed.split(/\s+/);
    if (matches(pattern, path)) owners = who;
  }
  return owners;
}

/**
 * A CODEOWNERS pattern matches the path itself or anything under it; unless anchored (a leading `/` or a `/`
 * inside), at any depth. Matched with the linear-time glob matcher: a line like `*a*a*a*a*b` must not hang a
 * release-notes job on a long path, as the regular expression it used to become did.
 */
function matches(pattern: string, path: string): boolean {
  const anchored = pattern.startsWith("/") || pattern.slice(0, -1).includes("/");
  let p = pattern.replace(/^\//, "");
  if (p.endsWith("/")) p += "**";
  const globs = anchored ? [p, `${p}/**`] : [p, `${p}/**`, `**/${p}`, `**/${p}/**`];
  return globs.some((glob) => compileGlob(glob)(path));
}

/** The CODEOWNERS file of a project folder (at the root, .github/ or docs/), as GitHub looks for it. */
export function readCodeOwners(root: string): string | undefined {
  for (const candidate of ["CODEOWNERS", ".github/CODEOWNERS", "docs/CODEOWNERS"]) {
    const path = join(root, candidate);
    if (existsSync(path)) return readFileSync(path, "utf8");
  }
  return undefined;
}

/**
 * Release notes for a change (SPEC section 8): what changed, by area; the risk (breaking changes, PII exposure,
 * threshold changes, what it does to the samples' data and pass rates); how to roll back; who owns what changed;
 * and what to watch afterwards. Built only from the two revisions, so the same revisions give the same text.
 */
export function releaseNotes(
  report: DiffReport,
  head: Project,
  codeowners: string | undefined,
): ReleaseNotes {
  const summary = AREAS.map(([area, kinds]) => ({
    area,
    changes: report.resources.filter((r) => kinds.includes(r.resource.split("/")[0] ?? "")).map(describe),
  })).filter((s) => s.changes.length > 0);
  const line = (f: DiffReport["findings"][number]) =>
    `**${f.severity}** \`${f.code}\` on \`${f.resource}\`: ${f.message}${f.accepted !== undefined ? ` (accepted: ${f.accepted})` : ""}`;
  const breaking = report.findings.filter(
    (f) =>
      f.code.startsWith("breaking/") &&
      !["breaking/new-pii-column", "breaking/threshold-lowered", "breaking/dq-worse"].includes(f.code),
  );
  const risk = {
    breaking: breaking.map(line),
    pii: report.findings.filter((f) => f.code === "breaking/new-pii-column").map(line),
    thresholds: report.findings
      .filter((f) => f.code === "breaking/threshold-lowered" || f.code === "change/threshold-raised")
      .map(line),
    data: report.data.map(
      (d) =>
        `\`${d.export}\`: ${d.before} → ${d.after} ${d.kind === "rows" ? "rows" : "entities"} on the samples; ${d.added.length} added, ${d.removed.length} removed, ${d.changed.length} changed${d.changed.length > 0 ? ` (${[...new Set(d.changed.flatMap((c) => c.fields))].sort().join(", ")})` : ""}`,
    ),
    quality: report.dq
      .filter((d) => d.before !== d.after)
      .map((d) => `\`${d.rule}\`: ${pct(d.before)} → ${pct(d.after)}${d.worse ? " (worse)" : ""}`),
    unchecked: report.problems,
  };

  const envs = head.environments;
  const applied = envs
    .filter((e) => e.spec.promote_from === undefined && e.spec.target.type !== "local")
    .map((e) => e.name)
    .sort();
  const promoted = envs
    .filter((e) => e.spec.promote_from !== undefined)
    .map((e) => [e.spec.promote_from ?? "", e.name] as const)
    .sort();
  const baseRev = report.base.sha ?? report.base.ref;
  const rollback = {
    to: `${report.base.ref}${report.base.sha ? ` (${report.base.sha.slice(0, 12)})` : ""}`,
    config_hash: report.base.config_hash,
    commands: [
      // A released head is reverted commit by commit; an unreleased working tree is put back to the base's files.
      report.head.sha && report.base.sha
        ? `git revert --no-edit ${report.base.sha.slice(0, 12)}..${report.head.sha.slice(0, 12)}   # or: git checkout ${report.base.sha.slice(0, 12)} -- config env`
        : `git checkout ${baseRev.slice(0, 12)} -- config env`,
      ...applied.map((e) => `tools/apply.sh env/${e}`),
      ...promoted.map(([from, to]) => `clue promote --from ${from} --to ${to}`),
    ],
  };

  const owners = new Set<string>();
  for (const r of report.resources) {
    for (const o of r.owners) owners.add(o);
    if (codeowners !== undefined) for (const o of codeOwners(codeowners, r.file)) owners.add(o);
  }

  const metrics: string[] = [];
  for (const r of report.resources) {
    const [kind = "", name = ""] = r.resource.split("/");
    if (r.status === "removed") continue;
    if (kind === "validations") {
      const d = report.dq.find((x) => x.rule.endsWith(`.${name}`));
      metrics.push(`Pass rate of validation \`${name}\`${d ? ` (samples: ${pct(d.after)})` : ""}.`);
    } else if (kind === "dedup-rules")
      metrics.push(
        `Pairs merged and queued for review per run for \`${name}\`, and the review queue's length.`,
      );
    else if (kind === "exports") {
      const d = report.data.find((x) => x.export === name);
      metrics.push(
        `Rows delivered by \`${name}\` per run${d ? ` (samples: ${d.after})` : ""}, and its delivery freshness.`,
      );
    } else if (kind === "cleaning-projects")
      metrics.push(`Records removed or changed by cleaning project \`${name}\`.`);
    else if (kind === "mappings")
      metrics.push(`Dead letters and null rates of fields mapped by \`${name}\`.`);
  }

  return {
    format_version: 1,
    base: report.base,
    head: report.head,
    summary,
    risk,
    rollback,
    owners: [...owners].sort(),
    metrics: [...new Set(metrics)],
  };
}

export function renderReleaseNotes(notes: ReleaseNotes): string {
  const rev = (r: ReleaseNotes["base"]) => `${r.ref}${r.sha ? ` (${r.sha.slice(0, 12)})` : ""}`;
  const lines = [`# Release notes: ${rev(notes.base)} → ${rev(notes.head)}`, ""];
  lines.push(
    `Config hash ${notes.head.config_hash.slice(0, 12)} (was ${notes.base.config_hash.slice(0, 12)}).`,
    "",
    "## Summary",
    "",
  );
  if (notes.summary.length === 0) lines.push("No config changes.");
  for (const s of notes.summary) {
    lines.push(`### ${s.area}`, "");
    for (const c of s.changes) lines.push(`- ${c}`);
    lines.push("");
  }
  const section = (title: string, items: string[], none: string) => {
    lines.push(`### ${title}`, "");
    if (items.length === 0) lines.push(none);
    for (const i of items) lines.push(`- ${i}`);
    lines.push("");
  };
  lines.push("## Risk", "");
  section("Breaking changes", notes.risk.breaking, "None.");
  section("PII exposure", notes.risk.pii, "No new personal data leaves the platform unmasked.");
  section("Match thresholds", notes.risk.thresholds, "Unchanged.");
  section("Data on the samples", notes.risk.data, "Export rows and events are unchanged on the samples.");
  section("Validation pass rates on the samples", notes.risk.quality, "Unchanged.");
  if (notes.risk.unchecked.length > 0) section("Not checked", notes.risk.unchecked, "");
  lines.push(
    "## Rollback",
    "",
    `Return to ${notes.rollback.to}, config hash ${notes.rollback.config_hash.slice(0, 12)}:`,
    "",
    "```sh",
  );
  lines.push(...notes.rollback.commands, "```", "");
  lines.push(
    "## Owners",
    "",
    notes.owners.length > 0
      ? notes.owners.join(", ")
      : "No owners recorded (add `owners:` or a CODEOWNERS file).",
    "",
  );
  lines.push("## Metrics to watch", "");
  if (notes.metrics.length === 0) lines.push("Nothing specific.");
  for (const m of notes.metrics) lines.push(`- ${m}`);
  return `${lines.join("\n").trimEnd()}\n`;
}
