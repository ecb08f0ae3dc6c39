// clue as a library: load and validate a project, and render the findings.
export { validateProject, validateLoadedProject, type ValidationResult } from "./validate.js";
export { loadProject, type Project, type Resource, type ProjectInput } from "./config/project.js";
export { readProjectFiles } from "./config/read-project.js";
export { kinds, type KindName } from "./config/kinds.js";
export { codes, type DiagnosticCode } from "./diagnostics/codes.js";
export type { Diagnostic, Severity } from "./diagnostics/diagnostic.js";
export { formatters, type FormatName } from "./format/index.js";
export type * from "./types/index.js";
