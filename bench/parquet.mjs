// npm run bench:parquet — `clue run --stage validated` on the same 1,000,000 contacts as JSON Lines and as Parquet
// (BENCH_RECORDS overrides the count, BENCH_KEEP=1 keeps the temp files): wall time and peak RSS of the real CLI
// side by side, and writing the stage as Parquet beside writing it as JSON Lines. DuckDB generates the records (the
// example project's crm-contacts shape: nested contact and address objects, dates, timestamps as ISO text, nulls)
// and writes them both ways, so the two inputs hold the same data; the runs' outputs must be byte for byte the same.
// Phones are left null, so the run measures reading and the pipeline rather than libphonenumber. Reading alone
// (readRecords over each file, in this process) is timed too: BENCH_ROUNDS interleaved rounds (3), the median.
import { DuckDBInstance } from "@duckdb/node-api";
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readRecords } from "../dist/io/records.js";
import { peakRss } from "./peak-rss.mjs";

const RECORDS = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
if (!Number.isInteger(RECORDS) || RECORDS < 1) throw new Error("BENCH_RECORDS must be a positive integer");
const repo = fileURLToPath(new URL("..", import.meta.url));
const bin = join(repo, "bin/clue.js");
const dir = mkdtempSync(join(tmpdir(), "clue-bench-parquet-"));
const fmt = (n) => Math.round(n).toLocaleString("en-US");
const MB = (path) => statSync(path).size / (1024 * 1024);

// The crm-contacts shape, from a hash of the row number: every value is a function of i, so both files agree.
const SELECT = `
SELECT
  'c_' || i AS id,
  (['Alice','Zoë','James','José','Priya','Liam','Aroha','Mei Ling','Seán','Fatima'])[1 + h(i, 1, 10)] AS first_name,
  (['Nguyen','Martin','García','Sharma','Ngata','Chen','O''Brien','Müller','Kowalski','Tran'])[1 + h(i, 2, 10)] AS last_name,
  CASE WHEN h(i, 3, 20) = 0 THEN NULL ELSE DATE '1940-01-01' + h(i, 4, 25000)::INTEGER END AS date_of_birth,
  {'email': 'user' || (h(i, 5, 900000)) || '@' || (['gmail.com','outlook.com','bigpond.com'])[1 + h(i, 6, 3)],
   'phone': NULL::VARCHAR} AS contact,
  {'street': (h(i, 7, 200)) || ' Cleveland St', 'city': 'Redfern', 'state': 'NSW', 'postcode': '2016',
   'country': (['AU','AU','AU','NZ','GB'])[1 + h(i, 8, 5)]} AS address,
  CASE WHEN h(i, 9, 3) = 0 THEN NULL ELSE 'B-' || (10000 + h(i, 10, 90000)) END AS billing_account,
  strftime(TIMESTAMP '2019-01-01' + to_seconds(h(i, 11, 150000000)), '%Y-%m-%dT%H:%M:%SZ') AS created_at,
  strftime(TIMESTAMP '2024-01-01' + to_seconds(h(i, 12, 30000000)), '%Y-%m-%dT%H:%M:%SZ') AS updated_at
FROM range(${RECORDS}) t(i)`;

const jsonl = join(dir, "contacts.jsonl");
const parquet = join(dir, "contacts.parquet");
const generating = performance.now();
const db = await DuckDBInstance.create(":memory:");
const duck = await db.connect();
await duck.run("CREATE MACRO h(i, k, n) AS (hash(i, k) % n)::BIGINT");
await duck.run(`COPY (${SELECT}) TO '${jsonl}' (FORMAT json)`);
await duck.run(`COPY (${SELECT}) TO '${parquet}' (FORMAT parquet, COMPRESSION snappy)`);
const groups = (
  await duck.runAndReadAll(`SELECT count(*) AS n FROM parquet_metadata('${parquet}') WHERE column_id = 0`)
).getRowObjectsJson()[0].n;
duck.closeSync();
const generated = (performance.now() - generating) / 1000;

const measure = peakRss(dir);
const TIME = "/usr/bin/time";
/**
 * `clue run` as a child process: wall time, peak RSS and, where /usr/bin/time is there, CPU time (user + system).
 * On a shared machine the CPU time is the steadier figure: other processes stretch the wall time, not the work.
 */
