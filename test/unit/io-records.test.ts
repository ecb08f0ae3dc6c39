import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { deadLetterWriter } from "../../src/io/dead-letter.js";
import { InputError, formatOf, readRecords, sniffFormat } from "../../src/io/records.js";
import type { DeadLetter, ReadOptions, SourceRecord } from "../../src/io/records.js";

const dir = mkdtempSync(join(tmpdir(), "clue-io-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function read(
  path: string,
  options: ReadOptions = {},
): Promise<{ records: SourceRecord[]; dead: DeadLetter[] }> {
  const dead: DeadLetter[] = [];
  const records: SourceRecord[] = [];
  for await (const r of readRecords(path, { ...options, onDeadLetter: (d) => dead.push(d) })) records.push(r);
  return { records, dead };
}

// Multi-byte characters of every UTF-8 length, so byte-sized reads split them every way.
const CSV = '\uFEFFid,name,note\r\n1,"Zoë, 😀","a ""q""\r\nb"\r\n2,東京,\r\n3,ß,""\r\n4,x,y,z\r\n';
const CSV_RECORDS = [
  { record: { id: "1", name: "Zoë, 😀", note: 'a "q"\r\nb' }, line: 2 },
  { record: { id: "2", name: "東京", note: null }, line: 4 },
  { record: { id: "3", name: "ß", note: "" }, line: 5 },
];
const JSONL = '\uFEFF{"name":"Zoë 😀"}\r\n\r\n{"name":"東京"}\n[1]\n{"name":"ß"}';
const JSONL_RECORDS = [
  { record: { name: "Zoë 😀" }, line: 1 },
  { record: { name: "東京" }, line: 3 },
  { record: { name: "ß" }, line: 5 },
];
const JSON_ARRAY = '[\n{"name":"Zoë 😀"},\n{"name":"東京", "t": "],{"},\n  oops,\n{"name":"ß"}\n]\n';
const JSON_RECORDS = [
  { record: { name: "Zoë 😀" }, line: 2 },
  { record: { name: "東京", t: "],{" }, line: 3 },
  { record: { name: "ß" }, line: 5 },
];

describe("readRecords", () => {
  const cases = [
    { name: "people.csv", text: CSV, records: CSV_RECORDS, deadLines: [6] },
    { name: "people.jsonl", text: JSONL, records: JSONL_RECORDS, deadLines: [4] },
    { name: "people.json", text: JSON_ARRAY, records: JSON_RECORDS, deadLines: [4] },
  ];
  for (const c of cases) {
    for (const gzip of [false, true]) {
      const name = gzip ? `${c.name}.gz` : c.name;
      it(`reads ${name} the same with any read size`, async () => {
        const path = file(name, gzip ? gzipSync(c.text) : c.text);
        for (const chunkBytes of [1, 2, 3, 5, 7, 64, 1 << 20]) {
          const result = await read(path, { chunkBytes });
          expect(result.records).toEqual(c.records);
          expect(result.dead.map((d) => d.line)).toEqual(c.deadLines);
        }
      });
    }
  }

  it("detects gzip by its magic bytes whatever the name, and sniffs the format of a nameless file", async () => {
    expect((await read(file("csv-data.bin", gzipSync(CSV)))).records).toEqual(CSV_RECORDS);
    expect((await read(file("lines.txt", `\n\n${JSONL.slice(1)}`))).records.map((r) => r.line)).toEqual([
      3, 5, 7,
    ]);
    expect((await read(file("array.data", `  \n${JSON_ARRAY}`))).records.map((r) => r.line)).toEqual([
      3, 4, 6,
    ]);
    expect((await read(file("blank.txt", "\n \n"))).records).toEqual([]);
  });

  it("lets options.format and options.delimiter override the name", async () => {
    const path = file("export.txt", "a;b\n1;2\n");
    expect((await read(path, { format: "csv", delimiter: ";" })).records).toEqual([
      { record: { a: "1", b: "2" }, line: 2 },
    ]);
    const jsonl = file("misnamed.json", '{"a":1}\n{"a":2}\n');
    expect((await read(jsonl, { format: "jsonl" })).records).toHaveLength(2);
    const asArray = await read(jsonl);
    expect(asArray.dead).toHaveLength(1);
    expect(asArray.dead[0]?.reason).toMatch(/not a JSON array .* name the file \.jsonl/);
  });

  it("throws InputError for a missing file, a directory and an unreadable file", async () => {
    await expect(read(join(dir, "nope.csv"))).rejects.toThrow(/^cannot read .*nope\.csv: no such file$/);
    const missing = await read(join(dir, "nope.csv")).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(InputError);
    expect(missing).toMatchObject({ path: join(dir, "nope.csv"), line: 0 });
    const sub = join(dir, "sub.csv");
    mkdirSync(sub);
    await expect(read(sub)).rejects.toThrow(/cannot read .*sub\.csv: it is a directory/);
    if (process.getuid?.() !== 0) {
      const locked = file("locked.csv", "a\n1\n");
      chmodSync(locked, 0o000);
      await expect(read(locked)).rejects.toThrow(/permission denied/);
    }
  });

  it("throws InputError for corrupt or truncated gzip", async () => {
    const zipped = gzipSync(JSONL.repeat(50));
    const corrupt = Buffer.from(zipped);
    corrupt.fill(0x55, 20, 60);
    await expect(read(file("corrupt.jsonl.gz", corrupt))).rejects.toThrow(/corrupt gzip data/);
    const truncated = file("truncated.jsonl.gz", zipped.subarray(0, zipped.length - 10));
    const error = await read(truncated).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(
      /truncated\.jsonl\.gz: corrupt gzip data \(unexpected end of file\)/,
    );
  });

  it("throws InputError from a CSV with duplicate header names", async () => {
    const path = file("dup.csv", "id,id\n1,2\n");
    await expect(read(path)).rejects.toMatchObject({ name: "InputError", path, line: 1 });
  });

  it("can be left early and read again", async () => {
    const path = file("many.jsonl", '{"a":1}\n'.repeat(10_000));
    const iterable = readRecords(path, { chunkBytes: 1024 });
    let seen = 0;
    for await (const _ of iterable) if (++seen === 3) break;
    expect(seen).toBe(3);
    let again = 0;
    for await (const _ of iterable) again++;
    expect(again).toBe(10_000);
  });
});

describe("formatOf and sniffFormat", () => {
  it.each([
    ["a.jsonl", "jsonl"],
    ["a.NDJSON", "jsonl"],
    ["dir.v2/a.ndjson.gz", "jsonl"],
    ["a.json", "json"],
    ["a.json.GZ", "json"],
    ["a.csv", "csv"],
    ["a.csv.gz", "csv"],
    ["a.txt", undefined],
    ["a.gz", undefined],
    ["dir.csv/file", undefined],
    ["README", undefined],
  ])("%s → %s", (path, format) => {
    expect(formatOf(path)).toBe(format);
  });

  it("sniffs from the first non-blank character", () => {
    expect(sniffFormat(" \n\uFEFF[")).toBe("json");
    expect(sniffFormat("\r\n{")).toBe("jsonl");
    expect(sniffFormat("id,name")).toBe("csv");
    expect(sniffFormat(" \n\t")).toBeUndefined();
  });
});

describe("deadLetterWriter", () => {
  it("creates the file only when the first dead letter arrives, and writes JSON Lines", async () => {
    const path = join(dir, "dead.jsonl");
    const writer = deadLetterWriter(path);
    const source = file("bad.csv", 'a,b\n1,2,3\n"x"y,1\n4,5\n');
    for await (const _ of readRecords(source, { onDeadLetter: () => undefined })) {
      // reading without dead letters to this writer
    }
    expect(existsSync(path)).toBe(false);
    const records = [];
    for await (const r of readRecords(source, { onDeadLetter: writer.write })) records.push(r);
    expect(existsSync(path)).toBe(false); // not before the commit
    writer.commit();
    expect(records).toHaveLength(1);
    expect(writer.count()).toBe(2);
    const written = readFileSync(path, "utf8")
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as unknown);
    expect(written).toEqual([
      { line: 2, reason: "row has 3 fields, the header has 2", text: "1,2,3" },
      { line: 3, reason: "unexpected text after a closing quote (line 3)", text: '"x"y,1' },
    ]);
  });

  it("replaces an old file on commit; an unused writer creates nothing unless told to; abort keeps the old file", () => {
    const path = file("old-dead.jsonl", "old\n");
    const aborted = deadLetterWriter(path);
    aborted.write({ line: 1, reason: "r", text: "t" });
    aborted.abort();
    expect(readFileSync(path, "utf8")).toBe("old\n");
    const replace = deadLetterWriter(path);
    replace.write({ line: 1, reason: "r", text: "t" });
    replace.commit();
    expect(readFileSync(path, "utf8")).toBe('{"line":1,"reason":"r","text":"t"}\n');
    const unused = deadLetterWriter(join(dir, "never.jsonl"));
    unused.commit();
    expect(existsSync(join(dir, "never.jsonl"))).toBe(false);
    const always = deadLetterWriter(path, { always: true });
    always.commit();
    expect(readFileSync(path, "utf8")).toBe("");
    expect(readdirSync(dir).filter((name) => name.endsWith(".clue-tmp"))).toEqual([]);
  });

  it("throws InputError when the file cannot be written", () => {
    file("a-file", "");
    const writer = deadLetterWriter(join(dir, "a-file", "dead.jsonl"));
    expect(() => writer.write({ line: 1, reason: "r", text: "t" })).toThrow(/cannot write dead letters to/);
  });
});
