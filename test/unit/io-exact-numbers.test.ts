/**
 * A number is never silently altered into another (issue 10, point 2): id 9007199254740993 must not become
 * 9007199254740992 and collide with the record that has that id, and 1e400 must not become Infinity (written as
 * null). Such a number is kept exactly as text where the field is a string, and rejects the record elsewhere.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InexactNumber, numberProblem } from "../../src/io/exact-number.js";
import { parseJsonArray } from "../../src/io/json-array.js";
import { parseJsonl } from "../../src/io/jsonl.js";
import { compileMapping } from "../../src/pipeline/mapping.js";
import { RecordRejected } from "../../src/pipeline/record-rejected.js";
import { runPipeline } from "../../src/pipeline/run.js";
import type { SourcePipeline } from "../../src/pipeline/compile-pipeline.js";
import { collect, parseAllWays } from "./io-helpers.js";

const fields = {
  id: { type: "string" as const },
  n: { type: "integer" as const },
  x: { type: "number" as const },
  tags: { type: "string" as const },
};
const map = compileMapping(
  { entity: "P", source: "s", fields: { id: "$.id", n: "$.n", x: "$.x", tags: "$.tags" } },
  fields,
);

function rejection(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof RecordRejected) return error.message;
    throw error;
  }
  throw new Error("the record was not rejected");
}

describe("numberProblem", () => {
  it("names integers that fall between two numbers, values out of range, and values that would read as 0", () => {
    expect(numberProblem("9007199254740993")).toBe(
      "9007199254740993 is an integer beyond 2^53 - 1 (9007199254740991) that a number cannot hold: it would read as 9007199254740992",
    );
    expect(numberProblem("-9007199254740993")).toMatch(/would read as -9007199254740992$/);
    expect(numberProblem("9007199254740993.0")).toMatch(/would read as 9007199254740992$/);
    expect(numberProblem("9007199254740992.5")).toMatch(/would read as 9007199254740992$/);
    expect(numberProblem("123456789012345678901234567890")).toMatch(
      /would read as 1\.2345678901234568e\+29$/,
    );
    // Exact, but a number prints it as 1e+21: written out in full it is an id or a code, not a measurement.
    expect(numberProblem("1000000000000000000000")).toMatch(/would read as 1e\+21$/);
    expect(numberProblem("1e400")).toBe("1e400 is beyond the range of a number (about ±1.8e308)");
    expect(numberProblem("-1e400")).toMatch(/beyond the range/);
    expect(numberProblem("1" + "0".repeat(400))).toMatch(/beyond the range/);
    expect(numberProblem("1e-400")).toBe("1e-400 is too small for a number: it would read as 0");
  });

  it("accepts every number that reads back as written, fractions, exponents, and text that is no number", () => {
    for (const ok of [
      "0",
      "-0",
      "0e400",
      "42",
      "9007199254740991",
      "9007199254740992",
      "276678586964793800",
      "0.1",
      "1e20",
      "1.5e300",
      "5e-324",
      "abc",
      "0x10",
      "",
    ])
      expect(numberProblem(ok), ok).toBeUndefined();
  });
});

describe("JSON readers keep inexact numbers as written", () => {
  const text =
    '{"id":9007199254740993,"b":9007199254740992,"c":1e400,"d":-1e400,"e":1e-400,"f":0.1,"g":1e20,' +
    '"s":"9007199254740993 and 1e400 stay text","list":[1,-9007199254740993,{"deep":12345678901234567890}]}';

  it("in JSON Lines and JSON arrays, under any chunking", () => {
    for (const result of [parseAllWays(parseJsonl, `${text}\n`), parseAllWays(parseJsonArray, `[${text}]`)]) {
      expect(result.dead).toEqual([]);
      const record = result.records[0]?.record ?? {};
      expect(record.id).toEqual(
        new InexactNumber("9007199254740993", numberProblem("9007199254740993") ?? ""),
      );
      expect(record.b).toBe(9007199254740992);
      expect((record.c as InexactNumber).text).toBe("1e400");
      expect((record.d as InexactNumber).text).toBe("-1e400");
      expect((record.e as InexactNumber).text).toBe("1e-400");
      expect([record.f, record.g, record.s]).toEqual([0.1, 1e20, "9007199254740993 and 1e400 stay text"]);
      const list = record.list as unknown[];
      expect(list[0]).toBe(1);
      expect((list[1] as InexactNumber).text).toBe("-9007199254740993");
      expect((list[2] as { deep: InexactNumber }).deep.text).toBe("12345678901234567890");
    }
  });

  it("makes a record nested too deeply to look at its numbers a dead letter, not a crash", () => {
    const depth = 200_000;
    const deep = `${'{"a":'.repeat(depth)}9007199254740993${"}".repeat(depth)}\n{"b":1}\n`;
    const result = collect(parseJsonl, [deep]);
    expect(result.records).toEqual([{ record: { b: 1 }, line: 2 }]);
    expect(result.dead.map((d) => [d.line, d.reason.replace(/:.*/, "")])).toEqual([
      [1, "too deeply nested to read its numbers exactly"],
    ]);
  });

  it("while a string that merely looks like the placeholder stays a string", () => {
    const result = collect(parseJsonl, ['{"a":"\\u0000clue-number-0:0","n":90071992547409930}\n']);
    expect(result.records[0]?.record.a).toBe("\u0000clue-number-0:0");
  });
});

