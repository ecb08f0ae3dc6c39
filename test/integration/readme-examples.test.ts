import { spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";

const repo = fileURLToPath(new URL("../../", import.meta.url));

/** A step of a README line that sets the scene for clue, as a user types it: folders and local git only. */
const SETUP_STEP = /^(mkdir|cd|git (init|add|commit|switch|checkout))\s/;

/**
 * Every `clue` command in the README's shell blocks, in the order the README gives them, as a user would type it
 * (continuation lines joined, trailing comments dropped), with the lines around them that only make folders, change
 * into them or commit to a local git repository. Each block starts at the example project's root; a `cd` moves the
 * rest of its block into that folder, as in a shell.
 */
function readmeCommands(): { command: string; cwd: string }[] {
  const readme = readFileSync(join(repo, "README.md"), "utf8");
  const commands: { command: string; cwd: string }[] = [];
  for (const block of readme.matchAll(/```(?:sh|bash)\n([\s\S]*?)```/g)) {
    let cwd = ".";
    for (const raw of (block[1] ?? "").replace(/\\\n\s*/g, "").split("\n")) {
      const line = raw.replace(/\s+#\s.*$/, "").trim();
      if (line === "" || line.startsWith("#")) continue;
      const steps = line.split("&&").map((step) => `${step.trim()} `);
      if (
        /(^|\s|&&\s*)(npx clue-mdm|(npx )?clue)\s/.test(`${line} `) ||
        steps.every((step) => SETUP_STEP.test(step))
      )
        commands.push({ command: line, cwd });
      for (const step of steps) {
        const to = /^cd\s+(\S+)\s$/.exec(step)?.[1];
        if (to !== undefined) cwd = join(cwd, to);
      }
    }
  }
  return commands;
}

/**
 * README commands the test does not run, each with why: a server that runs until stopped, an environment that needs
 * credentials, a placeholder path. Each is tested elsewhere, as the reason says. A new README example is run unless
 * it is listed here.
 */
const NOT_RUN: [RegExp, string][] = [
  [/^npm ci && /, "the set-up command itself: .ci/run runs it on a clean clone"],
  [
    /^npm install /,
    "installs from the npm registry; test/integration/package.test.ts installs the packed package into a fresh git " +
      "repository and runs init, validate, test, plan and apply there",
  ],
  [/--project path\/to\/repo/, "a placeholder path"],
  [
    /--source febrl --input febrl\.csv/,
    "illustrative files; test/integration/evaluate.test.ts runs clue evaluate on FEBRL",
  ],
  [
    /--engine spark/,
    "starts a Spark (about 45 s each); test/integration/engine-spark.test.ts runs clue run --engine spark and " +
      "spark-job.test.ts the compiled job",
  ],
  [/^clue review /, "runs until stopped; test/browser/review-app.test.ts drives it in Chromium"],
  [/clue serve /, "runs until stopped; test/integration/serve*.test.ts and cluedin-*.test.ts run it"],
  [
    /--(from-)?env (test|cluedin-test)\b|--from test --to prod/,
    "needs a server and credentials; test/integration/deploy.test.ts runs them against clue serve",
  ],
];

/** Exit codes that are the point of the example. */
const EXPECTED_STATUS: [RegExp, number][] = [[/--detailed-exitcode/, 2]];

describe("every clue command in the README runs as written", () => {
  const dir = mkdtempSync(join(tmpdir(), "clue-readme-"));
  const bin = join(dir, ".bin");
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // The example project in a git repository with a release tag and a remote-tracking main, as the examples assume;
  // `clue` and `npx clue` on the PATH are this checkout's CLI.
  cpSync(join(repo, "config"), join(dir, "config"), { recursive: true });
  cpSync(join(repo, "env"), join(dir, "env"), { recursive: true });
  mkdirSync(bin);
  writeFileSync(
    join(bin, "clue"),
    `#!/bin/sh\nexec "${process.execPath}" "${join(repo, "bin/clue.js")}" "$@"\n`,
  );
  writeFileSync(
    join(bin, "npx"),
    `#!/bin/sh\ncase "$1" in clue|clue-mdm) shift;; esac\nexec "${join(bin, "clue")}" "$@"\n`,
  );
  chmodSync(join(bin, "clue"), 0o755);
  chmodSync(join(bin, "npx"), 0o755);
  // The files the examples name for illustration.
  writeFileSync(join(dir, "billing.csv.gz"), gzipSync(readFileSync(join(dir, "config/samples/billing.csv"))));
  copyFileSync(join(dir, "config/samples/crm-contacts.jsonl"), join(dir, "a.jsonl"));
  copyFileSync(join(dir, "config/samples/billing.csv"), join(dir, "b.csv"));
  copyFileSync(join(dir, "config/samples/crm-contacts.jsonl"), join(dir, "today.jsonl"));
  const git = (...args: string[]) =>
    spawnSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
      cwd: dir,
      encoding: "utf8",
    });
  writeFileSync(join(dir, ".gitignore"), ".bin/\n");
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("commit", "-qm", "v1.4.0");
  git("tag", "v1.4.0");
  git("update-ref", "refs/remotes/origin/main", "HEAD");

  const commands = readmeCommands();
  it("finds the README's examples", () => expect(commands.length).toBeGreaterThan(30));

  for (const { command, cwd } of commands) {
    const skip = NOT_RUN.find(([pattern]) => pattern.test(command));
    const where = cwd === "." ? "" : ` (in ${cwd})`;
    it.skipIf(skip !== undefined)(
      `${command}${where}${skip ? ` (not run: ${skip[1]})` : ""}`,
      () => {
        // Paths the examples write outside the project go to this test's own folder.
        const line = command.replaceAll("/tmp/imported", join(dir, "imported"));
        const result = spawnSync("bash", ["-c", line], {
          cwd: join(dir, cwd),
          encoding: "utf8",
          env: {
            ...process.env,
            PATH: `${bin}:${process.env.PATH ?? ""}`,
            GITHUB_ACTIONS: "",
            CI: "",
            // The examples' commits, whoever runs the test.
            GIT_AUTHOR_NAME: "t",
            GIT_AUTHOR_EMAIL: "t@example.com",
            GIT_COMMITTER_NAME: "t",
            GIT_COMMITTER_EMAIL: "t@example.com",
          },
          input: "",
          timeout: 120_000,
        });
        const expected = EXPECTED_STATUS.find(([pattern]) => pattern.test(command))?.[1] ?? 0;
        expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(expected);
        // A command may take a while on a busy machine (clue diff on DuckDB evaluates two revisions); the process's
        // own timeout above is the limit.
      },
      150_000,
    );
  }
});
