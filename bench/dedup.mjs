// npm run bench:dedup — wall time, work and peak memory of matching + golden records (`clue run --stage golden`) on
// generated people with realistic duplicates, at 10,000, 100,000 and 1,000,000 records (BENCH_SIZES=10000,100000
// overrides; BENCH_KEEP=1 keeps the temp project and files).
//
// For each size N it writes a temp project (the example project's Person entity, a plain JSON Lines mapping, and a
// dedup rule set like config/dedup/person.yaml: exact lower(email), E.164 phone, Jaro-Winkler name on the same date
// of birth split in two halves, each also keyed on one name's soundex; each rule blocked by its equality keys) and a
// JSON Lines file of N records, then runs the real CLI as a child
// process — `node bin/clue.js run --project DIR --source crm-contacts --input FILE --stage golden --out FILE` — twice,
// with `--threads 1` (the one-thread engine) and with `--threads N` (BENCH_THREADS, default: the machine's cores,
// at least 2), checks that both wrote the same golden records byte for byte, and reports each run's wall time (process start to exit, so reading, mapping, matching, clustering, survivorship and writing
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
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { peakRss } from "./peak-rss.mjs";
import { mulberry32 } from "../dist/util/mulberry32.js";

const SIZES = (process.env.BENCH_SIZES ?? "10000,100000,1000000").split(",").map((s) => Number(s.trim()));
for (const n of SIZES)
  if (!Number.isInteger(n) || n < 1) throw new Error(`BENCH_SIZES must list positive integers, got ${n}`);
const SEED = 20241117;
const AIM = { records: 1_000_000, seconds: 60, rssMB: 2048 };
/** Issue 15: the JS engine on both cores of this machine, at a million records. */
const AIM_THREADS = { records: 1_000_000, seconds: 25 };
const THREADS = Number(process.env.BENCH_THREADS ?? Math.max(2, cpus().length));
if (!Number.isInteger(THREADS) || THREADS < 2)
  throw new Error(`BENCH_THREADS must be 2 or more, got ${THREADS}`);

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
// The records.
// ---------------------------------------------------------------------------------------------------------------

// prettier-ignore
const FIRST = ["James", "John", "Robert", "Michael", "William", "David", "Richard", "Joseph", "Thomas", "Charles",
  "Christopher", "Daniel", "Matthew", "Anthony", "Mark", "Donald", "Steven", "Paul", "Andrew", "Joshua", "Kenneth",
  "Kevin", "Brian", "George", "Timothy", "Ronald", "Edward", "Jason", "Jeffrey", "Ryan", "Jacob", "Gary", "Nicholas",
  "Eric", "Jonathan", "Stephen", "Larry", "Justin", "Scott", "Brandon", "Benjamin", "Samuel", "Gregory", "Alexander",
  "Patrick", "Frank", "Raymond", "Jack", "Dennis", "Jerry", "Tyler", "Aaron", "Jose", "Adam", "Nathan", "Henry",
  "Zachary", "Douglas", "Peter", "Kyle", "Liam", "Noah", "Oliver", "Lachlan", "Cooper", "Harrison", "Wei", "Raj",
  "Mohammed", "Ahmed", "Kai", "Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica",
  "Sarah", "Karen", "Lisa", "Nancy", "Betty", "Sandra", "Margaret", "Ashley", "Kimberly", "Emily", "Donna",
  "Michelle", "Carol", "Amanda", "Melissa", "Deborah", "Stephanie", "Dorothy", "Rebecca", "Sharon", "Laura",
  "Cynthia", "Amy", "Kathleen", "Angela", "Shirley", "Brenda", "Emma", "Anna", "Pamela", "Nicole", "Samantha",
  "Katherine", "Christine", "Helen", "Debra", "Rachel", "Carolyn", "Janet", "Maria", "Catherine", "Heather", "Diane",
  "Olivia", "Julie", "Joyce", "Victoria", "Ruby", "Matilda", "Isla", "Chloe", "Priya", "Ananya", "Fatima", "Mei",
  "Aroha", "Siobhan", "Zara", "Grace", "Sophie", "Hannah", "Mia", "Ava", "Charlotte", "Amelia"];
