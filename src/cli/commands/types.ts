import { join, relative } from "node:path";
import { clashingTypeNames, renderTypeFiles, typeTargets, TYPES_FORMATS } from "../../types-export/files.js";
import { writeTypeFiles } from "../../types-export/write.js";
import { choiceOption, parseCommandLine } from "../command-line.js";
import { exitCodes } from "../errors.js";
import type { GlobalOptions } from "../main.js";
import { projectFiles, refuseClobber, refuseConfigFolder } from "../output-guard.js";
import { loadValidProject, projectRoot } from "../project-check.js";

export const usage = `Usage: clue types [--out DIR] [--format ts|json-schema] [--project DIR]

Writes the types of what clue's outputs hold, for the people who write their producers and consumers: each
entity's records (clue run --stage mapped, cleaned, validated), each table export's rows (export:NAME, typed by its
contract when it has one) and each event export's messages in the cluedin-1.0 format, headers included
(events:NAME). One file per entity and export: entities/NAME, exports/NAME, events/NAME, plus index.ts re-exporting
every type. The JSON Schemas are self-contained draft-07, as Power Automate's "Parse JSON" step takes them. The same
config always gives the same files; files an earlier run generated for resources that are gone are removed.

Options:
  --out DIR        where to write (default: types/ in the project's root); never inside config/ or env/
  --format FMT     ts (default): TypeScript interfaces; json-schema: NAME.schema.json files
  --project DIR    the project's root (default: the current folder)
  -h, --help       show this help

Example:
  clue types --format json-schema --out .clue/types

Exit codes: 0 written, 1 the config has errors, 64 bad usage.`;

/** Nothing here waits (the files are small and written synchronously), but every command's run is async. */
export function run(args: string[], global: GlobalOptions): Promise<number> {
  return Promise.resolve().then(() => generate(args, global));
}

function generate(args: string[], global: GlobalOptions): number {
  const parsed = parseCommandLine(args, usage, {
    out: { type: "string" },
    format: { type: "string" },
    project: { type: "string" },
  });
  if (!parsed) return exitCodes.ok;
  const { values } = parsed;
  const format = choiceOption("--format", values.format, TYPES_FORMATS);
  const root = projectRoot(values.project);
  const out = values.out ?? join(root, "types");
  refuseConfigFolder("--out", out, root);

  const loaded = loadValidProject(values.project, global.color);
  if (!loaded) return exitCodes.problems;
  const targets = typeTargets(loaded.project);
  const clashes = clashingTypeNames(targets);
  if (clashes.length > 0) {
    process.stderr.write(
      `clue types: several entities or exports would get the type name ${clashes.join(", ")}; rename one of them.\n`,
    );
    return exitCodes.problems;
  }
  const files = renderTypeFiles(targets, format);
  // Checked before anything is written, so a refused run leaves the folder as it was.
  const protect = projectFiles(loaded.root, loaded.project);
  for (const file of files) refuseClobber("--out", join(out, file.path), protect);
  const { written, removed } = writeTypeFiles(out, files, format);
  const shown = relative(process.cwd(), out) || ".";
  for (const path of written) process.stdout.write(`wrote ${join(shown, path)}\n`);
  for (const path of removed) process.stdout.write(`removed ${join(shown, path)} (its resource is gone)\n`);
  return exitCodes.ok;
}
