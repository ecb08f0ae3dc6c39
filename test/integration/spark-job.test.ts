/**
 * The Spark job (templates/spark/) on a real local Spark, driven by hand-written plans: the inputs in the plan
 * contract's shape (records and line numbers checked against clue's own readers), view/table/loop steps, a loop
 * that never settles, UDFs registered from their signatures (checked against clue's JS functions), JSON written as
 * JSON.stringify writes it, and --out-dir part files equal to --out. All plans run in one Spark session.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { parquetWriteBuffer } from "hyparquet-writer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeJob } from "../../src/engine/spark/job.js";
import { submit, type SubmitResult } from "../../src/engine/spark/submit.js";
import type { SqlPlan } from "../../src/engine/sql/plan.js";
import { functions } from "../../src/expr/functions/index.js";
import type { Value } from "../../src/expr/types.js";
import { readRecords } from "../../src/io/records.js";
import { SPARK_TIMEOUT, sparkInstall, sparkTestsRun, sparkTitle } from "./spark.js";

const dir = mkdtempSync(join(tmpdir(), "clue-spark-job-"));
const file = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

// Inputs with what clue's readers care about: a BOM, blank lines, CRLF, a line that is not JSON, one that is not an
// object, a lone CR inside a line, quoted CSV fields holding commas, quotes and line ends, null against "", short
// and long rows, a header with spaces and an empty name.
const jsonl = file(
  "people.jsonl",
  '\uFEFF{"id":"a","n":1.5}\n\n{"id":"b","name":"Zoë","tags":["x"]}\r\nnot json\n[1,2]\n' +
    '  \t\n{"id":"c","n":1e21,"s":"x\\ry"}\n{"id":"d","nested":{"k":null}}',
);
const csv = file(
  "billing.csv",
  ' id ,name,,note\r\n1,"A ""q"", b",x,\r\n2,"multi\nline",,""\r\n\r\n3,x,y,z,extra\r\n4,p\r\n5,"bad"x,,\r\n6,last,,end',
);
const jsonArray = file(
  "orgs.json",
  '[\n  {"id": 1, "n": 2.0},\n  {"id": 2,\n   "x": [1, 2]}, 3,\n  {"id": 3}\n]\n',
);
const gzipped = file("people.jsonl.gz", gzipSync(readFileSync(jsonl)));
const parquet = file(
  "rows.parquet",
  Buffer.from(
    parquetWriteBuffer({
      columnData: [
        { name: "id", data: ["p1", "p2", "p3", "p4", "p5"], type: "STRING" },
        { name: "n", data: [1, 2, null, 4, 5], type: "INT32" },
      ],
      rowGroupSize: 2,
    }),
  ),
);

/** A plan whose output is each record of one input with its line: `{"line":N,"record":{...}}`. */
function readerPlan(path: string, format: SqlPlan["inputs"][number]["format"]): SqlPlan {
  return {
    engine: "spark",
    inputs: [{ view: "input_0", source: "s", entity: "E", path, format }],
    steps: [
      {
        kind: "view",
        name: "out",
        sql: `SELECT concat('{"line":', CAST(_line AS STRING), ',"record":', record, '}') AS json, _line FROM input_0`,
      },
    ],
    output: { view: "out", stage: "mapped", orderBy: ["_line"] },
    udfs: [],
  };
}

const stepsPlan: SqlPlan = {
  engine: "spark",
  inputs: [{ view: "input_0", source: "s", entity: "E", path: jsonl, format: "jsonl" }],
  steps: [
    { kind: "table", name: "counter", sql: "SELECT 0 AS i" },
    {
      kind: "loop",
      note: "count to 3",
      maxIterations: 5,
      until: "SELECT max(i) >= 3 FROM counter",
      steps: [{ kind: "table", name: "counter", sql: "SELECT i + 1 AS i FROM counter" }],
    },
    {
      kind: "view",
      name: "out",
      sql: "SELECT get_json_object(record, '$.id') AS id, i AS rounds FROM input_0 CROSS JOIN counter",
    },
  ],
  output: { view: "out", stage: "mapped", orderBy: ["id DESC"] },
  udfs: [],
};

