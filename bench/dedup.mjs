// npm run bench:dedup — wall time, work and peak memory of matching + golden records (`clue run --stage golden`) on
// generated people with realistic duplicates, at 10,000, 100,000 and 1,000,000 records (BENCH_SIZES=10000,100000
// overrides; BENCH_KEEP=1 keeps the temp project and files).
//
// For each size N it writes a temp project (the example project's Person entity, a plain JSON Lines mapping, and a
// dedup rule set like config/dedup/person.yaml: exact lower(email), E.164 phone, Jaro-Winkler name on the same date
// of birth split in two halves, each also keyed on one name's soundex; each rule blocked by its equality keys) and a
// JSON Lines file of N records, then runs the real CLI as a child
// process — `node bin/clue.js run --project DIR --source crm-contacts --input FILE --stage golden --out FILE` — in one
// thread (`--threads 1`) and, beside it, on worker threads (`--threads N`: BENCH_THREADS, default the machine's cores,
// at least 2; BENCH_THREADS=0 leaves it out), checks that both wrote the same golden records byte for byte and the
// same summary, and reports each run's wall time (process start to exit, so reading, mapping, matching, clustering, survivorship and writing
// the golden records all count), peak RSS (/usr/bin/time -f %M, or process.resourceUsage() in an --import hook
// when there is no /usr/bin/time), and what the run's summary says: pairs compared, merged, queued, golden records.
//
// Next to it, on the same file and measured the same way, the same rules written by hand in DuckDB SQL on one
// thread (bench/dedup-duckdb.mjs, through @duckdb/node-api; BENCH_DUCKDB=0 leaves it out): the two must report the
// same counts and write the same golden records (members and every attribute's value, record and confidence,
// compared record by record), and the bench prints clue's time as a ratio of DuckDB's (goal: at most 1).
//
// The project and the data are bench/people.mjs's (seeded people, about 30% with 1-3 extra records that drift:
// typos, swapped names, phones written other ways, emails in other case, fields missing). A date of birth alone is
// shared by about N / 29,000 records, so a name rule keyed on it alone would compare about N² / 60,000 pairs; the
// bench counts those pairs in the data it writes ("share a birth date") to show what the soundex halves of the rule
// save.
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { peakRss } from "./peak-rss.mjs";
import { MODEL, PROJECT, writeRecords } from "./people.mjs";

const SIZES = (process.env.BENCH_SIZES ?? "10000,100000,1000000").split(",").map((s) => Number(s.trim()));
for (const n of SIZES)
  if (!Number.isInteger(n) || n < 1) throw new Error(`BENCH_SIZES must list positive integers, got ${n}`);
const AIM = { records: 1_000_000, seconds: 60, rssMB: 1024 };
const DUCKDB = process.env.BENCH_DUCKDB !== "0";
/** Issue 15: the JS engine on both cores of this machine, at a million records. */
const AIM_THREADS = { records: 1_000_000, seconds: 25 };
const THREADS = Number(process.env.BENCH_THREADS ?? Math.max(2, cpus().length));
if (!Number.isInteger(THREADS) || THREADS === 1 || THREADS < 0)
  throw new Error(`BENCH_THREADS must be 0 (no threads run) or 2 or more, got ${THREADS}`);

const repo = fileURLToPath(new URL("..", import.meta.url));
const bin = join(repo, "bin/clue.js");
const duckScript = join(repo, "bench/dedup-duckdb.mjs");
const started = performance.now();

if (process.env.BENCH_MODEL)
  PROJECT["config/dedup/person.yaml"] = PROJECT["config/dedup/person.yaml"].replace(
    /^blocking: .*\n/m,
    MODEL,
  );

// ---------------------------------------------------------------------------------------------------------------
// The runs.
// ---------------------------------------------------------------------------------------------------------------

const dir = mkdtempSync(join(tmpdir(), "clue-bench-dedup-"));
const project = join(dir, "project");
for (const [path, text] of Object.entries(PROJECT)) {
  mkdirSync(join(project, path, ".."), { recursive: true });
  writeFileSync(join(project, path), text);
}
const measure = peakRss(dir);
const how = measure.how;

