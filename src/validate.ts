import type { Project } from "./config/project.js";
import { loadProject } from "./config/project.js";
import { readProjectFiles } from "./config/read-project.js";
import { compareDiagnostics, type Diagnostic } from "./diagnostics/diagnostic.js";
import { applySuppressions } from "./diagnostics/suppress.js";
import { lintProject } from "./lint/index.js";
import { redactDiagnostic } from "./lint/secret-redaction.js";
import { SecretMask } from "./util/secret-mask.js";

export interface ValidationResult {
  project: Project;
  /** Sorted; suppressed findings removed; no secret in any message, hint or path. */
  diagnostics: Diagnostic[];
  /** Where secrets are in the sources (suppressed or not): formatters mask these ranges in code frames. */
  redactions: Diagnostic[];
}

/** Schema-checks and lints a loaded project. Pure. */
export function validateLoadedProject(project: Project): ValidationResult {
  const lint = lintProject(project);
  // A secret can reach a finding by another route than the secret scan: `severity: <token>` is also an enum error
  // that quotes the value, and a secret used as a key is in the path of every finding under it.
  const secrets = new SecretMask(lint.secrets);
  const all = [...project.diagnostics, ...lint.diagnostics];
  const redactions = all.filter((d) => d.code.startsWith("security/"));
  const diagnostics = applySuppressions(all, project.files, project.ignore)
    .map((d) => redactDiagnostic(d, secrets))
    .sort(compareDiagnostics);
  return { project, diagnostics, redactions };
}

/** Reads the project under `root` and validates it. */
export function validateProject(root: string): ValidationResult {
  const { inputs, dataFiles, otherInputs } = readProjectFiles(root);
  return validateLoadedProject(loadProject(inputs, dataFiles, otherInputs));
}
