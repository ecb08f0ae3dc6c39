import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readScenario } from "../cli/scenario.js";

const repo = new URL("../../", import.meta.url);
const bin = new URL("bin/clue.js", repo).pathname;
// The secrets scenario's files, laid out by hand here so every output format can be checked against them.
const scenario = readScenario(new URL("test/scenarios/validate/secrets.scenario", repo).pathname);
const secrets = [
  "Sup3rS3cret!",
  "correct-horse-battery-staple",
  "c2lnbmF0dXJlLXNpZ25hdHVyZQ",
  "AKIAIOSFODNN7EXAMPLE",
  "9f8e7d6c5b4a39281706f5e4d3c2b1a0",
  "q83vEXAMPLEkey",
  "ghp_aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5",
];

let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "clue-secrets-"));
  spawnSync("cp", ["-r", new URL("test/fixtures/minimal/.", repo).pathname, dir]);
  for (const s of scenario.sections.filter((s) => s.name === "file")) {
    const path = join(dir, s.args[0] ?? "");
    spawnSync("mkdir", ["-p", join(path, "..")]);
    writeFileSync(path, s.body);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("secrets never appear in output", () => {
  it("the fixture really holds the secrets", () => {
    const text = scenario.sections.map((s) => s.body).join("");
    for (const secret of secrets) expect(text).toContain(secret);
  });

  for (const format of ["human", "json", "github", "sarif"]) {
    it(`--format ${format}`, () => {
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
  }
});
