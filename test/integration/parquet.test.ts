/**
 * Parquet in and out through the real CLI, checked against DuckDB as the independent reader and writer (issue 15,
 * point 1). DuckDB turns a JSON Lines file into Parquet (every logical type clue maps, nulls, nested structs, lists,
 * maps, several row groups, each codec, a hive-partitioned folder) and `clue run` must give exactly the records it
 * gives for the JSON Lines file itself. Then clue writes Parquet and DuckDB must read back the rows clue writes as
 * JSON Lines, with the column types the config declares. Bad files fail the run with the file and row group named,
 * and leave no output.
 */
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repo = join(dirname(fileURLToPath(import.meta.url)), "../..");
const dir = mkdtempSync(join(tmpdir(), "clue-parquet-"));
const data = join(dir, "data");
let db: DuckDBInstance;
let duck: DuckDBConnection;

afterAll(() => {
  duck?.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

const ROWS = 5000;
const FIELDS = [
  "id",
  "name",
  "qty",
  "small",
  "price",
  "ratio",
  "active",
  "born",
  "seen",
  "local",
  "at",
  "big",
  "address",
  "tags",
  "attrs",
  "js",
  "country",
];
/** The DuckDB type of each field of the JSON Lines file: what the Parquet files hold. */
const DUCK_TYPES: Record<string, string> = {
  id: "VARCHAR",
  name: "VARCHAR",
  qty: "BIGINT",
  small: "INTEGER",
  price: "DECIMAL(12,2)",
  ratio: "DOUBLE",
  active: "BOOLEAN",
  born: "DATE",
  seen: "TIMESTAMPTZ",
  local: "TIMESTAMP",
  at: "TIME",
  big: "BIGINT",
  address: "STRUCT(city VARCHAR, geo STRUCT(lat DOUBLE, lon DOUBLE))",
  tags: "VARCHAR[]",
  attrs: "MAP(VARCHAR, INTEGER)",
  js: "JSON",
  country: "VARCHAR",
};

const two = (n: number) => String(n).padStart(2, "0");
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19);

/**
 * Row i as clue's JSON Lines reader gives it: the form clue's Parquet reader must give too. Numbers past 2^53 are
 * written out in full (one that a number cannot hold, odd past 2^53, and one it can).
 */
function line(i: number): string {
  const micros = 1_700_000_000_000_000 + i * 1_234_567;
  const fraction = String(micros % 1_000_000)
    .padStart(6, "0")
    .replace(/0+$/, "");
  const big =
    i % 500 === 0 ? `9007199254740${993 + 2 * (i / 500)}` : i % 500 === 250 ? "9007199254740994" : String(i);
  const record = {
    id: `r${i}`,
    name: i % 7 === 0 ? null : `Name ${i} ${["Zoë", "José", "李小龍", 'O\'Brien "Jr"'][i % 4]}`,
    qty: i * 3 - 100,
    small: i % 100,
    price: ((i * 37) % 100_000) / 100,
    ratio: i * 0.1,
    active: i % 3 === 0 ? null : i % 2 === 0,
    born: new Date((i * 5 - 3000) * 86_400_000).toISOString().slice(0, 10),
    seen: i % 13 === 0 ? null : `${iso(Math.floor(micros / 1000))}${fraction ? `.${fraction}` : ""}Z`,
    local: iso(1_600_000_000_000 + i * 60_000),
    at: `${two(i % 24)}:${two(i % 60)}:${two((i * 7) % 60)}${i % 2 ? ".5" : ""}`,
    big: `\u0000${big}`,
    address: i % 11 === 0 ? null : { city: `City ${i % 13}`, geo: { lat: i / 4, lon: -i / 8 } },
    tags: i % 5 === 0 ? null : i % 5 === 1 ? [] : [`t${i % 3}`, `u${i % 4}`],
    attrs: i % 6 === 0 ? null : { a: i, b: i + 1 },
    js: i % 9 === 0 ? null : { n: i, s: ["x", i % 2 === 0] },
    country: [null, "AU", "NZ", "GB"][i % 4],
  };
  return JSON.stringify(record).replace(/"\\u0000(\d+)"/, "$1");
}

/** The Parquet files' data, through DuckDB's own JSON reader with the declared types. */
const source = () =>
  `read_json('${join(data, "items.jsonl")}', format='newline_delimited', columns={${FIELDS.map((f) => `'${f}': '${DUCK_TYPES[f]}'`).join(", ")}})`;

const PROJECT: Record<string, string> = {
  "config/entities/item.yaml": `entity: Item
fields:
  id: { type: string, required: true }
  name: { type: string }
  qty: { type: integer }
  small: { type: integer }
  price: { type: number }
  ratio: { type: number }
  active: { type: boolean }
  born: { type: date }
  seen: { type: datetime }
  local: { type: string }
  at: { type: string }
  big_text: { type: string }
  big_n: { type: integer }
  city: { type: string }
  lat: { type: number }
  address: { type: string }
  tags: { type: string }
  first_tag: { type: string }
  attrs: { type: string }
  js: { type: string }
  country: { type: string }
`,
  "config/mappings/items.yaml": `entity: Item
source: items
fields:
  id: $.id
  name: $.name
  qty: $.qty
  small: $.small
  price: $.price
  ratio: $.ratio
  active: $.active
  born: $.born
  seen: $.seen
  local: $.local
  at: $.at
  big_text: $.big
  big_n: $.big
  city: $.address.city
  lat: $.address.geo.lat
  address: $.address
  tags: $.tags
  first_tag: $.tags[0]
  attrs: $.attrs
  js: $.js
  country: $.country
`,
  "config/entities/typed.yaml": `entity: Typed
fields:
  id: { type: string, required: true }
  name: { type: string }
  qty: { type: integer }
  small: { type: integer }
  price: { type: number }
  active: { type: boolean }
  born: { type: date }
  seen: { type: datetime }
  country: { type: string }
`,
  "config/mappings/typed.yaml": `entity: Typed
name: typed-items
source: items
format: parquet
fields: { id: $.id, name: $.name, qty: $.qty, small: $.small, price: $.price, active: $.active, born: $.born, seen: $.seen, country: $.country }
`,
  "config/validations/typed.yaml": `rule: typed_qty_positive
entity: Typed
field: qty
check: { range: { min: 0 } }
severity: low
on_fail: { action: flag }
`,
  "config/dedup/typed.yaml": `entity: Typed
auto_approve_threshold: 0.9
queue_threshold: 0.8
rules:
  - name: same_small
    when: small == other.small and active == other.active
    confidence: 0.95
`,
  "config/exports/typed-rows.yaml": `name: typed-rows
type: file
options: { path: typed-rows.parquet }
mapping:
  item_id: Typed.id
  name: Typed.name
  qty: Typed.qty
  price: Typed.price
  active: Typed.active
  born: Typed.born
  seen: Typed.seen
  country: Typed.country
`,
};

/** `clue run` on the items source, read onto `entity`. */
const items = (entity: "Item" | "Typed", input: string, ...rest: string[]) =>
  clue("run", "--source", "items", "--entity", entity, "--input", input, ...rest);

function clue(...args: string[]) {
  const result = spawnSync(process.execPath, [join(repo, "bin/clue.js"), ...args], {
    cwd: dir,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function rows(sql: string): Promise<Record<string, unknown>[]> {
  return (await duck.runAndReadAll(sql)).getRowObjectsJson();
}

async function copyTo(path: string, options: string, from = source()): Promise<void> {
  await duck.run(`COPY (SELECT * FROM ${from}) TO '${path}' (FORMAT parquet, ${options})`);
}

/** The run's summary, with the dead-letter file's name (after the input's) taken out. */
function summary(stderr: string): string {
  return stderr.replace(/\(dead letters: [^)]*\)/, "(dead letters)");
}

function deadLetters(name: string): string {
  const path = join(dir, ".clue/dead-letters", name);
  return existsSync(path) ? readFileSync(path, "utf8") : "";
}

beforeAll(async () => {
  cpSync(join(repo, "test/fixtures/minimal"), dir, { recursive: true });
  for (const [path, text] of Object.entries(PROJECT)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  mkdirSync(data);
  writeFileSync(join(data, "items.jsonl"), Array.from({ length: ROWS }, (_, i) => `${line(i)}\n`).join(""));
  db = await DuckDBInstance.create(":memory:");
  duck = await db.connect();
  await duck.run("SET TimeZone = 'UTC'");
}, 60_000);

describe("clue run reads Parquet written by DuckDB", () => {
  let expected: ReturnType<typeof clue>;
  beforeAll(() => {
    expected = items("Item", "data/items.jsonl", "--stage", "mapped");
    expect(expected.status, expected.stderr).toBe(0);
  });

  it("the JSON Lines run is the reference: every type present, rows past 2^53 rejected", () => {
    const lines = expected.stdout.trim().split("\n");
    // 10 rows hold an id no number can hold in an integer field: rejected, with their line, in both runs.
    expect(lines).toHaveLength(ROWS - 10);
    const first = JSON.parse(lines[0] as string) as Record<string, unknown>;
    expect(first).toMatchObject({
      id: "r1",
      born: "1961-10-20",
      seen: "2023-11-14T22:13:21.234567Z",
      local: "2020-09-13T12:27:40",
      at: "01:01:07.5",
      address: { city: "City 1", geo: { lat: 0.25, lon: -0.125 } },
      tags: [],
      attrs: { a: 1, b: 2 },
      js: { n: 1, s: ["x", false] },
    });
    expect(deadLetters("items-items.jsonl").trim().split("\n")).toHaveLength(10);
  });

  for (const codec of ["snappy", "zstd", "gzip", "brotli", "lz4", "lz4_raw", "uncompressed"]) {
    it(`${codec}, three row groups: the same records, dead letters and totals`, async () => {
      const path = join(data, `items-${codec}.parquet`);
      await copyTo(path, `COMPRESSION ${codec}, ROW_GROUP_SIZE 2048`);
      const groups = await rows(`SELECT DISTINCT row_group_id FROM parquet_metadata('${path}')`);
      expect(groups).toHaveLength(3);
      const got = items("Item", path, "--stage", "mapped");
      expect(got.status, got.stderr).toBe(0);
      expect(got.stdout).toBe(expected.stdout);
      expect(summary(got.stderr)).toBe(summary(expected.stderr));
      // The row's index in the file is its line: here the same as the JSON Lines file's.
      expect(deadLetters(`items-items-${codec}.jsonl`)).toBe(deadLetters("items-items.jsonl"));
    }, 60_000);
  }

  it("a file named without .parquet is known by its content; --input-format parquet says so too", async () => {
    const path = join(data, "items-export.bin");
    await copyTo(path, "COMPRESSION zstd");
    for (const extra of [[], ["--input-format", "parquet"]]) {
      const got = items("Item", path, ...extra, "--stage", "mapped");
      expect(got.status, got.stderr).toBe(0);
      expect(got.stdout).toBe(expected.stdout);
    }
  }, 60_000);

  it("a hive-partitioned folder: partition values become text fields; markers and hidden files are skipped", async () => {
    const folder = join(data, "by-country");
    await duck.run(
      `COPY (SELECT * FROM ${source()}) TO '${folder}' (FORMAT parquet, PARTITION_BY (country))`,
    );
    const folders = readdirSync(folder).sort();
    expect(folders).toEqual(["country=AU", "country=GB", "country=NZ", "country=__HIVE_DEFAULT_PARTITION__"]);
    // What Spark leaves beside its part files.
    writeFileSync(join(folder, "_SUCCESS"), "");
    writeFileSync(join(folder, "country=AU", ".part-0.parquet.crc"), "not parquet");
    const got = items("Item", folder, "--stage", "mapped");
    expect(got.status, got.stderr).toBe(0);
    const sorted = (text: string) => text.trim().split("\n").sort();
    expect(sorted(got.stdout)).toEqual(sorted(expected.stdout));
    expect(summary(got.stderr)).toBe(summary(expected.stderr));
  }, 60_000);

  it("a column the file holds wins over a partition folder of the same name", async () => {
    const folder = join(data, "kept");
    mkdirSync(join(folder, "country=XX"), { recursive: true });
    await copyTo(join(folder, "country=XX", "part-0.parquet"), "COMPRESSION snappy");
    const got = items("Item", folder, "--stage", "mapped");
    expect(got.status, got.stderr).toBe(0);
    expect(got.stdout).toBe(expected.stdout);
  }, 60_000);
});

describe("clue run writes Parquet that DuckDB reads back", () => {
  const input = () => join(data, "items-snappy.parquet");
  beforeAll(async () => {
    if (!existsSync(input())) await copyTo(input(), "COMPRESSION snappy, ROW_GROUP_SIZE 2048");
  }, 60_000);

  /** Runs a stage twice, as JSON Lines and as Parquet, and checks DuckDB reads the same rows from both. */
  async function sameRows(stage: string, types: Record<string, string>, extra: string[] = []) {
    const name = stage.replace(":", "-");
    const jsonl = join(dir, `${name}.jsonl`);
    const parquet = join(dir, `${name}.parquet`);
    const args = ["run", "--source", "items", "--entity", "Typed", "--input", input(), "--stage", stage];
    const a = clue(...args, "--out", jsonl, ...extra);
    expect(a.status, a.stderr).toBe(0);
    const b = clue(...args, "--out", parquet, ...extra);
    expect(b.status, b.stderr).toBe(0);
    expect(b.stderr).toBe(a.stderr);
    const described = await rows(`DESCRIBE SELECT * FROM read_parquet('${parquet}')`);
    expect(Object.fromEntries(described.map((r) => [r.column_name, r.column_type]))).toEqual(types);
    const columns = Object.entries(types)
      .map(([c, t]) => `'${c}': '${t.replace("TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ")}'`)
      .join(", ");
    const fromJson = `SELECT * FROM read_json('${jsonl}', format='newline_delimited', columns={${columns}})`;
    const fromParquet = `SELECT * FROM read_parquet('${parquet}')`;
    const [count] = await rows(`SELECT count(*) AS n FROM read_parquet('${parquet}')`);
    expect(Number(count?.n)).toBe(readFileSync(jsonl, "utf8").trim().split("\n").length);
    expect(await rows(`(${fromJson}) EXCEPT ALL (${fromParquet})`)).toEqual([]);
    expect(await rows(`(${fromParquet}) EXCEPT ALL (${fromJson})`)).toEqual([]);
    return { parquet, jsonl };
  }

  const ENTITY = {
    id: "VARCHAR",
    name: "VARCHAR",
    qty: "BIGINT",
    small: "BIGINT",
    price: "DOUBLE",
    active: "BOOLEAN",
    born: "DATE",
    seen: "TIMESTAMP WITH TIME ZONE",
    country: "VARCHAR",
  };

  it("validated: the entity's types, _issues as a list of structs, several row groups", async () => {
    const { parquet } = await sameRows("validated", {
      ...ENTITY,
      _issues: 'STRUCT("rule" VARCHAR, severity VARCHAR, "action" VARCHAR)[]',
    });
    const flagged = await rows(`SELECT count(*) AS n FROM read_parquet('${parquet}') WHERE len(_issues) > 0`);
    expect(Number(flagged[0]?.n)).toBeGreaterThan(0);
    const groups = await rows(`SELECT DISTINCT row_group_id FROM parquet_metadata('${parquet}')`);
    expect(groups).toHaveLength(1); // 5000 rows, one group of up to 65,536
  }, 90_000);

  it("export:NAME: the export's columns typed by the fields they map", async () => {
    await sameRows("export:typed-rows", {
      item_id: "VARCHAR",
      name: "VARCHAR",
      qty: "BIGINT",
      price: "DOUBLE",
      active: "BOOLEAN",
      born: "DATE",
      seen: "TIMESTAMP WITH TIME ZONE",
      country: "VARCHAR",
    });
  }, 90_000);

  it("golden: members and attributes as nested structs", async () => {
    const attribute = (type: string) =>
      `STRUCT("value" ${type}, provenance VARCHAR, record VARCHAR, confidence DOUBLE)`;
    await sameRows("golden", {
      entityType: "VARCHAR",
      entityId: "VARCHAR",
      members: 'STRUCT("source" VARCHAR, id VARCHAR)[]',
      attributes: `STRUCT(${Object.entries(ENTITY)
        .map(([f, t]) => `${f === "name" ? '"name"' : f} ${attribute(t)}`)
        .join(", ")})`,
    });
  }, 90_000);

  it("--partition-by: a hive folder DuckDB reads back, nulls in __HIVE_DEFAULT_PARTITION__", async () => {
    const folder = join(dir, "out-by-country");
    const args = [
      "run",
      "--source",
      "items",
      "--entity",
      "Typed",
      "--input",
      input(),
      "--stage",
      "export:typed-rows",
    ];
    const got = clue(...args, "--out", folder, "--partition-by", "country");
    expect(got.status, got.stderr).toBe(0);
    expect(readdirSync(folder).sort()).toEqual([
      "country=AU",
      "country=GB",
      "country=NZ",
      "country=__HIVE_DEFAULT_PARTITION__",
    ]);
    const jsonl = join(dir, "export-typed-rows.jsonl");
    const columns = "item_id, name, qty, price, active, born, seen, country";
    const fromParquet = `SELECT ${columns} FROM read_parquet('${folder}/**/*.parquet', hive_partitioning = true, hive_types_autocast = false)`;
    const fromJson = `SELECT ${columns} FROM read_json('${jsonl}', format='newline_delimited', columns={item_id: 'VARCHAR', name: 'VARCHAR', qty: 'BIGINT', price: 'DOUBLE', active: 'BOOLEAN', born: 'DATE', seen: 'TIMESTAMPTZ', country: 'VARCHAR'})`;
    expect(await rows(`(${fromJson}) EXCEPT ALL (${fromParquet})`)).toEqual([]);
    expect(await rows(`(${fromParquet}) EXCEPT ALL (${fromJson})`)).toEqual([]);
    // The partition column lives in the folder names, not in the files.
    const inFile = await rows(
      `DESCRIBE SELECT * FROM read_parquet('${folder}/country=AU/part-0.parquet', hive_partitioning = false)`,
    );
    expect(inFile.map((r) => r.column_name)).not.toContain("country");
    // Read back by clue: every row, each with its country from the folder it is in.
    const back = items("Typed", folder, "--stage", "mapped");
    expect(back.status, back.stderr).toBe(0);
    const countries = (text: string, key: string) =>
      text
        .trim()
        .split("\n")
        .map((l) => String((JSON.parse(l) as Record<string, unknown>)[key]))
        .sort();
    expect(countries(back.stdout, "country")).toEqual(countries(readFileSync(jsonl, "utf8"), "country"));
  }, 90_000);

  it("a value that does not fit its column fails the run, naming row and column, and writes nothing", () => {
    // The Item entity maps whole objects onto string fields: no Parquet column holds them.
    const out = join(dir, "never.parquet");
    const got = items("Item", input(), "--stage", "mapped", "--out", out);
    expect(got.status).toBe(1);
    expect(got.stderr).toMatch(
      /cannot write .*never\.parquet: row 1 \(line 1 of the same stage written as JSON Lines\): column address holds an object, not a string/,
    );
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes("clue-tmp"))).toEqual([]);
  }, 60_000);

  it("stages without fixed columns, and a folder that is not a partitioned output, are usage errors", () => {
    const base = ["run", "--source", "items", "--entity", "Typed", "--input", input()];
    const matches = clue(...base, "--stage", "matches", "--out", join(dir, "m.parquet"));
    expect(matches.status).toBe(64);
    expect(matches.stderr).toMatch(/matches has no fixed columns.*JSON Lines/);
    const folder = clue(
      ...base,
      "--stage",
      "export:typed-rows",
      "--out",
      "config",
      "--partition-by",
      "country",
    );
    expect(folder.status).toBe(64);
    expect(folder.stderr).toMatch(/--out config .*config file/);
    const unknown = clue(
      ...base,
      "--stage",
      "export:typed-rows",
      "--out",
      join(dir, "p"),
      "--partition-by",
      "nope",
    );
    expect(unknown.status).toBe(64);
    expect(unknown.stderr).toMatch(/--partition-by nope: no such column/);
  }, 60_000);
});

describe("the example project's Parquet sample", () => {
  it("config/samples/crm-contacts.parquet gives what crm-contacts.jsonl gives, at every stage", () => {
    const samples = join(repo, "config/samples");
    // The sample is DuckDB's (scripts/make-parquet-sample.mjs): it holds the JSON Lines file's records.
    for (const stage of ["validated", "golden", "export:warehouse-contacts-v1"]) {
      const run = (input: string) =>
        clue(
          "run",
          "--project",
          repo,
          "--source",
          "crm-contacts",
          "--input",
          join(samples, input),
          "--stage",
          stage,
        );
      const jsonl = run("crm-contacts.jsonl");
      const parquet = run("crm-contacts.parquet");
      expect(jsonl.status, jsonl.stderr).toBe(0);
      expect(parquet.stdout).toBe(jsonl.stdout);
      expect(parquet.stderr).toBe(jsonl.stderr);
    }
  }, 60_000);
});

describe("clue test reads Parquet inputs", () => {
  it("a test whose input is a Parquet file, or a hive folder under config/, passes against the JSON Lines run", async () => {
    const samples = join(dir, "config/samples");
    mkdirSync(join(samples, "expected"), { recursive: true });
    await copyTo(join(samples, "items.parquet"), "COMPRESSION snappy, ROW_GROUP_SIZE 2048");
    // A folder partitioned by hand, so its order is known: partitions in path order, rows in file order.
    const countries = ["AU", "GB", "NZ", null];
    const all = readFileSync(join(data, "items.jsonl"), "utf8").trim().split("\n");
    const byCountry = countries.flatMap((c) =>
      all.filter((l) => (JSON.parse(l) as { country: unknown }).country === c),
    );
    writeFileSync(join(data, "items-by-country.jsonl"), `${byCountry.join("\n")}\n`);
    for (const c of countries) {
      const folder = join(samples, "items-by-country", `country=${c ?? "__HIVE_DEFAULT_PARTITION__"}`);
      mkdirSync(folder, { recursive: true });
      const where = c === null ? "country IS NULL" : `country = '${c}'`;
      await duck.run(
        `COPY (SELECT * EXCLUDE (country) FROM ${source()} WHERE ${where}) TO '${join(folder, "part-0.parquet")}' (FORMAT parquet)`,
      );
    }
    // The expected rows come from the JSON Lines files (the mapping says parquet, so their format is given).
    const reference = (input: string, out: string) => {
      const got = clue(
        ...["run", "--source", "items", "--entity", "Typed", "--input", input, "--input-format", "jsonl"],
        ...["--stage", "validated", "--out", out],
      );
      expect(got.status, got.stderr).toBe(0);
    };
    reference("data/items.jsonl", "config/samples/expected/items.validated.jsonl");
    reference("data/items-by-country.jsonl", "config/samples/expected/items-by-country.validated.jsonl");
    const test = (name: string, input: string, expected: string) =>
      `test: ${name}\nsource: items\nentity: Typed\ninput: ${input}\nexpect: { stage: validated, file: ../samples/expected/${expected} }\n`;
    const tests = join(dir, "config/tests/items.yaml");
    mkdirSync(dirname(tests), { recursive: true });
    writeFileSync(
      tests,
      `${test("items_parquet", "../samples/items.parquet", "items.validated.jsonl")}---\n` +
        test("items_folder", "../samples/items-by-country", "items-by-country.validated.jsonl"),
    );
    try {
      const got = clue("test");
      expect(got.status, got.stdout + got.stderr).toBe(0);
      expect(got.stdout).toMatch(/items_parquet .* passed/);
      expect(got.stdout).toMatch(/items_folder .* passed/);
    } finally {
      rmSync(tests);
      rmSync(join(samples, "items-by-country"), { recursive: true });
    }
  }, 90_000);
});

describe("bad Parquet files: the file and row group named, exit 1, nothing written", () => {
  const out = () => join(dir, "bad-out.jsonl");
  const run = (input: string) => {
    writeFileSync(out(), "earlier run\n");
    const got = items("Item", input, "--stage", "mapped", "--out", out());
    // The earlier output is left as it was.
    expect(readFileSync(out(), "utf8")).toBe("earlier run\n");
    return got;
  };
  const good = () => join(data, "items-zstd.parquet");
  beforeAll(async () => {
    if (!existsSync(good())) await copyTo(good(), "COMPRESSION zstd, ROW_GROUP_SIZE 2048");
  }, 60_000);

  it("a truncated file", () => {
    const path = join(data, "truncated.parquet");
    const bytes = readFileSync(good());
    writeFileSync(path, bytes.subarray(0, bytes.length - 300));
    const got = run(path);
    expect(got.status).toBe(1);
    expect(got.stderr).toContain(`${path} is not a readable Parquet file`);
    expect(got.stderr).toMatch(/cut short/);
  });

  it("a file that is not Parquet", () => {
    const path = join(data, "text.parquet");
    writeFileSync(path, '{"id": "a"}\n');
    const got = run(path);
    expect(got.status).toBe(1);
    expect(got.stderr).toContain(`${path} is not a readable Parquet file: it does not start with PAR1`);
  });

  it("a corrupt row group: the rows before it are not written either", async () => {
    const path = join(data, "corrupt.parquet");
    const bytes = Buffer.from(readFileSync(good()));
    const [chunk] = await rows(
      `SELECT data_page_offset AS at, total_compressed_size AS size FROM parquet_metadata('${good()}') WHERE row_group_id = 1 AND path_in_schema = 'name'`,
    );
    const at = Number(chunk?.at);
    bytes.fill(0xff, at, at + Math.min(64, Number(chunk?.size)));
    writeFileSync(path, bytes);
    const got = run(path);
    expect(got.status).toBe(1);
    expect(got.stderr).toContain(`${path} row group 2 of 3 (rows 2049 to 4096) cannot be read`);
  }, 60_000);

  it("a folder holding a file that is not Parquet", async () => {
    const folder = join(data, "mixed");
    mkdirSync(folder, { recursive: true });
    await copyTo(join(folder, "part-0.parquet"), "COMPRESSION snappy");
    writeFileSync(join(folder, "README.txt"), "about these files\n");
    const got = run(folder);
    expect(got.status).toBe(1);
    expect(got.stderr).toContain(`${join(folder, "README.txt")} is not a readable Parquet file`);
  }, 60_000);

  it("a binary value that is not text: a dead letter naming file, row group and column; the run goes on", async () => {
    const path = join(data, "blob.parquet");
    await duck.run(
      `COPY (SELECT 'b' || i AS id, CASE WHEN i = 3 THEN '\\xFF\\xFE'::BLOB ELSE ('name ' || i)::BLOB END AS name FROM range(5) t(i)) TO '${path}' (FORMAT parquet)`,
    );
    const got = items("Item", path, "--stage", "mapped");
    expect(got.status, got.stderr).toBe(0);
    expect(got.stdout.trim().split("\n")).toHaveLength(4);
    expect(JSON.parse(got.stdout.split("\n")[0] as string)).toMatchObject({ id: "b0", name: "name 0" });
    const letters = deadLetters("items-blob.jsonl").trim().split("\n");
    expect(letters).toHaveLength(1);
    const letter = JSON.parse(letters[0] as string) as { line: number; reason: string };
    expect(letter.line).toBe(4);
    expect(letter.reason).toBe(
      `${path} row group 1 of 1: column name holds bytes that are not UTF-8 text (clue reads a binary column only when it holds text)`,
    );
  }, 60_000);
});
