import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { isAtLeast, type Severity } from "../../diagnostics/diagnostic.js";
import { formatters, isFormatName } from "../../format/index.js";
import { validateProject } from "../../validate.js";
import { writeOutputFile } from "../../io/output-file.js";
import { exitCodes, UsageError } from "../errors.js";
import { projectFiles, refuseClobber } from "../output-guard.js";
import { writeOutput } from "../output.js";
import { reportOf } from "../report.js";
import { projectRoot } from "../project-check.js";
import type { GlobalOptions } from "../main.js";

export const usage = `Usage: clue validate [options]

Validates every file under config/ and env/ against the JSON Schemas, then lints across files:
references, contracts, schedules, regexes, variables, environments and literal secrets.

Options:
  --project DIR              the project's root (default: here, or the nearest folder above with config/)
  --format FORMAT            human | json | github | sarif (default: human)
  --fail-severity SEVERITY   exit 1 on findings of this severity or worse: error | warning | info (default: error)
  --output FILE              write the report to FILE instead of stdout
  --max-findings-per-file N  show at most N findings per file, then one that counts the rest
                             (default: 100; 0 shows all)
  -h, --help                 show this help

Exit codes: 0 no failing findings, 1 findings at or above --fail-severity, 64 bad usage.

Examples:
  clue validate                                     # the project here (or in a folder above)
  clue validate --format sarif --output clue.sarif  # for GitHub code scanning
  clue validate --fail-severity warning             # warnings fail the run too`;

const severities: readonly Severity[] = ["error", "warning", "info"];

export async function run(args: string[], global: GlobalOptions): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      project: { type: "string" },
      format: { type: "string" },
      "fail-severity": { type: "string" },
      output: { type: "string" },
      "max-findings-per-file": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return exitCodes.ok;
  }
  const format = values.format ?? "human";
  if (!isFormatName(format))
    throw new UsageError(`unknown format "${format}"; use one of: ${Object.keys(formatters).join(", ")}`);
  const failSeverity = (values["fail-severity"] ?? "error") as Severity;
  if (!severities.includes(failSeverity)) {
    throw new UsageError(`unknown severity "${failSeverity}"; use one of: ${severities.join(", ")}`);
  }
  const maxOption = values["max-findings-per-file"];
  const maxFindingsPerFile = maxOption === undefined ? undefined : Number(maxOption);
  if (
    maxFindingsPerFile !== undefined &&
    !(/^\d+$/.test(maxOption ?? "") && Number.isSafeInteger(maxFindingsPerFile))
  )
    throw new UsageError("--max-findings-per-file takes a whole number (0 shows all)");
  const here = resolve(values.project ?? ".");
  const isProject = (dir: string) => existsSync(resolve(dir, "config")) || existsSync(resolve(dir, "env"));
  if (values.project !== undefined && !isProject(here))
    throw new UsageError(
      `${values.project} has neither config/ nor env/; pass the project's root as --project DIR`,
    );
  // In a subfolder, the project is found above, as the other commands find it.
  const root = isProject(here) ? here : projectRoot(undefined);

  const result = validateProject(root, { maxFindingsPerFile });
  const report = reportOf(result, root, failSeverity);
  const { diagnostics } = report;
  const output = formatters[format](report, { color: values.output === undefined && global.color });
  if (values.output !== undefined) {
    refuseClobber("--output", values.output, projectFiles(root, result.project));
    try {
      writeOutputFile(values.output, output.text);
    } catch (error) {
      throw new UsageError(
        `cannot write --output ${values.output}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    await writeOutput({ ...output, text: "" });
  } else {
    await writeOutput(output);
  }
  return diagnostics.some((d) => isAtLeast(d.severity, failSeverity)) ? exitCodes.problems : exitCodes.ok;
}
