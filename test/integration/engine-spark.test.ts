/**
 * `--engine spark` against `--engine js` on the example project: the samples the golden tests (config/tests/) read,
 * through the stages from validated to golden records and export rows, must come out byte for byte the same.
 *
 * Spark starts slowly (10-30 s on a busy two-core machine), so the stages are compiled with `clue compile --engine
 * spark` and run by one spark-submit, as a batch of plans in one session; `clue run --engine spark` itself runs
 * once, end to end. Without a local Spark (scripts/spark-env.sh) the tests are skipped, saying why, except where
 * CLUE_REQUIRE_SPARK is set (CI).
 */
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { submit, type SubmitResult } from "../../src/engine/spark/submit.js";
import { PERSON_INPUTS } from "../example-inputs.js";
import { SPARK_TIMEOUT, sparkInstall, sparkTestsRun, sparkTitle } from "./spark.js";

const run = promisify(execFile);
const repo = join(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "clue-engine-spark-"));

const CRM = ["--source", "crm-contacts", "--input", "config/samples/crm-contacts.jsonl"];
const BILLING_ORGS = [
  "--source",
  "billing",
  "--entity",
  "Organization",
  "--input",
  "config/samples/billing.csv",
];

/**
 * The inputs and stages of config/tests/*.yaml that read sample files, beyond the validated stage of both Person
 * samples that `clue run --engine spark` runs below (events are rendered by clue itself from golden records).
 */
const CASES = [
  { name: "crm-billing-golden", stage: "golden", inputs: PERSON_INPUTS },
  { name: "crm-warehouse-rows", stage: "export:warehouse-contacts-v1", inputs: CRM },
  { name: "billing-organization-matches", stage: "matches", inputs: BILLING_ORGS },
] as const;

