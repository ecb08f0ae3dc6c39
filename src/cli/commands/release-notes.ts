import { buildDiff } from "../../review/build.js";
import { releaseNotes, renderReleaseNotes } from "../../review/release-notes.js";
import { RevisionError } from "../../review/revision.js";
import { writeOutputFile } from "../../io/output-file.js";
import { choiceOption, parseCommandLine } from "../command-line.js";
import { exitCodes, UsageError } from "../errors.js";
import { refuseClobberAt } from "../output-guard.js";
import { projectRoot } from "../project-check.js";
import type { GlobalOptions } from "../main.js";

export const usage = `Usage: clue release-notes --base REF --head REF [--format markdown|json] [--out FILE]

Writes release notes for the change between two git revisions: a summary of mapping, cleaning, validation, dedup
and export changes; the risk (breaking changes, new PII in exports, match threshold changes, and what the change
does to export rows, events and pass rates on the samples); rollback (the revision to return to and the exact
commands); owners (CODEOWNERS and owners: fields); and metrics to watch. The same revisions give the same text.

Options:
  --base REF       the revision released before (e.g. the last release's commit)
  --head REF       the revision being released (default: the working tree)
  --format FMT     markdown (default) or json
  --out FILE       write there instead of stdout
  --project DIR    the project's root (default: here, or the nearest folder above with config/)
  -h, --help       show this help

Exit codes: 0 written, 1 git failed, 64 bad usage.

Example:
  clue release-notes --base v1.4.0 --head HEAD --out release-notes.md`;

export async function run(args: string[], _global: GlobalOptions): Promise<number> {
  const parsed = parseCommandLine(args, usage, {
    base: { type: "string" },
    head: { type: "string" },
    format: { type: "string" },
    out: { type: "string" },
    project: { type: "string" },
  });
  if (!parsed) return exitCodes.ok;
  const { values } = parsed;
  if (values.base === undefined)
    throw new UsageError("name the revisions: clue release-notes --base REF --head REF");
  const root = projectRoot(values.project);
  const format = choiceOption("--format", values.format, ["markdown", "json"]);
  refuseClobberAt("--out", values.out, root);
  try {
    const { report, head, codeowners } = await buildDiff(root, values.base, values.head);
    const notes = releaseNotes(report, head, codeowners);
    const text = format === "json" ? `${JSON.stringify(notes, null, 2)}\n` : renderReleaseNotes(notes);
    if (values.out === undefined) process.stdout.write(text);
    else {
      try {
        writeOutputFile(values.out, text);
      } catch (error) {
        throw new UsageError(`cannot write --out ${values.out}: ${(error as Error).message}`);
      }
    }
    return exitCodes.ok;
  } catch (error) {
    if (error instanceof RevisionError) {
      process.stderr.write(`clue: ${error.message}\n`);
      return exitCodes.problems;
    }
    throw error;
  }
}
