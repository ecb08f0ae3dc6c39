import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Project } from "../config/project.js";
import { formatters } from "../format/index.js";
import { validateProject } from "../validate.js";
import { UsageError } from "./errors.js";
import { reportOf } from "./report.js";

/** The project's root folder (--project, or the current folder); a folder without config/ is a usage error. */
export function projectRoot(projectOption: string | undefined): string {
  const root = resolve(projectOption ?? ".");
  if (!existsSync(resolve(root, "config")))
    throw new UsageError(
      `${projectOption ?? "the current folder"} has no config/ folder; run clue in your project's root or pass --project DIR`,
    );
  return root;
}

/**
 * Loads and validates the project before a command uses it: a command that evaluates or deploys config refuses
 * config with errors, printing them as `clue validate` would (on stderr, so stdout stays data).
 */
export function loadValidProject(
  projectOption: string | undefined,
  color: boolean,
  /** Only errors in these files count (`clue import` needs a sound environment file, not a sound config). */
  only?: (file: string) => boolean,
): { root: string; project: Project } | undefined {
  const root = projectRoot(projectOption);
  const result = validateProject(root);
  const errors = result.diagnostics.filter((d) => d.severity === "error" && (only?.(d.file) ?? true));
  if (errors.length === 0) return { root, project: result.project };
  const output = formatters.human(reportOf(result, root, "error", errors), { color });
  process.stderr.write(
    `${output.text}\nclue: the config has errors; fix them first (clue validate shows them all).\n`,
  );
  return undefined;
}
