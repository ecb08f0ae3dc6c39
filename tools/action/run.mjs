#!/usr/bin/env node
// The body of the GitHub Action (action.yml at the repository root): runs one clue command the way a workflow wants
// it, and reports it to the runner: step outputs (GITHUB_OUTPUT), the job summary (GITHUB_STEP_SUMMARY), the SARIF
// and JUnit files, and an exit status that fails the step exactly when clue's exit code means failure (plan's 2,
// "there are changes", is a success).
//
// Its inputs come from the environment, which action.yml fills from the action's inputs (never by pasting an
// expression into the script, so nothing in an input is ever run as shell):
//   CLUE_COMMAND            validate | test | diff | plan | apply | promote | release-notes
//   CLUE_ENV                the environment of plan, apply (--env) and promote (--to)
//   CLUE_ARGS               extra arguments, split like a shell would but never expanded ('…' and "…" quote)
//   CLUE_WORKING_DIRECTORY  the project's folder, relative to the workspace (default .)
//   CLUE_ACTION_PATH        the action's own checkout (github.action_path)
//
// Which clue runs: the repository's own, `npx --no-install --prefix DIR clue`, when DIR/node_modules/clue-mdm is
// installed (the version the team pinned in its package-lock.json); otherwise the action's own copy, built once in
// the action's folder if it has no build yet. clue runs in the workspace with --project DIR, so that the paths in
// annotations and SARIF are relative to the repository's root, where GitHub looks for them.
//
// Plain Node ESM with no dependencies on purpose: the action runs it before anything is installed.
import { spawnSync } from "node:child_process";
import {
  appendFileSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { MAX_SUMMARY_CHARS, closeFences, cutAtLine, fence } from "../pr-comment.mjs";
import { splitArgs } from "./split-args.mjs";

export const COMMANDS = ["validate", "test", "diff", "plan", "apply", "promote", "release-notes"];
/** Options the action sets itself for a command; the same option in `args` would fight it. */
const RESERVED = {
  validate: ["--format", "--output", "--project"],
  test: ["--format", "--project"],
  diff: ["--format", "--project"],
  plan: ["--format", "--detailed-exitcode", "--out", "--project"],
  apply: ["--project"],
  promote: ["--project"],
  "release-notes": ["--format", "--out", "--project"],
};
/** The command's exit codes that are not a failure of the step. */
const SUCCESS = { plan: [0, 2] };
/** clue's exit code for bad usage; the action's own input errors use it too. */
const USAGE = 64;

/** A problem with the action's inputs or setup, reported with `code` as the exit code (not clue's). */
class InputError extends Error {
  constructor(message, code = USAGE) {
    super(message);
    this.code = code;
  }
}

/** @param {Record<string, string | undefined>} env */
export function main(env = process.env) {
  const out = outputWriter(env);
  let result;
  try {
    result = runCommand(env);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    process.stderr.write(`::error title=clue action::${error.message}\n`);
    result = { code: error.code, success: false, reported: true, summary: `clue action: ${error.message}` };
  }
  out("exit-code", String(result.code));
  out("changes", result.changes === undefined ? "" : String(result.changes));
  out("summary", result.summary);
  out("sarif-file", result.sarifFile ?? "");
  out("junit-file", result.junitFile ?? "");
  out("output-file", result.outputFile ?? "");
  if (!result.success && !result.reported)
    process.stderr.write(
      `::error title=clue ${env.CLUE_COMMAND}::${result.summary} (exit code ${result.code})\n`,
    );
  return result.success ? 0 : result.code === 0 ? 1 : result.code;
}

function runCommand(env) {
  const command = (env.CLUE_COMMAND ?? "").trim();
  if (!COMMANDS.includes(command))
    throw new InputError(`input command must be one of ${COMMANDS.join(", ")}; got "${command}"`);
  let args;
  try {
    args = splitArgs(env.CLUE_ARGS ?? "");
  } catch (error) {
    throw new InputError(`input args: ${error instanceof Error ? error.message : String(error)}`);
  }
  for (const arg of args) {
    const name = arg.split("=")[0];
    if (RESERVED[command]?.includes(name ?? ""))
      throw new InputError(`input args: the action sets ${name} for ${command} itself; leave it out`);
  }
  const workspace = process.cwd();
  const dir = resolve(workspace, env.CLUE_WORKING_DIRECTORY || ".");
  if (!existsSync(dir)) throw new InputError(`input working-directory: no folder ${dir}`);
  const project = relative(workspace, dir);
  const projectArgs = project === "" ? [] : ["--project", project];
  const clue = resolveClue(dir, env);
  const files = outputFolder(env, command);
  const target = (env.CLUE_ENV ?? "").trim();
  const needsEnv = (flag) => {
    if (target) return [flag, target];
    if (args.includes(flag) || args.some((a) => a.startsWith(`${flag}=`))) return [];
    throw new InputError(`input env is needed for ${command} (or ${flag} in args)`);
  };
  const run = (extra, options) => exec(clue, [command, ...extra, ...args, ...projectArgs], options);

  switch (command) {
    case "validate": {
      // The visible run: annotations on the PR's lines and every finding in the job summary (--format github),
      // or the human report outside Actions. Then the same findings once more into the SARIF file.
      const shown = run(["--format", env.GITHUB_ACTIONS === "true" ? "github" : "human"]);
      const sarifFile = join(files, "clue.sarif");
      const sarif = run(["--format", "sarif", "--output", sarifFile]);
      const written = existsSync(sarifFile);
      const code = shown === 0 && ![0, 1].includes(sarif) ? sarif : shown;
      const summary = written
        ? sarifSummary(readFileSync(sarifFile, "utf8"))
        : `clue validate: exit code ${code}`;
      writeSummary(env, command, summary);
      return { code, success: code === 0, summary, sarifFile: written ? sarifFile : undefined };
    }
    case "test": {
      const junitFile = join(files, "clue-tests.xml");
      const code = run(["--format", "junit"], { stdout: junitFile });
      // The JUnit file says which tests failed; the human report says how, which is what the log is for.
      if (code !== 0) run([]);
      const summary = junitSummary(readText(junitFile)) ?? `clue test: exit code ${code}`;
      writeSummary(env, command, summary);
      return { code, success: code === 0, summary, junitFile };
    }
    case "diff": {
      const base =
        args.includes("--base") || args.some((a) => a.startsWith("--base=")) || !env.GITHUB_BASE_REF
          ? []
          : ["--base", `origin/${env.GITHUB_BASE_REF}`];
      const outputFile = join(files, "clue-diff.md");
      const code = run([...base, "--format", "markdown"], { stdout: outputFile });
      const text = readText(outputFile);
      process.stdout.write(text);
      const bold = /^\*\*(.+)\*\*$/m.exec(text)?.[1];
      const summary = bold ? `clue diff: ${bold}` : lastLine(text, `clue diff: exit code ${code}`);
      writeSummary(env, command, summary, text);
      return { code, success: code === 0, summary, outputFile };
    }
    case "plan": {
      const outputFile = join(files, `clue-plan${target ? `-${target}` : ""}.txt`);
      // stderr too, so that a refused login shows in the PR comment; clue masks secrets in all it prints.
      const code = run([...needsEnv("--env"), "--detailed-exitcode", "--format", "human"], {
        stdout: outputFile,
        stderr: outputFile,
      });
      const text = readText(outputFile);
      process.stdout.write(text);
      const success = (SUCCESS.plan ?? [0]).includes(code);
      const first = /^(Plan for .*|No changes.*)$/m.exec(text)?.[1];
      const summary = first ?? lastLine(text, `clue plan: exit code ${code}`);
      writeSummary(env, command, summary, fence(text.trimEnd()));
      return { code, success, changes: code === 2, summary, outputFile };
    }
    case "apply":
    case "promote": {
      const outputFile = join(files, `clue-${command}${target ? `-${target}` : ""}.txt`);
      const flag = command === "apply" ? "--env" : "--to";
      const code = run([...needsEnv(flag), "--yes"], { stdout: outputFile, stderr: outputFile });
      const text = readText(outputFile);
      process.stdout.write(text);
      const summary = lastLine(text, `clue ${command}: exit code ${code}`);
      writeSummary(env, command, summary, fence(text.trimEnd()));
      return { code, success: code === 0, summary, outputFile };
    }
    case "release-notes": {
      const outputFile = join(files, "release-notes.md");
      const code = run(["--format", "markdown", "--out", outputFile]);
      const text = readText(outputFile);
      const summary =
        code === 0
          ? `clue release-notes: written (${text.split("\n").length} lines)`
          : `clue release-notes: exit code ${code}`;
      writeSummary(env, command, summary, text);
      return {
        code,
        success: code === 0,
        summary,
        outputFile: existsSync(outputFile) ? outputFile : undefined,
      };
    }
  }
  throw new InputError(`unhandled command ${command}`);
}

/**
 * The clue to run: the repository's installed clue-mdm through npx (--no-install: never fetch a package the team
 * did not pin), or else the action's own checkout, built there on first use.
 *
 * @returns {{ file: string, prefix: string[], source: string }}
 */
export function resolveClue(dir, env) {
  if (existsSync(join(dir, "node_modules", "clue-mdm", "package.json"))) {
    const npx = process.platform === "win32" ? "npx.cmd" : "npx";
    return {
      file: npx,
      prefix: ["--no-install", "--prefix", dir, "clue"],
      source: "the repository's clue-mdm",
    };
  }
  const actionPath = env.CLUE_ACTION_PATH || env.GITHUB_ACTION_PATH;
  if (!actionPath) throw new InputError("no node_modules/clue-mdm here and no action path to fall back to");
  if (!existsSync(join(actionPath, "dist", "cli", "main.js"))) buildActionCopy(actionPath);
  return {
    file: process.execPath,
    prefix: [join(actionPath, "bin", "clue.js")],
    source: "the action's own copy",
  };
}

/** The action's checkout is source only: install its locked dependencies and build it, once per job. */
function buildActionCopy(actionPath) {
  process.stdout.write(
    "::group::clue: building the action's own copy (no node_modules/clue-mdm in the project)\n",
  );
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  for (const args of [
    ["ci", "--no-audit", "--no-fund"],
    ["run", "build"],
  ]) {
    const done = spawnSync(npm, args, { cwd: actionPath, stdio: ["ignore", 1, 2] });
    if (done.status !== 0) {
      process.stdout.write("::endgroup::\n");
      throw new InputError(`could not build the action's copy of clue (npm ${args.join(" ")} failed)`, 70);
    }
  }
  process.stdout.write("::endgroup::\n");
}

/** Runs clue and returns its exit code; `stdout`/`stderr` name a file to write that stream to (the same file twice: both). */
function exec(clue, args, options = {}) {
  process.stdout.write(`clue (${clue.source}): clue ${args.join(" ")}\n`);
  const fds = new Map();
  const open = (path) => {
    if (!path) return undefined;
    if (!fds.has(path)) fds.set(path, openSync(path, "w"));
    return fds.get(path);
  };
  try {
    const done = spawnSync(clue.file, [...clue.prefix, ...args], {
      stdio: ["ignore", open(options.stdout) ?? 1, open(options.stderr) ?? 2],
      env: { ...process.env, NO_COLOR: "1" },
    });
    if (done.error) throw done.error;
    return done.status ?? 70;
  } finally {
    for (const fd of fds.values()) closeSync(fd);
  }
}

/** A folder of its own for this step's files, under RUNNER_TEMP (which the runner empties after the job). */
function outputFolder(env, command) {
  const root = join(env.RUNNER_TEMP || tmpdir(), "clue-action");
  mkdirSync(root, { recursive: true });
  return mkdtempSync(join(root, `${command}-`));
}

function outputWriter(env) {
  return (name, value) => {
    const line = `${name}=${value.replace(/[\r\n]+/g, " ")}\n`;
    if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, line);
    else process.stdout.write(`output ${line}`);
  };
}