const stuckPlan: SqlPlan = {
  engine: "spark",
  inputs: [],
  steps: [
    { kind: "table", name: "t", sql: "SELECT 1 AS x" },
    {
      kind: "loop",
      note: "never settles",
      maxIterations: 2,
      until: "SELECT false",
      steps: [{ kind: "table", name: "t", sql: "SELECT x + 1 AS x FROM t" }],
    },
  ],
  output: { view: "t", stage: "mapped", orderBy: [] },
  udfs: [],
};

/** UDF calls: each value of `calls` is evaluated by the UDF in Spark and by clue's JS function here. */
const calls: { fn: string; args: (Value | undefined)[]; sqlArgs: string[]; types: ("text" | "number")[] }[] =
  [
    {
      fn: "jaro_winkler",
      args: ["MARTHA", "MARHTA"],
      sqlArgs: ["'MARTHA'", "'MARHTA'"],
      types: ["text", "text"],
    },
    {
      fn: "jaro_winkler",
      args: ["Zoë", null],
      sqlArgs: ["'Zoë'", "CAST(NULL AS STRING)"],
      types: ["text", "text"],
    },
    {
      fn: "to_e164",
      args: ["0412 345 678", "AU"],
      sqlArgs: ["'0412 345 678'", "'AU'"],
      types: ["text", "text"],
    },
    { fn: "to_e164", args: ["+61 2 9374 4000"], sqlArgs: ["'+61 2 9374 4000'"], types: ["text"] },
    { fn: "title_case", args: ["o'brien-smith"], sqlArgs: ["'o\\'brien-smith'"], types: ["text"] },
    { fn: "round", args: [1.005, 2], sqlArgs: ["1.005D", "2D"], types: ["number", "number"] },
    {
      fn: "levenshtein",
      args: ["kitten", "sitting"],
      sqlArgs: ["'kitten'", "'sitting'"],
      types: ["text", "text"],
    },
    {
      fn: "concat",
      args: ["a", null, "b"],
      sqlArgs: ["'a'", "CAST(NULL AS STRING)", "'b'"],
      types: ["text", "text", "text"],
    },
  ];

const udfPlan: SqlPlan = {
  engine: "spark",
  inputs: [],
  steps: [
    {
      kind: "view",
      name: "out",
      sql: `SELECT ${calls.map((c, i) => `clue_t${i}(${c.sqlArgs.join(", ")}) AS c${i}`).join(", ")}`,
    },
  ],
  output: { view: "out", stage: "mapped", orderBy: [] },
  udfs: calls.map((_, i) => `clue_t${i}`),
  udfSignatures: Object.fromEntries(
    calls.map((c, i) => [
      `clue_t${i}`,
      {
        function: c.fn,
        args: c.types,
        returns: functions.get(c.fn)?.returns === "number" ? "number" : "text",
        nulls: functions.get(c.fn)?.acceptsNull ? "function" : "propagate",
      },
    ]),
  ),
};

/** Values whose JSON text JavaScript and Python's json module write differently. */
const numbersPlan: SqlPlan = {
  engine: "spark",
  inputs: [],
  steps: [
    {
      kind: "view",
      name: "out",
      sql:
        "SELECT 1.0D AS a, 1e21D AS b, 1e-7D AS c, CAST('-0' AS DOUBLE) AS d, 123456789012345680000D AS e, " +
        "0.1D + 0.2D AS f, CAST(NULL AS DOUBLE) AS g, 'é\"\\\\\\n\\u0001\\u007f\\u2028' AS s, " +
        "array(1.5D, 2D) AS l, named_struct('z', 1, 'a', true) AS o, 9007199254740993L AS big",
    },
  ],
  output: { view: "out", stage: "mapped", orderBy: [] },
  udfs: [],
};
const numbersExpected = JSON.stringify({
  a: 1,
  b: 1e21,
  c: 1e-7,
  d: -0,
  e: 123456789012345680000,
  f: 0.1 + 0.2,
  g: null,
  s: 'é"\\\n\u0001\u007f\u2028',
  l: [1.5, 2],
  o: { z: 1, a: true },
  // A BIGINT past 2^53 is written as JavaScript holds it: the nearest double.
  big: Number("9007199254740993"),
});

const plans = {
  jsonl: readerPlan(jsonl, "jsonl"),
  gzipped: readerPlan(gzipped, "jsonl"),
  csv: readerPlan(csv, "csv"),
  json: readerPlan(jsonArray, "json"),
  parquet: readerPlan(parquet, "parquet"),
  steps: stepsPlan,
  stuck: stuckPlan,
  udfs: udfPlan,
  numbers: numbersPlan,
};
type Name = keyof typeof plans;
const out = (name: Name) => join(dir, `${name}.out.jsonl`);
const outDir = join(dir, "numbers.parts");
let result: SubmitResult;

