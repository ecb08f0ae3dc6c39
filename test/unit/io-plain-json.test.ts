import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseJsonl } from "../../src/io/jsonl.js";
import { isPlainJsonObject } from "../../src/io/plain-json.js";
import { UNPARSED } from "../../src/io/record-parser.js";

/** What a plain text promises: JSON.parse reads it as an object of text, null and booleans, keys in text order. */
function keepsItsWord(text: string): void {
  const parsed: unknown = JSON.parse(text);
  expect(typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)).toBe(true);
  const values = Object.values(parsed as object);
  expect(values.every((v) => v === null || typeof v === "string" || typeof v === "boolean")).toBe(true);
  // Stringified again, it is the same text but for the spaces between tokens (strings hold no escapes), so the keys
  // are distinct and in the text's order.
  expect(JSON.stringify(parsed)).toBe(text.replace(/"[^"]*"|\s+/g, (m) => (m.startsWith('"') ? m : "")));
}

describe("isPlainJsonObject", () => {
  it("takes flat objects of text, null and booleans, with spaces between tokens", () => {
    for (const text of [
      "{}",
      " { } ",
      '{"id":"c_1","name":"Zoë 東京","phone":null}',
      '{ "a" : "x" , "b" : true, "c":false }',
      '{"a":"","b":"{[1, 2]}: x"}',
    ]) {
      expect(isPlainJsonObject(text), text).toBe(true);
      keepsItsWord(text);
    }
  });

  it("leaves everything else to JSON.parse", () => {
    for (const text of [
      '{"a":1}', // a number: JavaScript may write it otherwise
      '{"a":-1}',
      '{"a":{"b":"c"}}',
      '{"a":["x"]}',
      '{"a":"x\\ny"}', // escapes
      '{"a":"\\u00e9"}',
      '{"a":"tab\there"}', // a raw control character: invalid JSON
      '{\t"a":"x"}',
      '{"a":"x","a":"y"}', // JSON.parse keeps the last, DuckDB's reader the first
      '{"__proto__":"x"}', // dropped by the JSON readers
      '{"b":"x","1":"y"}', // JavaScript puts integer keys first
      '{"a":"x",}',
      '{"a":"x"',
      '{"a":"x"} {"b":"y"}',
      '{"a":nul}',
      '{"a":nullx}',
      '{"a" "x"}',
      '{"a":"x}',
      '["a"]',
      '"a"',
      "",
    ])
      expect(isPlainJsonObject(text), text).toBe(false);
  });

  it("says yes only to texts JSON.parse reads as promised (property)", () => {
    const token = fc.constantFrom(
      '"',
      ":",
      ",",
      "{",
      "}",
      " ",
      "null",
      "true",
      "false",
      "1",
      "\\",
      "[",
      "\t",
      "a",
      "é",
    );
    const keyed = fc
      .array(
        fc.tuple(
          fc.string({ maxLength: 4 }),
          fc.oneof(
            fc.string({ maxLength: 5 }),
            fc.constant(null),
            fc.boolean(),
            fc.integer(),
            fc.constant(["x"]),
          ),
        ),
        { maxLength: 5 },
      )
      .map(
        (entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(",")}}`,
      );
    const mangled = fc
      .tuple(keyed, fc.nat(), fc.array(token, { maxLength: 3 }))
      .map(([text, at, inserted]) => {
        const cut = at % (text.length + 1);
        return text.slice(0, cut) + inserted.join("") + text.slice(cut);
      });
    fc.assert(
      fc.property(fc.oneof(keyed, mangled), (text) => {
        if (isPlainJsonObject(text)) keepsItsWord(text);
      }),
      { numRuns: 3000 },
    );
  });
});

describe("the JSON Lines reader with plainText", () => {
  it("hands plain lines on as their text, parses the rest, and numbers lines as before", () => {
    const text = '{"a":"x"}\n\n{"a":1}\n{"a": "y", "b": null}\n{"a":\n';
    const dead: number[] = [];
    const read = [...parseJsonl([text], { plainText: true, onDeadLetter: (d) => void dead.push(d.line) })];
    expect(read).toEqual([
      { record: UNPARSED, line: 1, text: '{"a":"x"}' },
      { record: { a: 1 }, line: 3 },
      { record: UNPARSED, line: 4, text: '{"a": "y", "b": null}' },
    ]);
    expect(dead).toEqual([5]);
    // Without it, every line is parsed.
    expect([...parseJsonl([text])].map((r) => r.record)).toEqual([{ a: "x" }, { a: 1 }, { a: "y", b: null }]);
  });
});
