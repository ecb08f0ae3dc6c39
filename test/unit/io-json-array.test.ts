import { describe, expect, it } from "vitest";
import { parseJsonArray } from "../../src/io/json-array.js";
import { collect, lines, parseAllWays } from "./io-helpers.js";

describe("parseJsonArray", () => {
  it("reads each element with the line it starts on, under any chunking", () => {
    const text =
      '\uFEFF[\r\n  {"a": 1},\r\n  {"b": [1, [2, 3]], "c": {"d": []}},\n\n  {\n    "e": "x"\n  }\n]\n';
    const result = parseAllWays(parseJsonArray, text);
    expect(result.records).toEqual([
      { record: { a: 1 }, line: 2 },
      { record: { b: [1, [2, 3]], c: { d: [] } }, line: 3 },
      { record: { e: "x" }, line: 5 },
    ]);
    expect(result.dead).toEqual([]);
  });

  it("is not fooled by brackets, commas, quotes and backslashes inside strings", () => {
    const text = String.raw`[{"s": "a],b}[{,\"]\\", "t": "\\"}, {"u": "\\\"],"}]`;
    const result = parseAllWays(parseJsonArray, text);
    expect(result.records.map((r) => r.record)).toEqual([{ s: 'a],b}[{,"]\\', t: "\\" }, { u: '\\"],' }]);
    expect(result.dead).toEqual([]);
  });

  it("reads a one-line array, an empty array and multi-byte text", () => {
    expect(parseAllWays(parseJsonArray, '[{"a":"😀"},{"a":"é"}]').records.map((r) => r.record)).toEqual([
      { a: "😀" },
      { a: "é" },
    ]);
    expect(parseAllWays(parseJsonArray, " [ ] \n")).toEqual({ records: [], dead: [] });
    expect(parseAllWays(parseJsonArray, "")).toEqual({ records: [], dead: [] });
  });

  it("dead-letters a malformed element in the middle and resyncs at the next top-level comma", () => {
    const text = '[\n{"a": 1},\n{"a": tru, "b": [1, 2]},\n{"a": 3},\n42,\n{"a": "line\nbreak"},\n{"a": 5}\n]';
    const result = parseAllWays(parseJsonArray, text);
    expect(result.records).toEqual([
      { record: { a: 1 }, line: 2 },
      { record: { a: 3 }, line: 4 },
      { record: { a: 5 }, line: 8 },
    ]);
    expect(result.dead.map((d) => [d.line, d.text])).toEqual([
      [3, '{"a": tru, "b": [1, 2]}'],
      [5, "42"],
      [6, '{"a": "line\nbreak"}'],
    ]);
    expect(result.dead[0]?.reason).toMatch(/^not valid JSON: /);
    expect(result.dead[1]?.reason).toBe("not a JSON object (found a number)");
  });

  it("stops with a dead letter when the brackets no longer match", () => {
    const text = '[\n{"a": 1},\n{"a": [1}, \n{"a": 2}\n]';
    const result = parseAllWays(parseJsonArray, text);
    expect(lines(result)).toEqual([2]);
    expect(result.dead).toEqual([
      {
        line: 3,
        reason: 'malformed element (unexpected "}" on line 3); the rest of the file could not be read',
        text: '{"a": [1}',
      },
    ]);
  });

  it("reports a file that is not an array as one dead letter on line 1", () => {
    const result = parseAllWays(parseJsonArray, '{"a": 1}\n{"a": 2}\n');
    expect(result.records).toEqual([]);
    expect(result.dead).toHaveLength(1);
    expect(result.dead[0]).toMatchObject({ line: 1, text: '{"a": 1}' });
    expect(result.dead[0]?.reason).toBe(
      'not a JSON array (the file starts with "{"); for one object per line, name the file .jsonl',
    );
    expect(parseAllWays(parseJsonArray, "\n\n42").dead).toEqual([
      { line: 3, reason: 'not a JSON array (the file starts with "4")', text: "42" },
    ]);
  });

  it("keeps the last whole element of a truncated file and reports the missing bracket", () => {
    const result = parseAllWays(parseJsonArray, '[{"a": 1},\n{"a": 2}\n');
    expect(result.records.map((r) => r.record)).toEqual([{ a: 1 }, { a: 2 }]);
    expect(result.dead).toEqual([
      { line: 3, reason: 'the file ends before the array is closed (missing "]")', text: "" },
    ]);
    const cut = parseAllWays(parseJsonArray, '[{"a": 1},\n{"a": [2,');
    expect(cut.dead).toEqual([
      { line: 2, reason: "the file ends inside this element; the array is not closed", text: '{"a": [2,' },
    ]);
  });

  it("reports text after the array, empty elements, and elements past the size limit", () => {
    expect(parseAllWays(parseJsonArray, '[{"a":1}]\n{"b":2}').dead).toEqual([
      { line: 2, reason: "unexpected text after the end of the array", text: '{"b":2}' },
    ]);
    const empty = parseAllWays(parseJsonArray, '[{"a":1},,{"a":2},]');
    expect(empty.records.map((r) => r.record)).toEqual([{ a: 1 }, { a: 2 }]);
    expect(empty.dead).toEqual([{ line: 1, reason: "empty element (two commas in a row)", text: "," }]);
    const big = collect(parseJsonArray, ['[{"a":1},{"b":"', "x".repeat(30), "x".repeat(30), '"}]'], {
      maxRecordChars: 50,
    });
    expect(big.records).toHaveLength(1);
    // The array still closes after it: no "missing ]" follows.
    expect(big.dead.map((d) => d.reason)).toEqual(["element is longer than 50 characters"]);
  });

  it("drops __proto__ keys", () => {
    const result = parseAllWays(parseJsonArray, '[{"__proto__": {"x": 1}, "a": 1}]');
    expect(Object.keys(result.records[0]?.record ?? {})).toEqual(["a"]);
  });
});
