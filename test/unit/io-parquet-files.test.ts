/**
 * clue's Parquet writer and reader on real files: what is written reads back as it was, row group by row group;
 * reading keeps one row group in memory, not the file; folders are walked in a fixed order, skipping what Spark and
 * DuckDB skip; a folder output replaces only a folder it could have written.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { parquetMetadata } from "hyparquet";
import { afterAll, describe, expect, it } from "vitest";
import type { Column } from "../../src/io/parquet/columns.js";
import { partFiles } from "../../src/io/parquet/folder.js";
import { openPartitionedParquet, unreplaceable } from "../../src/io/parquet/partitioned.js";
import { openParquetFile } from "../../src/io/parquet/write.js";
import { InputError, readRecords } from "../../src/io/records.js";

const dir = mkdtempSync(join(tmpdir(), "clue-io-parquet-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const COLUMNS: Column[] = [
  { name: "id", type: "string" },
  { name: "n", type: "integer" },
  { name: "x", type: "number" },
  { name: "ok", type: "boolean" },
  { name: "day", type: "date" },
  { name: "at", type: "datetime" },
  { name: "tags", type: { list: "string" } },
  {
    name: "where",
    type: {
      struct: [
        { name: "city", type: "string" },
        { name: "geo", type: { list: "number" } },
      ],
    },
  },
];

function row(i: number): Record<string, unknown> {
  return {
    id: `r${i}`,
    n: i % 7 === 0 ? null : i * 1_000_003 - 5,
    x: i / 3,
    ok: i % 3 === 0 ? null : i % 2 === 0,
    day: i % 5 === 0 ? null : new Date(i * 86_400_000 * 3).toISOString().slice(0, 10),
    // In the form the reader gives: the fraction without trailing zeros.
    at: i % 4 === 0 ? null : new Date(1_700_000_000_000 + i * 1001).toISOString().replace(/\.?0+Z$/, "Z"),
    tags: i % 6 === 0 ? null : Array.from({ length: i % 3 }, (_, k) => `t${k}`),
    where: i % 8 === 0 ? null : { city: `c${i % 10}`, geo: [i, -i / 2] },
  };
}

async function readAll(path: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const { record } of readRecords(path)) out.push(record);
  return out;
}

describe("Parquet files written and read by clue", () => {
  it("read back as written, over several row groups", async () => {
    const path = join(dir, "rows.parquet");
    const writer = openParquetFile(path, COLUMNS, { rowGroupRows: 1000 });
    const rows = Array.from({ length: 2500 }, (_, i) => row(i));
    for (const r of rows) writer.write(r);
    writer.commit();
    const metadata = parquetMetadata(readFileSync(path));
    expect(metadata.row_groups.map((g) => Number(g.num_rows))).toEqual([1000, 1000, 500]);
    expect(await readAll(path)).toEqual(rows);
  });

  it("an output that is aborted leaves nothing; an empty one is a valid file of no rows", async () => {
    const path = join(dir, "aborted.parquet");
    const writer = openParquetFile(path, COLUMNS);
    writer.write(row(1));
    writer.abort();
    expect(() => readFileSync(path)).toThrow(/ENOENT/);
    const empty = join(dir, "empty.parquet");
    openParquetFile(empty, COLUMNS).commit();
    expect(await readAll(empty)).toEqual([]);
  });

  it("a row that does not fit leaves the rows before it buffered, and names its number", () => {
    const writer = openParquetFile(join(dir, "bad.parquet"), COLUMNS);
    writer.write(row(1));
    expect(() => writer.write({ ...row(2), day: "2024-13-01" })).toThrow(
      /row 2 \(line 2 of the same stage written as JSON Lines\): column day holds text \(10 characters\), not a date/,
    );
    expect(() => writer.write({ ...row(3), extra: 1 })).toThrow(
      /has a field extra that is not one of the columns/,
    );
    writer.abort();
  });

  it("a partitioned folder: one file per value, the column in the folder names, read back whole", async () => {
    const folder = join(dir, "by-ok");
    const writer = openPartitionedParquet(folder, COLUMNS, "ok", { rowGroupRows: 300 });
    const rows = Array.from({ length: 1000 }, (_, i) => row(i));
    for (const r of rows) writer.write(r);
    writer.commit();
    const files = partFiles(folder).map((f) => [f.path.slice(folder.length + 1), f.partitions]);
    expect(files).toEqual([
      ["ok=__HIVE_DEFAULT_PARTITION__/part-0.parquet", { ok: null }],
      ["ok=false/part-0.parquet", { ok: "false" }],
      ["ok=true/part-0.parquet", { ok: "true" }],
    ]);
    const back = await readAll(folder);
    const expected = [null, false, true].flatMap((ok) =>
      rows.filter((r) => r.ok === ok).map((r) => ({ ...r, ok: ok === null ? null : String(ok) })),
    );
    // The partition field comes last, after the file's columns, as DuckDB and Spark put it.
    expect(back).toEqual(expected.map(({ ok, ...rest }) => ({ ...rest, ok })));
    // A second run replaces the folder whole: no partition of the first is left.
    const again = openPartitionedParquet(folder, COLUMNS, "ok");
    again.write({ ...row(2), ok: true });
    again.commit();
    expect(partFiles(folder).map((f) => f.partitions)).toEqual([{ ok: "true" }]);
  });

  it("a folder output replaces only a folder a partitioned write could have left", () => {
    const mixed = join(dir, "mixed");
    mkdirSync(join(mixed, "k=1"), { recursive: true });
    writeFileSync(join(mixed, "k=1", "part-0.parquet"), "");
    writeFileSync(join(mixed, "_SUCCESS"), "");
    expect(unreplaceable(mixed)).toBeUndefined();
    writeFileSync(join(mixed, "notes.txt"), "mine");
    expect(unreplaceable(mixed)).toBe(`${join(mixed, "notes.txt")} is not a partition folder`);
    expect(() => openPartitionedParquet(mixed, COLUMNS, "ok")).toThrow(/would be replaced whole.*notes\.txt/);
    expect(readFileSync(join(mixed, "notes.txt"), "utf8")).toBe("mine");
  });
});

describe("folders of Parquet files", () => {
  it("are walked in path order, skipping names that start with . or _, following links once", () => {
    const root = join(dir, "walk");
    for (const path of [
      "b=2/x.parquet",
      "a=1/z=9/y.parquet",
      "a=1/x.parquet",
      "_tmp/x.parquet",
      ".hidden",
      "plain/p.parquet",
    ]) {
      mkdirSync(join(root, path, ".."), { recursive: true });
      writeFileSync(join(root, path), "");
    }
    symlinkSync(root, join(root, "a=1", "loop"));
    expect(partFiles(root).map((f) => [f.path.slice(root.length + 1), f.partitions])).toEqual([
      ["a=1/x.parquet", { a: "1" }],
      ["a=1/z=9/y.parquet", { a: "1", z: "9" }],
      ["b=2/x.parquet", { b: "2" }],
      ["plain/p.parquet", {}],
    ]);
  });

  it("with no Parquet file in it is an error, not an empty input", () => {
    const empty = join(dir, "empty-folder");
    mkdirSync(join(empty, "_temporary"), { recursive: true });
    writeFileSync(join(empty, "_SUCCESS"), "");
    expect(() => partFiles(empty)).toThrow(InputError);
    expect(() => partFiles(empty)).toThrow(/holds no Parquet files/);
  });
});

// Without a forced collection, heapUsed mostly measures garbage not yet collected; this exposes gc() to a test.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

describe("reading Parquet memory", () => {
  it("holds one row group, not the file", async () => {
    const path = join(dir, "big.parquet");
    const rows = 400_000;
    const writer = openParquetFile(path, COLUMNS, { rowGroupRows: 20_000 });
    for (let i = 0; i < rows; i++) writer.write(row(i));
    writer.commit();
    gc();
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    let count = 0;
    const kept: unknown[] = [];
    for await (const { record } of readRecords(path)) {
      if (++count % 20_000 === 0) {
        gc();
        peak = Math.max(peak, process.memoryUsage().heapUsed);
      }
      if (count <= 20_000) kept.push(record);
    }
    expect(count).toBe(rows);
    // What 20,000 records take, measured on those kept: the whole file's 400,000 would take 20 times as much.
    gc();
    const perGroup = process.memoryUsage().heapUsed - before;
    expect(kept).toHaveLength(20_000);
    expect(peak - before).toBeLessThan(Math.max(4 * perGroup, 16 * 1024 * 1024));
  }, 120_000);
});
