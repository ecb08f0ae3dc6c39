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
// The data (seeded, so every run sees the same records): about 30% of people have 1-3 extra records, shuffled
// through the file. A duplicate may have a typo in a name, first and last name swapped, the phone written another
// way ("0412 345 678", "+61412345678", "0412-345-678", ...), the email in other case, or the email, phone or date
// of birth missing. Dates of birth spread over 80 years, emails and phones are per person (with the odd chance
// collision real data has), so no block is giant. A date of birth alone is shared by about N / 29,000 records, so
// a name rule keyed on it alone would compare about N² / 60,000 pairs; the bench counts those pairs in the data it
// writes ("share a birth date") to show what the soundex halves of the rule save.
//
// BENCH_ENGINES=js,duckdb runs each size on each engine named (`clue run --engine ...`; default js alone, whose
// output is as it always was) side by side, one child process each, and checks that every engine wrote the same
// golden records, byte for byte.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { spawnSync } from "node:child_process";
import { peakRss } from "./peak-rss.mjs";
import { writeRecords } from "./people.mjs";

const SIZES = (process.env.BENCH_SIZES ?? "10000,100000,1000000").split(",").map((s) => Number(s.trim()));
const ENGINES = (process.env.BENCH_ENGINES ?? "js").split(",").map((s) => s.trim());
for (const e of ENGINES)
  if (!["js", "duckdb"].includes(e)) throw new Error(`BENCH_ENGINES lists js and duckdb, got ${e}`);
const SIDE_BY_SIDE = ENGINES.length > 1 || ENGINES[0] !== "js";
for (const n of SIZES)
  if (!Number.isInteger(n) || n < 1) throw new Error(`BENCH_SIZES must list positive integers, got ${n}`);
const AIM = { records: 1_000_000, seconds: 60, rssMB: 2048 };

const repo = fileURLToPath(new URL("..", import.meta.url));
const bin = join(repo, "bin/clue.js");
const started = performance.now();

// ---------------------------------------------------------------------------------------------------------------
// The project: Person as in config/entities/person.yaml, a plain mapping, rules as in config/dedup/person.yaml.
// ---------------------------------------------------------------------------------------------------------------

const PROJECT = {
  "env/local.yaml": "name: local\ntarget: { type: local }\n",
  "config/entities/person.yaml": `entity: Person
description: A customer contact; one golden record per real person.
fields:
  id: { type: string, required: true }
  email: { type: string, pii: true }
  phone: { type: string, pii: true }
  first_name: { type: string }
  last_name: { type: string }
  date_of_birth: { type: date, pii: true }
  country: { type: string }
  customer_id: { type: string }
  updated_at: { type: datetime }
`,
  "config/mappings/crm-contacts.yaml": `entity: Person
source: crm-contacts
format: jsonl
fields:
  id: $.id
  email: $.email
  phone: $.phone
  first_name: $.first_name
  last_name: $.last_name
  date_of_birth: $.date_of_birth
  country: $.country
  customer_id: $.customer_id
  updated_at: $.updated_at
`,
  "config/dedup/person.yaml": `entity: Person
description: Same person on email, phone, or name plus date of birth (as config/dedup/person.yaml).
blocking: ["lower(email)", "e164(phone, default_country=\\"AU\\")", "date_of_birth"]
rules:
  - name: exact_email
    when: lower(email) == lower(other.email)
    confidence: 0.98
  - name: phone_e164
    when: e164(phone, default_country="AU") == e164(other.phone, default_country="AU")
    confidence: 0.95
  # name_and_dob of config/dedup/person.yaml, split the way Splink splits blocking rules at scale: a date of birth
  # alone is shared by N / 29,000 records, so each half also blocks on one name's soundex. A pair whose first and
  # last names both have a typo in their first letter is the only kind the split gives up.
  - name: name_and_dob_last
    when: >-
      jaro_winkler(concat(first_name, " ", last_name), concat(other.first_name, " ", other.last_name)) >= 0.92
      and date_of_birth == other.date_of_birth and soundex(last_name) == soundex(other.last_name)
    confidence: 0.9
  - name: name_and_dob_first
    when: >-
      jaro_winkler(concat(first_name, " ", last_name), concat(other.first_name, " ", other.last_name)) >= 0.92
      and date_of_birth == other.date_of_birth and soundex(first_name) == soundex(other.first_name)
    confidence: 0.9
auto_approve_threshold: 0.97
queue_threshold: 0.85
survivorship:
  default: most_recent
  fields:
    email: { strategy: most_frequent }
    customer_id: { strategy: most_complete }
    first_name: { strategy: most_complete }
    last_name: { strategy: most_complete }
`,
};

