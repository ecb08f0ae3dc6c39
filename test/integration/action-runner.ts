// A stand-in for the GitHub runner, just enough to run action.yml's composite steps in a test: the `${{ … }}`
// expressions the action uses (contexts inputs, github, steps, env; literals; ! == != && || and parentheses;
// success(), failure(), always(), cancelled()), `if:` conditions, `env:`, `run:` with bash as the runner runs it
// (`bash --noprofile --norc -eo pipefail FILE`), a GITHUB_OUTPUT file per step and the action's `outputs:`. `uses:`
// steps (actions/setup-node) are skipped: the test's own Node stands in for the one they would set up.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";

export interface ActionInput {
  description?: string;
  required?: boolean;
  default?: string;
}
export interface ActionStep {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  with?: Record<string, string>;
  shell?: string;
  env?: Record<string, string>;
  run?: string;
  "working-directory"?: string;
}
export interface ActionFile {
  name: string;
  description: string;
  inputs: Record<string, ActionInput>;
  outputs: Record<string, { description?: string; value: string }>;
  runs: { using: string; steps: ActionStep[] };
}

export interface StepResult {
  id: string | undefined;
  name: string;
  skipped: boolean;
  outcome: "success" | "failure" | "skipped";
  exitCode: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
}

export interface RunResult {
  steps: StepResult[];
  outputs: Record<string, string>;
  failed: boolean;
  summary: string;
}

export function readAction(path: string): ActionFile {
  return parse(readFileSync(path, "utf8")) as ActionFile;
}

type Value = string | number | boolean | null | Record<string, unknown>;
type Context = Record<string, unknown>;

/** Evaluates one expression (the text between `${{` and `}}`). */
export function evaluate(expression: string, context: Context, status: { failed: boolean }): Value {
  const tokens = tokenize(expression);
  let at = 0;
  const peek = () => tokens[at];
  const take = (expected?: string) => {
    const token = tokens[at++];
    if (token === undefined || (expected !== undefined && token !== expected))
      throw new Error(
        `expression "${expression}": expected ${expected ?? "more"}, got ${token ?? "the end"}`,
      );
    return token;
  };
  const or = (): Value => {
    let left = and();
    while (peek() === "||") {
      take();
      const right = and();
      left = truthy(left) ? left : right;
    }
    return left;
  };
  const and = (): Value => {
    let left = equality();
    while (peek() === "&&") {
      take();
      const right = equality();
      left = truthy(left) ? right : left;
    }
    return left;
  };
  const equality = (): Value => {
    const left = unary();
    const op = peek();
    if (op !== "==" && op !== "!=") return left;
    take();
    const same = loose(left) === loose(unary());
    return op === "==" ? same : !same;
  };
  const unary = (): Value => {
    if (peek() === "!") {
      take();
      return !truthy(unary());
    }
    return primary();
  };
  const primary = (): Value => {
    const token = take();
    if (token === "(") {
      const value = or();
      take(")");
      return value;
    }
    if (token.startsWith("'")) return token.slice(1, -1).replace(/''/g, "'");
    if (/^\d/.test(token)) return Number(token);
    if (token === "true" || token === "false") return token === "true";
    if (token === "null") return null;
    if (peek() === "(") {
      take("(");
      take(")");
      const functions: Record<string, () => boolean> = {
        success: () => !status.failed,
        failure: () => status.failed,
        always: () => true,
        cancelled: () => false,
      };
      const fn = functions[token];
      if (!fn) throw new Error(`expression "${expression}": the test runner has no function ${token}()`);
      return fn();
    }
    let value: unknown = context;
    for (const part of token.split(".")) value = (value as Record<string, unknown> | undefined)?.[part];
    return value === undefined ? null : (value as Value);
  };
  const value = or();
  if (at !== tokens.length) throw new Error(`expression "${expression}": unexpected ${tokens[at]}`);
  return value;
}

function tokenize(expression: string): string[] {
  const pattern = /\s*('(?:[^']|'')*'|&&|\|\||==|!=|[!()]|[A-Za-z_][\w.-]*|\d+(?:\.\d+)?)/y;
  const tokens: string[] = [];
  let at = 0;
  for (;;) {
    pattern.lastIndex = at;
    const match = pattern.exec(expression);
    if (!match) break;
    tokens.push(match[1] ?? "");
    at = pattern.lastIndex;
  }
  if (expression.slice(at).trim() !== "")
    throw new Error(`expression "${expression}": cannot read from "${expression.slice(at)}"`);
  return tokens;
}

function truthy(value: Value): boolean {
  return !(value === null || value === false || value === 0 || value === "");
}

/** GitHub compares strings case-insensitively; enough of its coercion for the action's conditions. */
function loose(value: Value): string {
  return value === null
    ? ""
    : typeof value === "object"
      ? JSON.stringify(value)
      : String(value).toLowerCase();
}

/** Replaces every `${{ … }}` in a string with its value, as the runner does in `with:`, `env:`, `run:` and `if:`. */
export function interpolate(text: string, context: Context, status: { failed: boolean }): string {
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expression: string) => {
    const value = evaluate(expression, context, status);
    return value === null ? "" : typeof value === "object" ? JSON.stringify(value) : String(value);
  });
}

/** `if:` may be written with or without `${{ }}`; with no `if:`, a step runs when nothing before it failed. */
function condition(text: string | undefined, context: Context, status: { failed: boolean }): boolean {
  if (text === undefined) return !status.failed;
  const bare = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(text)?.[1] ?? text;
  return truthy(evaluate(bare, context, status));
}

