import { relative, sep } from "node:path";
import type { Severity } from "../diagnostics/diagnostic.js";
import type { Report } from "../format/formatter.js";
import type { ValidationResult } from "../validate.js";
import { version } from "./version.js";

/**
 * The formatters' input for a validation result. Paths are given from the current folder (the repository root in
 * CI), so that `--project sub/` still puts GitHub annotations and SARIF results on the right files.
 */
export function reportOf(
  result: ValidationResult,
  root: string,
  failSeverity: Severity,
  only = result.diagnostics,
): Report {
  const base = relative(process.cwd(), root).split(sep).join("/");
  const rebase = (file: string) => (base === "" ? file : `${base}/${file}`);
  const moved = <T extends { file: string }>(d: T): T => ({ ...d, file: rebase(d.file) });
  const { project } = result;
  return {
    tool: { name: "clue", version: version() },
    diagnostics: only.map(moved),
    redactions: result.redactions.map(moved),
    sources: new Map([...project.files, ...project.otherFiles].map((f) => [rebase(f.path), f.text])),
    counts: {
      files: project.files.length,
      resources: project.resources.length,
      environments: project.environments.length,
    },
    failSeverity,
  };
}