async function jsRecords(path: string): Promise<{ line: number; record: unknown }[]> {
  const found: { line: number; record: unknown }[] = [];
  for await (const r of readRecords(path)) found.push({ line: r.line, record: r.record });
  return found;
}

const lines = (name: Name) =>
  readFileSync(out(name), "utf8")
    .split("\n")
    .filter((l) => l !== "");

describe.skipIf(!sparkTestsRun)(sparkTitle("the Spark job on a local Spark"), () => {
  beforeAll(async () => {
    if (!sparkInstall)
      throw new Error("no local Spark: run scripts/spark-env.sh (CLUE_REQUIRE_SPARK is set)");
    const jobDir = join(dir, "job");
    const runs = Object.entries(plans).map(([name, plan]) => {
      const planPath = join(dir, `${name}.plan.json`);
      writeFileSync(planPath, JSON.stringify(plan));
      return { plan: planPath, out: out(name as Name) };
    });
    writeJob(jobDir, plans.jsonl);
    runs.push({ plan: join(dir, "numbers.plan.json"), out: outDir, outDir: true } as (typeof runs)[number]);
    result = await submit({ install: sparkInstall, jobDir, runs, master: "local[2]" });
  }, SPARK_TIMEOUT);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("fails only the plan whose loop never settles, naming the loop", () => {
    expect(result.code, result.logTail.join("\n")).toBe(1);
    const failures = result.messages.filter((m) => !m.includes("written to"));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain("stuck.plan.json");
    expect(failures[0]).toContain("(never settles) did not settle within its 2 rounds (maxIterations)");
  });

  it.each(["jsonl", "gzipped", "csv", "json"] as const)(
    "reads %s records with the lines clue's own reader gives them",
    async (name) => {
      const path = plans[name].inputs[0]?.path as string;
      const got = lines(name).map((l) => JSON.parse(l) as unknown);
      expect(got).toEqual(await jsRecords(path));
      expect(got.length).toBeGreaterThan(2);
    },
  );

  it("counts the records it leaves out, as clue's reader counts dead letters", async () => {
    for (const path of [jsonl, csv, jsonArray]) {
      let dead = 0;
      for await (const _ of readRecords(path, { onDeadLetter: () => dead++ }));
      expect(dead).toBeGreaterThan(0);
      expect(result.messages.find((m) => m.includes(`; ${dead} records of ${path} left out`))).toBeDefined();
    }
  });

  it("numbers Parquet rows by their row in the file, row groups in order", () => {
    expect(lines("parquet").map((l) => JSON.parse(l) as unknown)).toEqual([
      { line: 1, record: { id: "p1", n: 1 } },
      { line: 2, record: { id: "p2", n: 2 } },
      { line: 3, record: { id: "p3", n: null } },
      { line: 4, record: { id: "p4", n: 4 } },
      { line: 5, record: { id: "p5", n: 5 } },
    ]);
  });

  it("runs tables and a loop until its check holds, and orders the output", () => {
    expect(lines("steps")).toEqual([
      '{"id":"d","rounds":3}',
      '{"id":"c","rounds":3}',
      '{"id":"b","rounds":3}',
      '{"id":"a","rounds":3}',
    ]);
  });

  it("registers UDFs from their signatures, giving what clue's JS functions give", () => {
    const want = calls.map((c) => {
      const fn = functions.get(c.fn);
      if (!fn) throw new Error(c.fn);
      return !fn.acceptsNull && c.args.some((a) => a === null)
        ? null
        : fn.call(c.args, { lookup: () => null });
    });
    expect(lines("udfs")).toEqual([JSON.stringify(Object.fromEntries(want.map((v, i) => [`c${i}`, v])))]);
  });

  it("writes numbers, strings, lists and structs as JSON.stringify does", () => {
    expect(lines("numbers")).toEqual([numbersExpected]);
  });

  it("writes the same bytes as part files with --out-dir", () => {
    const parts = readdirSync(outDir)
      .filter((f) => f.startsWith("part-"))
      .sort();
    expect(parts.map((p) => readFileSync(join(outDir, p), "utf8")).join("")).toBe(
      readFileSync(out("numbers"), "utf8"),
    );
  });
});
