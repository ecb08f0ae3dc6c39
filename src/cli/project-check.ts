import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Project } from "../config/project.js";
import { formatters } from "../format/index.js";
import { validateProject } from "../validate.js";
import { UsageError } from "./errors.js";
import { reportOf } from "./report.js";

/**
 * The project's root folder: --project, or — as git finds its repository — the nearest folder at or above the current
 * one that has a config/ folder, not looking past the root of the git repository the search starts in. A folder
 * without config/ is a usage error.
 */
export function projectRoot(projectOption: string | undefined): string {
  if (projectOption !== undefined) {
    const root = resolve(projectOption);
    if (!existsSync(resolve(root, "config")))
      throw new UsageError(
        `${projectOption} has no config/ folder; pass the project's root as --project DIR`,
      );
    return root;
  }
  for (let dir = resolve("."); ; dir = dirname(dir)) {
    if (existsSync(resolve(dir, "config"))) return dir;
    if (existsSync(resolve(dir, ".git")) || dirname(dir) === dir) break;
  }
  throw new UsageError(
    "no config/ folder here or in a folder above (up to the git repository's root); run clue in your project, or pass --project DIR",
  );
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
