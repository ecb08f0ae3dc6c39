// npm run bench:scale — clue on its DuckDB engine at 10 million records, side by side in one run with Splink on
// DuckDB, on the same deterministic rules: wall time, peak memory, pairs, and how far the two clusterings agree.
//
// The records: the generated people of bench:dedup (bench/people.mjs), 10,000,000 by default (BENCH_SCALE_N
// overrides, e.g. 1000000 to try it), as JSON Lines. The rules, the same on both sides (clue's dedup file below;
// Splink's deterministic rules in bench/splink/splink_scale.py), written with functions both engines run natively:
//   - the same e-mail, case aside;
//   - the same phone digits;
//   - the same last name (case aside) and date of birth, and first names with a Jaro-Winkler similarity of 0.9.
// A pair that meets one merges; clusters are the connected components.
//
// The clue side: `clue run --engine duckdb --stage golden` (reading, mapping, matching, clustering, golden records
// with survivorship, writing them), a child process timed from spawn to exit, peak RSS by /usr/bin/time (DuckDB
// runs inside the process). The Splink side: splink_scale.py in .venv-bench/ (bench/splink/venv.mjs makes it with
// pip the first time; never in CI): reading the JSON Lines into DuckDB, deterministic_link, clustering and writing
// each record's cluster, also timed from spawn to exit and measured with /usr/bin/time (Python's start and Splink's
// import included; the script's own split is shown too).
//
// Agreement: both clusterings are read into DuckDB; a record agrees when its cluster is named by the same first
// member on both sides; pairs within clusters are counted on each side and in common.
//
// Environment: BENCH_SCALE_N (default 10000000); BENCH_MEMORY (DuckDB's memory limit on both sides, default 6GB);
// BENCH_THREADS (default: one per core); BENCH_SKIP_SPLINK=1 runs clue alone; BENCH_KEEP=1 keeps the files. The
// aims: under 5 minutes and 8 GB at 10,000,000 records.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";
import { writeRecords } from "./people.mjs";
import { peakRss } from "./peak-rss.mjs";
import { ensureVenv, venvPython } from "./splink/venv.mjs";

const N = Number(process.env.BENCH_SCALE_N ?? 10_000_000);
if (!Number.isInteger(N) || N < 1) throw new Error(`BENCH_SCALE_N must be a positive integer, got ${N}`);
const MEMORY = process.env.BENCH_MEMORY ?? "6GB";
const THREADS = process.env.BENCH_THREADS;
const AIM = { records: 10_000_000, seconds: 300, rssMB: 8192 };

const repo = fileURLToPath(new URL("..", import.meta.url));
const bin = join(repo, "bin/clue.js");
const fmt = (n) => Math.round(n).toLocaleString("en");
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;

const PROJECT = {
  "env/local.yaml": "name: local\ntarget: { type: local }\n",
  "config/entities/person.yaml": `entity: Person
fields:
  id: { type: string, required: true }
  email: { type: string }
  phone: { type: string }
  first_name: { type: string }
  last_name: { type: string }
  date_of_birth: { type: date }
  country: { type: string }
  customer_id: { type: string }
  updated_at: { type: datetime }
`,
  "config/mappings/people.yaml": `entity: Person
source: people
format: jsonl
fields: { id: $.id, email: $.email, phone: $.phone, first_name: $.first_name, last_name: $.last_name,
  date_of_birth: $.date_of_birth, country: $.country, customer_id: $.customer_id, updated_at: $.updated_at }
`,
  "config/dedup/person.yaml": `entity: Person
rules:
  - name: email
    when: lower(email) == lower(other.email)
    confidence: 1
  - name: phone
    when: digits_only(phone) == digits_only(other.phone)
    confidence: 1
  - name: name_and_dob
    when: >-
      lower(last_name) == lower(other.last_name) and date_of_birth == other.date_of_birth
      and jaro_winkler(lower(first_name), lower(other.first_name)) >= 0.9
    confidence: 1
auto_approve_threshold: 0.5
queue_threshold: 0.5
`,
};

