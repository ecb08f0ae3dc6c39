import { formatPath } from "../diagnostics/diagnostic.js";
import { describeCounts, plural, type Formatter } from "./formatter.js";

/** GitHub caps a job summary at 1 MiB; stay well below it and say what was left out. */
const MAX_SUMMARY_ROWS = 2000;

/**
 * Annotations on the PR's lines, and every finding in the job summary: GitHub shows at most 10 annotations of each
 * severity per step, so the summary is where the full list lives.
 */
export const github: Formatter = (report) => {
  const annotations = report.diagnostics.map((d) => ({
    severity: d.severity,
    title: d.code,
    message: d.hint ? `${d.message}\nHint: ${d.hint}` : d.message,
    file: d.file,
    startLine: d.line,
    startColumn: d.column,
    endLine: d.endLine,
    endColumn: d.endColumn,
  }));
  const { files, resources, environments } = report.counts;
  const lines = [`## clue validate`, ""];
  if (report.diagnostics.length === 0) {
    lines.push(
      `✔ No problems in ${plural(files, "file")} (${plural(resources, "resource")}, ${plural(environments, "environment")}).`,
    );
  } else {
    lines.push(`${describeCounts(report.diagnostics)} in ${plural(files, "file")}.`, "");
    lines.push("| Location | Severity | Code | Message |", "| --- | --- | --- | --- |");
    for (const d of report.diagnostics.slice(0, MAX_SUMMARY_ROWS)) {
      const where = `\`${d.file}:${d.line}:${d.column}\`${d.path.length > 0 ? ` (${escape(formatPath(d.path))})` : ""}`;
      const message = d.hint ? `${d.message} — ${d.hint}` : d.message;
      lines.push(`| ${where} | ${d.severity} | \`${d.code}\` | ${escape(message)} |`);
    }
    if (report.diagnostics.length > MAX_SUMMARY_ROWS) {
      lines.push(
        "",
        `…and ${report.diagnostics.length - MAX_SUMMARY_ROWS} more; run \`clue validate --format json\` for all.`,
      );
    }
  }
  return { text: "", annotations, summary: `${lines.join("\n")}\n` };
};

function escape(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ").replaceAll("<", "&lt;");
}
