import { existsSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { openDeploy } from "../../deploy/context.js";
import { importFiles, type ImportedFile } from "../../deploy/import-files.js";
import { readRemote } from "../../deploy/plan.js";
import { writeOutputFile } from "../../io/output-file.js";
import { safeTerminalText } from "../../util/terminal-text.js";
import { deployFailure } from "../deploy-errors.js";
import { parseCommandLine } from "../command-line.js";
import { exitCodes, UsageError } from "../errors.js";
import type { GlobalOptions } from "../main.js";
import { projectRoot } from "../project-check.js";
import { importCluedin } from "../target-import.js";

export const usage = `Usage: clue import --env ENV [--out DIR] [--force]

Writes what the environment's target holds back into clue YAML, one file per resource in the repository's layout
(entities/, cleaning/, validations/, dedup/, exports/ ...). From a local or clue-server target the resources are
written as the target holds them; from a cluedin target (the CluedIn platform) the objects clue manages there are
translated back, and the platform objects clue cannot express are listed. Secrets are never written: a value that
looks like one becomes a { from_env: NAME } reference. Running clue plan right after shows no changes.

Options:
  --env ENV        the environment (a file under env/) whose target is read
  --out DIR        where to write (default: the project's config/ folder)
  --force          overwrite files that exist (default: refuse, and write nothing)
  --project DIR    the project's root (default: here, or the nearest folder above with config/)
  -h, --help       show this help

Exit codes: 0 imported, 1 the target has problems or a file exists (without --force), 64 bad usage.

Examples:
  clue import --env local --out imported/          # what the local target holds, as YAML
  clue import --env test --force                   # into config/, over the files there (git shows the change)`;

export async function run(args: string[], global: GlobalOptions): Promise<number> {
  const parsed = parseCommandLine(args, usage, {
    env: { type: "string" },
    out: { type: "string" },
    force: { type: "boolean" },
    project: { type: "string" },
  });
  if (!parsed) return exitCodes.ok;
  const { values } = parsed;
  if (values.env === undefined)
    throw new UsageError("name the environment: clue import --env ENV [--out DIR]");
  return importEnvironment({
    project: values.project,
    env: values.env,
    out: values.out,
    force: values.force === true,
    color: global.color,
  });
}

export interface ImportOptions {
  /** The project's root (default: the current folder). */
  project: string | undefined;
  env: string;
  /** Where to write (default: the project's config/ folder). */
  out: string | undefined;
  force: boolean;
  color: boolean;
  /** The text written for a file; `clue init` points the schema comment at the installed package. */
  edit?: (file: ImportedFile) => string;
  /** What to do when files exist (default: the advice of clue import's options). */
  refusal?: string;
}

/** `clue import` without its command line, for `clue init --from-env`: the exit code, messages on stderr. */
export async function importEnvironment(options: ImportOptions): Promise<number> {
  const out = resolve(options.out ?? join(projectRoot(options.project), "config"));
  // The config may be empty or broken (that is what an import repairs): only the environment file must be sound.
  const context = await openDeploy(
    options.project,
    options.env,
    options.color,
    (text) => process.stderr.write(`clue: ${text}\n`),
    { envFileOnly: true },
  );
  if (!context) return exitCodes.problems;
  const say = (text: string) =>
    process.stderr.write(`clue: ${safeTerminalText(context.mask(text), { midLine: true })}\n`);
  try {
    let files: ImportedFile[];
    const notes: string[] = [];
    if (context.target.cluedin) {
      const imported = await importCluedin(context.target.cluedin);
      files = imported.files;
      for (const u of imported.unsupported) notes.push(`not imported (clue cannot express it): ${u}`);
      if (imported.unmanaged > 0)
        notes.push(
          `${imported.unmanaged} object${imported.unmanaged === 1 ? "" : "s"} on the platform without clue's marker left out (clue imports only what it manages)`,
        );
    } else {
      const imported = importFiles([...(await readRemote(context.target.store)).values()]);
      files = imported.files;
      if (imported.secrets.length > 0)
        notes.push(`values that look like secrets became references; set ${imported.secrets.join(", ")}`);
    }
    const where = (f: ImportedFile) => resolve(out, f.path);
    for (const f of files)
      if (relative(out, where(f)).startsWith("..")) throw new Error(`internal: ${f.path} leaves ${out}`);
    const existing = files.filter((f) => existsSync(where(f)));
    if (existing.length > 0 && !options.force) {
      say(
        `${existing.length} file${existing.length === 1 ? "" : "s"} exist${existing.length === 1 ? "s" : ""} (${existing
          .slice(0, 5)
          .map((f) => f.path)
          .join(
            ", ",
          )}${existing.length > 5 ? ", ..." : ""}); nothing written — ${options.refusal ?? "pass --force to overwrite, or --out another folder"}`,
      );
      return exitCodes.problems;
    }
    // Each file appears whole or not at all; a secret the target echoed is masked like everywhere else.
    for (const f of files) writeOutputFile(where(f), context.mask(options.edit?.(f) ?? f.text));
    for (const n of notes) say(n);
    say(
      `imported ${files.length} resource${files.length === 1 ? "" : "s"} from ${context.env.name} (${context.target.describe}) into ${relative(process.cwd(), out) || "."}. Correlation id ${context.correlationId}.`,
    );
    return exitCodes.ok;
  } catch (error) {
    return deployFailure(error, context);
  } finally {
    await context.target.store.close();
  }
}
