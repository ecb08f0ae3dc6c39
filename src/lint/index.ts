import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Project } from "../config/project.js";
import { contractsRule } from "./contracts.js";
import { dedupRule } from "./dedup.js";
import { environmentsRule } from "./environments.js";
import { expressionsRule } from "./expressions.js";
import { namesRule } from "./names.js";
import { indexProject } from "./project-index.js";
import { referencesRule } from "./references.js";
import { regexesRule } from "./regexes.js";
import type { LintRule } from "./rule.js";
import { schedulesRule } from "./schedules.js";
import { secretsRule } from "./secrets.js";
import { testFilesRule } from "./test-files.js";
import { variablesRule } from "./variables.js";

/** The cross-file rules. Adding a rule is adding it here, in its own file, with its scenario tests. */
export const lintRules: readonly LintRule[] = [
  namesRule,
  referencesRule,
  contractsRule,
  dedupRule,
  schedulesRule,
  regexesRule,
  expressionsRule,
  variablesRule,
  environmentsRule,
  testFilesRule,
  secretsRule,
];

export interface LintResult {
  diagnostics: Diagnostic[];
  /** Texts found to be secrets, to be masked wherever anything would print them. */
  secrets: Set<string>;
}

export function lintProject(project: Project, rules: readonly LintRule[] = lintRules): LintResult {
  const result: LintResult = { diagnostics: [], secrets: new Set() };
  const context = {
    project,
    index: indexProject(project),
    report: (d: Diagnostic) => void result.diagnostics.push(d),
    redact: (text: string) => void (text.trim() !== "" && result.secrets.add(text)),
  };
  for (const rule of rules) rule.run(context);
  return result;
}
