/**
 * Parity of the DuckDB engine with the JS engine: the same `clue run`, `clue test` and `clue diff` on both, through
 * real child processes of bin/clue.js on real files, must write the same bytes (output rows and the run's summary).
 * The JS engine's own outputs are pinned by the example project's golden files and the accuracy fixtures' tests;
 * these tests hold the DuckDB engine to them.
 */
import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it, onTestFinished } from "vitest";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const fixture = (path: string) => fileURLToPath(new URL(`../fixtures/${path}`, import.meta.url));
const TIMEOUT = 240_000;

function clue(args: readonly string[], cwd = repo) {
  const result = spawnSync(process.execPath, [join(repo, "bin/clue.js"), ...args], {
    cwd,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The same run on both engines: their exit codes, outputs and summaries must be the same. */
function expectSameOnBothEngines(args: readonly string[], cwd = repo) {
  const js = clue([...args, "--engine", "js"], cwd);
  const duckdb = clue([...args, "--engine", "duckdb"], cwd);
  expect(js.status, js.stderr).toBe(0);
  expect({ status: duckdb.status, stderr: duckdb.stderr }).toEqual({ status: js.status, stderr: js.stderr });
  // Compared as text: byte for byte, numbers printed as JavaScript prints them.
  expect(duckdb.stdout === js.stdout, `stdout differs for ${args.join(" ")}`).toBe(true);
  return js;
}

/** The example project's config and environments in a folder of their own, to change. */
function copyOfExample(): string {
  const dir = mkdtempSync(join(tmpdir(), "clue-engine-example-"));
  cpSync(join(repo, "config"), join(dir, "config"), { recursive: true });
  cpSync(join(repo, "env"), join(dir, "env"), { recursive: true });
  return dir;
}

/** Replaces text in a file of a project folder. */
function edit(dir: string, file: string, from: string, to: string): void {
  const path = join(dir, file);
  writeFileSync(path, readFileSync(path, "utf8").replace(from, to));
}

const CRM = ["--source", "crm-contacts", "--input", "config/samples/crm-contacts.jsonl"];
const BILLING_PERSON = ["--source", "billing", "--entity", "Person", "--input", "config/samples/billing.csv"];
const STAGES = ["mapped", "cleaned", "validated", "matches", "golden", "export:warehouse-contacts-v1"];

describe("clue run --engine duckdb on the example project", () => {
  it.each(STAGES)(
    "writes the same %s rows and summary as the JS engine (CRM and billing together)",
    (stage) => {
      const js = expectSameOnBothEngines(["run", ...CRM, ...BILLING_PERSON, "--stage", stage]);
      expect(js.stdout.length).toBeGreaterThan(0);
    },
    TIMEOUT,
  );

  it(
    "writes an --out file (DuckDB fills it itself) with the very lines the JS engine writes, events too",
    () => {
      const dir = mkdtempSync(join(tmpdir(), "clue-engine-out-"));
      onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
      for (const stage of ["validated", "golden", "export:warehouse-contacts-v1", "events:person-changes"]) {
        const args = ["run", ...CRM, ...BILLING_PERSON, "--stage", stage, "--correlation-id", "c1"];
        const js = clue([...args, "--engine", "js"]);
        expect(js.status, js.stderr).toBe(0);
        const out = join(dir, `${stage.replace(":", "-")}.jsonl`);
        writeFileSync(out, "an earlier run's lines\n");
        const duckdb = clue([...args, "--engine", "duckdb", "--out", out]);
        expect(duckdb.status, duckdb.stderr).toBe(0);
        const clock = (text: string) => text.replace(/"timestamp":"[^"]*"/g, '"timestamp":"…"');
        expect(clock(readFileSync(out, "utf8")), stage).toBe(clock(js.stdout));
      }
      expect(readdirSync(dir).filter((name) => name.startsWith("."))).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    "writes the same events, with the same state for the next run, as the JS engine",
    () => {
      const states = {
        js: mkdtempSync(join(tmpdir(), "clue-state-js-")),
        duckdb: mkdtempSync(join(tmpdir(), "clue-state-duckdb-")),
      };
      onTestFinished(() => Object.values(states).forEach((d) => rmSync(d, { recursive: true, force: true })));
      for (const day of ["day1", "day2"]) {
        const args = (engine: "js" | "duckdb") => [
          "run",
          "--source",
          "crm-contacts",
          "--input",
          `config/samples/events/${day}.jsonl`,
          "--stage",
          "events:person-changes",
          "--correlation-id",
          day,
          "--state",
          states[engine],
          "--engine",
          engine,
        ];
        const js = clue(args("js"));
        const duckdb = clue(args("duckdb"));
        expect(js.status, js.stderr).toBe(0);
        expect(duckdb.status, duckdb.stderr).toBe(0);
        // Tombstones carry the run's clock, the one thing two runs do not share.
        const clock = (text: string) => text.replace(/"timestamp":"[^"]*"/g, '"timestamp":"…"');
        expect(clock(duckdb.stdout)).toBe(clock(js.stdout));
        // The state folders' names differ, however the summary spells them (absolute, or relative to the checkout).
        const named = (text: string) => text.replace(/clue-state-(js|duckdb)-[A-Za-z0-9]+/g, "STATE");
        expect(named(duckdb.stderr)).toBe(named(js.stderr));
        const state = (dir: string) =>
          clock(readFileSync(join(dir, "person-changes.events.json"), "utf8")).replace(
            /"at":"[^"]*"/g,
            '"at":"…"',
          );
        expect(state(states.duckdb)).toBe(state(states.js));
      }
    },
    TIMEOUT,
  );

  it(
    "matches companies with the trained model and gives the same waterfall",
    () => {
      const js = expectSameOnBothEngines([
        "run",
        "--source",
        "billing",
        "--entity",
        "Organization",
        "--input",
        "config/samples/billing-companies.csv",
        "--stage",
        "matches",
      ]);
      expect(js.stdout).toContain('"explain":{"prior"');
    },
    TIMEOUT,
  );

  it(
    "prints the plan's SQL in DuckDB's dialect, or Spark's",
    () => {
      const duckdb = clue(["run", ...CRM, "--stage", "golden", "--explain-sql"]);
      expect(duckdb.status, duckdb.stderr).toBe(0);
      expect(duckdb.stdout).toContain('CREATE OR REPLACE TABLE "records" AS');
      expect(duckdb.stdout).toContain("-- repeat until");
      const spark = clue(["run", ...CRM, "--stage", "golden", "--explain-sql", "--engine", "spark"]);
      expect(spark.status, spark.stderr).toBe(0);
      expect(spark.stdout).toContain("CREATE OR REPLACE TEMPORARY VIEW `records` AS");
      // Explaining reads no data: a file that does not exist is fine.
      const nothing = clue(["run", "--source", "crm-contacts", "--input", "missing.jsonl", "--explain-sql"]);
      expect(nothing.status, nothing.stderr).toBe(0);
    },
    TIMEOUT,
  );
});

describe("clue test and clue diff --engine duckdb", () => {
  it(
    "pass the example project's golden tests with the same report as the JS engine",
    () => {
      const js = clue(["test", "--format", "json"]);
      const duckdb = clue(["test", "--format", "json", "--engine", "duckdb"]);
      expect(js.status, js.stdout).toBe(0);
      expect(duckdb.status, duckdb.stdout).toBe(0);
      expect(duckdb.stdout).toBe(js.stdout);
    },
    TIMEOUT,
  );

  it(
    "fail a test that no longer holds, with the same differences",
    () => {
      const dir = copyOfExample();
      edit(
        dir,
        "config/cleaning/normalize_contacts.yaml",
        "value: title_case(first_name)",
        "value: upper(first_name)",
      );
      const js = clue(["test", "--format", "json", "--project", dir]);
      const duckdb = clue(["test", "--format", "json", "--project", dir, "--engine", "duckdb"]);
      expect(js.status).toBe(1);
      expect(duckdb.status).toBe(1);
      expect(duckdb.stdout).toBe(js.stdout);
    },
    TIMEOUT,
  );

  it(
    "report the same data changes for a rule change",
    () => {
      const dir = copyOfExample();
      const git = (...args: string[]) => spawnSync("git", args, { cwd: dir, encoding: "utf8" });
      git("init", "-q");
      git("add", "-A");
      git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "base");
      edit(dir, "config/dedup/person.yaml", "confidence: 0.95", "confidence: 0.99");
      const js = clue(["diff", "--base", "HEAD", "--format", "json"], dir);
      const duckdb = clue(["diff", "--base", "HEAD", "--format", "json", "--engine", "duckdb"], dir);
      expect(js.stdout).toContain('"matches": [\n    {');
      expect({ status: duckdb.status, stdout: duckdb.stdout }).toEqual({
        status: js.status,
        stdout: js.stdout,
      });
    },
    TIMEOUT,
  );
});

interface Fixture {
  name: string;
  project: string;
  source: string;
  data: string;
  /** The dedup file has a model to train first. */
  train?: boolean;
}

const accuracy: Fixture[] = [
  { name: "FEBRL dataset 1", project: "accuracy/febrl/", source: "febrl", data: "data/febrl1.csv" },
  {
    name: "Splink fake_1000",
    project: "accuracy/splink/",
    source: "fake_1000",
    data: "data/splink_fake_1000.csv",
  },
  {
    name: "dedupe restaurants",
    project: "accuracy/restaurant/",
    source: "restaurants",
    data: "data/restaurant.csv",
  },
  {
    name: "FEBRL with a trained model",
    project: "accuracy/febrl-model/",
    source: "febrl",
    data: "data/febrl1.csv",
    train: true,
  },
  {
    name: "Splink with a trained model",
    project: "accuracy/splink-model/",
    source: "fake_1000",
    data: "data/splink_fake_1000.csv",
    train: true,
  },
];

describe.each(accuracy)("clue run --engine duckdb on the accuracy fixture $name", (f) => {
  it(
    "writes the same matches and golden records as the JS engine",
    () => {
      let project = fixture(f.project);
      if (f.train) {
        const dir = mkdtempSync(join(tmpdir(), "clue-engine-model-"));
        cpSync(project, dir, { recursive: true });
        project = dir;
        const trained = clue([
          "train",
          "--source",
          f.source,
          "--input",
          fixture(f.data),
          "--project",
          project,
        ]);
        expect(trained.status, trained.stderr).toBe(0);
      }
      for (const stage of ["matches", "golden"]) {
        const js = expectSameOnBothEngines([
          "run",
          "--source",
          f.source,
          "--input",
          fixture(f.data),
          "--stage",
          stage,
          "--project",
          project,
        ]);
        expect(js.stdout.split("\n").length).toBeGreaterThan(100);
      }
    },
    TIMEOUT,
  );
});

/** A project that exercises what the other fixtures do not: cluster_guard, link_only, one_to_one, decisions, every strategy. */
function featureProject(dedup: string): string {
  const dir = mkdtempSync(join(tmpdir(), "clue-engine-features-"));
  const files: Record<string, string> = {
    "env/local.yaml": "name: local\ntarget: { type: local }\n",
    "config/entities/contact.yaml": `entity: Contact
fields:
  id: { type: string, required: true }
  name: { type: string }
  email: { type: string }
  phone: { type: string }
  city: { type: string }
  score: { type: number }
  active: { type: boolean }
  updated_at: { type: datetime }
`,
    "config/mappings/sources.yaml": `entity: Contact
source: crm
format: jsonl
fields: { id: $.id, name: $.name, email: $.email, phone: $.phone, city: $.city, score: $.score, active: $.active, updated_at: $.updated_at }
---
entity: Contact
source: shop
format: csv
fields: { id: $.id, name: $.name, email: $.email, phone: $.phone, city: $.city, score: $.score, active: $.active, updated_at: $.updated_at }
`,
    "config/dedup/contact.yaml": dedup,
    "crm.jsonl": [
      {
        id: "a1",
        name: "Ann Lee",
        email: "ann@x.com",
        phone: "111",
        city: "Oslo",
        score: 1.5,
        active: true,
        updated_at: "2024-01-01T00:00:00Z",
      },
      {
        id: "a2",
        name: "Ann Leee",
        email: "ANN@x.com",
        phone: "222",
        city: "Oslo",
        score: 2,
        active: false,
        updated_at: "2024-02-01T00:00:00Z",
      },
      {
        id: "a3",
        name: "Bob",
        email: "bob@y.com",
        phone: "111",
        city: "Rome",
        score: null,
        active: null,
        updated_at: null,
      },
      {
        id: "a4",
        name: "Bobby",
        email: "bob@y.com",
        phone: "333",
        city: "Rome",
        score: 1e21,
        active: true,
        updated_at: "2023-05-05T00:00:00Z",
      },
      {
        id: "a5",
        name: "Cat",
        email: "cat@z.com",
        phone: "333",
        city: "Pisa",
        score: 0.1,
        active: true,
        updated_at: "2022-01-01T00:00:00Z",
      },
      {
        id: "a6",
        name: "Zoë Ünal",
        email: "zoe@q.com",
        phone: null,
        city: "Bern",
        score: -3,
        active: false,
        updated_at: "2021-01-01T00:00:00Z",
      },
      {
        id: "a9",
        name: "Nine",
        email: "n9@q.com",
        phone: "999",
        city: "Kyiv",
        score: 9,
        active: true,
        updated_at: "2020-01-01T00:00:00Z",
      },
      {
        name: "No Id 😀",
        email: "cat@z.com",
        phone: "444",
        city: "Pisa",
        score: 4e-7,
        active: true,
        updated_at: "2020-01-01T00:00:00Z",
      },
    ]
      .map((r) => JSON.stringify(r))
      .join("\n"),
    "shop.csv": `id,name,email,phone,city,score,active,updated_at
s1,Ann Lee,ann@x.com,555,Oslo,3,true,2024-03-01T00:00:00Z
s2,Zoe Unal,ZOE@Q.COM,,Bern,,false,2024-03-01T00:00:00Z
s3,Bob,bob@y.com,666,Rome,7,,2024-04-01T00:00:00Z
s9,Niner,other@q.com,998,Lviv,9,true,2020-01-01T00:00:00Z
s5,Cat,cat@z.com,777,Pisa,0,true,2019-01-01T00:00:00Z
`,
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const DEDUP = `entity: Contact
rules:
  - name: email
    when: lower(email) == lower(other.email)
    confidence: 0.99
  - name: phone
    when: phone == other.phone
    confidence: 0.92
  - name: name_city
    when: jaro_winkler(name, other.name) >= 0.9 and city == other.city and source == other.source
    confidence: 0.97
auto_approve_threshold: 0.9
queue_threshold: 0.8
cluster_guard: { max_size: 3 }
survivorship:
  default: most_recent
  source_order: [shop, crm]
  fields:
    name: { strategy: longest }
    city: { strategy: most_frequent }
    phone: { strategy: most_complete }
    email: { strategy: source_priority, order: [crm, shop] }
decisions:
  - never_merge: [crm:a1, shop:s3]
  - merge: [a9, s9]
  - merge: [nobody, a2]
`;

const variants: [string, (dedup: string) => string][] = [
  ["cluster_guard splitting clusters past max_size, decisions, every strategy", (d) => d],
  [
    "cluster_guard only reporting (action: flag)",
    (d) => d.replace("{ max_size: 3 }", "{ max_size: 3, action: flag }"),
  ],
  [
    "no cluster_guard (whole components, never_merge merge by merge)",
    (d) => d.replace(/^cluster_guard.*\n/m, ""),
  ],
  ["link_only", (d) => d.replace("queue_threshold: 0.8", "queue_threshold: 0.8\nlink_only: true")],
  ["one_to_one", (d) => d.replace("queue_threshold: 0.8", "queue_threshold: 0.8\none_to_one: true")],
  [
    "recency by a number field, ties to source order",
    (d) => d.replace("  source_order: [shop, crm]", "  recency_field: score\n  source_order: [shop, crm]"),
  ],
];

describe.each(variants)("clue run --engine duckdb with %s", (_, edit) => {
  it(
    "writes the same matches and golden records, and the same guard and decision warnings",
    () => {
      const dir = featureProject(edit(DEDUP));
      const inputs = [
        "--source",
        "crm",
        "--input",
        "crm.jsonl",
        "--source",
        "shop",
        "--input",
        "shop.csv",
        "--project",
        dir,
      ];
      for (const stage of ["matches", "golden"])
        expectSameOnBothEngines(["run", ...inputs, "--stage", stage], dir);
    },
    TIMEOUT,
  );
});

describe("clusters and inputs on --engine duckdb", () => {
  it(
    "gives a cluster the confidence of its weakest needed merge, not of its weakest pair",
    () => {
      // a–b share an e-mail (0.99), b–c a phone (0.92), a–c a name (0.97): merged strongest first, a–b and a–c make
      // the cluster before b–c is tried, so its confidence is 0.97.
      const dedup = DEDUP.replace(/^cluster_guard.*\n/m, "")
        .replace(/^decisions:[\s\S]*$/m, "")
        .replace(
          "when: jaro_winkler(name, other.name) >= 0.9 and city == other.city and source == other.source",
          "when: name == other.name",
        );
      const dir = featureProject(dedup);
      writeFileSync(
        join(dir, "crm.jsonl"),
        [
          { id: "a", name: "X", email: "e@x.com", phone: "1" },
          { id: "b", name: "Y", email: "e@x.com", phone: "2" },
          { id: "c", name: "X", email: "f@x.com", phone: "2" },
        ]
          .map((r) => JSON.stringify(r))
          .join("\n"),
      );
      const js = expectSameOnBothEngines(
        ["run", "--source", "crm", "--input", "crm.jsonl", "--stage", "golden", "--project", dir],
        dir,
      );
      const golden = JSON.parse(js.stdout) as { attributes: Record<string, { confidence: number }> };
      expect(Object.values(golden.attributes).map((a) => a.confidence)).toEqual([0.97, 0.97, 0.97, 0.97]);
    },
    TIMEOUT,
  );

  it(
    "reads a Parquet file with DuckDB's reader into the same records as the JSON Lines it was written from",
    async () => {
      const { DuckDBInstance } = await import("@duckdb/node-api");
      const dir = mkdtempSync(join(tmpdir(), "clue-engine-parquet-"));
      const parquet = join(dir, "crm.parquet");
      const instance = await DuckDBInstance.create(":memory:");
      const connection = await instance.connect();
      await connection.run(
        `COPY (SELECT * FROM read_json('${join(repo, "config/samples/crm-contacts.jsonl")}', format = 'newline_delimited')) TO '${parquet}' (FORMAT parquet)`,
      );
      connection.closeSync();
      instance.closeSync();
      const fromJsonl = clue(["run", ...CRM, "--stage", "golden"]);
      const fromParquet = clue([
        "run",
        "--source",
        "crm-contacts",
        "--input",
        parquet,
        "--stage",
        "golden",
        "--engine",
        "duckdb",
      ]);
      expect(fromParquet.status, fromParquet.stderr).toBe(0);
      expect(fromParquet.stdout).toBe(fromJsonl.stdout);
    },
    TIMEOUT,
  );
});

describe("what --engine duckdb refuses, and how it says so", () => {
  it(
    "stops on a value that is not of its field's type, naming the file, line and field",
    () => {
      const dir = featureProject(DEDUP);
      writeFileSync(
        join(dir, "shop.csv"),
        "id,name,email,phone,city,score,active,updated_at\ns1,Ann,a@x.com,1,Oslo,n/a,true,\n",
      );
      const run = clue(
        [
          "run",
          "--source",
          "shop",
          "--input",
          "shop.csv",
          "--stage",
          "cleaned",
          "--project",
          dir,
          "--engine",
          "duckdb",
        ],
        dir,
      );
      expect(run.status).toBe(1);
      expect(run.stdout).toBe("");
      expect(run.stderr).toContain(
        `${join(dir, "shop.csv")}:2: field score is number but the record holds text that does not convert`,
      );
      expect(run.stderr).toContain("--engine js");
    },
    TIMEOUT,
  );

  it(
    "rejects a number no double holds as written, as the JS engine does (a dead letter)",
    () => {
      const dir = featureProject(DEDUP);
      writeFileSync(
        join(dir, "shop.csv"),
        "id,name,email,phone,city,score,active,updated_at\ns1,Ann,a@x.com,1,Oslo,9007199254740993,true,\ns2,Bo,b@x.com,2,Rome,4,false,\n",
      );
      const args = [
        "run",
        "--source",
        "shop",
        "--input",
        "shop.csv",
        "--stage",
        "validated",
        "--project",
        dir,
        "--dead-letter",
        "letters.jsonl",
      ];
      const js = clue([...args, "--engine", "js"], dir);
      const jsLetters = readFileSync(join(dir, "letters.jsonl"), "utf8");
      const duckdb = clue([...args, "--engine", "duckdb"], dir);
      expect(duckdb).toEqual(js);
      expect(readFileSync(join(dir, "letters.jsonl"), "utf8")).toBe(jsLetters);
      expect(jsLetters).toContain("beyond 2^53");
    },
    TIMEOUT,
  );

  it(
    "reads JSON Lines of every shape as the JS engine does: plain lines go to DuckDB as written, the rest parsed",
    () => {
      const dir = featureProject(DEDUP);
      const lines = [
        '{ "id" : "p1", "name": "Ann", "email": null, "active": true }', // plain, with spaces
        '{"id":"p2","name":"Bo","name":"Bea","score":1.50}', // a repeated key (the last counts) and a number
        '{"id":"p3","1":"x","name":"Cy \\u00e9","city":"Oslo\\n"}', // an integer key, escapes
        '{"id":"p4","name":"Di","extra":{"__proto__":"x","k":[1,2]}}', // nested
        '{"id":"p5","name":"Ed",}', // invalid: a dead letter
        '{"id":"p6","name":"Fay","email":"fay@x.com"}',
        "\t",
        '{"id":"p7","name":"Gus","phone":"+47 22 12 34 56","active":false}',
      ];
      writeFileSync(join(dir, "shapes.jsonl"), `${lines.join("\n")}\n`);
      const args = ["run", "--source", "crm", "--input", "shapes.jsonl", "--project", dir];
      const run = (engine: string, stage: string) => {
        const result = clue(
          [...args, "--stage", stage, "--engine", engine, "--dead-letter", "letters.jsonl"],
          dir,
        );
        return { ...result, letters: readFileSync(join(dir, "letters.jsonl"), "utf8") };
      };
      for (const stage of ["mapped", "cleaned", "golden"]) {
        const js = run("js", stage);
        expect(js.status, js.stderr).toBe(0);
        expect(js.stdout).toContain('"Bea"');
        expect(js.letters).toContain('"line":5');
        expect(run("duckdb", stage)).toEqual(js);
      }
    },
    TIMEOUT,
  );

  it(
    "keeps the golden records' order over many row groups, read by two threads (the table is stored sorted)",
    () => {
      // 300,000 records are some 37 of DuckDB's row groups of 8,192 records (and 3 of its 122,880-row parts): both
      // threads read and write. A tenth share an email, and names repeat (soundex runs once per distinct name).
      const dir = mkdtempSync(join(tmpdir(), "clue-engine-order-"));
      onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
      const files: Record<string, string> = {
        "env/local.yaml": "name: local\ntarget: { type: local }\n",
        "config/entities/person.yaml":
          "entity: Person\nfields:\n  id: { type: string, required: true }\n  name: { type: string }\n  email: { type: string }\n  phone: { type: string }\n",
        "config/mappings/people.yaml":
          "entity: Person\nsource: people\nformat: jsonl\nfields: { id: $.id, name: $.name, email: $.email, phone: $.phone }\n",
        "config/dedup/person.yaml": [
          "entity: Person",
          "rules:",
          "  - { name: email, when: email == other.email, confidence: 0.99 }",
          "  - { name: sound, when: soundex(name) == soundex(other.name) and phone == other.phone, confidence: 0.95 }",
          "auto_approve_threshold: 0.9",
          "queue_threshold: 0.8",
          "",
        ].join("\n"),
      };
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(join(dir, path, ".."), { recursive: true });
        writeFileSync(join(dir, path), text);
      }
      const names = ["Ann", "Anne", "Bo", "Cy", "Dee", "Ed", "Fay", "Gus", "Hal", "Ida"];
      const n = 300_000;
      const lines: string[] = [];
      for (let i = 0; i < n; i++) {
        const person = (i * 7919) % (n * 0.9);
        lines.push(
          JSON.stringify({
            id: `r${i}`,
            name: `${names[i % names.length]} ${String.fromCharCode(65 + (person % 26))}${person % 977}`,
            email: `u${person}@example.com`,
            phone: `+47${20000000 + ((i * 104729) % 9000000)}`,
          }),
        );
      }
      writeFileSync(join(dir, "people.jsonl"), `${lines.join("\n")}\n`);
      const args = [
        "run",
        "--source",
        "people",
        "--input",
        "people.jsonl",
        "--project",
        dir,
        "--stage",
        "golden",
      ];
      const js = clue([...args, "--engine", "js", "--out", "js.jsonl"], dir);
      expect(js.status, js.stderr).toBe(0);
      const duckdb = clue([...args, "--engine", "duckdb", "--threads", "2", "--out", "duckdb.jsonl"], dir);
      expect(duckdb.status, duckdb.stderr).toBe(0);
      expect(duckdb.stderr).toBe(js.stderr.replaceAll("js.jsonl", "duckdb.jsonl"));
      const golden = readFileSync(join(dir, "js.jsonl"), "utf8");
      expect(golden.split("\n").length).toBeGreaterThan(n * 0.85);
      expect(readFileSync(join(dir, "duckdb.jsonl"), "utf8") === golden).toBe(true);
    },
    TIMEOUT,
  );

  it(
    "refuses a JSONPath it cannot read, naming the mapping and field (usage, exit 64)",
    () => {
      const dir = featureProject(DEDUP);
      edit(dir, "config/mappings/sources.yaml", "name: $.name, email", "name: $..name, email");
      const run = clue(
        ["run", "--source", "crm", "--input", "crm.jsonl", "--project", dir, "--engine", "duckdb"],
        dir,
      );
      expect(run.status).toBe(64);
      expect(run.stderr).toMatch(
        /mapping crm, field name: the path \$\.\.name is not supported on SQL engines/,
      );
    },
    TIMEOUT,
  );

  it("says how to give DuckDB more memory when a step cannot fit under --memory-limit, and writes nothing", () => {
    const dir = mkdtempSync(join(tmpdir(), "clue-engine-memory-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const out = join(dir, "golden.jsonl");
    const run = clue([
      ...["run", ...CRM, "--stage", "golden", "--engine", "duckdb"],
      "--memory-limit",
      "1MB",
      "--out",
      out,
    ]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /^clue: DuckDB ran out of memory under its limit \(1MB\): .*give it more with --memory-limit/,
    );
    expect(run.stderr).not.toMatch(/internal error|SET memory_limit/);
    expect(existsSync(out)).toBe(false);
  });

  it("says how to install @duckdb/node-api when it cannot be loaded", () => {
    // A resolve hook makes the package impossible to find, as it is where it was never installed.
    const hook = `data:text/javascript,${encodeURIComponent(
      `import { register } from "node:module"; register("data:text/javascript,${encodeURIComponent(
        `export async function resolve(s, c, next) { if (s === "@duckdb/node-api") { const e = new Error("Cannot find package '@duckdb/node-api'"); e.code = "ERR_MODULE_NOT_FOUND"; throw e; } return next(s, c); }`,
      )}");`,
    )}`;
    const result = spawnSync(
      process.execPath,
      ["--import", hook, join(repo, "bin/clue.js"), "run", ...CRM, "--engine", "duckdb"],
      {
        cwd: repo,
        encoding: "utf8",
      },
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      "--engine duckdb needs @duckdb/node-api: npm install --save-dev @duckdb/node-api@1.5.6-r.1",
    );
  });
});
