// npm run bench:cluster — memory of clustering many merges: 400,000 records in groups of 33 or 34 that share an
// account number, every pair of a group matching (6.5 million merged pairs), through the real CLI
// (`clue run --stage golden`). It reports wall time and peak RSS (see peak-rss.mjs) against the aim: well under 2 GB.
// BENCH_RECORDS and BENCH_KEEP=1 (keep the temp project) override.
//
// Group sizes are chosen so the merges come to 6.5 million: 5,882 groups of 34 (561 pairs each) and the rest of 33
// (528 pairs each). The records are shuffled (seeded), so a group's members are spread through the file.
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { peakRss } from "./peak-rss.mjs";
import { mulberry32 } from "../dist/util/mulberry32.js";

const RECORDS = Number(process.env.BENCH_RECORDS ?? 400_000);
const AIM_MB = 2048;
const repo = fileURLToPath(new URL("..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "clue-bench-cluster-"));

const files = {
  "env/local.yaml": "name: local\ntarget: { type: local }\n",
  "config/entities/account.yaml": `entity: Account
fields:
  id: { type: string, required: true }
  account: { type: string }
  name: { type: string }
`,
  "config/mappings/ledger.yaml": `entity: Account
source: ledger
format: jsonl
fields:
  id: $.id
  account: $.account
  name: $.name
`,
  "config/dedup/account.yaml": `entity: Account
rules:
  - name: same_account
    when: account == other.account
    confidence: 0.99
auto_approve_threshold: 0.97
queue_threshold: 0.9
survivorship:
  default: most_frequent
`,
};
for (const [path, text] of Object.entries(files)) {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}

// Groups: 5,882 of 34 then 33s, scaled to RECORDS.
const groupOf = new Int32Array(RECORDS);
let expected = 0;
{
  const big = Math.round((5882 * RECORDS) / 400_000);
  let at = 0;
  for (let g = 0; at < RECORDS; g++) {
    const size = Math.min(g < big ? 34 : 33, RECORDS - at);
    groupOf.fill(g, at, at + size);
    expected += (size * (size - 1)) / 2;
    at += size;
  }
}
const random = mulberry32(20261205);
for (let k = RECORDS - 1; k > 0; k--) {
  const r = Math.floor(random() * (k + 1));
  [groupOf[k], groupOf[r]] = [groupOf[r], groupOf[k]];
}
const input = join(dir, "ledger.jsonl");
const fd = openSync(input, "w");
let chunk = "";
for (let k = 0; k < RECORDS; k++) {
  chunk += `${JSON.stringify({ id: `r${k}`, account: `A${groupOf[k]}`, name: `Holder ${groupOf[k]}` })}\n`;
  if (chunk.length > 1 << 20) {
    writeSync(fd, chunk);
    chunk = "";
  }
}
writeSync(fd, chunk);
closeSync(fd);

const measure = peakRss(dir);
const out = join(dir, "golden.jsonl");
const run = measure.run(
  [
    join(repo, "bin/clue.js"),
    "run",
    "--project",
    dir,
    "--source",
    "ledger",
    "--input",
    input,
    "--stage",
    "golden",
    "--out",
    out,
  ],
  dir,
);
if (run.status !== 0) {
  console.error(run.stderr);
  throw new Error(`clue run exited ${run.status}`);
}
const summary = /matches: (\d+) records, (\d+) pairs compared, (\d+) merged, (\d+) queued/.exec(run.stderr);
if (!summary) throw new Error(`no matches summary in:\n${run.stderr}`);
const merged = Number(summary[3]);
if (merged !== expected) throw new Error(`expected ${expected} merged pairs, the run says ${merged}`);
const fmt = (n) => n.toLocaleString("en-US");
console.log(
  `bench:cluster — ${fmt(RECORDS)} records, ${fmt(merged)} merged pairs (peak RSS by ${measure.how})`,
);
console.log(
  `  clue run --stage golden: ${(run.ms / 1000).toFixed(1)} s, peak RSS ${fmt(Math.round(run.rssMB ?? NaN))} MB ` +
    `(aim: under ${fmt(AIM_MB)} MB) — ${run.rssMB !== undefined && run.rssMB < AIM_MB ? "met" : "NOT met"}`,
);
if (process.env.BENCH_KEEP === "1") console.log(`  kept ${dir}`);
else rmSync(dir, { recursive: true, force: true });
