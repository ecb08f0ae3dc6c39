import { countBySeverity, type Formatter } from "./formatter.js";

/** Bumped when a field changes meaning or is removed; adding fields keeps the version. */
export const JSON_FORMAT_VERSION = 1;

/** One JSON document: the tool, the counts, and every finding with its location. */
export const json: Formatter = (report) => {
  const document = {
    format_version: JSON_FORMAT_VERSION,
    tool: report.tool,
    summary: { ...report.counts, ...countBySeverity(report.diagnostics) },
    diagnostics: report.diagnostics.map((d) => ({
      code: d.code,
      severity: d.severity,
      message: d.message,
      file: d.file,
      line: d.line,
      column: d.column,
      endLine: d.endLine,
      endColumn: d.endColumn,
      path: d.path,
      ...(d.hint === undefined ? {} : { hint: d.hint }),
    })),
  };
  return { text: `${JSON.stringify(document, null, 2)}\n` };
};