describe("the mapping never alters a number", () => {
  const [record] = [...parseJsonl(['{"id":9007199254740993,"tags":1e400}'])];

  it("keeps the exact text in a string field", () => {
    expect(map(record?.record ?? {})).toMatchObject({ id: "9007199254740993", tags: "1e400" });
  });

  it("rejects the record where the field is a number, saying which field and why, for JSON and CSV text", () => {
    const [json] = [...parseJsonl(['{"id":"1","n":9007199254740993}'])];
    expect(rejection(() => map(json?.record ?? {}))).toBe(
      "field n: 9007199254740993 is an integer beyond 2^53 - 1 (9007199254740991) that a number cannot hold: " +
        "it would read as 9007199254740992; make n a string field to keep such values as written",
    );
    expect(rejection(() => map({ id: "1", n: "9007199254740993" }))).toMatch(/^field n: 9007199254740993 /);
    expect(rejection(() => map({ id: "1", x: "1e400" }))).toMatch(/^field x: 1e400 is beyond the range/);
    expect(rejection(() => map({ id: "1", x: " -1e-400 " }))).toMatch(/^field x: -1e-400 is too small/);
    const [big] = [...parseJsonl(['{"id":"1","x":-1e400}'])];
    expect(rejection(() => map(big?.record ?? {}))).toMatch(/^field x: -1e400 /);
  });

  it("rejects a record whose mapped list or object holds one", () => {
    const [nested] = [...parseJsonl(['{"id":"1","tags":[1,9007199254740993]}'])];
    expect(rejection(() => map(nested?.record ?? {}))).toMatch(
      /^field tags holds a number that cannot be kept: 9007199254740993 is an integer/,
    );
  });

  it("converts text that reads back exactly as before", () => {
    expect(map({ id: "1", n: "9007199254740992", x: "0.25" })).toMatchObject({
      n: 9007199254740992,
      x: 0.25,
    });
    expect(map({ id: "1", n: "12", x: "1e20" })).toMatchObject({ n: 12, x: 1e20 });
  });

  it("property: an integer token comes out as the same digits, or the record is rejected", () => {
    const digits = fc
      .bigInt({ min: -(10n ** 30n), max: 10n ** 30n })
      .map((n) => (n > 0n ? n + 2n ** 53n : n - 2n ** 53n).toString());
    fc.assert(
      fc.property(digits, (token) => {
        const [parsed] = [...parseJsonl([`{"id":${token},"n":${token}}`])];
        const raw = parsed?.record ?? {};
        // A string field always keeps the digits...
        const asText = compileMapping({ entity: "P", source: "s", fields: { id: "$.id" } }, fields)(raw);
        expect(typeof asText.id === "string" ? asText.id : JSON.stringify(asText.id)).toBe(token);
        // ...and a number field holds a number that prints as the token, or rejects the record.
        let n: unknown;
        try {
          n = map(raw).n;
        } catch (error) {
          expect(error).toBeInstanceOf(RecordRejected);
          return;
        }
        expect(JSON.stringify(n)).toBe(token);
      }),
      { numRuns: 300 },
    );
  });
});

describe("runPipeline counts rejected records", () => {
  it("hands each to onRecordError with its line and goes on; read = written + removed + rejected", async () => {
    const pipeline = {
      source: "s",
      entity: "P",
      fields,
      format: undefined,
      csv: {},
      idField: "id",
      map,
      steps: [],
      validations: [],
    } satisfies SourcePipeline;
    const records = [
      ...parseJsonl(['{"id":"1","n":1}\n{"id":"2","n":9007199254740993}\n{"id":"3","x":1e400}\n{"id":"4"}']),
    ];
    const errors: [number, string][] = [];
    const written: unknown[] = [];
    const stats = await runPipeline([{ pipeline, records }], {
      stage: "mapped",
      emit: (row) => void written.push(row.id),
      onRecordError: (_, line, reason) => void errors.push([line, reason]),
    });
    expect(written).toEqual(["1", "4"]);
    expect(errors.map(([line]) => line)).toEqual([2, 3]);
    expect(errors[0]?.[1]).toMatch(/^field n: 9007199254740993 /);
    expect(stats).toMatchObject({ read: 4, written: 2, removedCount: 0, rejected: 2 });
  });
});
