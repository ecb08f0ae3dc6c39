/**
 * An oversized record must cost that record only: each reader resynchronises after it and reads every record that
 * follows (issue 10, point 2). Fed through readRecords at the real size limit, plain and gzip, and through the
 * in-memory parsers at a small limit under every chunking.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { parseCsv } from "../../src/io/csv.js";
import { parseJsonArray } from "../../src/io/json-array.js";
import { parseJsonl } from "../../src/io/jsonl.js";
import { MAX_RECORD_CHARS } from "../../src/io/record-parser.js";
import { readRecords, type DeadLetter, type SourceRecord } from "../../src/io/records.js";
import { collect, parseAllWays } from "./io-helpers.js";

const dir = mkdtempSync(join(tmpdir(), "clue-resync-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const GOOD = 1000;
const ids = Array.from({ length: GOOD }, (_, i) => String(i + 2));

/** One record over the limit on line 2 (the first data line), then 1,000 good ones. */
function files(big: string): Record<string, string> {
  return {
    "big.csv": `id,name\n1,"${big}"\n${ids.map((id) => `${id},n${id}\n`).join("")}`,
    "big-unquoted.csv": `id,name\n1,${big}\n${ids.map((id) => `${id},n${id}\n`).join("")}`,
    "big.json": `[\n${[`{"id":"1","name":"${big}"}`, ...ids.map((id) => `{"id":"${id}","name":"n${id}"}`)].join(",\n")}\n]\n`,
    "big.jsonl": [`{"id":"1","name":"${big}"}`, ...ids.map((id) => `{"id":"${id}","name":"n${id}"}`)].join(
      "\n",
    ),
  };
}

async function read(path: string): Promise<{ records: SourceRecord[]; dead: DeadLetter[] }> {
  const dead: DeadLetter[] = [];
  const records: SourceRecord[] = [];
  for await (const r of readRecords(path, { onDeadLetter: (d) => dead.push(d) })) records.push(r);
  return { records, dead };
}

describe("an oversized record, then 1,000 good ones, at the real limit", () => {
  const big = "x".repeat(MAX_RECORD_CHARS + 10);
  for (const [name, text] of Object.entries(files(big))) {
    for (const gzip of [false, true]) {
      const file = gzip ? `${name}.gz` : name;
      it(`${file}: all 1,000 are read and the big one is one dead letter with its line`, async () => {
        const path = join(dir, file);
        writeFileSync(path, gzip ? gzipSync(text) : text);
        const { records, dead } = await read(path);
        expect(records.map((r) => r.record.id)).toEqual(ids);
        expect(records[0]?.line).toBe(name.endsWith(".jsonl") ? 2 : 3);
        expect(dead).toHaveLength(1);
        expect(dead[0]?.line).toBe(name.endsWith(".jsonl") ? 1 : 2);
        expect(dead[0]?.reason).toMatch(/longer than 16777216 characters/);
        expect(dead[0]?.text.length).toBeLessThanOrEqual(10_000);
      });
    }
  }
});

describe("resynchronising under every chunking (small limit)", () => {
  const options = { maxRecordChars: 20 };
  it("CSV: a quoted record over the limit, even one spanning lines, is skipped up to its real end", () => {
    const text = 'id,v\n1,a\n2,"xxxxxxxxxx\nyyyyyyyyyy\n""zzzzzzzzzz"""\n3,b\n4,"q,\nr"\n';
    const result = parseAllWays(parseCsv, text, options);
    expect(result.records).toEqual([
      { record: { id: "1", v: "a" }, line: 2 },
      { record: { id: "3", v: "b" }, line: 6 },
      { record: { id: "4", v: "q,\nr" }, line: 7 },
    ]);
    expect(result.dead).toEqual([
      {
        line: 3,
        reason: "record is longer than 20 characters (lines 3 to 5)",
        text: '2,"xxxxxxxxxx\nyyyyyyyyyy\n""zzzzzzzzzz"""',
      },
    ]);
  });

  it("CSV: an unquoted line over the limit is skipped to its line end", () => {
    const result = parseAllWays(parseCsv, `id,v\n1,${"x".repeat(30)}\n2,b\n`, options);
    expect(result.records).toEqual([{ record: { id: "2", v: "b" }, line: 3 }]);
    expect(result.dead.map((d) => [d.line, d.reason])).toEqual([[2, "record is longer than 20 characters"]]);
  });

  it("CSV: a quote never closed says that the rest of the file is inside it", () => {
    const result = collect(parseCsv, ['id,v\n1,a\n2,"', "x".repeat(40), "\n3,b\n4,c\n"], options);
    expect(result.records.map((r) => r.line)).toEqual([2]);
    expect(result.dead).toEqual([
      {
        line: 3,
        reason:
          "record is longer than 20 characters: the quote opened on line 3 is never closed, so the rest of the file, from line 3, could not be read",
        text: `2,"${"x".repeat(40)}\n3,b\n4,c\n`,
      },
    ]);
  });

  it("JSON array: an element over the limit is skipped up to its end, strings and brackets respected", () => {
    const text = '[{"id":1},\n{"id":2,"v":["xxxxxxxxxxxx","]},{\\"",\n{"w":"yyyyyyyyyy"}]},\n{"id":3}\n]';
    const result = parseAllWays(parseJsonArray, text, options);
    expect(result.records).toEqual([
      { record: { id: 1 }, line: 1 },
      { record: { id: 3 }, line: 4 },
    ]);
    expect(result.dead).toEqual([
      {
        line: 2,
        reason: "element is longer than 20 characters (lines 2 to 3)",
        text: '{"id":2,"v":["xxxxxxxxxxxx","]},{\\"",\n{"w":"yyyyyyyyyy"}]}',
      },
    ]);
  });

  it("JSON array: an oversized last element before ] still closes the array", () => {
    const result = parseAllWays(parseJsonArray, `[{"id":1},{"v":"${"x".repeat(30)}"}]`, options);
    expect(result.records).toEqual([{ record: { id: 1 }, line: 1 }]);
    expect(result.dead.map((d) => d.reason)).toEqual(["element is longer than 20 characters"]);
  });

  it("JSON Lines keeps resynchronising at the next line", () => {
    const result = parseAllWays(parseJsonl, `{"id":1}\n{"v":"${"x".repeat(30)}"}\n{"id":3}\n`, options);
    expect(result.records).toEqual([
      { record: { id: 1 }, line: 1 },
      { record: { id: 3 }, line: 3 },
    ]);
    expect(result.dead.map((d) => [d.line, d.reason])).toEqual([[2, "line is longer than 20 characters"]]);
  });
});
