/**
 * Bytes that are not UTF-8 must never reach the output as a silent U+FFFD: the record holding them is a dead letter
 * with its line (issue 10, point 2), while a real U+FFFD in a file is data like any other character.
 */
import fc from "fast-check";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { NOT_UTF8_REASON } from "../../src/io/record-parser.js";
import { readRecords, type DeadLetter, type SourceRecord } from "../../src/io/records.js";
import { utf8Decoder } from "../../src/io/utf8.js";

const dir = mkdtempSync(join(tmpdir(), "clue-utf8-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const utf8 = (text: string): Buffer => Buffer.from(text, "utf8");
/** Bytes that are no UTF-8: a lone continuation byte, a cut sequence, an overlong form, a surrogate, 0xFF. */
const BAD = [
  [0x80],
  [0xc3],
  [0xe2, 0x82],
  [0xc0, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xff],
  [0xf4, 0x90, 0x80, 0x80],
];

async function read(path: string, chunkBytes?: number) {
  const dead: DeadLetter[] = [];
  const records: SourceRecord[] = [];
  const options = {
    onDeadLetter: (d: DeadLetter) => void dead.push(d),
    ...(chunkBytes ? { chunkBytes } : {}),
  };
  for await (const r of readRecords(path, options)) records.push(r);
  return { records, dead };
}

describe("utf8Decoder", () => {
  /** A lone U+DFFF is the decoder's mark for lost bytes; the low half of a real pair is not. */
  const asReplacement = (text: string) => text.replace(/(?<![\uD800-\uDBFF])\uDFFF/g, "\uFFFD");

  it("decodes any bytes, however cut, exactly as TextDecoder would, but marking what TextDecoder replaces", () => {
    const piece = fc.oneof(
      fc.string({ unit: "binary", maxLength: 6 }).map((s) => [...utf8(s)]),
      fc.constantFrom(...BAD, [0xef, 0xbf, 0xbd], [0xef, 0xbb, 0xbf], [0xf0, 0x9f, 0x98, 0x80]),
      fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 4 }),
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (pieces, cuts) => {
          const bytes = Uint8Array.from(pieces.flat());
          const decoder = utf8Decoder();
          let text = "";
          let from = 0;
          for (const to of [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)) {
            text += decoder.decode(bytes.subarray(from, to));
            from = to;
          }
          text += decoder.decode(bytes.subarray(from)) + decoder.end();
          expect(asReplacement(text)).toBe(new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes));
          // Only lost bytes leave a lone surrogate: valid input decodes to well-formed text.
          const valid = (() => {
            try {
              new TextDecoder("utf-8", { fatal: true }).decode(bytes);
              return true;
            } catch {
              return false;
            }
          })();
          expect(asReplacement(text) === text).toBe(valid);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("records with bytes that are not UTF-8", () => {
  const files: [string, (bad: Buffer) => Buffer, number][] = [
    ["people.csv", (bad) => Buffer.concat([utf8("id,name\n1,Ann\n2,Zo"), bad, utf8("\n3,\uFFFD ok\n")]), 3],
    [
      "people.jsonl",
      (bad) =>
        Buffer.concat([
          utf8('{"id":"1","name":"Ann"}\n{"id":"2","name":"Zo'),
          bad,
          utf8('"}\n{"id":"3","name":"\uFFFD ok"}\n'),
        ]),
      2,
    ],
    [
      "people.json",
      (bad) =>
        Buffer.concat([
          utf8('[{"id":"1","name":"Ann"},\n{"id":"2",\n"name":"Zo'),
          bad,
          utf8('"},\n{"id":"3","name":"\uFFFD ok"}]'),
        ]),
      2,
    ],
  ];
  for (const [name, make, line] of files) {
    it(`${name}: the record is a dead letter with its line; a real U+FFFD is kept; any read size, gzip too`, async () => {
      for (const [k, bad] of BAD.entries()) {
        const content = make(Buffer.from(bad));
        for (const gzip of [false, true]) {
          const path = join(dir, `${k}-${name}${gzip ? ".gz" : ""}`);
          writeFileSync(path, gzip ? gzipSync(content) : content);
          for (const chunkBytes of gzip ? [undefined] : [1, 2, 3, 5, undefined]) {
            const { records, dead } = await read(path, chunkBytes);
            expect(records.map((r) => r.record)).toEqual([
              { id: "1", name: "Ann" },
              { id: "3", name: "\uFFFD ok" },
            ]);
            expect(dead).toHaveLength(1);
            expect(dead[0]).toMatchObject({ line, reason: NOT_UTF8_REASON });
            // The dead letter shows the lost bytes as U+FFFD: it is written as JSON, which holds no lone surrogate.
            expect(dead[0]?.text).toContain("Zo\uFFFD");
            expect(dead[0]?.text).not.toMatch(/[\uD800-\uDFFF]/);
          }
        }
      }
    });
  }

  it("a CSV header that is not UTF-8 stops the file: no row could be keyed", async () => {
    const path = join(dir, "bad-header.csv");
    writeFileSync(path, Buffer.concat([utf8("id,na"), Buffer.from([0xff]), utf8("me\n1,Ann\n")]));
    await expect(read(path)).rejects.toMatchObject({ name: "InputError", line: 1 });
  });

  it("keeps a U+FEFF inside the text, wherever a read starts", async () => {
    const path = join(dir, "bom-inside.jsonl");
    writeFileSync(path, '\uFEFF{"v":"a\uFEFFb"}\n{"v":"\uFEFF"}\n');
    for (const chunkBytes of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]) {
      const { records } = await read(path, chunkBytes);
      expect(records.map((r) => r.record.v)).toEqual(["a\uFEFFb", "\uFEFF"]);
    }
  });
});
