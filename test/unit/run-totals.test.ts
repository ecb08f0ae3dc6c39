/**
 * Property (issue 10, point 2): whatever hostile records a file holds, every one is accounted for exactly once, so
 * a run's summary obeys records read = written + removed + rejected + dead letters, and read is the number of
 * records in the file. Run in-process through the real readers, prepareRun and runPipeline, the way `clue run` and
 * `clue test` read their inputs; run.scenario tests check the line `clue run` prints.
 */
import fc from "fast-check";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { readRecords, type DeadLetter } from "../../src/io/records.js";
import { runPipeline } from "../../src/pipeline/run.js";
import { runTotals, totalsLine } from "../../src/pipeline/run-totals.js";
import { prepareRun } from "../../src/pipeline/session.js";
import { validateProject } from "../../src/validate.js";

const repo = join(dirname(fileURLToPath(import.meta.url)), "../..");
const root = mkdtempSync(join(tmpdir(), "clue-totals-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
cpSync(join(repo, "test/fixtures/minimal"), root, { recursive: true });
const files: Record<string, string> = {
  "config/entities/item.yaml":
    "entity: Item\nfields:\n  id: { type: string, required: true }\n  n: { type: integer }\n  name: { type: string }\n",
  "config/mappings/items.yaml": "entity: Item\nsource: items\nfields: { id: $.id, n: $.n, name: $.name }\n",
  "config/cleaning/items.yaml":
    "project: items\nentity: Item\nsteps:\n  - { name: drop, when: \"name == 'remove me'\", action: remove_record, reason: test }\n",
};
for (const [path, text] of Object.entries(files)) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}
const result = validateProject(root);
const project = result.project;

/** Small, so an oversized record costs nothing to generate. */
const LIMIT = 300;

/** What each kind of record must become. */
const KINDS = {
  good: "written",
  bigId: "written", // an id beyond 2^53 in a string field: kept as its digits
  removed: "removed",
  bigN: "rejected", // 2^53 + 1 in an integer field
  hugeN: "rejected", // 1e400 in an integer field
  oversized: "dead",
  notUtf8: "dead",
  malformed: "dead",
} as const;
type Kind = keyof typeof KINDS;

type Format = "jsonl" | "json" | "csv";

/** One record of the kind, in the format: its bytes (CSV rows hold n as text, as CSV does). */
function recordBytes(kind: Kind, i: number, format: Format): Buffer {
  const id = kind === "bigId" ? "9007199254740993" : `"r${i}"`;
  const name = kind === "removed" ? "remove me" : kind === "oversized" ? "x".repeat(LIMIT * 2) : `n${i}`;
  const n = kind === "bigN" ? "9007199254740993" : kind === "hugeN" ? "1e400" : String(i);
  if (format === "csv") {
    if (kind === "malformed") return Buffer.from(`r${i},"x"y,1`);
    const row = Buffer.from(`${kind === "bigId" ? id : `r${i}`},${n},"${name}`);
    return Buffer.concat([
      row,
      kind === "notUtf8" ? Buffer.from([0xc3, 0x28]) : Buffer.alloc(0),
      Buffer.from('"'),
    ]);
  }
  if (kind === "malformed") return Buffer.from(`{"id":"r${i}","n":tru}`);
  const head = Buffer.from(`{"id":${id},"n":${n},"name":"${name}`);
  return Buffer.concat([head, kind === "notUtf8" ? Buffer.from([0xff]) : Buffer.alloc(0), Buffer.from('"}')]);
}

function fileBytes(kinds: Kind[], format: Format): Buffer {
  const records = kinds.map((kind, i) => recordBytes(kind, i, format));
  const join = (separator: string, parts: Buffer[]) =>
    Buffer.concat(parts.flatMap((p, i) => (i === 0 ? [p] : [Buffer.from(separator), p])));
  if (format === "csv") return join("\n", [Buffer.from("id,n,name"), ...records, Buffer.alloc(0)]);
  if (format === "json")
    return Buffer.concat([Buffer.from("[\n"), join(",\n", records), Buffer.from("\n]\n")]);
  return join("\n", [...records, Buffer.alloc(0)]);
}

let fileCount = 0;

async function run(kinds: Kind[], format: Format, chunkBytes: number) {
  const path = join(root, `in-${fileCount++}.${format}`);
  writeFileSync(path, fileBytes(kinds, format));
  let deadLetters = 0;
  const prepared = await prepareRun(project, [
    {
      source: "items",
      open: ({ prepass }) =>
        readRecords(path, {
          maxRecordChars: LIMIT,
          chunkBytes,
          ...(prepass ? {} : { onDeadLetter: (_: DeadLetter) => void deadLetters++ }),
        }),
    },
  ]);
  let emitted = 0;
  let handed = 0;
  const stats = await runPipeline(prepared, {
    stage: "validated",
    emit: () => void emitted++,
    onRecordError: () => void handed++,
  });
  rmSync(path);
  return { totals: runTotals(stats, deadLetters), emitted, handed };
}

describe("run totals", () => {
  it("the project loads", () => {
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });

  for (const format of ["jsonl", "json", "csv"] as const) {
    it(`${format}: read = written + removed + rejected + dead letters, each record counted where it belongs`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.constantFrom(...(Object.keys(KINDS) as Kind[])), { maxLength: 25 }),
          fc.constantFrom(7, 64, 1000, 65536),
          async (kinds, chunkBytes) => {
            const { totals, emitted, handed } = await run(kinds, format, chunkBytes);
            const expected = { written: 0, removed: 0, rejected: 0, dead: 0 };
            for (const kind of kinds) expected[KINDS[kind]]++;
            expect(totals.read).toBe(totals.written + totals.removed + totals.rejected + totals.deadLetters);
            expect(totals.read).toBe(kinds.length);
            expect(totals).toEqual({
              read: kinds.length,
              written: expected.written,
              removed: expected.removed,
              rejected: expected.rejected,
              deadLetters: expected.dead,
            });
            // The counts are what really happened: rows emitted, rejected records handed on to be reported.
            expect(emitted).toBe(totals.written);
            expect(handed).toBe(totals.rejected);
          },
        ),
        { numRuns: 40 },
      );
    });
  }

  it("prints only the outcomes that happened", () => {
    const line = (t: Partial<Parameters<typeof totalsLine>[0]>) =>
      totalsLine(
        { read: 0, written: 0, removed: 0, rejected: 0, deadLetters: 0, ...t },
        "written at stage mapped",
      );
    expect(line({ read: 3, written: 3 })).toBe("3 records read, 3 written at stage mapped");
    expect(line({ read: 10, written: 4, removed: 3, rejected: 2, deadLetters: 1 })).toBe(
      "10 records read, 4 written at stage mapped, 3 removed by cleaning, 2 rejected, 1 could not be parsed",
    );
  });
});
