/**
 * `--engine spark` against `--engine js` on the accuracy fixtures (FEBRL, Splink's fake_1000, the restaurants, and
 * the two trained models): matches and golden records must come out byte for byte the same. As in
 * engine-spark.test.ts, the plans are compiled with `clue compile --engine spark` and run as one batch in one Spark
 * session (its start is most of a small run's time).
 */
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { submit, type SubmitResult } from "../../src/engine/spark/submit.js";
import { SPARK_TIMEOUT, sparkInstall, sparkTestsRun, sparkTitle } from "./spark.js";

const run = promisify(execFile);
const repo = join(import.meta.dirname, "..", "..");
const fixtures = join(repo, "test", "fixtures");
const dir = mkdtempSync(join(tmpdir(), "clue-spark-accuracy-"));

const FIXTURES = [
  { name: "febrl", source: "febrl", data: "data/febrl1.csv", train: false },
  { name: "splink", source: "fake_1000", data: "data/splink_fake_1000.csv", train: false },
  { name: "restaurant", source: "restaurants", data: "data/restaurant.csv", train: false },
  { name: "febrl-model", source: "febrl", data: "data/febrl1.csv", train: true },
  { name: "splink-model", source: "fake_1000", data: "data/splink_fake_1000.csv", train: true },
] as const;
const CASES = FIXTURES.flatMap((f) => (["matches", "golden"] as const).map((stage) => ({ ...f, stage })));
const caseName = (c: (typeof CASES)[number]) => `${c.name}-${c.stage}`;

async function clue(args: readonly string[]): Promise<void> {
  await run(process.execPath, [join(repo, "bin/clue.js"), ...args], {
    cwd: repo,
    maxBuffer: 256 * 1024 * 1024,
  }).catch((e: { stderr?: string; message: string }) => {
    throw new Error(`clue ${args.join(" ")}: ${e.stderr ?? e.message}`);
  });
}

let batch: SubmitResult;

/** Two units in the last place of a double, relative. */
const TWO_ULPS = 2 * 2 ** -52;

/** Where two JSON values differ, numbers within two units in the last place counting as equal. */
function differ(a: unknown, b: unknown, path: string): string[] {
  if (typeof a === "number" && typeof b === "number")
    return a === b || Math.abs(a - b) <= TWO_ULPS * Math.max(Math.abs(a), Math.abs(b))
      ? []
      : [`${path}: ${a} / ${b}`];
  if (Array.isArray(a) && Array.isArray(b))
    return a.length !== b.length
      ? [`${path}: ${a.length} items / ${b.length}`]
      : a.flatMap((x, i) => differ(x, b[i], `${path}[${i}]`));
  if (a !== null && b !== null && typeof a === "object" && typeof b === "object") {
    const keys = Object.keys(a);
    if (keys.join() !== Object.keys(b).join())
      return [`${path}: keys ${keys.join()} / ${Object.keys(b).join()}`];
    return keys.flatMap((k) =>
      differ((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`),
    );
  }
  return a === b ? [] : [`${path}: ${JSON.stringify(a)} / ${JSON.stringify(b)}`];
}

describe.skipIf(!sparkTestsRun)(sparkTitle("--engine spark on the accuracy fixtures"), () => {
  beforeAll(async () => {
    if (!sparkInstall)
      throw new Error("no local Spark: run scripts/spark-env.sh (CLUE_REQUIRE_SPARK is set)");
    // The models are trained first, in a copy of their fixture (training writes the model into the config).
    for (const f of FIXTURES) {
      const project = join(dir, f.name);
      cpSync(join(fixtures, "accuracy", f.name), project, { recursive: true });
      if (f.train)
        await clue(["train", "--source", f.source, "--input", join(fixtures, f.data), "--project", project]);
    }
    for (const c of CASES) {
      const inputs = ["--source", c.source, "--input", join(fixtures, c.data), "--stage", c.stage];
      const project = ["--project", join(dir, c.name)];
      await clue(["run", ...inputs, ...project, "--out", join(dir, `${caseName(c)}.js.jsonl`)]);
      await clue([
        "compile",
        "--engine",
        "spark",
        "--out",
        join(dir, `job-${caseName(c)}`),
        ...inputs,
        ...project,
      ]);
    }
    batch = await submit({
      install: sparkInstall,
      jobDir: join(dir, `job-${caseName(CASES[0] as (typeof CASES)[number])}`),
      runs: CASES.map((c) => ({
        plan: join(dir, `job-${caseName(c)}`, "plan.json"),
        out: join(dir, `${caseName(c)}.spark.jsonl`),
      })),
    });
  }, SPARK_TIMEOUT);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("runs every plan of the batch", () => {
    expect(batch.code, [...batch.messages, ...batch.logTail].join("\n")).toBe(0);
    expect(batch.messages.filter((m) => m.includes(" written to "))).toHaveLength(CASES.length);
  });

  it.each(CASES.map((c) => [caseName(c), c] as const))("writes %s as the JS engine does", (name, c) => {
    const js = readFileSync(join(dir, `${name}.js.jsonl`), "utf8");
    const spark = readFileSync(join(dir, `${name}.spark.jsonl`), "utf8");
    expect(js.split("\n").length).toBeGreaterThan(100);
    if (!c.train) {
      expect(spark === js, `${name} differs`).toBe(true);
      return;
    }
    // The documented exception: a model's match probability goes through Python's log2 and power, which may
    // differ from V8's in the last bits. Everything else (pairs, rules, decisions, waterfalls) is the same.
    const jsRows = js.trimEnd().split("\n");
    const sparkRows = spark.trimEnd().split("\n");
    expect(sparkRows).toHaveLength(jsRows.length);
    const differences = jsRows.flatMap((line, i) =>
      differ(JSON.parse(line) as unknown, JSON.parse(sparkRows[i] as string) as unknown, `row ${i + 1}`),
    );
    expect(differences).toEqual([]);
  });
});