// prettier-ignore
const LAST = ["Smith", "Jones", "Williams", "Brown", "Wilson", "Taylor", "Johnson", "White", "Martin", "Anderson",
  "Thompson", "Nguyen", "Thomas", "Walker", "Harris", "Lee", "Ryan", "Robinson", "Kelly", "King", "Davis", "Wright",
  "Evans", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke", "Patel", "Khan", "Lewis", "James", "Phillips",
  "Mason", "Mitchell", "Rose", "Davies", "Rodriguez", "Cox", "Alexander", "Garden", "Campbell", "Johnston", "Moore",
  "Smyth", "Oneill", "Doherty", "Stewart", "Quinn", "Murphy", "Graham", "Mclaughlin", "Hamilton", "Murray", "Hughes",
  "Robertson", "Thomson", "Scott", "Macdonald", "Reid", "Clark", "Ross", "Young", "Watson", "Paterson", "Morrison",
  "Tran", "Le", "Pham", "Huynh", "Hoang", "Vu", "Chen", "Wang", "Zhang", "Liu", "Yang", "Huang", "Zhao", "Wu", "Zhou",
  "Xu", "Sun", "Ma", "Zhu", "Hu", "Guo", "He", "Lin", "Gao", "Singh", "Kaur", "Sharma", "Kumar", "Gupta", "Shah",
  "Ali", "Hussain", "Ahmed", "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci",
  "Marino", "Greco", "Bruno", "Gallo", "Conti", "Costa", "Giordano", "Papadopoulos", "Nowak", "Kowalski", "Muller",
  "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Garcia",
  "Martinez", "Lopez", "Gonzalez", "Perez", "Sanchez", "Ramirez", "Torres", "Flores", "Rivera", "Gomez", "Diaz",
  "Reyes", "Morales", "Cruz", "Ortiz", "Gutierrez", "Chavez", "Ramos", "Ruiz", "Alvarez", "Mendoza", "Castillo",
  "Jimenez", "Moreno", "Romero", "Herrera", "Medina", "Aguilar", "Vargas", "Kim", "Park", "Choi", "Jung", "Kang",
  "Cho", "Yoon", "Jang", "Lim", "Han", "Oh", "Seo", "Shin", "Kwon", "Ngata", "Tane", "Parata", "Walsh", "Byrne",
  "Oconnor", "Obrien", "Mccarthy", "Doyle", "Brennan", "Dubois", "Moreau", "Laurent", "Simon", "Michel", "Lefebvre",
  "Leroy", "Roux", "Fontaine", "Chevalier", "Vandenberg", "Dejong", "Jansen", "Devries", "Bakker", "Visser"];
// prettier-ignore
const DOMAINS = ["gmail.com", "gmail.com", "gmail.com", "outlook.com", "hotmail.com", "bigpond.com", "yahoo.com.au",
  "optusnet.com.au", "icloud.com", "iinet.net.au", "tpg.com.au", "xtra.co.nz"];
const LETTERS = "abcdefghijklmnopqrstuvwxyz";
const DAYS = Math.round(80 * 365.25); // births from 1935-01-01 over 80 years
const BIRTH0 = Date.UTC(1935, 0, 1);
const DAY = 86_400_000;
const P2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, "0"));

/**
 * The records of `count` people-with-duplicates, in a shuffled order: [people, plan] where plan[k] is the person of
 * record k. About 30% of people have 1-3 extra records (so ~1.6 records a person).
 */
function plan(count, rnd) {
  const perPerson = [];
  let total = 0;
  while (total < count) {
    const copies = Math.min(count - total, rnd() < 0.3 ? 2 + Math.floor(rnd() * 3) : 1);
    perPerson.push(copies);
    total += copies;
  }
  const order = new Int32Array(count);
  let k = 0;
  perPerson.forEach((copies, p) => {
    for (let c = 0; c < copies; c++) order[k++] = p;
  });
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return { people: perPerson.length, order };
}

/** A person's own details, the same every time they are asked for: seeded by the person's number. */
function person(p) {
  const rnd = mulberry32((SEED ^ Math.imul(p + 1, 0x9e3779b1)) >>> 0);
  const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const first = pick(FIRST);
  const last = pick(LAST);
  const f = first.toLowerCase();
  const l = last.toLowerCase();
  const style = rnd();
  const local =
    style < 0.35
      ? `${f}.${l}${int(1, 999)}`
      : style < 0.6
        ? `${f[0]}${l}${int(10, 9999)}`
        : style < 0.8
          ? `${f}_${l}${int(1, 99)}${int(1, 99)}`
          : `${l}.${f}${int(100, 99999)}`;
  const mobile = rnd() < 0.8;
  const digits = mobile
    ? `4${int(10, 99)}${int(100_000, 999_999)}`
    : `${pick(["2", "3", "7", "8"])}9${int(1_000_000, 9_999_999)}`;
  const birth = new Date(BIRTH0 + int(0, DAYS - 1) * DAY);
  return {
    first,
    last,
    email: rnd() < 0.9 ? `${local}@${pick(DOMAINS)}` : null,
    digits: rnd() < 0.88 ? digits : null,
    mobile,
    dob:
      rnd() < 0.97
        ? `${birth.getUTCFullYear()}-${P2[birth.getUTCMonth() + 1]}-${P2[birth.getUTCDate()]}`
        : null,
    country: rnd() < 0.92 ? "AU" : pick(["NZ", "GB", "US"]),
    customer: rnd() < 0.4 ? `B-${int(100_000, 999_999)}` : null,
  };
}