function run(label, input, out) {
  const args = [
    bin,
    "run",
    "--source",
    "crm-contacts",
    "--input",
    input,
    "--stage",
    "validated",
    "--out",
    out,
  ];
  const started = performance.now();
  if (existsSync(TIME)) {
    const result = spawnSync(
      TIME,
      ["-f", "CLUE_BENCH %U %S %M", process.execPath, ...args, "--project", repo],
      {
        cwd: repo,
        encoding: "utf8",
      },
    );
    const ms = performance.now() - started;
    const m = /CLUE_BENCH ([\d.]+) ([\d.]+) (\d+)/.exec(result.stderr);
    if (result.status !== 0 || !m)
      throw new Error(`${label}: clue run failed (${result.status}):\n${result.stderr}`);
    const summary = result.stderr.split("\n")[0];
    return { label, ms, cpuS: Number(m[1]) + Number(m[2]), rssMB: Number(m[3]) / 1024, out, summary };
  }
  const result = measure.run([...args, "--project", repo], repo);
  if (result.status !== 0) throw new Error(`${label}: clue run failed (${result.status}):\n${result.stderr}`);
  if (result.rssMB === undefined) throw new Error(`${label}: no peak RSS in:\n${result.stderr}`);
  return {
    label,
    ms: result.ms,
    cpuS: undefined,
    rssMB: result.rssMB,
    out,
    summary: result.stderr.split("\n")[0],
  };
}
const sha = (path) => createHash("sha256").update(readFileSync(path)).digest("hex");

const runs = [
  run("JSON Lines in, JSON Lines out", jsonl, join(dir, "from-jsonl.jsonl")),
  run("Parquet in, JSON Lines out", parquet, join(dir, "from-parquet.jsonl")),
  run("JSON Lines in, Parquet out", jsonl, join(dir, "validated.parquet")),
];
const same = sha(runs[0].out) === sha(runs[1].out);

/** Seconds to read every record of a file, in this process. */
async function readAll(path) {
  const start = performance.now();
  let count = 0;
  for await (const _ of readRecords(path)) count++;
  if (count !== RECORDS) throw new Error(`${path}: ${count} records read, ${RECORDS} written`);
  return (performance.now() - start) / 1000;
}
const reads = { jsonl: [], parquet: [] };
for (let round = 0; round < ROUNDS; round++) {
  for (const kind of round % 2 === 0 ? ["jsonl", "parquet"] : ["parquet", "jsonl"])
    reads[kind].push(await readAll(kind === "jsonl" ? jsonl : parquet));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function ratio(what, a, b) {
  const cpu = a.cpuS !== undefined && b.cpuS !== undefined ? `, CPU ×${(a.cpuS / b.cpuS).toFixed(2)}` : "";
  return `  ${what}: wall ×${(a.ms / b.ms).toFixed(2)}${cpu}, peak RSS ×${(a.rssMB / b.rssMB).toFixed(2)}`;
}

const lines = [
  `bench:parquet — clue run --stage validated on ${fmt(RECORDS)} contacts (node ${process.version}, ` +
    `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, load average ${loadavg()[0].toFixed(1)} at the start)`,
  `  inputs: JSON Lines ${fmt(MB(jsonl))} MB, Parquet ${fmt(MB(parquet))} MB (snappy, ${groups} row groups); ` +
    `generated by DuckDB in ${generated.toFixed(1)} s`,
  "",
  "  run                              wall       CPU       peak RSS   output",
  ...runs.map(
    (r) =>
      `  ${r.label.padEnd(32)} ${`${(r.ms / 1000).toFixed(1)} s`.padStart(7)}   ` +
      `${r.cpuS === undefined ? "   ?   " : `${r.cpuS.toFixed(1)} s`.padStart(7)}   ${`${fmt(r.rssMB)} MB`.padStart(8)}   ` +
      `${fmt(MB(r.out))} MB`,
  ),
  "",
  `  reading alone (readRecords, median of ${ROUNDS} interleaved rounds): JSON Lines ${median(reads.jsonl).toFixed(1)} s, ` +
    `Parquet ${median(reads.parquet).toFixed(1)} s`,
  ratio("Parquet in / JSON Lines in", runs[1], runs[0]),
  ratio("Parquet out / JSON Lines out", runs[2], runs[0]),
  `  outputs of the two inputs byte for byte the same: ${same ? "yes" : "** NO **"} (${runs[0].summary})`,
];
process.stdout.write(`${lines.join("\n")}\n`);
if (process.env.BENCH_KEEP === "1") process.stdout.write(`  files kept in ${dir}\n`);
else rmSync(dir, { recursive: true, force: true });
if (!same) process.exitCode = 1;
