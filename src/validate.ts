import type { Project } from "./config/project.js";
import { loadProject } from "./config/project.js";
import { readProjectFiles } from "./config/read-project.js";
import { compareDiagnostics, type Diagnostic } from "./diagnostics/diagnostic.js";
import { applySuppressions } from "./diagnostics/suppress.js";
import { lintProject } from "./lint/index.js";

export interface ValidationResult {
  project: Project;
  /** Sorted; suppressed findings removed. */
  diagnostics: Diagnostic[];
}

/** Schema-checks and lints a loaded project. Pure. */
export function validateLoadedProject(project: Project): ValidationResult {
  const all = [...project.diagnostics, ...lintProject(project)];
  const diagnostics = applySuppressions(all, project.files, project.ignore).sort(compareDiagnostics);
  return { project, diagnostics };
}

/** Reads the project under `root` and validates it. */
export function validateProject(root: string): ValidationResult {
  const { inputs, dataFiles } = readProjectFiles(root);
  return validateLoadedProject(loadProject(inputs, dataFiles));
}