// BENCH_MODEL=1: the same rules plus a probabilistic model (comparisons), trained by `clue train` on the first
// size's records and then applied, as trained, at every size (the time to train is reported apart).
// The model scores the pairs the rules' own keys bring together (email, phone, date of birth with a name's
// soundex); no extra blocking keys.
const MODEL = `comparisons:
  - name: email
    levels:
      - { name: "null", when: email is null or other.email is null, null_level: true }
      - { name: exact, when: lower(email) == lower(other.email) }
      - { name: else }
  - name: phone
    levels:
      - { name: "null", when: phone is null or other.phone is null, null_level: true }
      - name: exact
        when: e164(phone, default_country="AU") == e164(other.phone, default_country="AU")
      - { name: else }
  - name: first_name
    term_frequency: first_name
    levels:
      - { name: "null", when: first_name is null or other.first_name is null, null_level: true }
      - { name: exact, when: first_name == other.first_name, tf: true }
      - { name: jw_0.9, when: "jaro_winkler(first_name, other.first_name) >= 0.9" }
      - { name: else }
  - name: last_name
    term_frequency: last_name
    levels:
      - { name: "null", when: last_name is null or other.last_name is null, null_level: true }
      - { name: exact, when: last_name == other.last_name, tf: true }
      - { name: jw_0.9, when: "jaro_winkler(last_name, other.last_name) >= 0.9" }
      - { name: else }
  - name: date_of_birth
    levels:
      - { name: "null", when: date_of_birth is null or other.date_of_birth is null, null_level: true }
      - { name: exact, when: date_of_birth == other.date_of_birth }
      - { name: else }
training:
  seed: 7
  blocking:
    - lower(email) == lower(other.email)
    - date_of_birth == other.date_of_birth and soundex(last_name) == soundex(other.last_name)
`;
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
/** Per size, with several engines: whether they wrote the same golden records. */
const sameOutput = [];
try {
  for (const n of SIZES) {
    const input = join(dir, `people-${n}.jsonl`);
    const { people, dobPairs } = writeRecords(input, n);
    const outputs = [];
    for (const engine of ENGINES) {
      const out = join(dir, `golden-${n}${SIDE_BY_SIDE ? `-${engine}` : ""}.jsonl`);
      outputs.push(out);
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
        ...(SIDE_BY_SIDE ? ["--engine", engine] : []),
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
        engine,
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
        `${fmt(n)} records (${fmt(people)} people)${SIDE_BY_SIDE ? ` on ${engine}` : ""}: ${(ms / 1000).toFixed(1)} s, ${fmt(row.compared)} pairs compared ` +
          `(${(row.compared / n).toFixed(2)} per record; ${fmt(dobPairs)} pairs share a birth date), ` +
          `${fmt(row.merged)} merged, ${fmt(row.queued)} queued, ${fmt(row.golden)} golden records ` +
          `(${fmt(row.outMB)} MB), peak RSS ${fmt(row.rssMB)} MB`,
      );
    }
    if (outputs.length > 1) {
      const first = readFileSync(outputs[0]);
      const same = outputs.every((o) => readFileSync(o).equals(first));
      sameOutput.push({ n, same });
      console.log(
        `  ${fmt(n)} records: ${ENGINES.join(" and ")} wrote ${same ? "the same" : "** different **"} golden records`,
      );
    }
    if (!process.env.BENCH_KEEP) {
      rmSync(input, { force: true });
      for (const out of outputs) rmSync(out, { force: true });
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
  ...(SIDE_BY_SIDE ? ["engine"] : []),
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
  ...(SIDE_BY_SIDE ? [r.engine] : []),
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
  const [a, b] = [results.slice(0, i).findLast((r) => r.engine === results[i].engine), results[i]];
  if (a === undefined) continue;
  console.log(
    `  ${SIDE_BY_SIDE ? `${b.engine}: ` : ""}${fmt(a.n)} → ${fmt(b.n)} records (×${(b.n / a.n).toFixed(0)}): pairs compared ×${(b.compared / a.compared).toFixed(1)}, ` +
      `wall ×${(b.ms / a.ms).toFixed(1)}, peak RSS ×${(b.rssMB / a.rssMB).toFixed(1)}`,
  );
}
if (SIDE_BY_SIDE)
  for (const size of SIZES) {
    const js = results.find((r) => r.n === size && r.engine === "js");
    const duckdb = results.find((r) => r.n === size && r.engine === "duckdb");
    if (js && duckdb)
      console.log(
        `  ${fmt(size)} records: duckdb/js wall ×${(duckdb.ms / js.ms).toFixed(2)}, peak RSS ×${(duckdb.rssMB / js.rssMB).toFixed(2)}` +
          `; same golden records: ${sameOutput.find((s) => s.n === size)?.same ? "yes" : "** no **"}`,
      );
  }
const big = results.find((r) => r.n === AIM.records && r.engine === "js");
if (big) {
  const met = big.ms / 1000 < AIM.seconds && big.rssMB < AIM.rssMB;
  console.log(
    `  aim at ${fmt(AIM.records)} records: under ${AIM.seconds} s and ${fmt(AIM.rssMB)} MB — ` +
      `${(big.ms / 1000).toFixed(1)} s, ${fmt(big.rssMB)} MB: ${met ? "met" : "** not met **"}`,
  );
}
console.log(`total bench time ${((performance.now() - started) / 1000).toFixed(1)} s`);
