import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { dqDeltas } from "../../src/review/diff.js";
import type { SampleOutcome } from "../../src/review/samples.js";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const dirs: string[] = [];

const clue = (cwd: string, ...args: string[]) =>
  spawnSync(process.execPath, [join(repo, "bin/clue.js"), ...args], { cwd, encoding: "utf8" });
const git = (cwd: string, ...args: string[]) =>
  spawnSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
    cwd,
    encoding: "utf8",
  });

/** The example project in a temp git repository of its own, as a team's config repository would be. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), "clue-adopt-"));
  dirs.push(dir);
  cpSync(join(repo, "config"), join(dir, "config"), { recursive: true });
  cpSync(join(repo, "env"), join(dir, "env"), { recursive: true });
  git(dir, "init", "-q", "-b", "main");
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "example");
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("what a team meets in its own repository", () => {
  it("finds the project's root from a subfolder, as git finds a repository, and not past the repository", () => {
    const dir = project();
    const inside = clue(join(dir, "config/tests"), "validate");
    expect(inside.status, inside.stdout + inside.stderr).toBe(0);
    expect(clue(join(dir, "config/samples"), "test", "person_golden_crm").status).toBe(0);
    // A repository without config/ anywhere: the search stops at its root.
    const other = mkdtempSync(join(tmpdir(), "clue-adopt-empty-"));
    dirs.push(other);
    git(other, "init", "-q");
    mkdirSync(join(other, "sub"));
    const none = clue(join(other, "sub"), "validate");
    expect(none.status).toBe(64);
    expect(none.stderr).toContain(
      "no config/ folder here or in a folder above (up to the git repository's root); run clue in your project, or pass --project DIR",
    );
  });

  it("keeps .clue/ out of git: apply and dead letters leave nothing for git status to show", () => {
    const dir = project();
    expect(clue(dir, "apply", "--env", "local", "--yes").status).toBe(0);
    writeFileSync(join(dir, "bad.jsonl"), '{"id": "x1"}\n{not json\n');
    expect(clue(dir, "run", "--source", "crm-contacts", "--input", "bad.jsonl").status).toBe(0);
    expect(readFileSync(join(dir, ".clue/.gitignore"), "utf8")).toContain("*");
    const status = git(dir, "status", "--porcelain").stdout;
    expect(status).toBe("?? bad.jsonl\n");
  });

  it("reads a test's input from outside config/, relative to the test file", () => {
    const dir = project();
    mkdirSync(join(dir, "data"));
    cpSync(join(dir, "config/samples/crm-contacts.jsonl"), join(dir, "data/crm-contacts.jsonl"));
    const file = join(dir, "config/tests/crm-contacts.yaml");
    writeFileSync(
      file,
      readFileSync(file, "utf8").replaceAll(
        "input: ../samples/crm-contacts.jsonl",
        "input: ../../data/crm-contacts.jsonl",
      ),
    );
    expect(clue(dir, "validate").status).toBe(0);
    const tested = clue(dir, "test", "crm_contacts_validated");
    expect(tested.status, tested.stdout).toBe(0);
    // Outside the project is still refused.
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace("input: ../../data/crm-contacts.jsonl", "input: ../../../x.jsonl"),
    );
    expect(clue(dir, "validate").stdout).toContain("ref/outside-project");
  });

  it("shows personal data in a failing test as keyed hashes that differ, naming the golden attribute", () => {
    const dir = project();
    const golden = join(dir, "config/samples/expected/crm-contacts.golden.jsonl");
    const lines = readFileSync(golden, "utf8").split("\n");
    lines[0] = (lines[0] ?? "")
      .replace('"value":"alice.nguyen@gmail.com"', '"value":"alice.nguyen@example.com"')
      .replace('"first_name":{"value":"Alice"', '"first_name":{"value":"Alicia"');
    writeFileSync(golden, lines.join("\n"));
    const result = clue(dir, "test", "person_golden_crm");
    expect(result.status).toBe(1);
    const email =
      /attributes\.email\.value: expected "<pii ([0-9a-f]{8}), \d+ characters>", actual "<pii ([0-9a-f]{8}), \d+ characters>"/.exec(
        result.stdout,
      );
    expect(email, result.stdout).not.toBeNull();
    expect(email?.[1]).not.toBe(email?.[2]);
    expect(result.stdout).not.toContain("alice.nguyen");
    expect(result.stdout).toContain('attributes.first_name.value: expected "Alicia", actual "Alice"');
  });

  it("counts only the golden files --update changed", () => {
    const dir = project();
    const golden = join(dir, "config/samples/expected/crm-contacts.golden.jsonl");
    const before = statSync(golden).mtimeMs;
    const unchanged = clue(dir, "test", "--update");
    expect(unchanged.status).toBe(0);
    expect(unchanged.stdout).not.toContain("updated");
    expect(statSync(golden).mtimeMs).toBe(before);
    writeFileSync(golden, readFileSync(golden, "utf8").replace('"Alice"', '"Alicia"'));
    const one = clue(dir, "test", "--update");
    expect(one.stdout).toMatch(/, 1 updated\n$/);
  });

  it("says there is nothing to test, and fails, unless --allow-empty", () => {
    const dir = project();
    rmSync(join(dir, "config/tests"), { recursive: true });
    const empty = clue(dir, "test");
    expect(empty.status).toBe(1);
    expect(empty.stderr).toContain("clue test: no tests under config/tests/: nothing was checked.");
    expect(clue(dir, "test", "--allow-empty").status).toBe(0);
  });

  it("suggests the nearest option, and every command's help has an example", () => {
    const typo = clue(repo, "run", "--sorce", "crm-contacts");
    expect(typo.status).toBe(64);
    expect(typo.stderr).toContain(
      "clue: unknown option --sorce; did you mean --source? (clue run --help lists the options)",
    );
    const help = clue(repo, "--help").stdout;
    const listed = help.slice(help.indexOf("Commands:"), help.indexOf("Global options:"));
    const commands = [...listed.matchAll(/^ {2}([a-z-]+) +\S/gm)].map((m) => m[1] as string);
    expect(commands.length).toBeGreaterThan(15);
    for (const command of commands)
      expect(clue(repo, command, "--help").stdout, command).toMatch(/\nExamples?:\n {2}clue /);
  });
});

describe("breaking/dq-worse", () => {
  const outcome = (checked: number, failed: number): SampleOutcome => ({
    exports: new Map(),
    matches: new Map(),
    dq: new Map([["Person.email_regex", { checked, failed }]]),
    problems: [],
  });

  it("ignores a drop below the precision it prints (98.1% to 98.1% is not worse), and flags one it can show", () => {
    // 98.1132% to 98.1000%: both print 98.1%.
    expect(dqDeltas(outcome(1060, 20), outcome(1000, 19))[0]?.worse).toBe(false);
    // 98.1% to 98.0%.
    expect(dqDeltas(outcome(1000, 19), outcome(1000, 20))[0]?.worse).toBe(true);
  });
});
