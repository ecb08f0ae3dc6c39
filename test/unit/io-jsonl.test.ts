import { describe, expect, it } from "vitest";
import { parseJsonl } from "../../src/io/jsonl.js";
import { collect, lines, parseAllWays } from "./io-helpers.js";

describe("parseJsonl", () => {
  it("reads one object per line with its line number, under any chunking", () => {
    const result = parseAllWays(parseJsonl, '{"a":1}\n{"b":"x\\ny"}\n{"c":[1,2]}\n');
    expect(result.records).toEqual([
      { record: { a: 1 }, line: 1 },
      { record: { b: "x\ny" }, line: 2 },
      { record: { c: [1, 2] }, line: 3 },
    ]);
    expect(result.dead).toEqual([]);
  });

  it("accepts CRLF, a BOM, blank lines and a last line without a line end", () => {
    const result = parseAllWays(parseJsonl, '\uFEFF{"a":1}\r\n\r\n   \r\n\t\n{"a":2}\r\n\n{"a":3}');
    expect(result.records.map((r) => r.record)).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
    expect(lines(result)).toEqual([1, 5, 7]);
    expect(result.dead).toEqual([]);
  });

  it("keeps multi-byte characters whole", () => {
    const result = parseAllWays(parseJsonl, '{"name":"Zoë 😀 東京"}\n{"name":"ß"}\n');
    expect(result.records.map((r) => r.record)).toEqual([{ name: "Zoë 😀 東京" }, { name: "ß" }]);
  });

  it("turns invalid JSON and non-objects into dead letters and goes on", () => {
    const text = ['{"a":1}', '{"a": }', "[1,2]", "42", '"s"', "null", "true", '{"a":2}'].join("\n");
    const result = parseAllWays(parseJsonl, text);
    expect(result.records).toEqual([
      { record: { a: 1 }, line: 1 },
      { record: { a: 2 }, line: 8 },
    ]);
    expect(result.dead.map((d) => [d.line, d.text])).toEqual([
      [2, '{"a": }'],
      [3, "[1,2]"],
      [4, "42"],
      [5, '"s"'],
      [6, "null"],
      [7, "true"],
    ]);
    expect(result.dead[0]?.reason).toMatch(/^not valid JSON: Unexpected token/);
    expect(result.dead.slice(1).map((d) => d.reason)).toEqual([
      "not a JSON object (found an array)",
      "not a JSON object (found a number)",
      "not a JSON object (found a string)",
      "not a JSON object (found null)",
      "not a JSON object (found a boolean)",
    ]);
  });

  it("drops __proto__ keys at every depth instead of keeping a prototype setter for later copies", () => {
    const result = parseAllWays(parseJsonl, '{"__proto__":{"polluted":1},"a":{"__proto__":2,"b":3}}\n');
    const record = result.records[0]?.record;
    expect(record).toEqual({ a: { b: 3 } });
    expect(Object.keys(record ?? {})).toEqual(["a"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("cuts the text of a long bad record at 10,000 characters", () => {
    const bad = `{"a": ${"1".repeat(20_000)}`;
    const result = collect(parseJsonl, [bad, "\n", '{"b":1}']);
    expect(result.dead).toHaveLength(1);
    expect(result.dead[0]?.text).toHaveLength(10_000);
    expect(result.records).toEqual([{ record: { b: 1 }, line: 2 }]);
  });

  it("stops buffering a line past the record limit and resumes at the next line", () => {
    const long = `{"a":"${"x".repeat(100)}"}`;
    const chunks = ['{"a":1}\n', long.slice(0, 40), long.slice(40, 80), long.slice(80), '\n{"a":2}\n'];
    const result = collect(parseJsonl, chunks, { maxRecordChars: 50 });
    expect(result.records).toEqual([
      { record: { a: 1 }, line: 1 },
      { record: { a: 2 }, line: 3 },
    ]);
    expect(result.dead).toEqual([{ line: 2, reason: "line is longer than 50 characters", text: long }]);
  });
});
