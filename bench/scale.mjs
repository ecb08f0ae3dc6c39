// npm run bench:scale — bench:dedup's rules at 10,000,000 records, clue on DuckDB (`clue run --engine duckdb --stage
// golden`) side by side with Splink 4 on DuckDB doing the same rules, in one run: wall time, peak memory, pairs
// compared and found, and whether the two make the same clusters.
//
// The records are bench/people.mjs's (seeded), written once as JSON Lines to bench/out/scale-N/ and kept there for
// the next run (BENCH_FRESH=1 writes them again). Each line also carries three fields clue computes itself but
// Splink's DuckDB cannot: phone_e164 (libphonenumber-js's E.164 form of the number, null when invalid — the
// generator parses each person's number once, and checks every 1,000th record's written form gives the same),
// soundex_first and soundex_last (clue's soundex). clue's mapping ignores them; Splink gets them ready-made, so its
// time has no phone parsing in it.
//
// clue: the real CLI as a child process for each engine of BENCH_ENGINES (default "duckdb"; "js,duckdb,spark" adds
// the JS engine (BENCH_JS_THREADS worker threads, default 1), about 0.8 GB a million records, and a local Spark from
// scripts/spark-env.sh), wall time from spawn to exit and peak RSS by /usr/bin/time (the largest single process's:
// for Spark, usually the JVM's).
// Splink: bench/splink/scale_bench.py in .venv-bench/ (made on first use, as bench:splink does), its deterministic
// link with the four rules as blocking rules (every pair any rule finds: clue's merged + queued), clusters of the
// pairs that merge in clue (exact email, the one rule above auto_approve_threshold), peak RSS by ru_maxrss; its
// time is the link and the clustering, not starting Python or loading the file (shown apart).
// Agreement: clue's golden records and Splink's clusters are read into DuckDB and compared record by record: a
// record agrees when its cluster has the same members on both sides.
//
// Environment: BENCH_RECORDS (default 10,000,000), BENCH_ENGINES, BENCH_THREADS (DuckDB threads on both sides,
// default the machine's cores), BENCH_JS_THREADS, BENCH_MEMORY_LIMIT (clue's --memory-limit on DuckDB, default 6GB),
// BENCH_FRESH=1, BENCH_KEEP=1 (keeps the outputs).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";
import { functionFamilies } from "../dist/expr/functions/index.js";
import { peakRss } from "./peak-rss.mjs";
import { PROJECT, writeRecords } from "./people.mjs";
import { splinkPython } from "./splink/venv.mjs";

const RECORDS = Number(process.env.BENCH_RECORDS ?? 10_000_000);
if (!Number.isInteger(RECORDS) || RECORDS < 1)
  throw new Error(`BENCH_RECORDS must be a positive integer, got ${RECORDS}`);
const ENGINES = (process.env.BENCH_ENGINES ?? "duckdb").split(",").map((e) => e.trim());
const THREADS = Number(process.env.BENCH_THREADS ?? cpus().length);
/** The JS engine's worker threads (1: its default for golden records, which threads do not speed up on 2 cores). */
const JS_THREADS = Number(process.env.BENCH_JS_THREADS ?? 1);
/** What DuckDB may hold before it spills (the aim is under 8 GB for the whole process). */
const MEMORY_LIMIT = process.env.BENCH_MEMORY_LIMIT ?? "6GB";
const AIM = { seconds: 300, rssMB: 8192 };

const repo = fileURLToPath(new URL("..", import.meta.url));
const bin = join(repo, "bin/clue.js");
const dir = join(repo, "bench/out", `scale-${RECORDS}`);
const project = join(dir, "project");
const input = join(dir, "people.jsonl");
const fmt = (n) => Math.round(n).toLocaleString("en");
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
const started = performance.now();

mkdirSync(dir, { recursive: true });
for (const [path, text] of Object.entries(PROJECT)) {
  mkdirSync(join(project, path, ".."), { recursive: true });
  writeFileSync(join(project, path), text);
}

// ---------------------------------------------------------------------------------------------------------------
// The records, with what Splink is given ready-made.
// ---------------------------------------------------------------------------------------------------------------