const dir = mkdtempSync(join(tmpdir(), "clue-bench-scale-"));
const project = join(dir, "project");
for (const [path, text] of Object.entries(PROJECT)) {
  mkdirSync(join(project, path, ".."), { recursive: true });
  writeFileSync(join(project, path), text);
}
const measure = peakRss(dir);
const input = join(dir, "people.jsonl");
const golden = join(dir, "golden.jsonl");
const clusters = join(dir, "splink-clusters.csv");

try {
  let t = performance.now();
  const { people } = writeRecords(input, N);
  console.log(
    `wrote ${fmt(N)} records (${fmt(people)} people, ${fmt(statSync(input).size / 2 ** 20)} MB) in ${secs(performance.now() - t)}`,
  );

  const clue = measure.run(
    [
      bin,
      "run",
      "--project",
      project,
      "--source",
      "people",
      "--input",
      input,
      "--stage",
      "golden",
      "--out",
      golden,
      "--engine",
      "duckdb",
      "--memory-limit",
      MEMORY,
      ...(THREADS ? ["--threads", THREADS] : []),
      "--dead-letter",
      join(dir, "dead-letters.jsonl"),
    ],
    dir,
  );
  if (clue.status !== 0) throw new Error(`clue run failed (${clue.status}):\n${clue.stderr}`);
  const matches = /matches: (\d+) records, (\d+) pairs compared, (\d+) merged/.exec(clue.stderr);
  const goldenCount = /golden: (\d+) golden records/.exec(clue.stderr);
  if (!matches || !goldenCount) throw new Error(`unexpected output of clue run:\n${clue.stderr}`);
  const clueRow = {
    ms: clue.ms,
    rssMB: clue.rssMB,
    compared: Number(matches[2]),
    merged: Number(matches[3]),
    clusters: Number(goldenCount[1]),
  };
  console.log(
    `clue --engine duckdb: ${secs(clueRow.ms)}, peak RSS ${fmt(clueRow.rssMB)} MB, ${fmt(clueRow.compared)} pairs compared, ` +
      `${fmt(clueRow.merged)} merged, ${fmt(clueRow.clusters)} golden records`,
  );

  let splinkRow;
  if (!process.env.BENCH_SKIP_SPLINK) {
    const setup = ensureVenv();
    if (setup.installed) console.log(`(made .venv-bench/ in ${secs(setup.ms)}, not counted)`);
    const splink = measure.runCommand(
      venvPython,
      [
        join(repo, "bench/splink/splink_scale.py"),
        "--data",
        input,
        "--out",
        clusters,
        "--memory-limit",
        MEMORY,
        ...(THREADS ? ["--threads", THREADS] : []),
      ],
      dir,
    );
    if (splink.status !== 0) throw new Error(`splink_scale.py failed (${splink.status}):\n${splink.stderr}`);
    const report = JSON.parse(splink.stdout.trim().split("\n").at(-1));
    splinkRow = { ms: splink.ms, rssMB: splink.rssMB, ...report };
    console.log(
      `Splink ${report.splink} (DuckDB ${report.duckdb}): ${secs(splink.ms)} (import ${report.import_s.toFixed(1)} s, ` +
        `load ${report.load_s.toFixed(1)} s, link ${report.link_s.toFixed(1)} s, cluster ${report.cluster_s.toFixed(1)} s, ` +
        `write ${report.write_s.toFixed(1)} s), peak RSS ${fmt(splink.rssMB)} MB, ${fmt(report.pairs)} pairs linked, ` +
        `${fmt(report.clusters)} clusters`,
    );
  }

  let agreement;
  if (splinkRow) {
    t = performance.now();
    agreement = await agree(golden, clusters);
    console.log(`compared the clusterings in ${secs(performance.now() - t)}`);
  }

  console.log(
    `\nbench:scale at ${fmt(N)} records (node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ` +
      `DuckDB memory limit ${MEMORY}${THREADS ? `, ${THREADS} threads` : ""}); wall time from spawn to exit, peak RSS by ${measure.how}`,
  );
  const rows = [["", "wall", "peak RSS", "pairs", "clusters"]];
  rows.push([
    "clue --engine duckdb",
    secs(clueRow.ms),
    `${fmt(clueRow.rssMB)} MB`,
    `${fmt(clueRow.compared)} compared, ${fmt(clueRow.merged)} merged`,
    fmt(clueRow.clusters),
  ]);
  if (splinkRow)
    rows.push([
      "Splink (DuckDB)",
      secs(splinkRow.ms),
      `${fmt(splinkRow.rssMB)} MB`,
      `${fmt(splinkRow.pairs)} linked`,
      fmt(splinkRow.clusters),
    ]);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows)
    console.log(`  ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ")}`);
  if (agreement)
    console.log(
      `  agreement: ${fmt(agreement.same)} of ${fmt(agreement.records)} records (${((100 * agreement.same) / agreement.records).toFixed(3)}%) ` +
        `in the same cluster on both sides; pairs within clusters: clue ${fmt(agreement.cluePairs)}, Splink ` +
        `${fmt(agreement.splinkPairs)}, both ${fmt(agreement.bothPairs)}`,
    );
  if (splinkRow)
    console.log(
      `  clue/Splink wall ×${(clueRow.ms / splinkRow.ms).toFixed(2)}, peak RSS ×${(clueRow.rssMB / splinkRow.rssMB).toFixed(2)}`,
    );
  if (N === AIM.records)
    console.log(
      `  aim at ${fmt(AIM.records)} records: under ${AIM.seconds / 60} minutes and ${AIM.rssMB / 1024} GB — ` +
        `${secs(clueRow.ms)}, ${fmt(clueRow.rssMB)} MB: ${clueRow.ms / 1000 < AIM.seconds && clueRow.rssMB < AIM.rssMB ? "met" : "** not met **"}`,
    );
} finally {
  if (process.env.BENCH_KEEP) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}