/** A phone number as one of the ways people and systems write it. */
function writePhone(digits, mobile, rnd) {
  const r = rnd();
  if (mobile) {
    const [a, b, c] = [digits.slice(0, 3), digits.slice(3, 6), digits.slice(6)];
    if (r < 0.35) return `0${a} ${b} ${c}`;
    if (r < 0.55) return `+61${digits}`;
    if (r < 0.7) return `0${digits}`;
    if (r < 0.85) return `+61 ${a} ${b} ${c}`;
    if (r < 0.95) return `0${a}-${b}-${c}`;
    return `(0${digits.slice(0, 1)}) ${digits.slice(1, 5)} ${digits.slice(5)}`;
  }
  const [area, a, b] = [digits.slice(0, 1), digits.slice(1, 5), digits.slice(5)];
  if (r < 0.5) return `(0${area}) ${a} ${b}`;
  if (r < 0.75) return `+61${digits}`;
  if (r < 0.9) return `0${area} ${a} ${b}`;
  return `+61 ${area} ${a} ${b}`;
}

/** One typo: a letter replaced, dropped, doubled, or two swapped. */
function typo(name, rnd) {
  const i = Math.floor(rnd() * name.length);
  const r = rnd();
  if (r < 0.3) return name.slice(0, i) + LETTERS[Math.floor(rnd() * 26)] + name.slice(i + 1);
  if (r < 0.55 && name.length > 3) return name.slice(0, i) + name.slice(i + 1);
  if (r < 0.75) return name.slice(0, i + 1) + name[i] + name.slice(i + 1);
  if (i + 1 < name.length) return name.slice(0, i) + name[i + 1] + name[i] + name.slice(i + 2);
  return name + LETTERS[Math.floor(rnd() * 26)];
}