const fn = (name) => functionFamilies.flatMap((f) => f.functions).find((f) => f.name === name);
const soundex = fn("soundex");
const e164 = fn("e164");
const libphone = createRequire(import.meta.url)("libphonenumber-js/max");

if (process.env.BENCH_FRESH || !existsSync(input)) {
  const t0 = performance.now();
  console.log(`writing ${fmt(RECORDS)} records to ${input} ...`);
  const perPerson = new Map();
  let checked = 0;
  const { people } = writeRecords(input, RECORDS, {
    extra: (record, who) => {
      let number = null;
      if (who.digits !== null) {
        // One person's number, however it is written, is the same E.164 number: parse it once.
        const key = `${who.digits}`;
        number = perPerson.get(key);
        if (number === undefined) {
          const parsed = libphone.parsePhoneNumberFromString(`+61${who.digits}`);
          number = parsed?.isValid() ? parsed.number : null;
          if (perPerson.size > 4_000_000) perPerson.clear();
          perPerson.set(key, number);
        }
      }
      if (record.phone === null) number = null;
      else if (++checked % 1000 === 0) {
        const own = e164.call([record.phone, "AU"]);
        if (own !== number) throw new Error(`e164(${record.phone}) is ${own}, the person's number ${number}`);
      }
      return {
        phone_e164: number,
        soundex_first: soundex.call([record.first_name]),
        soundex_last: soundex.call([record.last_name]),
      };
    },
  });
  console.log(
    `  ${fmt(people)} people, ${fmt(statSync(input).size / 2 ** 20)} MB, in ${secs(performance.now() - t0)}`,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The runs.
// ---------------------------------------------------------------------------------------------------------------

const measure = peakRss(dir);
const runs = [];
for (const engine of ENGINES) {
  const out = join(dir, `golden-${engine}.jsonl`);
  console.log(`clue run --engine ${engine} ...`);
  const result = measure.run(
    [
      bin,
      "run",
      "--project",
      project,
      ...(engine === "js" ? ["--threads", String(JS_THREADS)] : ["--engine", engine]),
      ...(engine === "duckdb" ? ["--threads", String(THREADS), "--memory-limit", MEMORY_LIMIT] : []),
      "--source",
      "crm-contacts",
      "--input",
      input,
      "--stage",
      "golden",
      "--out",
      out,
      "--dead-letter",
      join(dir, "dead-letters.jsonl"),
    ],
    dir,
  );
  if (result.status !== 0)
    throw new Error(`clue run --engine ${engine} failed (${result.status}):\n${result.stderr}`);
  const matches =
    /matches: (\d+) records, (\d+) pairs compared, (\d+) merged, (\d+) queued for review\./.exec(
      result.stderr,
    );
  const golden = /golden: (\d+) golden records/.exec(result.stderr);
  if (!matches || !golden) throw new Error(`unexpected output of clue run:\n${result.stderr}`);
  runs.push({
    who: `clue --engine ${engine}`,
    engine,
    out,
    ms: result.ms,
    rssMB: result.rssMB,
    compared: Number(matches[2]),
    found: Number(matches[3]) + Number(matches[4]),
    merged: Number(matches[3]),
    clusters: Number(golden[1]),
  });
  console.log(`  ${secs(result.ms)}, peak RSS ${fmt(result.rssMB)} MB`);
}

const setup = splinkPython();
const clusters = join(dir, "splink-clusters.parquet");
console.log("Splink (DuckDB) ...");
const t0 = performance.now();
const splink = spawnSync(
  setup.python,
  [
    join(repo, "bench/splink/scale_bench.py"),
    "--data",
    input,
    "--clusters",
    clusters,
    "--threads",
    String(THREADS),
    "--temp-directory",
    join(dir, "splink-tmp"),
  ],
  { encoding: "utf8", maxBuffer: 1 << 26 },
);
const splinkMs = performance.now() - t0;
if (splink.status !== 0)
  throw new Error(`scale_bench.py failed (${splink.status}):\n${splink.stderr.slice(-4000)}`);
const s = JSON.parse(splink.stdout);
runs.push({
  who: `Splink ${s.versions.splink}`,
  ms: s.wall_s * 1000,
  process: splinkMs,
  load: s.load_s * 1000,
  rssMB: s.peak_rss_mb,
  compared: s.candidates_per_rule.reduce((a, b) => a + b, 0),
  found: s.pairs,
  merged: s.merged_pairs,
  clusters: s.clusters,
});
console.log(`  ${secs(s.wall_s * 1000)} (process ${secs(splinkMs)}), peak RSS ${fmt(s.peak_rss_mb)} MB`);

// ---------------------------------------------------------------------------------------------------------------
// Agreement: the same members in each record's cluster on both sides.
// ---------------------------------------------------------------------------------------------------------------

const db = await (await DuckDBInstance.create(":memory:")).connect();
const agreement = {};
for (const run of runs.filter((r) => r.out)) {
  const reader = await db.runAndReadAll(`
    WITH clue AS (
      SELECT unnest(members).id AS id, entityId AS cluster
      FROM read_json('${run.out}', format = 'newline_delimited', columns = {entityId: 'VARCHAR', members: 'STRUCT(source VARCHAR, id VARCHAR)[]'})
    ),
    splink AS (SELECT id, CAST(cluster AS VARCHAR) AS cluster FROM read_parquet('${clusters}')),
    joined AS (SELECT clue.id, clue.cluster AS c, splink.cluster AS s FROM clue FULL JOIN splink USING (id)),
    c_ok AS (SELECT c FROM joined GROUP BY c HAVING count(DISTINCT s) = 1 AND count(*) = count(s)),
    s_ok AS (SELECT s FROM joined GROUP BY s HAVING count(DISTINCT c) = 1 AND count(*) = count(c))
    SELECT count(*) AS records,
           count(*) FILTER (WHERE c IN (SELECT c FROM c_ok) AND s IN (SELECT s FROM s_ok)) AS agree
    FROM joined`);
  const [row] = reader.getRowObjects();
  agreement[run.engine] = { records: Number(row.records), agree: Number(row.agree) };
}

// ---------------------------------------------------------------------------------------------------------------

console.log(
  `\n${fmt(RECORDS)} records, bench:dedup's rules; DuckDB with ${THREADS} threads on both sides ` +
    `(node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "cpu"})`,
);
const header = [
  "",
  "wall",
  "peak RSS",
  "pairs compared",
  "pairs found",
  "merged",
  "clusters",
  "same clusters as Splink",
];
const table = runs.map((r) => [
  r.who,
  secs(r.ms),
  `${fmt(r.rssMB)} MB`,
  fmt(r.compared),
  fmt(r.found),
  fmt(r.merged),
  fmt(r.clusters),
  r.engine
    ? `${((100 * agreement[r.engine].agree) / agreement[r.engine].records).toFixed(4)}% of records`
    : "",
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
for (const row of [header, ...table])
  console.log(
    `  ${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ")}`,
  );
const sp = runs.at(-1);
console.log(
  `  clue: whole process (reading, mapping, matching, clustering, golden records written); Splink: link + clustering ` +
    `(its process took ${secs(sp.process)}, loading the file ${secs(sp.load)}); pairs compared: clue's are distinct pairs, Splink's the pairs of its four rules' equality joins summed over the rules (a pair two rules find counts twice)`,
);
const duck = runs.find((r) => r.engine === "duckdb");
if (duck && RECORDS >= 10_000_000)
  console.log(
    `  aim at 10,000,000 records: clue on DuckDB under ${AIM.seconds / 60} minutes and ${AIM.rssMB / 1024} GB: ` +
      `${duck.ms <= AIM.seconds * 1000 && duck.rssMB <= AIM.rssMB ? "met" : "NOT met"}`,
  );
writeFileSync(
  join(repo, "bench/out/scale.json"),
  `${JSON.stringify({ records: RECORDS, runs, agreement }, null, 2)}\n`,
);
if (!process.env.BENCH_KEEP) for (const r of runs) if (r.out) rmSync(r.out, { force: true });
console.log(`full results in bench/out/scale.json; total bench time ${secs(performance.now() - started)}`);
