import { parseArgs } from "node:util";
import { ENGINE_NAMES, isEngineName } from "../../engine/engines.js";
import { runTests, type TestResult } from "../../testing/run-tests.js";
import { renderJunit } from "../../testing/junit.js";
import { exitCodes, UsageError } from "../errors.js";
import type { GlobalOptions } from "../main.js";
import { loadValidProject } from "../project-check.js";
import { threadsOption } from "../../parallel/threads.js";

export const usage = `Usage: clue test [TEST ...] [options]

Runs the golden tests under config/tests/: each test's input (a file or inline \`given\` records) goes through the
local evaluator, and the stage it names is compared with its golden file or inline \`rows\`. A failure prints the
differences by record and field (down to the attribute of a golden record); personal data (fields with pii: true)
is shown as a short hash, keyed for this run only, that differs when the values differ.

Options:
  --update           rewrite golden files from the current output (review the change before committing)
  --format FORMAT    human | json | junit (default: human)
  --show-pii         print personal data in differences as it is
  --allow-empty      exit 0 when the project has no tests (otherwise that is a failure: nothing was checked)
  --engine ENGINE    js (default) | duckdb | spark: the engine that runs the pipeline (see clue run --help)
  --threads N        worker threads for tests that read files (as clue run --threads; default: CLUE_THREADS,
                     else the cores up to 8, for large inputs). Results are the same whatever N
  --project DIR      the project's root (default: here, or the nearest folder above with config/)
  -h, --help         show this help

Exit codes: 0 every test passed (or was updated or skipped), 1 a test failed, the config has errors or there is no
test (without --allow-empty), 64 bad usage.

Examples:
  clue test                                  # every test under config/tests/
  clue test person_golden --show-pii         # one test, personal data shown as it is
  clue test --update && git diff config/     # rewrite golden files that changed, then review them
  clue test --format junit > clue-tests.xml  # for CI
  clue test --engine duckdb                  # the same tests on the embedded DuckDB engine`;

const marks: Record<TestResult["status"], string> = {
  passed: "✔",
  failed: "✖",
  updated: "↻",
  skipped: "-",
  error: "✖",
};

export async function run(args: string[], global: GlobalOptions): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      update: { type: "boolean" },
      format: { type: "string" },
      "show-pii": { type: "boolean" },
      "allow-empty": { type: "boolean" },
      engine: { type: "string" },
      threads: { type: "string" },
      project: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: true,
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return exitCodes.ok;
  }
  const engine = values.engine ?? "js";
  if (!isEngineName(engine))
    throw new UsageError(`unknown --engine "${engine}"; engines: ${ENGINE_NAMES.join(", ")}`);
  const format = values.format ?? "human";
  if (!["human", "json", "junit"].includes(format))
    throw new UsageError(`unknown format "${format}"; use human, json or junit`);
  const threads = threadsOption(values.threads, process.env.CLUE_THREADS);
  if (typeof threads === "string") throw new UsageError(threads);
  const loaded = loadValidProject(values.project, global.color);
  if (!loaded) return exitCodes.problems;
  const known = new Set(loaded.project.resources.filter((r) => r.kind === "test").map((r) => r.name));
  const unknown = positionals.filter((name) => !known.has(name));
  if (unknown.length > 0)
    throw new UsageError(
      `no test named ${unknown.map((n) => `"${n}"`).join(", ")}; tests: ${[...known].join(", ")}`,
    );

  if (known.size === 0 && values["allow-empty"] !== true) {
    process.stderr.write(
      "clue test: no tests under config/tests/: nothing was checked. Add one (README, clue test), or pass --allow-empty.\n",
    );
    return exitCodes.problems;
  }
  const results = await runTests(loaded.project, loaded.root, {
    update: values.update === true,
    showPii: values["show-pii"] === true,
    names: positionals,
    engine,
    threads,
  });
  const failed = results.filter((r) => r.status === "failed" || r.status === "error");
  if (format === "junit") process.stdout.write(renderJunit(results));
  else if (format === "json") {
    process.stdout.write(
      `${JSON.stringify({ format_version: 1, tests: results.map(({ seconds: _seconds, ...rest }) => rest) }, null, 2)}\n`,
    );
  } else {
    const lines: string[] = [];
    for (const r of results) {
      lines.push(`${marks[r.status]} ${r.name} (${r.file}) ${r.status}`);
      lines.push(...r.details.map((d) => (d.startsWith("  ") ? d : `  ${d}`)));
      if (r.dq.length > 0) lines.push(...r.dq.map((l) => `    ${l}`));
    }
    const count = (s: TestResult["status"]) => results.filter((r) => r.status === s).length;
    lines.push(
      "",
      `${count("passed")} passed, ${failed.length} failed` +
        (count("updated") > 0 ? `, ${count("updated")} updated` : "") +
        (count("skipped") > 0 ? `, ${count("skipped")} skipped` : ""),
    );
    process.stdout.write(`${lines.join("\n")}\n`);
  }
  return failed.length > 0 ? exitCodes.problems : exitCodes.ok;
}
