import type { Project } from "./config/project.js";
import { loadProject } from "./config/project.js";
import { readProjectFiles } from "./config/read-project.js";
import { compareDiagnostics, type Diagnostic } from "./diagnostics/diagnostic.js";
import { capFindings, clipText, MAX_FINDINGS_PER_FILE } from "./diagnostics/finding-cap.js";
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

export interface ValidateOptions {
  /** Findings shown per file; the rest are counted by one `file/too-many-findings`. 0: all of them. */
  maxFindingsPerFile?: number;
}

/** Schema-checks and lints a loaded project. Pure. */
export function validateLoadedProject(project: Project, options: ValidateOptions = {}): ValidationResult {
  const lint = lintProject(project);
  // A secret can reach a finding by another route than the secret scan: `severity: <token>` is also an enum error
  // that quotes the value, and a secret used as a key is in the path of every finding under it.
  const secrets = new SecretMask(lint.secrets);
  const all = [...project.diagnostics, ...lint.diagnostics];
  const redactions = all.filter((d) => d.code.startsWith("security/"));
  // Capped after suppressions (an accepted finding is not counted) and before redaction, which compares every
  // message with every secret; messages are cut only once redacted, so a cut cannot keep half a secret.
  const kept = capFindings(
    applySuppressions(all, project.files, project.ignore).sort(compareDiagnostics),
    options.maxFindingsPerFile ?? MAX_FINDINGS_PER_FILE,
  );
  const diagnostics = kept.map((d) => clipText(redactDiagnostic(d, secrets))).sort(compareDiagnostics);
  return { project, diagnostics, redactions };
}

/** Reads the project under `root` and validates it. */
export function validateProject(root: string, options: ValidateOptions = {}): ValidationResult {
  const { inputs, dataFiles, otherInputs } = readProjectFiles(root);
  return validateLoadedProject(loadProject(inputs, dataFiles, otherInputs), options);
}
