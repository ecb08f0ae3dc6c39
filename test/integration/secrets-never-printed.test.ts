import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readScenario } from "../cli/scenario.js";

const repo = new URL("../../", import.meta.url);
const bin = new URL("bin/clue.js", repo).pathname;
// Two scenarios full of secrets, laid out by hand here so that every output format can be checked against them.
const cases = [
  {
    scenario: "secrets",
    secrets: [
      "Sup3rS3cret!",
      "correct-horse-battery-staple",
      "c2lnbmF0dXJlLXNpZ25hdHVyZQ",
      "AKIAIOSFODNN7EXAMPLE",
      "9f8e7d6c5b4a39281706f5e4d3c2b1a0",
      "q83vEXAMPLEkey",
      "ghp_aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5",
    ],
  },
  {
    scenario: "secrets-everywhere",
    secrets: [
      "ghp_aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5",
      "ghp_zZ9yY8xX7wW6vV5uU4tT3sS2rR1qQ0pP9oO8",
      "hunter2hunter2",
      "xoxb-123456789012-abcdefghijklmnop",
      "AKIAIOSFODNN7EXAMPLE",
    ],
  },
];

describe.each(cases)("secrets never appear in output: $scenario", ({ scenario: name, secrets }) => {
  const scenario = readScenario(new URL(`test/scenarios/validate/${name}.scenario`, repo).pathname);
  let dir = "";
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "clue-secrets-"));
    cpSync(new URL("test/fixtures/minimal/", repo).pathname, dir, { recursive: true });
    for (const s of scenario.sections.filter((s) => s.name === "file")) {
      const path = join(dir, s.args[0] ?? "");
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, s.body);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("the fixture really holds the secrets", () => {
    const text = scenario.sections.map((s) => s.body).join("");
    for (const secret of secrets) expect(text).toContain(secret);
  });

  it.each(["human", "json", "github", "sarif"])("--format %s", (format) => {
    const summary = join(dir, `summary-${format}.md`);
    writeFileSync(summary, "");
    const result = spawnSync(process.execPath, [bin, "validate", "--format", format], {
      cwd: dir,
      encoding: "utf8",
      env: { PATH: process.env.PATH, GITHUB_STEP_SUMMARY: summary },
    });
    expect(result.status).toBe(1);
    const everything = result.stdout + result.stderr + readFileSync(summary, "utf8");
    expect(everything).toContain("security/");
    for (const secret of secrets) expect(everything).not.toContain(secret);
  });
});