function cap(s) {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Writes the N records as JSON Lines; returns how many people they are and how many pairs share a birth date. */
function writeRecords(file, count) {
  const rnd = mulberry32(SEED + count);
  const { people, order } = plan(count, rnd);
  const seen = new Uint8Array(people);
  const births = new Map();
  const fd = openSync(file, "w");
  let buffer = "";
  for (let k = 0; k < count; k++) {
    const p = order[k];
    const who = person(p);
    const copy = seen[p]++ > 0; // the first record of a person is as they gave it, later ones drift
    let first = who.first;
    let last = who.last;
    let email = who.email;
    let digits = who.digits;
    let dob = who.dob;
    if (copy) {
      if (rnd() < 0.3) {
        if (rnd() < 0.5) first = typo(first, rnd);
        else last = typo(last, rnd);
      }
      if (rnd() < 0.08) [first, last] = [last, first];
      const er = rnd();
      if (email !== null && er < 0.15) email = null;
      else if (email !== null && er < 0.25) email = email.toUpperCase();
      else if (email !== null && er < 0.35) email = cap(email);
      if (rnd() < 0.15) digits = null;
      if (rnd() < 0.05) dob = null;
    }
    const nameCase = rnd();
    const record = {
      id: `c_${k + 1}`,
      first_name: nameCase < 0.05 ? first.toUpperCase() : first,
      last_name: nameCase < 0.05 ? last.toUpperCase() : last,
      email,
      phone: digits === null ? null : writePhone(digits, who.mobile, rnd),
      date_of_birth: dob,
      country: who.country,
      customer_id: who.customer,
      updated_at: `20${P2[15 + Math.floor(rnd() * 10)]}-${P2[1 + Math.floor(rnd() * 12)]}-${P2[1 + Math.floor(rnd() * 28)]}T${P2[Math.floor(rnd() * 24)]}:${P2[Math.floor(rnd() * 60)]}:00Z`,
    };
    if (dob !== null) births.set(dob, (births.get(dob) ?? 0) + 1);
    buffer += `${JSON.stringify(record)}\n`;
    if (buffer.length >= 1 << 20) {
      writeSync(fd, buffer);
      buffer = "";
    }
  }
  writeSync(fd, buffer);
  closeSync(fd);
  let dobPairs = 0;
  for (const c of births.values()) dobPairs += (c * (c - 1)) / 2;
  return { people, dobPairs };
}

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
    // The same run in one thread and on worker threads: the second must write the very same golden records.
    const run = (threads) => {
      const result = measure.run([...args, "--threads", String(threads)], dir);
      if (result.status !== 0)
        throw new Error(
          `clue run --threads ${threads} failed at ${n} records (${result.status}):\n${result.stderr}`,
        );
      const digest = createHash("sha256").update(readFileSync(out)).digest("hex");
      return { ...result, digest };
    };
    const result = run(1);
    const many = run(THREADS);
    if (many.digest !== result.digest)
      throw new Error(`--threads ${THREADS} wrote other golden records than --threads 1 at ${n} records`);
    const ms = result.ms;
    const matches =
      /matches: (\d+) records, (\d+) pairs compared, (\d+) merged, (\d+) queued for review\./.exec(
        result.stderr,
      );
    const golden = /golden: (\d+) golden records/.exec(result.stderr);
    if (result.rssMB === undefined || !matches || !golden)
      throw new Error(`unexpected output of clue run:\n${result.stderr}`);
    if (many.stderr !== result.stderr)
      throw new Error(`--threads ${THREADS} summed up differently:\n${many.stderr}\n---\n${result.stderr}`);
    const row = {
      n,
      people,
      dobPairs,
      ms,
      threadsMs: many.ms,
      rssMB: result.rssMB,
      threadsRssMB: many.rssMB ?? 0,
      records: Number(matches[1]),
      compared: Number(matches[2]),
      merged: Number(matches[3]),
      queued: Number(matches[4]),
      golden: Number(golden[1]),
      outMB: statSync(out).size / 2 ** 20,
    };
    results.push(row);
    console.log(
      `${fmt(n)} records (${fmt(people)} people): ${(ms / 1000).toFixed(1)} s in one thread, ` +
        `${(many.ms / 1000).toFixed(1)} s on ${THREADS} threads (same output), ${fmt(row.compared)} pairs compared ` +
        `(${(row.compared / n).toFixed(2)} per record; ${fmt(dobPairs)} pairs share a birth date), ` +
        `${fmt(row.merged)} merged, ${fmt(row.queued)} queued, ${fmt(row.golden)} golden records ` +
        `(${fmt(row.outMB)} MB), peak RSS ${fmt(row.rssMB)} MB / ${fmt(row.threadsRssMB)} MB`,
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
  `\nclue run --stage golden (matching + golden records), one child process per size and thread count, ` +
    `--threads 1 and --threads ${THREADS} (same golden records, checked); wall time from spawn to exit, ` +
    `peak RSS by ${how} (node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "cpu"})`,
);
const header = [
  "records",
  "people",
  "wall",
  `${THREADS} threads`,
  "speed-up",
  "pairs compared",
  "pairs/N",
  "share a birth date",
  "merged",
  "queued",
  "golden",
  "peak RSS",
  `peak RSS, ${THREADS} threads`,
];
const table = results.map((r) => [
  fmt(r.n),
  fmt(r.people),
  `${(r.ms / 1000).toFixed(1)} s`,
  `${(r.threadsMs / 1000).toFixed(1)} s`,
  `×${(r.ms / r.threadsMs).toFixed(2)}`,
  fmt(r.compared),
  (r.compared / r.n).toFixed(2),
  fmt(r.dobPairs),
  fmt(r.merged),
  fmt(r.queued),
  fmt(r.golden),
  `${fmt(r.rssMB)} MB`,
  `${fmt(r.threadsRssMB)} MB`,
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
if (big) {
  const met = big.threadsMs / 1000 < AIM_THREADS.seconds;
  console.log(
    `  aim at ${fmt(AIM_THREADS.records)} records on ${THREADS} threads: under ${AIM_THREADS.seconds} s — ` +
      `${(big.threadsMs / 1000).toFixed(1)} s: ${met ? "met" : "** not met **"}`,
  );
}
console.log(`total bench time ${((performance.now() - started) / 1000).toFixed(1)} s`);
