import { describe, expect, it } from "vitest";
import { parseCsv } from "../../src/io/csv.js";
import { InputError } from "../../src/io/input-error.js";
import { collect, lines, parseAllWays } from "./io-helpers.js";

describe("parseCsv", () => {
  it("reads rows keyed by the header, values as strings, under any chunking", () => {
    const result = parseAllWays(parseCsv, "id,name,age\n1,Ann,42\n2,Bob,7\n");
    expect(result.records).toEqual([
      { record: { id: "1", name: "Ann", age: "42" }, line: 2 },
      { record: { id: "2", name: "Bob", age: "7" }, line: 3 },
    ]);
    expect(result.dead).toEqual([]);
  });

  it("makes an empty field null and a quoted empty field the empty string", () => {
    const result = parseAllWays(parseCsv, 'a,b,c\n,"",x\n"",,\n');
    expect(result.records.map((r) => r.record)).toEqual([
      { a: null, b: "", c: "x" },
      { a: "", b: null, c: null },
    ]);
  });

  it("handles quotes: doubled quotes, delimiters, CR and LF inside them, with line numbers after", () => {
    const text = 'id,note\r\n1,"say ""hi"", then\r\nleave"\r\n2,"a\rb"\r\n3,""""\r\n4,plain\r\n';
    const result = parseAllWays(parseCsv, text);
    expect(result.records).toEqual([
      { record: { id: "1", note: 'say "hi", then\r\nleave' }, line: 2 },
      { record: { id: "2", note: "a\rb" }, line: 4 },
      { record: { id: "3", note: '"' }, line: 5 },
      { record: { id: "4", note: "plain" }, line: 6 },
    ]);
  });

  it("accepts a BOM, CRLF, LF, blank lines and a last row without a line end", () => {
    const result = parseAllWays(parseCsv, "\uFEFF\r\nid,v\r\n\r\n1,a\n\n2,b\r\n\n3,c");
    expect(result.records).toEqual([
      { record: { id: "1", v: "a" }, line: 4 },
      { record: { id: "2", v: "b" }, line: 6 },
      { record: { id: "3", v: "c" }, line: 8 },
    ]);
  });

  it("keeps multi-byte characters whole", () => {
    const result = parseAllWays(parseCsv, 'name,city\n"Zoë 😀",東京\n');
    expect(result.records[0]?.record).toEqual({ name: "Zoë 😀", city: "東京" });
  });

  it("trims header names but never values (FEBRL-style files)", () => {
    const result = parseAllWays(parseCsv, "rec_id, given_name, surname\nrec-1, michaela, neumann \n");
    expect(result.records[0]?.record).toEqual({
      rec_id: "rec-1",
      given_name: " michaela",
      surname: " neumann ",
    });
  });

  it("fills missing trailing fields with null and dead-letters rows with too many", () => {
    const result = parseAllWays(parseCsv, "a,b,c,d\n1,2\n1,2,3,4,5\n1,2,3,4,\n5,6,7,8\n");
    expect(result.records).toEqual([
      { record: { a: "1", b: "2", c: null, d: null }, line: 2 },
      { record: { a: "5", b: "6", c: "7", d: "8" }, line: 5 },
    ]);
    expect(result.dead).toEqual([
      { line: 3, reason: "row has 5 fields, the header has 4", text: "1,2,3,4,5" },
      { line: 4, reason: "row has 5 fields, the header has 4", text: "1,2,3,4," },
    ]);
  });

  it("dead-letters a stray quote and text after a closing quote, then goes on at the next line", () => {
    const text = 'a,b\n1,ab"c\n"x"y,2\n"multi\nline"z,3\n"ok",4\n';
    const result = parseAllWays(parseCsv, text);
    expect(result.records).toEqual([{ record: { a: "ok", b: "4" }, line: 6 }]);
    expect(result.dead).toEqual([
      {
        line: 2,
        reason: "a quote inside an unquoted field (line 2); quote the whole field and double the quote",
        text: '1,ab"c',
      },
      { line: 3, reason: "unexpected text after a closing quote (line 3)", text: '"x"y,2' },
      { line: 4, reason: "unexpected text after a closing quote (line 5)", text: '"multi\nline"z,3' },
    ]);
  });

  it("dead-letters an unterminated quote at the end of the file", () => {
    const result = parseAllWays(parseCsv, 'a,b\n1,2\n3,"never\nclosed\n');
    expect(lines(result)).toEqual([2]);
    expect(result.dead).toEqual([
      {
        line: 3,
        reason: "unterminated quoted field: the quote opened on line 3 is never closed",
        text: '3,"never\nclosed\n',
      },
    ]);
  });

  it("throws InputError with the line for duplicate header names", () => {
    const read = () => [...parseCsv(["\n id,name,id \n1,2,3\n"], { path: "people.csv" })];
    expect(read).toThrow(InputError);
    expect(read).toThrow('the CSV header names column "id" twice (columns 1 and 3)');
    try {
      read();
    } catch (e) {
      expect(e).toMatchObject({ path: "people.csv", line: 2 });
    }
  });

  it("throws InputError for a malformed header instead of shifting every row", () => {
    expect(() => [...parseCsv(['a,b"c\n1,2\n'])]).toThrow(/the CSV header is malformed: a quote inside/);
  });

  it("never lets a __proto__ column touch a prototype; drops unnamed columns", () => {
    const result = parseAllWays(parseCsv, "__proto__,constructor,a,\n{},x,1,\n");
    const record = result.records[0]?.record ?? {};
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
    expect(Object.keys(record)).toEqual(["constructor", "a"]);
    expect(record).toEqual({ constructor: "x", a: "1" });
    expect(({} as Record<string, unknown>).a).toBeUndefined();
  });

  it("takes another delimiter when told, and rejects impossible ones", () => {
    const result = parseAllWays(parseCsv, 'a;b\n"1;2";3,4\n', { delimiter: ";" });
    expect(result.records[0]?.record).toEqual({ a: "1;2", b: "3,4" });
    const tabs = collect(parseCsv, ["a\tb\n1\t2\n"], { delimiter: "\t" });
    expect(tabs.records[0]?.record).toEqual({ a: "1", b: "2" });
    expect(() => parseCsv([], { delimiter: '"' }).next()).toThrow(TypeError);
    expect(() => parseCsv([], { delimiter: ";;" }).next()).toThrow(TypeError);
  });

  it("skips spaces after a delimiter only when told (skip_initial_space), so quoted fields after them parse", () => {
    const text = 'name, address, id\n"arnie\'s", "435 s. la cienega, blvd.", \'0\'\n  x,  , ""\n';
    const strict = parseAllWays(parseCsv, text);
    expect(strict.records).toEqual([]);
    expect(strict.dead.map((d) => d.reason)).toEqual([
      "a quote inside an unquoted field (line 2); quote the whole field and double the quote",
      "a quote inside an unquoted field (line 3); quote the whole field and double the quote",
    ]);
    const relaxed = parseAllWays(parseCsv, text, { skipInitialSpace: true });
    expect(relaxed.records.map((r) => r.record)).toEqual([
      { name: "arnie's", address: "435 s. la cienega, blvd.", id: "'0'" },
      { name: "x", address: null, id: "" },
    ]);
    expect(relaxed.dead).toEqual([]);
  });

  it("reads nothing from an empty file or a header alone", () => {
    expect(parseAllWays(parseCsv, "")).toEqual({ records: [], dead: [] });
    expect(parseAllWays(parseCsv, "a,b\r\n")).toEqual({ records: [], dead: [] });
  });

  it("says the rest of the file is lost when an over-long record is a quote that is never closed", () => {
    const chunks = ['a,b\n1,2\n3,"', "x".repeat(40), "x".repeat(40), "\n4,5\n"];
    const result = collect(parseCsv, chunks, { maxRecordChars: 50 });
    expect(lines(result)).toEqual([2]);
    expect(result.dead).toEqual([
      {
        line: 3,
        reason:
          "record is longer than 50 characters: the quote opened on line 3 is never closed, so the rest of the file, from line 3, could not be read",
        text: `3,"${"x".repeat(80)}\n4,5\n`,
      },
    ]);
  });
});