/** How far the two clusterings agree: records whose cluster has the same first member, and pairs within clusters. */
async function agree(goldenFile, splinkFile) {
  const instance = await DuckDBInstance.create(":memory:", {
    memory_limit: MEMORY,
    temp_directory: join(dir, "agree.tmp"),
  });
  const c = await instance.connect();
  try {
    await c.run(
      `CREATE TABLE clue AS SELECT m.id AS id, entityId AS cluster FROM (SELECT entityId, unnest(members) AS m FROM ` +
        `read_json('${goldenFile}', format = 'newline_delimited', columns = {entityId: 'VARCHAR', members: 'STRUCT(source VARCHAR, id VARCHAR)[]'}))`,
    );
    await c.run(
      `CREATE TABLE splink AS SELECT CAST(unique_id AS VARCHAR) AS id, CAST(cluster_id AS VARCHAR) AS cluster FROM read_csv('${splinkFile}', all_varchar = true)`,
    );
    const first = (t) => `SELECT id, min(id) OVER (PARTITION BY cluster) AS first, cluster FROM ${t}`;
    const pairs = (t) =>
      `SELECT coalesce(sum(n * (n - 1) / 2), 0) AS p FROM (SELECT count(*) AS n FROM ${t} GROUP BY cluster)`;
    const reader = await c.runAndReadAll(
      `SELECT (SELECT count(*) FROM clue) AS records,\n` +
        `  (SELECT count(*) FROM (${first("clue")}) a JOIN (${first("splink")}) b USING (id) WHERE a.first = b.first) AS same,\n` +
        `  (${pairs("clue")}) AS cluePairs, (${pairs("splink")}) AS splinkPairs,\n` +
        `  (SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM (SELECT count(*) AS n FROM clue a JOIN splink b USING (id) GROUP BY a.cluster, b.cluster)) AS bothPairs`,
    );
    const row = reader.getRowObjects()[0];
    return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]));
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}
