import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { loadValidProject } from "../../src/cli/project-check.js";
import { readValidated } from "../../src/cli/validated-inputs.js";
import { matchStage } from "../../src/matching/match-stage.js";
import { pairDetail, reviewQueue } from "../../src/steward/queue.js";

const fixture = fileURLToPath(new URL("../fixtures/minimal/", import.meta.url));
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/**
 * a1–a2 and b1–b2 merge on their email; a1 and b1 share a phone, which only queues them; a never_merge keeps a2 and
 * b2 apart. Merging the queued pair would not join the two clusters whole.
 */
async function matched(decisions: string) {
  const dir = mkdtempSync(join(tmpdir(), "clue-review-queue-"));
  dirs.push(dir);
  cpSync(fixture, dir, { recursive: true });
  mkdirSync(join(dir, "config/mappings"), { recursive: true });
  mkdirSync(join(dir, "config/dedup"), { recursive: true });
  writeFileSync(
    join(dir, "config/mappings/crm.yaml"),
    "entity: Person\nsource: crm\nfields: { id: $.id, email: $.email, phone: $.phone }\n",
  );
  writeFileSync(
    join(dir, "config/dedup/person.yaml"),
    `entity: Person
rules:
  - { name: email, when: email == other.email, confidence: 0.99 }
  - { name: phone, when: phone == other.phone, confidence: 0.9 }
auto_approve_threshold: 0.97
queue_threshold: 0.85
${decisions}`,
  );
  const input = join(dir, "crm.jsonl");
  writeFileSync(
    input,
    [
      { id: "a1", email: "a@x.com", phone: "+61400000001" },
      { id: "a2", email: "a@x.com", phone: "+61400000002" },
      { id: "b1", email: "b@x.com", phone: "+61400000001" },
      { id: "b2", email: "b@x.com", phone: "+61400000003" },
    ]
      .map((r) => JSON.stringify(r))
      .join("\n") + "\n",
  );
  const loaded = loadValidProject(dir, false);
  if (!loaded) throw new Error("the test project has problems");
  const { validated, context } = await readValidated(loaded.project, [{ source: "crm", input }]);
  const result = matchStage(loaded.project, validated, context);
  if (!result) throw new Error("no dedup");
  return result;
}

describe("a queued pair's merge preview", () => {
  it("names the never_merge decisions that would keep the two clusters apart", async () => {
    const result = await matched("decisions:\n  - never_merge: [a2, b2]\n    reason: different people\n");
    const [pair, ...rest] = reviewQueue(result);
    expect(rest).toEqual([]);
    const detail = pairDetail(result, pair!);
    expect(detail.key).toBe("crm:a1 ~ crm:b1");
    expect(detail.clusters).toEqual({ a: ["crm:a1", "crm:a2"], b: ["crm:b1", "crm:b2"] });
    expect(detail.vetoes).toEqual([["crm:a2", "crm:b2"]]);
  });

  it("has none when no decision spans the two clusters", async () => {
    const result = await matched("");
    const detail = pairDetail(result, reviewQueue(result)[0]!);
    expect(detail.vetoes).toEqual([]);
  });
});
