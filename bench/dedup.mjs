// npm run bench:dedup — wall time, work and peak memory of matching + golden records (`clue run --stage golden`) on
// generated people with realistic duplicates, at 10,000, 100,000 and 1,000,000 records (BENCH_SIZES=10000,100000
// overrides; BENCH_KEEP=1 keeps the temp project and files).
//
// For each size N it writes a temp project (the example project's Person entity, a plain JSON Lines mapping, and a
// dedup rule set like config/dedup/person.yaml: exact lower(email), E.164 phone, Jaro-Winkler name on the same date
// of birth split in two halves, each also keyed on one name's soundex; each rule blocked by its equality keys) and a
// JSON Lines file of N records, then runs the real CLI as a child
// process — `node bin/clue.js run --project DIR --source crm-contacts --input FILE --stage golden --out FILE` — and
// reports its wall time (process start to exit, so reading, mapping, matching, clustering, survivorship and writing
// the golden records all count), peak RSS (/usr/bin/time -f %M, or process.resourceUsage() in an --import hook
// when there is no /usr/bin/time), and what the run's summary says: pairs compared, merged, queued, golden records.
//
// The project and the data are bench/people.mjs's (seeded people, about 30% with 1-3 extra records that drift:
// typos, swapped names, phones written other ways, emails in other case, fields missing). A date of birth alone is shared by about N / 29,000 records, so
// a name rule keyed on it alone would compare about N² / 60,000 pairs; the bench counts those pairs in the data it
// writes ("share a birth date") to show what the soundex halves of the rule save.
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { spawnSync } from "node:child_process";
import { peakRss } from "./peak-rss.mjs";
import { MODEL, PROJECT, writeRecords } from "./people.mjs";

const SIZES = (process.env.BENCH_SIZES ?? "10000,100000,1000000").split(",").map((s) => Number(s.trim()));
for (const n of SIZES)
  if (!Number.isInteger(n) || n < 1) throw new Error(`BENCH_SIZES must list positive integers, got ${n}`);
const AIM = { records: 1_000_000, seconds: 60, rssMB: 2048 };

const repo = fileURLToPath(new URL("..", import.meta.url));
const bin = join(repo, "bin/clue.js");
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
    const row = {
      n,
      people,
      dobPairs,
      ms,
      rssMB: result.rssMB,
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
    if (!process.env.BENCH_KEEP) {
      rmSync(input, { force: true });
      rmSync(out, { force: true });
    }
  }
} finally {
  if (process.env.BENCH_KEEP) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------------------------

console.log(
  `\nclue run --stage golden (matching + golden records), one child process per size; wall time from spawn to exit, ` +
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
const big = results.find((r) => r.n === AIM.records);
if (big) {
  const met = big.ms / 1000 < AIM.seconds && big.rssMB < AIM.rssMB;
  console.log(
    `  aim at ${fmt(AIM.records)} records: under ${AIM.seconds} s and ${fmt(AIM.rssMB)} MB — ` +
      `${(big.ms / 1000).toFixed(1)} s, ${fmt(big.rssMB)} MB: ${met ? "met" : "** not met **"}`,
  );
}
console.log(`total bench time ${((performance.now() - started) / 1000).toFixed(1)} s`);
