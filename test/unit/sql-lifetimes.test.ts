import { describe, expect, it } from "vitest";
import { droppableAfter } from "../../src/engine/sql/lifetimes.js";
import type { SqlPlan } from "../../src/engine/sql/plan.js";

const plan = (steps: SqlPlan["steps"], reports: SqlPlan["reports"] = {}): SqlPlan => ({
  engine: "duckdb",
  inputs: [{ view: "input_0", source: "crm", entity: "Person", path: "", format: "jsonl" }],
  steps,
  output: { view: "golden", stage: "golden", orderBy: ["_cluster"] },
  udfs: [],
  reports,
});

describe("droppableAfter", () => {
  it("drops a table after the last step that reads it, through views too, and keeps what the end reads", () => {
    const drops = droppableAfter(
      plan(
        [
          { kind: "table", name: "mapped_0", sql: "SELECT * FROM input_0" },
          { kind: "view", name: "clean_0", sql: 'SELECT * FROM "mapped_0"' },
          { kind: "table", name: "records", sql: "SELECT * FROM clean_0" },
          { kind: "table", name: "parts", sql: "SELECT * FROM records" },
          { kind: "table", name: "parts_more", sql: "SELECT * FROM parts" },
          { kind: "table", name: "pairs", sql: "SELECT * FROM parts_more a JOIN records b USING (k)" },
          { kind: "view", name: "golden", sql: "SELECT * FROM pairs" },
        ],
        { counts: "report_counts" },
      ),
    );
    // input_0_rows is read through the view input_0, last at step 0; parts last at step 4; parts_more at step 5.
    // records is read at step 5 too; mapped_0 is read through clean_0, last at step 2. pairs: the output reads it.
    expect(Object.fromEntries(drops)).toEqual({
      0: ["input_0_rows"],
      2: ["mapped_0"],
      4: ["parts"],
      5: ["records", "parts_more"],
    });
  });

  it("keeps a table a report reads, and one only a longer name contains", () => {
    const drops = droppableAfter(
      plan(
        [
          { kind: "table", name: "component", sql: "SELECT 1 AS v" },
          { kind: "table", name: "component_step", sql: "SELECT 2 AS v" },
          { kind: "view", name: "report_counts", sql: "SELECT * FROM component_step" },
          { kind: "table", name: "later", sql: "SELECT * FROM component_step_x" },
          { kind: "view", name: "golden", sql: "SELECT 1" },
        ],
        { counts: "report_counts" },
      ),
    );
    expect([...drops.values()].flat()).not.toContain("component_step");
    // component is read by no step after its own: it stays (a table nothing reads is not worth a statement).
    expect([...drops.values()].flat()).not.toContain("component");
  });

  it("does not take a string literal or a name given after AS for a read of a table", () => {
    const drops = droppableAfter(
      plan([
        { kind: "table", name: "members", sql: "SELECT 1 AS v" },
        { kind: "table", name: "compared", sql: "SELECT v FROM members" },
        { kind: "table", name: "kept", sql: "SELECT v FROM compared" },
        {
          kind: "view",
          name: "golden",
          sql: `SELECT concat('{"members":', CAST(v AS VARCHAR)) AS members, count(*) AS "compared" FROM kept`,
        },
      ]),
    );
    expect(Object.fromEntries(drops)).toEqual({ 1: ["members"], 2: ["compared"] });
  });

  it("keeps the tables of a loop until the loop is done, and drops them after its last reader", () => {
    const drops = droppableAfter(
      plan([
        { kind: "table", name: "links", sql: "SELECT 1 AS v" },
        {
          kind: "loop",
          steps: [
            { kind: "table", name: "step", sql: "SELECT * FROM component JOIN links USING (v)" },
            { kind: "table", name: "component", sql: "SELECT * FROM step" },
          ],
          until: "SELECT count(*) = 0 FROM component",
          maxIterations: 10,
        },
        { kind: "table", name: "clusters", sql: "SELECT * FROM component" },
        { kind: "view", name: "golden", sql: "SELECT * FROM clusters" },
      ]),
    );
    expect(Object.fromEntries(drops)).toEqual({ 1: ["links", "step"], 2: ["component"] });
  });
});