function clue(args: readonly string[], env: NodeJS.ProcessEnv = process.env) {
  return run(process.execPath, ["bin/clue.js", ...args], {
    cwd: repo,
    env,
    maxBuffer: 64 * 1024 * 1024,
  }).then(
    (r) => ({ status: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({
      status: e.code ?? 1,
      stdout: e.stdout ?? "",
      stderr: e.stderr ?? "",
    }),
  );
}

const jsOut = (name: string) => join(dir, `${name}.js.jsonl`);
const sparkOut = (name: string) => join(dir, `${name}.spark.jsonl`);
let batch: SubmitResult;
let endToEnd: { spark: Awaited<ReturnType<typeof clue>>; js: Awaited<ReturnType<typeof clue>> };
/** `clue test --engine spark` on a copy of the project whose inline test expects one value wrongly. */
let tests: Awaited<ReturnType<typeof clue>>;

describe.skipIf(!sparkTestsRun)(sparkTitle("--engine spark on the example project"), () => {
  beforeAll(async () => {
    if (!sparkInstall)
      throw new Error("no local Spark: run scripts/spark-env.sh (CLUE_REQUIRE_SPARK is set)");
    await Promise.all(
      CASES.map(async (c) => {
        const js = await clue(["run", ...c.inputs, "--stage", c.stage, "--out", jsOut(c.name)]);
        if (js.status !== 0) throw new Error(`clue run --engine js ${c.name}: ${js.stderr}`);
        const compiled = await clue([
          "compile",
          "--engine",
          "spark",
          "--out",
          join(dir, c.name),
          ...c.inputs,
          "--stage",
          c.stage,
        ]);
        if (compiled.status !== 0) throw new Error(`clue compile ${c.name}: ${compiled.stderr}`);
      }),
    );
    batch = await submit({
      install: sparkInstall,
      jobDir: join(dir, CASES[0].name),
      runs: CASES.map((c) => ({ plan: join(dir, c.name, "plan.json"), out: sparkOut(c.name) })),
    });
    const stage = ["--stage", "validated"];
    endToEnd = {
      // One dead-letter file for both (one after the other), so the summaries name the same file.
      spark: await clue([
        "run",
        ...PERSON_INPUTS,
        ...stage,
        "--engine",
        "spark",
        "--dead-letter",
        join(dir, "dl.jsonl"),
      ]),
      js: await clue(["run", ...PERSON_INPUTS, ...stage, "--dead-letter", join(dir, "dl.jsonl")]),
    };
    const project = join(dir, "project");
    for (const folder of ["config", "env"])
      cpSync(join(repo, folder), join(project, folder), { recursive: true });
    const normalize = join(project, "config/tests/normalize_contacts.yaml");
    const yaml = readFileSync(normalize, "utf8");
    // The expected row's last name (the given record's comes first).
    const at = yaml.lastIndexOf("last_name: Rossi");
    expect(at).toBeGreaterThan(yaml.indexOf("expect:"));
    writeFileSync(normalize, `${yaml.slice(0, at)}last_name: Rossini${yaml.slice(at + 16)}`);
    tests = await clue([
      "test",
      "normalize_contacts_cases",
      "person_validation_edge_cases",
      "--engine",
      "spark",
      "--project",
      project,
    ]);
  }, SPARK_TIMEOUT);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("runs every plan of the batch", () => {
    expect(batch.code, [...batch.messages, ...batch.logTail].join("\n")).toBe(0);
    expect(batch.messages.filter((m) => m.includes(" written to "))).toHaveLength(CASES.length);
  });

  it.each(CASES.map((c) => [c.name, c] as const))("writes %s as the JS engine does", (_, c) => {
    const js = readFileSync(jsOut(c.name), "utf8");
    expect(js.trim()).not.toBe("");
    expect(readFileSync(sparkOut(c.name), "utf8")).toBe(js);
  });

  it("clue run --engine spark writes the rows and the summary of --engine js", () => {
    expect(endToEnd.spark.status, endToEnd.spark.stderr).toBe(0);
    expect(endToEnd.spark.stdout).toBe(endToEnd.js.stdout);
    expect(endToEnd.spark.stdout.split("\n").length).toBeGreaterThan(30);
    // The totals, the removals and the data-quality table read the same.
    expect(endToEnd.spark.stderr).toBe(endToEnd.js.stderr);
  });

  it("clue test --engine spark runs tests of records given inline, and names what differs", () => {
    expect(tests.status, tests.stderr).toBe(1);
    expect(tests.stdout).toMatch(/✔ person_validation_edge_cases .* passed/);
    expect(tests.stdout).toMatch(/✖ normalize_contacts_cases .* failed/);
    expect(tests.stdout).toContain('last_name: expected "Rossini", actual "Rossi"');
    expect(tests.stdout).toContain("1 passed, 1 failed");
  });
});

describe("clue compile and --engine spark without running Spark", () => {
  it("writes the job: the plan in Spark SQL, the program and its README", async () => {
    const out = join(dir, "job-only");
    const result = await clue(["compile", "--engine", "spark", "--out", out, ...CRM]);
    expect(result.status, result.stderr).toBe(0);
    for (const name of [
      "plan.json",
      "clue_job.py",
      "clue_inputs.py",
      "clue_udfs.py",
      "clue_json.py",
      "README.md",
    ])
      expect(existsSync(join(out, name)), name).toBe(true);
    const plan = JSON.parse(readFileSync(join(out, "plan.json"), "utf8")) as {
      engine: string;
      inputs: { path: string; format: string }[];
      output: { stage: string };
      udfs: string[];
    };
    expect(plan.engine).toBe("spark");
    expect(plan.inputs).toMatchObject([
      { path: join(repo, "config/samples/crm-contacts.jsonl"), format: "jsonl" },
    ]);
    expect(plan.output.stage).toBe("validated");
    expect(plan.udfs).toContain("clue_to_e164");
    expect(result.stderr).toContain("spark-submit");
  });

  it("refuses an engine whose jobs do not run outside clue, and a missing --out", async () => {
    const duckdb = await clue(["compile", "--engine", "duckdb", "--out", join(dir, "x"), ...CRM]);
    expect(duckdb.status).toBe(64);
    expect(duckdb.stderr).toContain('clue compile writes jobs for --engine spark, not "duckdb"');
    const noOut = await clue(["compile", "--engine", "spark", ...CRM]);
    expect(noOut.status).toBe(64);
    expect(noOut.stderr).toContain("--out DIR");
  });

  it("names a function Spark cannot run, and the engine, and writes nothing", async () => {
    const project = join(dir, "project");
    cpSync(join(repo, "config"), join(project, "config"), { recursive: true });
    cpSync(join(repo, "env"), join(project, "env"), { recursive: true });
    const cleaning = join(project, "config", "cleaning", "normalize_contacts.yaml");
    writeFileSync(
      cleaning,
      readFileSync(cleaning, "utf8") +
        "  - name: sound_of_the_name\n    action: set\n    field: last_name\n    value: double_metaphone(last_name)\n",
    );
    const out = join(dir, "refused");
    const result = await clue([
      "compile",
      "--engine",
      "spark",
      "--out",
      out,
      "--project",
      project,
      "--source",
      "crm-contacts",
      "--input",
      join(project, "config/samples/crm-contacts.jsonl"),
    ]);
    expect(result.status, result.stderr).toBe(64);
    expect(result.stderr).toContain("--engine spark: ");
    expect(result.stderr).toContain("double_metaphone() cannot run on Spark");
    expect(existsSync(join(out, "plan.json"))).toBe(false);
  });

  it("says how to install Spark when the one it is given cannot start", async () => {
    const result = await clue(["run", ...CRM, "--engine", "spark"], {
      ...process.env,
      CLUE_SPARK_SUBMIT: join(dir, "no-such-spark-submit"),
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("no-such-spark-submit (from CLUE_SPARK_SUBMIT): no such file");
    expect(result.stdout).toBe("");
  });
});
