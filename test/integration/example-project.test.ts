import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const repo = fileURLToPath(new URL("../../", import.meta.url));

describe("the example project (config/ and env/)", () => {
  it("validates with no errors, as a user's repository would in CI", () => {
    const result = spawnSync(process.execPath, ["bin/clue.js", "validate", "--format", "json"], {
      cwd: repo,
      encoding: "utf8",
    });
    const report = JSON.parse(result.stdout) as {
      summary: Record<string, number>;
      diagnostics: { code: string }[];
    };
    expect(report.diagnostics.filter((d) => d.code !== "ref/missing-golden-file")).toEqual([]);
    expect(result.status).toBe(0);
    expect(report.summary.resources).toBeGreaterThanOrEqual(20);
    expect(report.summary.environments).toBe(3);
  });

  it("runs through tools/validate-config.sh, which CI calls", () => {
    const result = spawnSync("bash", ["tools/validate-config.sh"], {
      cwd: repo,
      encoding: "utf8",
      env: { ...process.env, GITHUB_ACTIONS: "" },
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/0 errors|No problems/);
  });

  it("passes its golden tests (clue test), as CI runs them", () => {
    const result = spawnSync(process.execPath, ["bin/clue.js", "test", "--format", "json"], {
      cwd: repo,
      encoding: "utf8",
    });
    const report = JSON.parse(result.stdout) as {
      tests: { name: string; status: string; details: string[] }[];
    };
    const failing = report.tests.filter((t) => t.status !== "passed" && t.status !== "skipped");
    expect(failing).toEqual([]);
    expect(report.tests.filter((t) => t.status === "passed").length).toBeGreaterThanOrEqual(3);
    expect(result.status).toBe(0);
  });
});
