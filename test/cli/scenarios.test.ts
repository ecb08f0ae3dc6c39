import { spawnSync } from "node:child_process";
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
  existsSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { normalizeBody, readScenario, section, writeScenario, type Scenario } from "./scenario.js";

const repo = join(dirname(fileURLToPath(import.meta.url)), "../..");
const bin = join(repo, "bin/clue.js");
const scenarioRoot = join(repo, "test/scenarios");
const update = process.env.UPDATE_SCENARIOS === "1";

function listScenarios(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? listScenarios(join(dir, e.name))
      : e.name.endsWith(".scenario")
        ? [join(dir, e.name)]
        : [],
  );
}

function layOut(scenario: Scenario, dir: string): void {
  for (const s of scenario.sections) {
    const target = (path: string | undefined) => {
      if (!path) throw new Error(`${scenario.path}: === ${s.name} needs a path`);
      const full = join(dir, path);
      mkdirSync(dirname(full), { recursive: true });
      return full;
    };
    if (s.name === "fixture") cpSync(join(repo, "test/fixtures", s.args[0] ?? ""), dir, { recursive: true });
    if (s.name === "file") writeFileSync(target(s.args[0]), s.body);
    if (s.name === "file-base64") writeFileSync(target(s.args[0]), Buffer.from(s.body.trim(), "base64"));
    if (s.name === "file-repeat") writeFileSync(target(s.args[1]), s.body.repeat(Number(s.args[0])));
  }
}

describe("CLI scenarios", () => {
  for (const path of listScenarios(scenarioRoot).sort()) {
    const scenario = readScenario(path);
    it(path.slice(scenarioRoot.length + 1).replace(/\.scenario$/, ""), () => {
      const dir = mkdtempSync(join(tmpdir(), "clue-scenario-"));
      try {
        layOut(scenario, dir);
        const command = section(scenario, "command")?.body.trim().split(/\s+/) ?? [];
        expect(command[0], `${path}: the command must start with "clue"`).toBe("clue");
        const summaryFile = join(dir, ".summary.md");
        const wantsSummary = section(scenario, "summary") !== undefined;
        const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: "1" };
        if (wantsSummary) {
          writeFileSync(summaryFile, "");
          env.GITHUB_STEP_SUMMARY = summaryFile;
        }
        const result = spawnSync(process.execPath, [bin, ...command.slice(1)], {
          cwd: dir,
          env,
          encoding: "utf8",
          timeout: 20_000,
        });
        const actual: Record<string, string> = {
          status: `${String(result.status)}\n`,
          stdout: normalizeBody(result.stdout),
        };
        if (section(scenario, "stderr") || result.stderr !== "") actual.stderr = normalizeBody(result.stderr);
        if (wantsSummary)
          actual.summary = normalizeBody(existsSync(summaryFile) ? readFileSync(summaryFile, "utf8") : "");
        const rules = (section(scenario, "normalize")?.body ?? "")
          .split("\n")
          .filter(Boolean)
          .map((line) => {
            const [pattern = "", replacement = ""] = line.split(" => ");
            return [new RegExp(pattern, "g"), replacement] as const;
          });
        for (const key of Object.keys(actual)) {
          if (key === "status") continue;
          for (const [pattern, replacement] of rules)
            actual[key] = (actual[key] ?? "").replace(pattern, replacement);
        }
        if (update) {
          writeScenario(scenario, actual);
          return;
        }
        for (const [name, text] of Object.entries(actual)) {
          expect(text, `${name} of ${path}`).toBe(section(scenario, name)?.body ?? "");
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