/** GITHUB_OUTPUT lines: `name=value` and the heredoc form `name<<DELIMITER`. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc?.[1] && heredoc[2]) {
      const body: string[] = [];
      while (++i < lines.length && lines[i] !== heredoc[2]) body.push(lines[i] ?? "");
      outputs[heredoc[1]] = body.join("\n");
    } else if (line.includes("=")) {
      outputs[line.slice(0, line.indexOf("="))] = line.slice(line.indexOf("=") + 1);
    }
  }
  return outputs;
}

export interface RunOptions {
  actionPath: string;
  workspace: string;
  /** The action's inputs as a workflow's `with:` gives them; the rest take action.yml's defaults. */
  with: Record<string, string>;
  /** More environment for every step (e.g. GITHUB_EVENT_PATH, GITHUB_API_URL). */
  env?: Record<string, string>;
  token?: string;
  timeoutMs?: number;
}

/** Runs the action's steps in order, the way the runner runs a composite action. */
export async function runAction(action: ActionFile, options: RunOptions): Promise<RunResult> {
  const temp = mkdtempSync(join(options.workspace, "..", "runner-"));
  const summaryFile = join(temp, "step-summary.md");
  writeFileSync(summaryFile, "");
  writeFileSync(join(temp, "env"), "");
  writeFileSync(join(temp, "path"), "");
  const status = { failed: false };
  const github = {
    action_path: options.actionPath,
    workspace: options.workspace,
    token: options.token ?? "fake-token",
    repository: "o/r",
    event_name: options.env?.GITHUB_EVENT_NAME ?? "push",
  };
  const steps: Record<string, { outputs: Record<string, string>; outcome: string; conclusion: string }> = {};
  const inputs: Record<string, string> = {};
  for (const [name, input] of Object.entries(action.inputs)) {
    const given = options.with[name];
    if (given === undefined && input.required) throw new Error(`input ${name} is required`);
    inputs[name] = given ?? interpolate(String(input.default ?? ""), { github }, status);
  }
  for (const name of Object.keys(options.with))
    if (!(name in action.inputs)) throw new Error(`action.yml has no input ${name}`);
  const context = (): Context => ({ inputs, github, steps, env: {}, runner: { temp } });

  const results: StepResult[] = [];
  for (const [index, step] of action.runs.steps.entries()) {
    const name = step.name ? interpolate(step.name, context(), status) : (step.uses ?? `step ${index}`);
    const runs = step.uses === undefined && condition(step.if, context(), status);
    if (!runs) {
      results.push(skippedStep(step.id, name));
      if (step.id) steps[step.id] = { outputs: {}, outcome: "skipped", conclusion: "skipped" };
      continue;
    }
    if (step.shell !== "bash") throw new Error(`step ${name}: the test runner only runs shell: bash`);
    const outputFile = join(temp, `output-${index}`);
    const script = join(temp, `step-${index}.sh`);
    writeFileSync(outputFile, "");
    writeFileSync(script, interpolate(step.run ?? "", context(), status));
    const stepEnv: Record<string, string> = {};
    for (const [key, value] of Object.entries(step.env ?? {}))
      stepEnv[key] = interpolate(String(value), context(), status);
    const cwd = step["working-directory"]
      ? resolve(options.workspace, interpolate(step["working-directory"], context(), status))
      : options.workspace;
    const done = await spawnBash(
      script,
      cwd,
      {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: process.env.HOME ?? temp,
        // npm's cache, where the machine keeps it (npx --no-install reads no registry, but npm wants a cache).
        ...(process.env.npm_config_cache ? { npm_config_cache: process.env.npm_config_cache } : {}),
        CI: "true",
        GITHUB_ACTIONS: "true",
        GITHUB_WORKSPACE: options.workspace,
        GITHUB_ACTION_PATH: options.actionPath,
        GITHUB_OUTPUT: outputFile,
        GITHUB_STEP_SUMMARY: summaryFile,
        GITHUB_ENV: join(temp, "env"),
        GITHUB_PATH: join(temp, "path"),
        GITHUB_REPOSITORY: github.repository,
        GITHUB_SERVER_URL: "https://github.com",
        GITHUB_RUN_ID: "1",
        GITHUB_EVENT_NAME: github.event_name,
        RUNNER_TEMP: temp,
        ...options.env,
        ...stepEnv,
      },
      options.timeoutMs ?? 120_000,
    );
    const outputs = parseOutputFile(readFileSync(outputFile, "utf8"));
    const outcome = done.code === 0 ? "success" : "failure";
    if (outcome === "failure") status.failed = true;
    if (step.id) steps[step.id] = { outputs, outcome, conclusion: outcome };
    results.push({ id: step.id, name, skipped: false, outcome, exitCode: done.code, ...done, outputs });
  }
  const outputs: Record<string, string> = {};
  for (const [name, output] of Object.entries(action.outputs))
    outputs[name] = interpolate(output.value, context(), status);
  return { steps: results, outputs, failed: status.failed, summary: readFileSync(summaryFile, "utf8") };
}

function skippedStep(id: string | undefined, name: string): StepResult {
  return { id, name, skipped: true, outcome: "skipped", exitCode: null, stdout: "", stderr: "", outputs: {} };
}

function spawnBash(
  script: string,
  cwd: string,
  env: Record<string, string>,
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn("bash", ["--noprofile", "--norc", "-eo", "pipefail", script], {
      cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}