/** The job summary: a heading, the one-line summary and, for commands that print a report, the report. */
function writeSummary(env, command, summary, body) {
  if (!env.GITHUB_STEP_SUMMARY) return;
  let text = `### clue ${command}\n\n${summary}\n`;
  if (body?.trim()) {
    const room = MAX_SUMMARY_CHARS - text.length - 200;
    const cut = body.length > room;
    text += `\n${closeFences(cut ? cutAtLine(body, room) : body).trimEnd()}\n`;
    if (cut) text += "\n… truncated; the step's log has the whole text.\n";
  }
  appendFileSync(env.GITHUB_STEP_SUMMARY, `${text}\n`);
}

/** "clue validate: 2 errors, 1 warning" from the SARIF document's results. */
export function sarifSummary(text) {
  let results = [];
  try {
    results = JSON.parse(text).runs?.flatMap((run) => run.results ?? []) ?? [];
  } catch {
    return "clue validate: the SARIF file is not JSON";
  }
  if (results.length === 0) return "clue validate: no problems";
  const counts = { error: 0, warning: 0, note: 0 };
  for (const result of results)
    counts[result.level ?? "warning"] = (counts[result.level ?? "warning"] ?? 0) + 1;
  const words = { error: "error", warning: "warning", note: "note" };
  const parts = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([level, n]) => `${n} ${words[level] ?? level}${n === 1 ? "" : "s"}`);
  return `clue validate: ${parts.join(", ")}`;
}

/** "clue test: 11 passed, 0 failed" from the JUnit document's root counts; null when it has none. */
export function junitSummary(xml) {
  const root = /<testsuites\b[^>]*>/.exec(xml)?.[0];
  if (!root) return null;
  const count = (name) => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(root)?.[1] ?? 0);
  const tests = count("tests");
  const failed = count("failures") + count("errors");
  const skipped = count("skipped");
  return `clue test: ${tests - failed - skipped} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`;
}

function readText(path) {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

function lastLine(text, fallback) {
  const lines = text.split("\n").map((line) => line.trim());
  return lines.filter((line) => line !== "").at(-1) ?? fallback;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main();
}
