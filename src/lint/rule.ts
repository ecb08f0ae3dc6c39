import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Project } from "../config/project.js";
import type { ProjectIndex } from "./project-index.js";

export interface LintContext {
  project: Project;
  index: ProjectIndex;
  report(diagnostic: Diagnostic): void;
  /** Marks a text as secret: it is masked in every message, hint and code frame of the run. */
  redact(text: string): void;
}

/** A cross-file lint rule: reads the project, reports diagnostics. Pure. */
export interface LintRule {
  name: string;
  run(context: LintContext): void;
}