const fmt = (n) => Math.round(n).toLocaleString("en");
const results = [];
try {
  for (const n of SIZES) {
    const input = join(dir, `people-${n}.jsonl`);
    const out = join(dir, `golden-${n}.jsonl`);
    const { people, dobPairs } = writeRecords(input, n);
    const args = [
      bin,
      "run",
      "--project",
      project,
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
      "--threads",
      "1",
    ];
    if (process.env.BENCH_MODEL && results.length === 0) {
      const t0 = performance.now();
      const trained = spawnSync(
        process.execPath,
        [bin, "train", "--project", project, "--source", "crm-contacts", "--input", input],
        { encoding: "utf8" },
      );
      if (trained.status !== 0) throw new Error(`clue train failed:\n${trained.stderr}${trained.stdout}`);
      console.log(
        `clue train on ${fmt(n)} records: ${((performance.now() - t0) / 1000).toFixed(1)} s\n${trained.stdout}`,
      );
    }
    const result = measure.run(args, dir);
    const ms = result.ms;
    if (result.status !== 0)
      throw new Error(`clue run failed at ${n} records (${result.status}):\n${result.stderr}`);
    const matches =
      /matches: (\d+) records, (\d+) pairs compared, (\d+) merged, (\d+) queued for review\./.exec(
        result.stderr,
      );
    const golden = /golden: (\d+) golden records/.exec(result.stderr);
    if (result.rssMB === undefined || !matches || !golden)
      throw new Error(`unexpected output of clue run:\n${result.stderr}`);
    // The same run on worker threads: it must write the very same golden records, and sum up the same.
    let many;
    if (THREADS > 0) {
      const digest = () => createHash("sha256").update(readFileSync(out)).digest("hex");
      const one = digest();
      many = measure.run([...args.slice(0, -1), String(THREADS)], dir);
      if (many.status !== 0)
        throw new Error(
          `clue run --threads ${THREADS} failed at ${n} records (${many.status}):\n${many.stderr}`,
        );
      if (digest() !== one)
        throw new Error(`--threads ${THREADS} wrote other golden records than --threads 1 at ${n} records`);
      if (many.stderr !== result.stderr)
        throw new Error(`--threads ${THREADS} summed up otherwise:\n${many.stderr}\n---\n${result.stderr}`);
    }
    const duck = DUCKDB ? runDuckDb(input, join(dir, `golden-duckdb-${n}.jsonl`), out) : undefined;
    const row = {
      n,
      people,
      duck,
      dobPairs,
      ms,
      cpuMs: result.cpuMs,
      rssMB: result.rssMB,
      threads: many ? { ms: many.ms, cpuMs: many.cpuMs, rssMB: many.rssMB ?? 0 } : undefined,
      records: Number(matches[1]),
      compared: Number(matches[2]),
      merged: Number(matches[3]),
      queued: Number(matches[4]),
      golden: Number(golden[1]),
      outMB: statSync(out).size / 2 ** 20,
    };
    results.push(row);
    console.log(
      `${fmt(n)} records (${fmt(people)} people): ${(ms / 1000).toFixed(1)} s, ${fmt(row.compared)} pairs compared ` +
        `(${(row.compared / n).toFixed(2)} per record; ${fmt(dobPairs)} pairs share a birth date), ` +
        `${fmt(row.merged)} merged, ${fmt(row.queued)} queued, ${fmt(row.golden)} golden records ` +
        `(${fmt(row.outMB)} MB), peak RSS ${fmt(row.rssMB)} MB`,
    );
    if (row.threads)
      console.log(
        `  on ${THREADS} threads: ${(row.threads.ms / 1000).toFixed(1)} s (×${(ms / row.threads.ms).toFixed(2)}), ` +
          `peak RSS ${fmt(row.threads.rssMB)} MB; the same golden records` +
          (row.threads.cpuMs === undefined ? "" : `; CPU ${(row.threads.cpuMs / 1000).toFixed(1)} s`),
      );
    if (duck) {
      for (const key of ["compared", "merged", "queued", "golden"])
        if (duck[key] !== row[key])
          throw new Error(
            `DuckDB counts ${duck[key]} ${key} where clue counts ${row[key]} (${fmt(n)} records)`,
          );
      console.log(
        `  DuckDB SQL, one thread: ${(duck.ms / 1000).toFixed(1)} s (of which writing the golden records ` +
          `${(duck.writeMs / 1000).toFixed(1)} s), peak RSS ${fmt(duck.rssMB)} MB; same counts, ` +
          `${fmt(duck.agreed)} golden records agree; clue / DuckDB ${(ms / duck.ms).toFixed(2)} wall` +
          (result.cpuMs === undefined || duck.cpuMs === undefined
            ? ""
            : `, ${(result.cpuMs / duck.cpuMs).toFixed(2)} CPU (clue ${(result.cpuMs / 1000).toFixed(1)} s, DuckDB ` +
              `${(duck.cpuMs / 1000).toFixed(1)} s)`),
      );
    }
    if (!process.env.BENCH_KEEP) {
      rmSync(input, { force: true });
      rmSync(out, { force: true });
      if (duck) rmSync(duck.out, { force: true });
    }
  }
} finally {
  if (process.env.BENCH_KEEP) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------------------------

console.log(
  `\nclue run --stage golden (matching + golden records), one child process per size and thread count ` +
    `(--threads 1${THREADS > 0 ? `, then --threads ${THREADS} with the same golden records, checked` : ""}); wall time from spawn to exit, ` +
    `peak RSS by ${how} (node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "cpu"})`,
);
const header = [
  "records",
  "people",
  "wall",
  "pairs compared",
  "pairs/N",
  "share a birth date",
  "merged",
  "queued",
  "golden",
  "peak RSS",
  ...(THREADS > 0 ? [`${THREADS} threads`, "speed-up", `RSS, ${THREADS} threads`] : []),
  ...(DUCKDB ? ["DuckDB 1 thread", "DuckDB RSS", "clue / DuckDB"] : []),
];
const table = results.map((r) => [
  fmt(r.n),
  fmt(r.people),
  `${(r.ms / 1000).toFixed(1)} s`,
  fmt(r.compared),
  (r.compared / r.n).toFixed(2),
  fmt(r.dobPairs),
  fmt(r.merged),
  fmt(r.queued),
  fmt(r.golden),
  `${fmt(r.rssMB)} MB`,
  ...(r.threads
    ? [
        `${(r.threads.ms / 1000).toFixed(1)} s`,
        `×${(r.ms / r.threads.ms).toFixed(2)}`,
        `${fmt(r.threads.rssMB)} MB`,
      ]
    : []),
  ...(r.duck
    ? [`${(r.duck.ms / 1000).toFixed(1)} s`, `${fmt(r.duck.rssMB)} MB`, (r.ms / r.duck.ms).toFixed(2)]
    : []),
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
for (const row of [header, ...table]) console.log(`  ${row.map((c, i) => c.padStart(widths[i])).join("  ")}`);
for (let i = 1; i < results.length; i++) {
  const [a, b] = [results[i - 1], results[i]];
  console.log(
    `  ${fmt(a.n)} → ${fmt(b.n)} records (×${(b.n / a.n).toFixed(0)}): pairs compared ×${(b.compared / a.compared).toFixed(1)}, ` +
      `wall ×${(b.ms / a.ms).toFixed(1)}, peak RSS ×${(b.rssMB / a.rssMB).toFixed(1)}`,
  );
}
for (const r of results.filter((r) => r.duck)) {
  const wall = r.ms / r.duck.ms;
  const cpu = r.cpuMs !== undefined && r.duck.cpuMs !== undefined ? r.cpuMs / r.duck.cpuMs : undefined;
  const worst = Math.max(wall, cpu ?? 0);
  console.log(
    `  goal at ${fmt(r.n)} records: clue on one core no slower than DuckDB SQL on one thread — clue / DuckDB ` +
      `${wall.toFixed(2)} wall${cpu === undefined ? "" : `, ${cpu.toFixed(2)} CPU time`}` +
      `${worst <= 1 ? "" : `  ** over goal by ${(worst - 1).toFixed(2)} **`}`,
  );
}
const big = results.find((r) => r.n === AIM.records);
if (big) {
  const met = big.ms / 1000 < AIM.seconds && big.rssMB < AIM.rssMB;
  console.log(
    `  aim at ${fmt(AIM.records)} records: under ${AIM.seconds} s and ${fmt(AIM.rssMB)} MB — ` +
      `${(big.ms / 1000).toFixed(1)} s, ${fmt(big.rssMB)} MB: ${met ? "met" : "** not met **"}`,
  );
}
if (big?.threads) {
  const met = big.threads.ms / 1000 < AIM_THREADS.seconds;
  console.log(
    `  aim at ${fmt(AIM_THREADS.records)} records on ${THREADS} threads: under ${AIM_THREADS.seconds} s — ` +
      `${(big.threads.ms / 1000).toFixed(1)} s: ${met ? "met" : "** not met **"}`,
  );
}
console.log(`total bench time ${((performance.now() - started) / 1000).toFixed(1)} s`);

/**
 * bench/dedup-duckdb.mjs on the same input, measured as clue's run is; its counts, and how many golden records
 * agree with clue's (every one must: it throws at the first that differs).
 */
function runDuckDb(input, out, clueOut) {
  const result = measure.run([duckScript, input, out], dir);
  if (result.status !== 0) throw new Error(`the DuckDB SQL failed (${result.status}):\n${result.stderr}`);
  const matches = /matches: (\d+) records, (\d+) pairs compared, (\d+) merged, (\d+) queued/.exec(
    result.stderr,
  );
  const golden = /golden: (\d+) golden records.*written in ([\d.]+) s/.exec(result.stderr);
  if (!matches || !golden || result.rssMB === undefined)
    throw new Error(`unexpected output of the DuckDB SQL:\n${result.stderr}`);
  return {
    ms: result.ms,
    cpuMs: result.cpuMs,
    writeMs: Number(golden[2]) * 1000,
    rssMB: result.rssMB,
    out,
    compared: Number(matches[2]),
    merged: Number(matches[3]),
    queued: Number(matches[4]),
    golden: Number(golden[1]),
    agreed: compareGolden(clueOut, out),
  };
}

/** Golden records as compared: members, and each attribute present (DuckDB writes an absent one as null). */
function comparable(line) {
  const g = JSON.parse(line);
  const attributes = {};
  for (const [field, a] of Object.entries(g.attributes))
    if (a !== null) attributes[field] = [a.value, a.provenance, a.record, Number(a.confidence)];
  return JSON.stringify([g.entityType, g.entityId, g.members, attributes]);
}

/** Both files hold one golden record per line, in the order of each cluster's first record: compared in step. */
function compareGolden(clueFile, duckFile) {
  const a = lines(clueFile);
  const b = lines(duckFile);
  let agreed = 0;
  for (let k = 1; ; k++) {
    const x = a.next();
    const y = b.next();
    if (x.done && y.done) return agreed;
    const left = x.done ? "(none)" : comparable(x.value);
    const right = y.done ? "(none)" : comparable(y.value);
    if (left !== right) throw new Error(`golden record ${k} differs:\n  clue:   ${left}\n  DuckDB: ${right}`);
    agreed++;
  }
}

/** The non-empty lines of a file, read a megabyte at a time (a million golden records are too long for a string). */
function* lines(file) {
  const fd = openSync(file, "r");
  const buffer = Buffer.alloc(1 << 20);
  const decoder = new TextDecoder();
  let rest = "";
  try {
    for (let read; (read = readSync(fd, buffer)) > 0;) {
      const text = rest + decoder.decode(buffer.subarray(0, read), { stream: true });
      const parts = text.split("\n");
      rest = parts.pop();
      for (const line of parts) if (line !== "") yield line;
    }
    if (rest !== "") yield rest;
  } finally {
    closeSync(fd);
  }
}
