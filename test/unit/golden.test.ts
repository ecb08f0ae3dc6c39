import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clusterRecords, type Cluster } from "../../src/golden/clusters.js";
import { mergeListOf } from "../../src/matching/pair-list.js";
import { goldenLineMaker, goldenRecordMaker, goldenRecords } from "../../src/golden/golden.js";
import type { Strategy } from "../../src/golden/survivorship.js";
import type { Value } from "../../src/expr/types.js";
import type { MatchRecord } from "../../src/matching/engine.js";

describe("clusterRecords", () => {
  it("joins merged pairs transitively, keeps singletons, and records the weakest merge", () => {
    const clusters = clusterRecords(
      5,
      mergeListOf([
        { i: 0, j: 1, score: 0.99 },
        { i: 1, j: 2, score: 0.97 },
      ]),
      [],
    );
    expect(clusters).toEqual([
      { members: [0, 1, 2], confidence: 0.97 },
      { members: [3], confidence: 1 },
      { members: [4], confidence: 1 },
    ]);
  });

  it("lets a never_merge split a cluster that transitivity would join (the weaker link gives way)", () => {
    const clusters = clusterRecords(
      3,
      mergeListOf([
        { i: 0, j: 1, score: 0.99 },
        { i: 1, j: 2, score: 0.98 },
      ]),
      [[0, 2]],
    );
    expect(clusters.map((c) => c.members)).toEqual([[0, 1], [2]]);
  });
});

describe("goldenRecords", () => {
  const records: MatchRecord[] = [
    {
      source: "crm",
      id: "1",
      row: { name: "Ann", email: "ann@old.io", city: null, updated_at: "2024-01-01" },
    },
    {
      source: "billing",
      id: "7",
      row: { name: "Ann Lee", email: "ann@new.io", city: "Perth", updated_at: "2024-06-01" },
    },
    { source: "crm", id: "9", row: { name: "A. Lee", email: null, city: null, updated_at: "2023-01-01" } },
  ];
  const fields = ["name", "email", "city", "updated_at"];

  it("chooses each attribute by its strategy, with provenance and the cluster's confidence", () => {
    const [golden] = goldenRecords("Person", fields, records, [{ members: [0, 1, 2], confidence: 0.97 }], {
      default: "most_recent",
      fields: {
        email: { strategy: "source_priority", order: ["crm", "billing"] },
        name: { strategy: "longest" },
      },
    });
    expect(golden?.attributes).toEqual({
      name: { value: "Ann Lee", provenance: "billing", record: "7", confidence: 0.97 },
      email: { value: "ann@old.io", provenance: "crm", record: "1", confidence: 0.97 },
      city: { value: "Perth", provenance: "billing", record: "7", confidence: 0.97 },
      updated_at: { value: "2024-06-01", provenance: "billing", record: "7", confidence: 0.97 },
    });
    expect(golden?.members).toEqual([
      { source: "crm", id: "1" },
      { source: "billing", id: "7" },
      { source: "crm", id: "9" },
    ]);
  });

  it("gives the same entityId for the same members, whatever their order", () => {
    const a = goldenRecords("Person", fields, records, [{ members: [0, 1], confidence: 1 }], undefined)[0];
    const b = goldenRecords(
      "Person",
      fields,
      [records[1]!, records[0]!],
      [{ members: [0, 1], confidence: 1 }],
      undefined,
    )[0];
    expect(a?.entityId).toBe(b?.entityId);
    expect(a?.entityId).toMatch(/^cluedin:entity:[0-9a-f]{32}$/);
  });

  it("most_frequent and most_complete pick by count and by filled fields", () => {
    const rows: MatchRecord[] = [
      { source: "a", id: "1", row: { city: "Perth", zip: null } },
      { source: "b", id: "2", row: { city: "perth", zip: "6000" } },
      { source: "c", id: "3", row: { city: "Perth", zip: null } },
    ];
    const [g] = goldenRecords("X", ["city", "zip"], rows, [{ members: [0, 1, 2], confidence: 1 }], {
      fields: { city: { strategy: "most_frequent" }, zip: { strategy: "most_complete" } },
    });
    expect(g?.attributes.city?.value).toBe("Perth");
    expect(g?.attributes.zip).toMatchObject({ value: "6000", record: "2" });
  });
});

describe("golden records written as text", () => {
  // clue run --stage golden writes each golden record straight from its members (goldenLineMaker): the text must be
  // exactly JSON.stringify of the record goldenRecordMaker builds.
  const value: fc.Arbitrary<Value> = fc.oneof(
    fc.constant(null),
    fc.string(),
    fc.string({ unit: "binary", maxLength: 8 }),
    fc.constantFrom('quote "', "back\\slash", "line\nbreak", "\u2028", "\ud800", "Zoë", "2024-01-01", ""),
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.array(fc.oneof(fc.string(), fc.integer(), fc.constant(null)), { maxLength: 3 }),
  );
  const fields = ["name", "email", "updated_at", "score"];
  const record = fc.record({
    source: fc.constantFrom("crm", "billing", 'odd "source"'),
    id: fc.string({ maxLength: 6 }),
    row: fc.record({ name: value, email: value, updated_at: value, score: value }),
  });
  const strategy = fc.constantFrom(
    "most_recent",
    "source_priority",
    "most_complete",
    "most_frequent",
    "longest",
  ) as fc.Arbitrary<Strategy>;

  it("is JSON.stringify of the golden record, for any members, values and survivorship", () => {
    fc.assert(
      fc.property(
        fc.array(record, { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        strategy,
        strategy,
        (records, cut, confidence, fallback, email) => {
          // Records into clusters: a cut after record k when cut holds k.
          const clusters: Cluster[] = [];
          let members: number[] = [];
          records.forEach((_, i) => {
            members.push(i);
            if (cut.includes(i) || i === records.length - 1) {
              clusters.push({ members, confidence });
              members = [];
            }
          });
          const survivorship = {
            default: fallback,
            source_order: ["billing", "crm"],
            fields: { email: { strategy: email } },
          };
          const make = goldenRecordMaker("Person", fields, records, survivorship);
          const line = goldenLineMaker("Person", fields, records, survivorship);
          for (const cluster of clusters) expect(line(cluster)).toBe(JSON.stringify(make(cluster)));
        },
      ),
      { numRuns: 500 },
    );
  });
});
