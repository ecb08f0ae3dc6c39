/**
 * `clue run` on hostile inputs, through the real CLI (issue 10, point 2): an oversized record, then 1,000 good
 * ones, a record with bytes that are not UTF-8, an id past 2^53 and numbers no number field can hold. Nothing is
 * lost or altered silently, and the summary obeys records read = written + removed + rejected + dead letters.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { MAX_RECORD_CHARS } from "../../src/io/record-parser.js";

const repo = join(dirname(fileURLToPath(import.meta.url)), "../..");
const dir = mkdtempSync(join(tmpdir(), "clue-hostile-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
cpSync(join(repo, "test/fixtures/minimal"), dir, { recursive: true });
for (const [path, text] of Object.entries({
  "config/entities/item.yaml":
    "entity: Item\nfields:\n  id: { type: string, required: true }\n  n: { type: integer }\n  name: { type: string }\n",
  "config/mappings/items.yaml": "entity: Item\nsource: items\nfields: { id: $.id, n: $.n, name: $.name }\n",
})) {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}
mkdirSync(join(dir, "data"));

const GOOD = 1000;
const big = "x".repeat(MAX_RECORD_CHARS + 1);

/** The records, one per line, in file order. */
function records(format: "csv" | "json" | "jsonl"): Buffer[] {
  const json = (id: string, n: string, name: string | Buffer) =>
    Buffer.concat([Buffer.from(`{"id":${id},"n":${n},"name":"`), Buffer.from(name), Buffer.from('"}')]);
  const csv = (id: string, n: string, name: string | Buffer) =>
    Buffer.concat([Buffer.from(`${id},${n},"`), Buffer.from(name), Buffer.from('"')]);
  const make = format === "csv" ? csv : json;
  const q = (id: string) => (format === "csv" ? id : `"${id}"`);
  return [
    make(q("big"), "1", big),
    ...Array.from({ length: GOOD }, (_, i) => make(q(`g${i}`), String(i), `name ${i}`)),
    make(q("bad-utf8"), "1", Buffer.from([0x5a, 0x6f, 0xc3, 0x28])),
    make("9007199254740993", "1", "id past 2^53"),
    make(q("9007199254740992"), "2", "the id it must not collide with"),
    make(q("big-n"), "9007199254740993", "n past 2^53"),
    make(q("huge-n"), "1e400", "n out of range"),
  ];
}

function file(format: "csv" | "json" | "jsonl"): Buffer {
  const rows = records(format);
  const lines = (parts: Buffer[], separator: string) =>
    Buffer.concat(parts.flatMap((p) => [p, Buffer.from(separator)]));
  if (format === "csv") return Buffer.concat([Buffer.from("id,n,name\n"), lines(rows, "\n")]);
  if (format === "json")
    return Buffer.concat([
      Buffer.from("[\n"),
      Buffer.concat(rows.flatMap((r, i) => (i === 0 ? [r] : [Buffer.from(",\n"), r]))),
      Buffer.from("\n]\n"),
    ]);
  return lines(rows, "\n");
}

describe("clue run on hostile inputs", () => {
  for (const format of ["csv", "json", "jsonl"] as const) {
    it(`${format}.gz: every record accounted for, nothing altered`, () => {
      const name = `items.${format}.gz`;
      writeFileSync(join(dir, "data", name), gzipSync(file(format)));
      const result = spawnSync(
        process.execPath,
        [
          join(repo, "bin/clue.js"),
          "run",
          "--source",
          "items",
          "--input",
          `data/${name}`,
          "--stage",
          "mapped",
          "--out",
          `out-${format}.jsonl`,
        ],
        {
          cwd: dir,
          encoding: "utf8",
          env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: "1" },
          timeout: 60_000,
        },
      );
      expect(result.stderr).toBe(
        `clue run: 1006 records read, 1002 written at stage mapped, 2 rejected, 2 could not be parsed (dead letters: .clue/dead-letters/items-items.jsonl).\n`,
      );
      expect(result.status).toBe(0);

      const [read, written, rejected, dead] = (
        /(\d+) records read, (\d+) written.*, (\d+) rejected, (\d+) could not/.exec(result.stderr) ?? []
      )
        .slice(1)
        .map(Number);
      expect(read).toBe((written ?? 0) + (rejected ?? 0) + (dead ?? 0));

      const rows = readFileSync(join(dir, `out-${format}.jsonl`), "utf8")
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(rows).toHaveLength(written ?? -1);
      expect(rows.filter((r) => String(r.id).startsWith("g"))).toHaveLength(GOOD);
      // The id past 2^53 keeps its digits (a string field), and does not collide with the record that has ...992.
      expect(rows.filter((r) => r.id === "9007199254740993")).toHaveLength(1);
      expect(rows.filter((r) => String(r.id) === "9007199254740992")).toEqual([
        { id: "9007199254740992", n: 2, name: "the id it must not collide with" },
      ]);
      expect(rows.some((r) => String(r.name).includes("\uFFFD"))).toBe(false);

      const letters = readFileSync(join(dir, ".clue/dead-letters/items-items.jsonl"), "utf8")
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l) as { line: number; reason: string });
      const first = format === "jsonl" ? 1 : 2;
      const what = { csv: "record", json: "element", jsonl: "line" }[format];
      expect(letters.map((l) => [l.line, l.reason.replace(/:.*/s, "")])).toEqual([
        [first, `${what} is longer than ${MAX_RECORD_CHARS} characters`],
        [first + GOOD + 1, "invalid UTF-8"],
        [first + GOOD + 4, "field n"],
        [first + GOOD + 5, "field n"],
      ]);
    });
  }
});
