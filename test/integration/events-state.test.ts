import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { EventMessage } from "../../src/exports/events.js";

const repo = fileURLToPath(new URL("../../", import.meta.url));

/** `clue run` of the crm-contacts source on one day's file, at the stage given (events of person-changes by default). */
function clueRun(input: string, ...extra: string[]) {
  const stage = extra.includes("--stage") ? [] : ["--stage", "events:person-changes"];
  return spawnSync(
    process.execPath,
    ["bin/clue.js", "run", "--source", "crm-contacts", "--input", input, ...stage, ...extra],
    { cwd: repo, encoding: "utf8" },
  );
}

function run(input: string, ...extra: string[]) {
  const result = clueRun(input, ...extra);
  const messages = result.stdout
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as EventMessage);
  return { status: result.status, stderr: result.stderr, messages };
}

describe("clue run --stage events:NAME --state DIR (the example project's person-changes stream)", () => {
  it("publishes everything once, then nothing, then only what changed, with tombstones for what is gone", () => {
    const state = mkdtempSync(join(tmpdir(), "clue-events-"));
    const first = run("config/samples/events/day1.jsonl", "--state", state, "--correlation-id", "deploy-1");
    expect(first.status).toBe(0);
    expect(first.messages.map((m) => m.event.version)).toEqual([1, 1, 1, 1]);
    expect(new Set(first.messages.map((m) => m.headers.correlationId))).toEqual(new Set(["deploy-1"]));
    expect(first.stderr).toMatch(/events: 4 new, 0 changed, 0 deleted, 0 unchanged \(not sent\)/);
    const saved = readFileSync(join(state, "person-changes.events.json"), "utf8");
    // The state is the day-1 state the example project's own test pins.
    expect(JSON.parse(saved)).toEqual(
      JSON.parse(readFileSync(join(repo, "config/samples/events/state/person-changes.events.json"), "utf8")),
    );

    const again = run("config/samples/events/day1.jsonl", "--state", state);
    expect(again.messages).toEqual([]);
    expect(again.stderr).toMatch(/0 new, 0 changed, 0 deleted, 4 unchanged/);
    // A run without --correlation-id makes one up and prints it, so a user can quote it.
    expect(again.stderr).toMatch(/correlationId [0-9a-f-]{36}/);

    const day2 = run("config/samples/events/day2.jsonl", "--state", state);
    expect(day2.status).toBe(0);
    const summary = day2.messages.map((m) => [
      m.event.eventType,
      m.event.externalIds.map((e) => e.id).join("+"),
      m.event.version,
    ]);
    expect(summary).toEqual([
      ["EntityChanged", "e_2", 2],
      ["EntityChanged", "e_4+e_5", 1],
      ["EntityDeleted", "e_3", 2],
      ["EntityDeleted", "e_4", 2],
    ]);
    const before = JSON.parse(saved) as { entities: Record<string, { hash: string }> };
    for (const m of day2.messages.filter((m) => m.event.version === 2))
      expect(m.event.previousHash).toBe(before.entities[m.event.entityId]?.hash);
    // Emails are hashed and phones redacted before anything leaves.
    expect(JSON.stringify(day2.messages)).not.toMatch(/@example\.com\.au|0412/);
    expect(day2.stderr).toMatch(/2 golden records left out by the export's filter/);
  });

  it("refuses a corrupt state file with exit 1 and leaves it as it was", () => {
    const state = mkdtempSync(join(tmpdir(), "clue-events-"));
    const path = join(state, "person-changes.events.json");
    writeFileSync(path, "{ half a file");
    const result = run("config/samples/events/day1.jsonl", "--state", state);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/not valid JSON.*restore it from a backup/);
    expect(readFileSync(path, "utf8")).toBe("{ half a file");
  });

  it("says which stage an export takes, and that --state needs an events stage", () => {
    const wrong = clueRun("config/samples/events/day1.jsonl", "--stage", "export:person-changes");
    expect(wrong.status).toBe(64);
    expect(wrong.stderr).toContain("its stage is events:person-changes");
    const state = clueRun("config/samples/events/day1.jsonl", "--stage", "golden", "--state", "x");
    expect(state.status).toBe(64);
    expect(state.stderr).toContain("use it with --stage events:NAME");
  });
});
