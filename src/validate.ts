import type { Project } from "./config/project.js";
import { loadProject } from "./config/project.js";
import { readProjectFiles } from "./config/read-project.js";
import { compareDiagnostics, type Diagnostic } from "./diagnostics/diagnostic.js";
import { capFindings, clipText, MAX_FINDINGS_PER_FILE } from "./diagnostics/finding-cap.js";
import { applySuppressions } from "./diagnostics/suppress.js";
import { lintProject } from "./lint/index.js";

export interface ValidationResult {
  project: Project;
  /** Sorted; suppressed findings removed; no secret in any message or hint. */
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
  const all = project.diagnostics.concat(lint.diagnostics);
  const redactions = all.filter((d) => d.code.startsWith("security/"));
  // Capped after suppressions (an accepted finding is not counted) and before scrubbing, which compares every
  // message with every secret; messages are cut only once scrubbed, so a cut cannot keep half a secret.
  const kept = capFindings(
    applySuppressions(all, project.files, project.ignore).sort(compareDiagnostics),
    options.maxFindingsPerFile ?? MAX_FINDINGS_PER_FILE,
  );
  const diagnostics = kept.map((d) => clipText(scrub(d, lint.secrets))).sort(compareDiagnostics);
  return { project, diagnostics, redactions };
}

/**
 * A secret can reach a message by another route than the secret scan: `severity: <token>` is also an enum error
 * that quotes the value. Every text found to be secret is masked in every message and hint.
 */
function scrub(d: Diagnostic, secrets: ReadonlySet<string>): Diagnostic {
  if (secrets.size === 0) return d;
  let { message, hint } = d;
  for (const secret of secrets) {
    message = message.replaceAll(secret, "****");
    if (hint !== undefined) hint = hint.replaceAll(secret, "****");
  }
  return message === d.message && hint === d.hint
    ? d
    : { ...d, message, ...(hint === undefined ? {} : { hint }) };
}

/** Reads the project under `root` and validates it. */
export function validateProject(root: string, options: ValidateOptions = {}): ValidationResult {
  const { inputs, dataFiles, otherInputs } = readProjectFiles(root);
  return validateLoadedProject(loadProject(inputs, dataFiles, otherInputs), options);
}
