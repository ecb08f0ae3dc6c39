import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { REST_ENUMS } from "../../src/cluedin/enums.js";
import { tickClock } from "../../src/serve/cluedin/clock.js";
import { OBJECT_TYPES } from "../../src/cluedin/operators.js";
import { evaluate, filterProblems, type GoldenRecord } from "../../src/serve/cluedin/conditions.js";
import { MATCHING_CATALOGUE } from "../../src/serve/cluedin/matching-functions.js";
import { bindRoutes } from "../../src/serve/cluedin/routes.js";
import { EXTRACT_PATH, loadPublishedOperations } from "../../src/serve/cluedin/schemas.js";
import { uuidV5 } from "../../src/util/uuid-v5.js";

const record: GoldenRecord = {
  id: "e1",
  entityType: "/Person",
  name: "Ada Lovelace",
  properties: { "person.email": "ADA@example.com", "person.age": 36, "person.nick": null },
};
const leaf = (field: string, operator: string, value: string[] = []) => ({
  objectTypeId: field.startsWith("Properties[") ? OBJECT_TYPES.vocabularyKey : OBJECT_TYPES.property,
  field,
  operator,
  value,
  rules: [],
});
const test = (rule: object) => evaluate(rule, record, { powerFx: false });

describe("filter evaluation", () => {
  it("compares text case-insensitively and numbers as numbers", () => {
    expect(
      test(leaf("Properties[person.email]", "0bafc522-8011-43ba-978a-babe222ba466", ["ada@EXAMPLE.com"])),
    ).toBe(true);
    expect(test(leaf("Name", "daf3a318-569f-4baf-a17f-35b4426ae603", ["ada"]))).toBe(true);
    expect(test(leaf("Properties[person.age]", "85ecec6b-9c45-4365-9614-ef090137098d", ["4"]))).toBe(true);
    expect(test(leaf("Properties[person.age]", "566bc291-df6a-427c-b7f4-00f8766d37a2", ["36", "40"]))).toBe(
      true,
    );
    expect(
      test(leaf("EntityType", "31feed84-ce0e-435f-ba94-ce01b9c7bd15", ["/Organization", "/Person"])),
    ).toBe(true);
  });

  it("tells a key that exists with no value from one that does not exist", () => {
    const exists = "306e5d29-832f-41e7-a6db-1c02eb5ebf74";
    const isNull = "9ad76320-021e-4211-9e9a-8b148c9c600d";
    expect([
      test(leaf("Properties[person.nick]", exists)),
      test(leaf("Properties[person.nick]", isNull)),
    ]).toEqual([true, true]);
    expect([
      test(leaf("Properties[person.zip]", exists)),
      test(leaf("Properties[person.zip]", isNull)),
    ]).toEqual([false, true]);
  });

  it("matches patterns with clue's linear-time engine, and groups AND/OR", () => {
    const matches = leaf("Properties[person.email]", "4e4782d7-8c17-47c1-9797-37434fce0c77", ["^[a-z]+@"]);
    expect(test(matches)).toBe(false);
    const group = (condition: string, rules: object[]) => ({ condition, rules });
    const never = leaf("Name", "0bafc522-8011-43ba-978a-babe222ba466", ["Bob"]);
    expect(test(group("OR", [matches, never]))).toBe(false);
    expect(test(group("OR", [matches, leaf("Name", "ff9a47ac-8e3c-4123-80ee-e0b660aa5f9f", ["LACE"])]))).toBe(
      true,
    );
    expect(test(group("AND", []))).toBe(true);
  });

  it("counts a Power Fx leaf as matching nothing and says it met one", () => {
    const seen = { powerFx: false };
    expect(evaluate({ objectTypeId: OBJECT_TYPES.powerFx, field: null, value: ["true"] }, record, seen)).toBe(
      false,
    );
    expect(seen.powerFx).toBe(true);
  });

  it("names the node of an unknown operator", () => {
    const rule = { condition: "AND", rules: [leaf("Name", "00000000-0000-0000-0000-000000000001")] };
    expect(filterProblems(rule, "condition")).toEqual([
      "condition.rules[0].operator 00000000-0000-0000-0000-000000000001 is not a known operator",
    ]);
  });
});

describe("stand-in building blocks", () => {
  it("makes RFC 9562 version 5 ids", () => {
    // The RFC's example: the DNS namespace and www.example.com.
    expect(uuidV5("www.example.com", "6ba7b810-9dad-11d1-80b4-00c04fd430c8")).toBe(
      "2ed6657d-e927-568b-95e1-2665a8aea6a2",
    );
    const ids = [...MATCHING_CATALOGUE.matchingFunctions, ...MATCHING_CATALOGUE.normalizations].map(
      (e) => e.id,
    );
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("stamps .NET round-trip times that always move forward, even within one millisecond", () => {
    const clock = tickClock(() => Date.UTC(2024, 1, 22, 19, 29, 8, 210));
    expect([clock(), clock()]).toEqual([
      "2024-02-22T19:29:08.2100000+00:00",
      "2024-02-22T19:29:08.2100001+00:00",
    ]);
  });

  it("answers every published operation of the extract, which names its source", () => {
    const published = loadPublishedOperations();
    expect(() => bindRoutes(published)).not.toThrow();
    const extract = JSON.parse(readFileSync(EXTRACT_PATH, "utf8")) as { "x-source": Record<string, string> };
    expect(extract["x-source"]).toMatchObject({
      repository: "https://github.com/CluedIn-io/CluedIn.Documentation",
      commit: "19700fce968e73d48da0c3c49ed56a91c5ce47bc",
    });
  });

  it("takes enums as the published integers or by name, and nothing else", () => {
    const op = loadPublishedOperations().find((o) => o.method === "POST" && o.path === "/api/v1/streams");
    expect(op?.checkBody({ name: "s", mode: 1 })).toEqual([]);
    expect(op?.checkBody({ name: "s", mode: "EventStream" })).toEqual([]);
    expect(op?.checkBody({ name: "s", mode: 5 }).map((p) => p.field)).toContain("mode");
    expect(op?.checkBody({ name: "s", mode: "Streaming" }).map((p) => p.field)).toContain("mode");
    expect(REST_ENUMS.StreamMode.names).toEqual(["Sync", "EventStream"]);
  });
});
