import { codes, type DiagnosticCode } from "../diagnostics/codes.js";
import type { Severity } from "../diagnostics/diagnostic.js";
import type { Formatter } from "./formatter.js";

const level: Record<Severity, "error" | "warning" | "note"> = {
  error: "error",
  warning: "warning",
  info: "note",
};
const ruleIds = Object.keys(codes) as DiagnosticCode[];

/** SARIF 2.1.0, the format GitHub code scanning ingests. Every code is a rule, with its documentation. */
export const sarif: Formatter = (report) => {
  const document = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            rules: ruleIds.map((id) => ({
              id,
              name: id.replace(/[/-](\w)/g, (_, c: string) => c.toUpperCase()),
              shortDescription: { text: codes[id].title },
              fullDescription: { text: `${codes[id].title}. Fix: ${codes[id].fix}` },
              help: { text: `Example:\n${codes[id].example}\n\nFix: ${codes[id].fix}` },
              defaultConfiguration: { level: level[codes[id].severity] },
            })),
          },
        },
        // Columns count UTF-16 code units, as JavaScript strings (and editors) do.
        columnKind: "utf16CodeUnits",
        results: report.diagnostics.map((d) => ({
          ruleId: d.code,
          ruleIndex: ruleIds.indexOf(d.code),
          level: level[d.severity],
          message: { text: d.hint ? `${d.message} ${d.hint}` : d.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: d.file, uriBaseId: "%SRCROOT%" },
                region: {
                  startLine: d.line,
                  startColumn: d.column,
                  endLine: d.endLine,
                  endColumn: d.endColumn,
                },
              },
            },
          ],
        })),
      },
    ],
  };
  return { text: `${JSON.stringify(document, null, 2)}\n` };
};
