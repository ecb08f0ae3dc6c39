import { ENGINE_NAMES, isEngineName } from "../../engine/engines.js";
import { buildDiff } from "../../review/build.js";
import { renderHuman, renderMarkdown } from "../../review/render.js";
import { RevisionError } from "../../review/revision.js";
import { choiceOption, parseCommandLine } from "../command-line.js";
import { exitCodes, UsageError } from "../errors.js";
import { projectRoot } from "../project-check.js";
import type { GlobalOptions } from "../main.js";

export const usage = `Usage: clue diff --base REF [--head REF] [--format human|json|markdown]

Compares the project's config between two git revisions (the working tree when --head is not given): resources
added, removed and changed, field by field, with word-level diffs of changed expressions; breaking changes
(errors under additive_only contracts, warnings for lowered match thresholds, new unmasked PII in exports, removed
validations and worse pass rates); and, by running the evaluator on the samples the tests name at both revisions,
the change in export rows, events and each validation's pass rate. The base is read from git without touching the
working tree. Accept a breaking change in .clueignore.yaml: breaking_changes: [{resource, change, reason}].

Options:
  --base REF       the revision to compare from (a branch, tag or commit; e.g. origin/main)
  --head REF       the revision to compare to (default: the working tree)
  --format FMT     human (default), json or markdown (for PR comments and job summaries)
  --engine ENGINE  js (default) | duckdb | spark: the engine that runs the samples (see clue run --help)
  --project DIR    the project's root (default: here, or the nearest folder above with config/)
  -h, --help       show this help

Exit codes: 0 no unaccepted breaking error, 1 a breaking error not accepted (or the head's config breaks its
schema, or git failed), 64 bad usage.

Examples:
  clue diff --base origin/main                            # the working tree against main
  clue diff --base v1.4.0 --head HEAD --format markdown   # for a PR comment or a job summary`;

export async function run(args: string[], _global: GlobalOptions): Promise<number> {
  const parsed = parseCommandLine(args, usage, {
    base: { type: "string" },
    head: { type: "string" },
    format: { type: "string" },
    engine: { type: "string" },
    project: { type: "string" },
  });
  if (!parsed) return exitCodes.ok;
  const { values } = parsed;
  if (values.base === undefined)
    throw new UsageError("name the base revision: clue diff --base REF [--head REF]");
  const engine = values.engine ?? "js";
  if (!isEngineName(engine))
    throw new UsageError(`unknown --engine "${engine}"; engines: ${ENGINE_NAMES.join(", ")}`);
  const root = projectRoot(values.project);
  const format = choiceOption("--format", values.format, ["human", "json", "markdown"]);
  let report;
  let headErrors = 0;
  try {
    ({ report, headErrors } = await buildDiff(root, values.base, values.head, engine));
  } catch (error) {
    if (error instanceof RevisionError) {
      process.stderr.write(`clue: ${error.message}\n`);
      return exitCodes.problems;
    }
    throw error;
  }
  const text =
    format === "json"
      ? JSON.stringify(report, null, 2)
      : format === "markdown"
        ? renderMarkdown(report)
        : renderHuman(report);
  process.stdout.write(`${text}\n`);
  const blocking = report.findings.filter((f) => f.severity === "error" && f.accepted === undefined);
  if (blocking.length > 0 && format !== "human")
    process.stderr.write(
      `clue diff: ${blocking.length} breaking change${blocking.length === 1 ? "" : "s"} not accepted.\n`,
    );
  // A head whose config breaks its schema cannot be judged safe: its broken resources were left out of the checks.
  if (headErrors > 0)
    process.stderr.write(
      `clue diff: the config at ${report.head.ref} has schema errors; run clue validate.\n`,
    );
  return blocking.length > 0 || headErrors > 0 ? exitCodes.problems : exitCodes.ok;
}
