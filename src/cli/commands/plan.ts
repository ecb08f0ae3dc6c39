import { openDeploy } from "../../deploy/context.js";
import { planFile, renderPlan } from "../../deploy/plan.js";
import { planHasErrors, planTarget, renderPlanDiagnostics } from "../target-plan.js";
import { writeOutputFile } from "../../io/output-file.js";
import { choiceOption, parseCommandLine } from "../command-line.js";
import { exitCodes, UsageError } from "../errors.js";
import { refuseClobberAt } from "../output-guard.js";
import { projectRoot } from "../project-check.js";
import type { GlobalOptions } from "../main.js";
import { deployFailure } from "../deploy-errors.js";
import { safeJsonText } from "../../util/terminal-text.js";

export const usage = `Usage: clue plan --env ENV [--out plan.json] [--detailed-exitcode] [--format human|json]

Reads what the environment's target holds (paged list calls) and prints what clue apply would change: resources to
create (+), update (~) and delete (-) with field-level diffs, drift (resources changed on the target outside git),
and resources the target holds that clue does not manage. Values that look like credentials are redacted.

Options:
  --env ENV             the environment (a file under env/)
  --out FILE            save the plan (JSON, with format_version and the remote versions it was made against) for
                        clue apply FILE
  --detailed-exitcode   exit 2 when there are changes, 0 when there are none
  --format FMT          human (default) or json
  --project DIR         the project's root (default: here, or the nearest folder above with config/)
  -h, --help            show this help

Exit codes: 0 no changes (or changes, without --detailed-exitcode), 2 changes with --detailed-exitcode,
1 the config or the target has problems, 64 bad usage.

Examples:
  clue plan --env local
  clue plan --env test --out plan.json --detailed-exitcode   # exit 2 when there are changes`;

export async function run(args: string[], global: GlobalOptions): Promise<number> {
  const parsed = parseCommandLine(args, usage, {
    env: { type: "string" },
    out: { type: "string" },
    "detailed-exitcode": { type: "boolean" },
    format: { type: "string" },
    project: { type: "string" },
  });
  if (!parsed) return exitCodes.ok;
  const { values } = parsed;
  if (values.env === undefined) throw new UsageError("name the environment: clue plan --env ENV");
  const format = choiceOption("--format", values.format, ["human", "json"]);
  // Before the target is opened: a refused --out leaves everything as it was, the local target's store included.
  refuseClobberAt("--out", values.out, projectRoot(values.project));
  const context = await openDeploy(values.project, values.env, global.color, (text) =>
    process.stderr.write(`clue: ${text}\n`),
  );
  if (!context) return exitCodes.problems;
  try {
    const { plan } = await planTarget(context);
    // What the target cannot hold is said first, on stderr, as clue validate says it; the JSON carries it too.
    const findings = renderPlanDiagnostics(context, plan, global.color);
    if (findings !== "" && format === "human") process.stderr.write(`${context.mask(findings)}\n`);
    const saved = planFile(plan);
    if (values.out !== undefined) {
      try {
        writeOutputFile(values.out, `${context.mask(JSON.stringify(saved, null, 2))}\n`);
      } catch (error) {
        throw new UsageError(`cannot write --out ${values.out}: ${(error as Error).message}`);
      }
    }
    // The JSON holds the target's own names and values: escaped so a CI log reading it runs no workflow command.
    const text =
      format === "json" ? safeJsonText(JSON.stringify(saved, null, 2)) : renderPlan(plan, global.color);
    process.stdout.write(`${context.mask(text)}\n`);
    process.stderr.write(
      `clue plan: correlation id ${context.correlationId}${values.out !== undefined ? `; plan saved to ${values.out}` : ""}\n`,
    );
    if (planHasErrors(plan)) return exitCodes.problems;
    return values["detailed-exitcode"] && plan.changes.length > 0 ? exitCodes.changes : exitCodes.ok;
  } catch (error) {
    return deployFailure(error, context);
  } finally {
    await context.target.store.close();
  }
}
