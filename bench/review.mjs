// npm run bench:review — how `clue review` holds up with tens of thousands of queued pairs: 60,000 records in pairs
// that share an account number, each pair scored 0.9 (between queue_threshold 0.85 and auto_approve 0.97), so 30,000
// pairs wait for review. It starts the real `clue review` and times, over HTTP on 127.0.0.1: the start (spawn to the
// printed URL: reading, matching, making the queue), a page of 50 from the end of the queue, and one pair's detail
// (the HTML the app shows), each the median of 20 requests. BENCH_RECORDS overrides the size.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const RECORDS = Number(process.env.BENCH_RECORDS ?? 60_000);
const repo = fileURLToPath(new URL("..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "clue-bench-review-"));
const files = {
  "env/local.yaml": "name: local\ntarget: { type: local }\n",
  "config/entities/account.yaml":
    "entity: Account\nfields:\n  id: { type: string, required: true }\n  account: { type: string }\n  name: { type: string }\n",
  "config/mappings/ledger.yaml":
    "entity: Account\nsource: ledger\nformat: jsonl\nfields:\n  id: $.id\n  account: $.account\n  name: $.name\n",
  "config/dedup/account.yaml":
    "entity: Account\nrules:\n  - name: same_account\n    when: account == other.account\n    confidence: 0.9\nauto_approve_threshold: 0.97\nqueue_threshold: 0.85\n",
};
for (const [path, text] of Object.entries(files)) {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}
let lines = "";
for (let k = 0; k < RECORDS; k++)
  lines += `${JSON.stringify({ id: `r${k}`, account: `A${k >> 1}`, name: `Holder ${k >> 1}` })}\n`;
writeFileSync(join(dir, "ledger.jsonl"), lines);

const started = performance.now();
const child = spawn(
  process.execPath,
  [join(repo, "bin/clue.js"), "review", "--no-open", "--source", "ledger", "--input", "ledger.jsonl"],
  {
    cwd: dir,
  },
);
const url = await new Promise((resolve, reject) => {
  let out = "";
  child.stdout.on("data", (chunk) => {
    out += chunk;
    const line = /^(http:\S+)\n/.exec(out);
    if (line) resolve(line[1]);
  });
  child.on("exit", (code) => reject(new Error(`clue review exited ${code}`)));
});
const startMs = performance.now() - started;
const base = url.replace(/\/\?token=.*$/, "");
const headers = { "x-clue-token": url.replace(/^.*token=/, "") };
const median = async (path) => {
  const times = [];
  let body;
  for (let k = 0; k < 20; k++) {
    const t = performance.now();
    const response = await fetch(base + path, { headers });
    body = await response.json();
    times.push(performance.now() - t);
  }
  return { ms: times.sort((a, b) => a - b)[10], body };
};
const last = await median(`/api/queue?offset=${RECORDS / 2 - 50}&limit=50`);
const key = last.body.pairs.at(-1).key;
const pair = await median(`/api/pair?key=${encodeURIComponent(key)}`);
child.kill("SIGINT");
const fmt = (n) => n.toLocaleString("en-US");
console.log(`bench:review — ${fmt(RECORDS)} records, ${fmt(last.body.total)} queued pairs`);
console.log(`  start (spawn to URL: read, match, queue): ${(startMs / 1000).toFixed(2)} s`);
console.log(`  a page of 50 at the end of the queue: ${last.ms.toFixed(1)} ms (median of 20)`);
console.log(`  one pair's detail (HTML): ${pair.ms.toFixed(1)} ms (median of 20)`);
rmSync(dir, { recursive: true, force: true });
