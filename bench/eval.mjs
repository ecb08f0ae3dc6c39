// npm run bench:eval — throughput and memory of the local evaluator (mapping → cleaning → validation) on the example
// project's crm-contacts source, 1,000,000 generated contacts by default (BENCH_RECORDS overrides, BENCH_ROUNDS sets
// the rounds, BENCH_PHONE_RECORDS the records of the with-phones rounds, BENCH_KEEP=1 keeps the temp files).
//
// 1. Throughput, in process: the compiled pipeline (prepareRun + runPipeline at stage validated) against a
//    hand-written JavaScript function doing the same mapping, cleaning steps and Person validations with the same
//    regexes and the same libphonenumber-js calls. Both are first checked to produce identical rows on the first
//    10,000 records. Rounds are interleaved (alternating which goes first) and the median taken; generating the
//    records is not timed (they are pulled from the generator in chunks and each chunk is timed). Phone parsing is
//    dominated by libphonenumber, so both are also run on the same records with phone null, which skips the
//    e164_phone step and leaves the evaluator's own cost. A phone costs ~20 µs in libphonenumber on a 2-core box,
//    so the with-phones rounds take the first 200,000 records (BENCH_PHONE_RECORDS) to keep the whole bench near
//    five minutes; the phone-less rounds and the CLI runs take all of them.
// 2. Memory and the parse floor: the real CLI (`clue run`) as a child process on a 100k and a 1M record JSON Lines
//    file (phones as generated), peak RSS and CPU time by /usr/bin/time (or process.resourceUsage() in an --import
//    hook when there is no /usr/bin/time); next to each `--stage validated` run, on the same file and measured the
//    same way, the parse floor (bench/parse-floor.mjs: read lines, JSON.parse + JSON.stringify each, write), and
//    clue's time as a ratio of it (goal at 1M: at most 2.5, in wall time and in CPU time). These runs are in one
//    thread (`--threads 1`, the figures the goals are about); beside each, the same run on worker threads
//    (`--threads N`: BENCH_THREADS, default the machine's cores, at least 2; 0 leaves them out), whose summary must
//    be the same.
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import { runPipeline } from "../dist/pipeline/run.js";
import { prepareRun } from "../dist/pipeline/session.js";
import { validateProject } from "../dist/validate.js";
import { peakRss } from "./peak-rss.mjs";
import { mulberry32 } from "../dist/util/mulberry32.js";

const RECORDS = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const THREADS = Number(process.env.BENCH_THREADS ?? Math.max(2, cpus().length));
if (!Number.isInteger(THREADS) || THREADS === 1 || THREADS < 0)
  throw new Error(`BENCH_THREADS must be 0 (no threads run) or 2 or more, got ${THREADS}`);
const PHONE_RECORDS = Math.min(RECORDS, Number(process.env.BENCH_PHONE_RECORDS ?? 200_000));
const VERIFY = Math.min(RECORDS, 10_000);
const SMALL = RECORDS > 100_000 ? 100_000 : Math.max(1, Math.floor(RECORDS / 10));
const CHUNK = 10_000;
const SEED = 20241102;
if (!Number.isInteger(RECORDS) || RECORDS < 1) throw new Error(`BENCH_RECORDS must be a positive integer`);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) throw new Error(`BENCH_ROUNDS must be a positive integer`);
if (!Number.isInteger(PHONE_RECORDS) || PHONE_RECORDS < 1)
  throw new Error(`BENCH_PHONE_RECORDS must be a positive integer`);

const repo = fileURLToPath(new URL("..", import.meta.url));
const bin = join(repo, "bin/clue.js");
const parseFloor = join(repo, "bench/parse-floor.mjs");
const GOALS = { noPhones: 1.3, floor: 2.5 };
const started = performance.now();

// A full collection before each timed pass, so no pass pays for the garbage of the one before it.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc");

// ---------------------------------------------------------------------------------------------------------------
// Source records: the shape of config/samples/crm-contacts.jsonl, with the mess normalize_contacts cleans up.
// ---------------------------------------------------------------------------------------------------------------

// prettier-ignore
const FIRST = ["Alice", "Zoë", "James", "José", "Văn An", "Priya", "Sarah", "Liam", "Emily", "Mark", "Aroha", "Oliver",
  "Chloé", "Mohammed", "Hannah", "Daniel", "Grace", "Lucas", "Mia", "Ethan", "Isla", "Noah", "Olivia", "Jack",
  "Charlotte", "William", "Amelia", "Thomas", "Ava", "Henry", "Sophie", "Lachlan", "Ruby", "Cooper", "Matilda",
  "Harrison", "Wei", "Mei Ling", "Anh", "Siobhan", "Seán", "Mary Anne", "Jean-Luc", "Zara", "Ahmed", "Fatima", "Raj",
  "Ananya", "Kai", "Tāne"];
// prettier-ignore
const LAST = ["Nguyen", "Martin", "Wilson", "García", "Nguyễn", "Sharma", "Thompson", "van der Berg", "Chen", "Taylor",
  "Ngata", "Brown", "Dubois", "Al-Rashid", "Lee", "Kim", "Patel", "Rossi", "Johnson", "Walker", "Murphy", "Williams",
  "Smith", "Jones", "O'Brien", "McKenzie", "MacDonald", "Smith-Jones", "Tran", "Le", "Singh", "Wang", "Zhang", "Kelly",
  "Ryan", "Campbell", "Anderson", "Robinson", "White", "Harris", "Clarke", "Papadopoulos", "Nowak", "Kowalski",
  "da Silva", "De Luca", "O'Connor", "Ó Súilleabháin", "Kaur", "Müller"];
// prettier-ignore
const DOMAINS = ["gmail.com", "gmail.com", "gmail.com", "outlook.com", "hotmail.com", "bigpond.com", "bigpond.net.au",
  "yahoo.com.au", "optusnet.com.au", "icloud.com", "xtra.co.nz", "btinternet.com", "eircom.net", "iinet.net.au",
  "tpg.com.au", "nguyenplumbing.com.au", "harbourmutual.com.au"];
const PLACEHOLDERS = ["noemail@noemail.com", "none@none.com", "no.email@nomail.com", "customer@example.com"];
const BAD_PHONES = ["12345", "n/a", "0000 000 000", "TBC", "call after 5pm", "0412 345", "+61"];
// prettier-ignore
const PLACES = [["Cleveland St", "Redfern", "NSW", "2016"], ["Glebe Point Rd", "Glebe", "NSW", "2037"],
  ["Burns Bay Rd", "Lane Cove", "NSW", "2066"], ["Lygon St", "Carlton", "VIC", "3053"], ["John St", "Cabramatta", "NSW", "2166"],
  ["Brunswick St", "Fortitude Valley", "QLD", "4006"], ["King William Rd", "Unley", "SA", "5061"],
  ["Ocean Pde", "Coogee", "WA", "6166"], ["Murray St", "Hobart", "TAS", "7000"], ["Chapel St", "Windsor", "VIC", "3181"],
  ["Hay St", "Subiaco", "WA", "6008"], ["Ponsonby Rd", "Auckland", null, "1011"]];
const slug = (s) =>
  s
    .normalize("NFD")
    .replace(/\p{Mn}/gu, "")
    .replace(/[^A-Za-z]/g, "")
    .toLowerCase();
const FIRST_SLUG = FIRST.map(slug);
const LAST_SLUG = LAST.map(slug);
const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);
const P2 = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, "0"));

/** Deterministic contacts; with phones false every phone is null and all else is as with phones true. */
function* crmContacts(count, { phones = true } = {}) {
  const rnd = mulberry32(SEED);
  const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];

  // Names: mostly as typed, some all upper or lower case, some padded or with doubled or no-break spaces.
  const messName = (name) => {
    const r = rnd();
    if (r < 0.7) return name;
    if (r < 0.8) return name.toUpperCase();
    if (r < 0.88) return name.toLowerCase();
    if (r < 0.91) return ` ${name} `;
    if (r < 0.93) return `${name}  `;
    if (r < 0.955) return name.includes(" ") ? name.replace(" ", "  ") : `${name}\t`;
    if (r < 0.96) return name.includes(" ") ? name.replace(" ", "\u00a0") : `\u00a0${name}`;
    if (r < 0.975) return null;
    if (r < 0.98) return "";
    return name;
  };

  const phone = () => {
    const r = rnd();
    const m = String(int(10_000_000, 99_999_999)); // eight digits after the 04 / +614
    const [a, b, c] = [m.slice(0, 2), m.slice(2, 5), m.slice(5)];
    if (r < 0.06) return null;
    if (r < 0.08) return "";
    if (r < 0.3) return `04${a} ${b} ${c}`;
    if (r < 0.4) return `04${m}`;
    if (r < 0.48) return `+61 4${a} ${b} ${c}`;
    if (r < 0.53) return `+614${m}`;
    if (r < 0.56) return `04${a}-${b}-${c}`;
    const area = pick(["2", "3", "7", "8"]);
    if (r < 0.68) return `(0${area}) 9${m.slice(0, 3)} ${m.slice(3, 7)}`;
    if (r < 0.72) return `0${area}9${m.slice(0, 7)}`;
    if (r < 0.75) return `+61 ${area} 9${m.slice(0, 3)} ${m.slice(3, 7)}`;
    if (r < 0.8) return `+64 21 ${b} ${m.slice(4)}`;
    if (r < 0.81) return `021 ${b} ${m.slice(4)}`; // an NZ number without +64: not valid as an AU number
    if (r < 0.84) return `+44 20 7946 0${c}`;
    if (r < 0.86) return `+353 87 ${b} ${m.slice(4)}`;
    if (r < 0.89) return `+1 (415) ${int(200, 999)}-${m.slice(4)}`;
    if (r < 0.92) return pick(BAD_PHONES);
    return `04${a} ${b} ${c}`;
  };

  for (let i = 1; i <= count; i++) {
    const fi = Math.floor(rnd() * FIRST.length);
    const li = Math.floor(rnd() * LAST.length);
    let first = messName(FIRST[fi]);
    let last = messName(LAST[li]);
    const lr = rnd();
    if (lr < 0.0005)
      last = pick(["X", "B", "ñ"]); // too short: person_last_name_length
    else if (lr < 0.0006) last = `${LAST[li]}-${"Montgomery-".repeat(8)}Smythe`; // over 80: the same
    const fs = FIRST_SLUG[fi];
    const ls = LAST_SLUG[li];

    const domain = pick(DOMAINS);
    const kr = rnd();
    const local =
      kr < 0.5
        ? `${fs}.${ls}`
        : kr < 0.7
          ? `${fs[0]}.${ls}`
          : kr < 0.85
            ? `${fs}${ls}${int(1, 99)}`
            : `${fs}_${ls}`;
    let email = `${local}@${domain}`;
    const er = rnd();
    if (er < 0.05) email = email.toUpperCase();
    else if (er < 0.15) email = `${cap(local)}@${cap(domain)}`;
    else if (er < 0.2) email = ` ${email} `;
    else if (er < 0.23) email = `${email}   `;
    else if (er < 0.26) email = null;
    else if (er < 0.28) email = "";
    else if (er < 0.29) email = pick(PLACEHOLDERS);
    else if (er < 0.295)
      email = `${local.toUpperCase()}@GMAIL`; // no top-level domain: email_regex
    else if (er < 0.2955)
      email = `${fs} ${ls}@gmail.com`; // a space: email_regex
    else if (er < 0.296) email = `qa.bot+crm${i}@qa.harbourmutual.com.au`; // QA account: removed
    if (rnd() < 0.0005) {
      first = "QA";
      last = pick(["Test-Account", "TEST-ACCOUNT", " test-account "]); // QA account: removed
    }

    const month = int(1, 12);
    const day = int(1, 28);
    const hour = int(0, 23);
    const minute = int(0, 59);
    const ur = rnd();
    const updated =
      ur < 0.001
        ? null
        : ur < 0.002
          ? `${P2[day]}/${P2[month]}/2024 ${hour}:${P2[minute]}` // day-first, as older exports write it
          : ur < 0.03
            ? `2024-${P2[month]}-${P2[day]}T${P2[hour]}:${P2[minute]}:00+10:00`
            : `2024-${P2[month]}-${P2[day]}T${P2[hour]}:${P2[minute]}:00Z`;
    const dr = rnd();
    const dob =
      dr < 0.04
        ? null
        : dr < 0.042
          ? "1900-01-01" // the CRM's "unknown": person_dob_plausible
          : dr < 0.0423
            ? ""
            : dr < 0.0427
              ? `2031-${P2[month]}-${P2[day]}` // after updated_at: person_dob_plausible
              : dr < 0.043
                ? `${P2[day]}/${P2[month]}/1985` // not ISO: compares as text, fails person_dob_plausible
                : `${int(1940, 2006)}-${P2[int(1, 12)]}-${P2[int(1, 28)]}`;

    const cr = rnd();
    // prettier-ignore
    const country =
      cr < 0.7 ? "AU" : cr < 0.74 ? "au" : cr < 0.77 ? "Australia" : cr < 0.79 ? " AUSTRALIA " : cr < 0.8 ? "Aus" :
      cr < 0.86 ? "NZ" : cr < 0.88 ? "nz " : cr < 0.91 ? "GB" : cr < 0.92 ? "IE" : cr < 0.935 ? "US" :
      cr < 0.94 ? "SG" : cr < 0.945 ? "CA" : cr < 0.95 ? "DE" : cr < 0.953 ? "France" : cr < 0.955 ? "" :
      cr < 0.97 ? null : "AU";
    const ar = rnd();
    const place = pick(PLACES);
    const address =
      ar < 0.03
        ? undefined
        : ar < 0.18
          ? { country }
          : {
              street: `${int(1, 400)} ${place[0]}`,
              city: place[1],
              state: place[2],
              postcode: place[3],
              country,
            };
    const phoneValue = phone();
    const billing = rnd() < 0.4 ? `B-${int(10000, 99999)}` : null;
    const idr = rnd();
    const id = idr < 0.0001 ? null : idr < 0.0003 && i > 1 ? `c_${int(1, i - 1)}` : `c_${i}`; // nulls, duplicates

    const record = {
      id,
      first_name: first,
      last_name: last,
      date_of_birth: dob,
      contact: { email, phone: phones ? phoneValue : null },
    };
    if (address !== undefined) record.address = address;
    record.billing_account = billing;
    record.created_at = `${int(2015, 2023)}-${P2[month]}-${P2[day]}T${P2[minute % 24]}:${P2[hour]}:00Z`;
    record.updated_at = updated;
    yield record;
  }
}

/** Runs of CHUNK records in the form runPipeline takes ({record, line}), so each run can be timed alone. */
function* chunks(records) {
  let chunk = [];
  let line = 0;
  for (const record of records) {
    chunk.push({ record, line: ++line });
    if (chunk.length === CHUNK) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

// ---------------------------------------------------------------------------------------------------------------
// (b) The hand-written equivalent of mappings/crm-contacts.yaml + cleaning/normalize_contacts.yaml + the Person
// validations, with the regexes of src/expr/functions and src/pipeline/checks.ts and their null semantics.
// ---------------------------------------------------------------------------------------------------------------

// email.ts: the WHATWG rule with a dotted domain, and RFC 5321's lengths.
const ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
const IS_EMAIL = new RegExp(`^${ATOM}(?:\\.${ATOM})*@${LABEL}(?:\\.${LABEL})+$`);
const WORD_START = /(^|[\s'’-])(\p{L})/gu; // text.ts title_case
const WHITESPACE = /\s+/gu; // text.ts collapse_whitespace
const EMAIL_RULE = /^[^@\s]+@[^@\s]+\.[^@\s]+$/u; // validations/email_regex.yaml, compiled with "u" as checks.ts does
const E164 = /^\+[1-9]\d{1,14}$/; // checks.ts format e164
const PLACEHOLDER_DOMAINS = ["noemail.com", "nomail.com", "none.com", "example.com"];
const SUPPORTED_COUNTRIES = ["AU", "NZ", "GB", "IE", "US", "CA", "SG"];
// date-parse.ts: ISO or day-first dates, then optionally a time and a zone.
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})/;
const DMY_DATE = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})/;
const TIME = /^(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)? ?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** Strings as they are, finite numbers and booleans as text, anything else null (what every text function does). */
function asText(v) {
  if (typeof v === "string") return v;
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : null;
  if (typeof v === "boolean") return String(v);
  return null;
}

function emailDomain(text) {
  const at = text.lastIndexOf("@");
  return text.length <= 254 && at > 0 && at <= 64 && IS_EMAIL.test(text)
    ? text.slice(at + 1).toLowerCase()
    : null;
}

function toE164(value) {
  const text = asText(value);
  if (text === null) return null;
  try {
    const parsed = parsePhoneNumberFromString(text, "AU");
    return parsed !== undefined && parsed.isValid() ? parsed.number : null;
  } catch {
    return null;
  }
}

/** collapse_whitespace(trim(name)), on a name that is not null. */
function collapseName(value) {
  const text = asText(value);
  return text === null ? null : text.trim().trim().replace(WHITESPACE, " ");
}

/** title_case, when the name is all upper or all lower case (null stays null: the comparison is unknown). */
function titleCaseOneCase(name) {
  if (name === null || (name !== name.toUpperCase() && name !== name.toLowerCase())) return name;
  return name.toLowerCase().replace(WORD_START, (_, before, letter) => before + letter.toUpperCase());
}

const daysInMonth = (y, m) =>
  m === 2 ? ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;

/** to_date(value): the date written, as YYYY-MM-DD; null when it is not a real one or the rest is not a time. */
function toDate(value) {
  const raw = asText(value);
  if (raw === null) return null;
  const text = raw.trim();
  let year;
  let month;
  let day;
  let match = ISO_DATE.exec(text);
  if (match !== null) {
    year = Number(match[1]);
    month = Number(match[2]);
    day = Number(match[3]);
  } else if ((match = DMY_DATE.exec(text)) !== null) {
    day = Number(match[1]);
    month = Number(match[3]);
    year = Number(match[4]);
  } else return null;
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
    return null;
  if (match[0].length < text.length) {
    const time = TIME.exec(text.slice(match[0].length));
    if (time === null) return null;
    if (Number(time[1]) > 23 || Number(time[2]) > 59 || Number(time[3] ?? "0") > 59) return null;
    const zone = time[4];
    if (zone !== undefined && zone.toUpperCase() !== "Z") {
      const digits = zone.slice(1).replace(":", "");
      if (Number(digits.slice(0, 2)) > 23 || Number(digits.slice(2) || "0") > 59) return null;
    }
  }
  return `${String(year).padStart(4, "0")}-${month < 10 ? "0" : ""}${month}-${day < 10 ? "0" : ""}${day}`;
}

/** person_id_unique: false the second time an id is seen. */
function firstSighting(seen, id) {
  if (typeof id === "string") {
    if (seen.strings.has(id)) return false;
    seen.strings.add(id);
    return true;
  }
  const key = JSON.stringify(id);
  if (seen.others.has(key)) return false;
  seen.others.add(key);
  return true;
}

const newSeen = () => ({ strings: new Set(), others: new Set() });

/** One source record to its validated Person row, or null when cleaning removes it. */
function handWritten(raw, seen) {
  // mappings/crm-contacts.yaml
  const contact = raw.contact;
  const id = raw.id ?? null;
  let email = contact?.email ?? null;
  let phone = contact?.phone ?? null;
  let firstName = raw.first_name ?? null;
  let lastName = raw.last_name ?? null;
  const dateOfBirth = raw.date_of_birth ?? null;
  let country = raw.address?.country ?? null;
  const customerId = raw.billing_account ?? null;
  const updatedAt = raw.updated_at ?? null;

  // cleaning/normalize_contacts.yaml
  if (email !== null) {
    const text = asText(email);
    email = text === null ? null : text.trim().toLowerCase();
  }
  if (email === "") email = null;
  if (email !== null) {
    const domain = emailDomain(email);
    if (domain !== null && PLACEHOLDER_DOMAINS.includes(domain)) email = null;
  }
  if (email !== null && emailDomain(email) === "qa.harbourmutual.com.au") return null;
  if (lastName !== null) {
    const text = asText(lastName);
    if (text !== null && text.trim().toLowerCase() === "test-account") return null;
  }
  if (phone !== null) phone = toE164(phone);
  if (firstName !== null) firstName = collapseName(firstName);
  if (lastName !== null) lastName = collapseName(lastName);
  firstName = titleCaseOneCase(firstName);
  lastName = titleCaseOneCase(lastName);
  if (country !== null) {
    const text = asText(country);
    country = text === null ? null : text.trim().toUpperCase();
  }
  if (country === "AUSTRALIA" || country === "AUS") country = "AU";

  // validations/*.yaml for Person, in the order the pipeline runs them; null passes all but person_id_required.
  const issues = [];
  if (email !== null && !EMAIL_RULE.test(email))
    issues.push({ rule: "email_regex", severity: "high", action: "flag" });
  if (id === null) issues.push({ rule: "person_id_required", severity: "critical", action: "reject" });
  else if (!firstSighting(seen, id))
    issues.push({ rule: "person_id_unique", severity: "critical", action: "reject" });
  if (phone !== null && !(typeof phone === "string" && E164.test(phone)))
    issues.push({ rule: "phone_e164", severity: "medium", action: "flag" });
  if (country !== null && !SUPPORTED_COUNTRIES.includes(country))
    issues.push({ rule: "person_country_supported", severity: "low", action: "flag" });
  if (lastName !== null) {
    let length = 0;
    for (let i = 0; i < lastName.length; i++) {
      const c = lastName.charCodeAt(i);
      if (c < 0xdc00 || c > 0xdfff) length++;
    }
    if (length < 2 || length > 80)
      issues.push({ rule: "person_last_name_length", severity: "low", action: "flag" });
  }
  // date_of_birth is null or (date_of_birth > to_date("1900-01-01") and date_of_birth <= to_date(updated_at)):
  // only a text date can make it false (a number or a missing updated_at makes it unknown, which passes).
  if (typeof dateOfBirth === "string") {
    let plausible = dateOfBirth > "1900-01-01";
    if (plausible) {
      const until = toDate(updatedAt);
      plausible = until === null || dateOfBirth <= until;
    }
    if (!plausible) issues.push({ rule: "person_dob_plausible", severity: "medium", action: "quarantine" });
  }

  return {
    id,
    email,
    phone,
    first_name: firstName,
    last_name: lastName,
    date_of_birth: dateOfBirth,
    country,
    customer_id: customerId,
    updated_at: updatedAt,
    _issues: issues,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// (a) The evaluator, and the passes that time both.
// ---------------------------------------------------------------------------------------------------------------

const { project, diagnostics } = validateProject(repo);
const errors = diagnostics.filter((d) => d.severity === "error");
if (errors.length > 0)
  throw new Error(
    `the example project has errors:\n${errors.map((d) => `  ${d.file}:${d.line} ${d.message}`).join("\n")}`,
  );

/** A freshly compiled crm-contacts pipeline (person_id_unique remembers ids, so each pass needs its own). */
async function compilePipeline() {
  const [input] = await prepareRun(project, [{ source: "crm-contacts", open: () => [] }]);
  return input.pipeline;
}

async function clueRows(records) {
  const pipeline = await compilePipeline();
  const rows = [];
  const stats = await runPipeline([{ pipeline, records }], {
    stage: "validated",
    emit: (row) => void rows.push(JSON.stringify(row)),
  });
  return { rows, removed: stats.removed.map((r) => r.line), stats };
}

function handRows(records) {
  const seen = newSeen();
  const rows = [];
  const removed = [];
  for (const { record, line } of records) {
    const row = handWritten(record, seen);
    if (row === null) removed.push(line);
    else rows.push(JSON.stringify(row));
  }
  return { rows, removed };
}

/** The comparison is only fair if both do the same work: identical rows, identical removals, or stop. */
async function verify(phones) {
  const records = [...chunks(crmContacts(VERIFY, { phones }))].flat();
  const a = await clueRows(records);
  const b = handRows(records);
  for (let i = 0; i < Math.max(a.rows.length, b.rows.length); i++) {
    if (a.rows[i] !== b.rows[i]) {
      throw new Error(
        `verification failed (phones ${phones ? "on" : "null"}): row ${i + 1} differs\n` +
          `  clue:         ${a.rows[i]}\n  hand-written: ${b.rows[i]}`,
      );
    }
  }
  if (JSON.stringify(a.removed) !== JSON.stringify(b.removed))
    throw new Error(
      `verification failed: removed lines differ\n  clue: ${a.removed}\n  hand-written: ${b.removed}`,
    );
  const failed = [...a.stats.rules.get("Person").values()].map((s) => `${s.rule} ${s.failed}`);
  return { rows: a.rows.length, removed: a.removed.length, failed };
}

async function clueEvaluatorPass(phones, count, stage = "validated") {
  const pipeline = await compilePipeline();
  let written = 0;
  let removed = 0;
  let ms = 0;
  const emit = () => {
    written++;
  };
  gc();
  for (const chunk of chunks(crmContacts(count, { phones }))) {
    const start = performance.now();
    const stats = await runPipeline([{ pipeline, records: chunk }], { stage, emit });
    ms += performance.now() - start;
    removed += stats.removedCount;
  }
  return { ms, written, removed };
}

async function handWrittenPass(phones, count) {
  const seen = newSeen();
  let written = 0;
  let removed = 0;
  let ms = 0;
  gc();
  for (const chunk of chunks(crmContacts(count, { phones }))) {
    const start = performance.now();
    for (let i = 0; i < chunk.length; i++) {
      if (handWritten(chunk[i].record, seen) === null) removed++;
      else written++;
    }
    ms += performance.now() - start;
  }
  return { ms, written, removed };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n) => Math.round(n).toLocaleString("en");
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

const verified = [await verify(true), await verify(false)];
console.log(
  `verified: on the first ${fmt(VERIFY)} records the evaluator and the hand-written function give identical rows ` +
    `(${fmt(verified[0].rows)} rows, ${verified[0].removed} removed; with phones null ${fmt(verified[1].rows)} rows, ` +
    `${verified[1].removed} removed)\n  failures per rule in that sample: ${verified[0].failed.join(", ")}`,
);

const throughput = {};
for (const phones of [true, false]) {
  const count = phones ? PHONE_RECORDS : RECORDS;
  const times = { clue: [], hand: [] };
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? ["clue", "hand"] : ["hand", "clue"];
    const results = {};
    for (const who of order)
      results[who] =
        who === "clue" ? await clueEvaluatorPass(phones, count) : await handWrittenPass(phones, count);
    if (results.clue.written !== results.hand.written || results.clue.removed !== results.hand.removed)
      throw new Error(
        `the evaluator wrote ${results.clue.written} and removed ${results.clue.removed}, the hand-written function ` +
          `wrote ${results.hand.written} and removed ${results.hand.removed}`,
      );
    times.clue.push(results.clue.ms);
    times.hand.push(results.hand.ms);
    console.log(
      `  round ${round + 1} (phones ${phones ? "on" : "null"}): evaluator ${seconds(results.clue.ms)}, hand-written ${seconds(results.hand.ms)}`,
    );
  }
  throughput[phones ? "phones" : "noPhones"] = { count, clue: median(times.clue), hand: median(times.hand) };
}

// Each stage's own cost: the evaluator up to stage mapped, cleaned and validated, phones null, one pass each.
const stageMs = {};
for (const stage of ["mapped", "cleaned", "validated"])
  stageMs[stage] = (await clueEvaluatorPass(false, RECORDS, stage)).ms;

// ---------------------------------------------------------------------------------------------------------------
// Memory: `clue run` as a child process on JSON Lines files, written streamed from the same generator.
// ---------------------------------------------------------------------------------------------------------------

const dir = mkdtempSync(join(tmpdir(), "clue-bench-eval-"));
const bigFile = join(dir, `crm-contacts-${RECORDS}.jsonl`);
const smallFile = join(dir, `crm-contacts-${SMALL}.jsonl`);
const cli = [];
try {
  const big = openSync(bigFile, "w");
  const small = openSync(smallFile, "w");
  let buffer = "";
  let n = 0;
  for (const record of crmContacts(RECORDS)) {
    buffer += `${JSON.stringify(record)}\n`;
    n++;
    if (n === SMALL) {
      writeSync(big, buffer);
      writeSync(small, buffer);
      buffer = "";
    } else if (buffer.length >= 1 << 20) {
      writeSync(big, buffer);
      if (n < SMALL) writeSync(small, buffer);
      buffer = "";
    }
  }
  writeSync(big, buffer);
  closeSync(big);
  closeSync(small);

  const measure = peakRss(dir);
  // Stage cleaned too: it runs no validation, so no person_id_unique set of every id seen, which shows how much of
  // any growth is that set (run.ts: "only unique checks remember values").
  for (const [stage, records, file] of [
    ["validated", SMALL, smallFile],
    ["validated", RECORDS, bigFile],
    ["cleaned", SMALL, smallFile],
    ["cleaned", RECORDS, bigFile],
  ]) {
    const args = [
      bin,
      "run",
      "--source",
      "crm-contacts",
      "--input",
      file,
      "--stage",
      stage,
      "--out",
      "/dev/null",
      "--dead-letter",
      join(dir, "dead-letters.jsonl"),
      "--project",
      repo,
      "--threads",
      "1",
    ];
    // The floor on the same file just before clue's own run, so that both see the same machine.
    const floor = stage === "validated" ? measure.run([parseFloor, file, "/dev/null"], repo) : undefined;
    if (floor !== undefined && floor.status !== 0)
      throw new Error(`the parse floor failed:\n${floor.stderr}`);
    const result = measure.run(args, repo);
    if (result.status !== 0) throw new Error(`clue run failed (${result.status}):\n${result.stderr}`);
    if (result.rssMB === undefined) throw new Error(`no peak RSS in:\n${result.stderr}`);
    const many = THREADS > 0 ? measure.run([...args.slice(0, -1), String(THREADS)], repo) : undefined;
    if (many !== undefined && (many.status !== 0 || many.stderr !== result.stderr))
      throw new Error(`clue run --threads ${THREADS} failed or summed up otherwise:\n${many.stderr}`);
    cli.push({
      stage,
      records,
      ms: result.ms,
      cpuMs: result.cpuMs,
      rssMB: result.rssMB,
      threads: many,
      floor,
      summary: result.stderr,
      how: measure.how,
    });
  }
} finally {
  if (process.env.BENCH_KEEP) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------------------------

const { phones, noPhones } = throughput;
const rate = (count, ms) => `${fmt(count / (ms / 1000)).padStart(11)} records/s  (${seconds(ms)})`;
const ratio = (t) => t.clue / t.hand;
const [small, big, smallCleaned, bigCleaned] = cli;
console.log(`\n${big.summary}\n`);
console.log(
  `clue evaluator vs hand-written JavaScript: crm-contacts → Person, ${fmt(RECORDS)} records ` +
    `(node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, median of ${ROUNDS} interleaved rounds)`,
);
console.log(
  `  with phone normalisation (libphonenumber-js, e164_phone runs; first ${fmt(phones.count)} records):`,
);
console.log(`    clue evaluator (prepareRun + runPipeline):  ${rate(phones.count, phones.clue)}`);
console.log(`    hand-written function:                      ${rate(phones.count, phones.hand)}`);
console.log(`    ratio clue / hand-written:                  ${ratio(phones).toFixed(2)}`);
console.log(
  `  without phones (phone null, e164_phone skipped: the evaluator's own cost; all ${fmt(noPhones.count)} records):`,
);
console.log(`    clue evaluator (prepareRun + runPipeline):  ${rate(noPhones.count, noPhones.clue)}`);
console.log(`    hand-written function:                      ${rate(noPhones.count, noPhones.hand)}`);
console.log(
  `    ratio clue / hand-written:                  ${ratio(noPhones).toFixed(2)} (goal <= ${GOALS.noPhones})` +
    `${ratio(noPhones) > GOALS.noPhones ? `  ** over goal by ${(ratio(noPhones) - GOALS.noPhones).toFixed(2)} **` : ""}`,
);
console.log(
  `  each stage's own cost (phones null, one pass each): mapping ${seconds(stageMs.mapped)}, cleaning ` +
    `${seconds(stageMs.cleaned - stageMs.mapped)}, validation ${seconds(stageMs.validated - stageMs.cleaned)}`,
);
console.log(`clue run (child process on a JSON Lines file, --out /dev/null; peak RSS by ${big.how}):`);
for (const c of cli) {
  console.log(
    `    --stage ${c.stage.padEnd(9)} ${fmt(c.records).padStart(9)} records: peak RSS ${c.rssMB.toFixed(0).padStart(4)} MB, ` +
      `wall ${seconds(c.ms).padStart(8)}, ${fmt(c.records / (c.ms / 1000)).padStart(7)} records/s` +
      (c.cpuMs === undefined ? "" : `, CPU ${seconds(c.cpuMs)}`),
  );
  if (c.threads)
    console.log(
      `      on ${THREADS} threads: peak RSS ${(c.threads.rssMB ?? 0).toFixed(0)} MB, wall ${seconds(c.threads.ms)} ` +
        `(×${(c.ms / c.threads.ms).toFixed(2)})` +
        (c.threads.cpuMs === undefined ? "" : `, CPU ${seconds(c.threads.cpuMs)}`),
    );
  if (c.floor)
    console.log(
      `      parse floor (read, JSON.parse + JSON.stringify, write) on the same file: wall ${seconds(c.floor.ms)}` +
        (c.floor.cpuMs === undefined ? "" : `, CPU ${seconds(c.floor.cpuMs)}`) +
        `; clue / floor ${(c.ms / c.floor.ms).toFixed(2)} wall` +
        (c.cpuMs === undefined || c.floor.cpuMs === undefined
          ? ""
          : `, ${(c.cpuMs / c.floor.cpuMs).toFixed(2)} CPU`),
    );
}
const floored = big.floor;
if (floored) {
  const wall = big.ms / floored.ms;
  const cpu = big.cpuMs !== undefined && floored.cpuMs !== undefined ? big.cpuMs / floored.cpuMs : undefined;
  const worst = Math.max(wall, cpu ?? 0);
  console.log(
    `    clue run --stage validated at ${fmt(big.records)} records (phones as generated) / parse floor: ` +
      `${wall.toFixed(2)} wall${cpu === undefined ? "" : `, ${cpu.toFixed(2)} CPU`} (goal <= ${GOALS.floor})` +
      `${worst > GOALS.floor ? `  ** over goal by ${(worst - GOALS.floor).toFixed(2)} **` : ""}`,
  );
}
const growth = big.rssMB - small.rssMB;
const cleanedGrowth = bigCleaned.rssMB - smallCleaned.rssMB;
console.log(
  `    peak RSS at ${fmt(big.records)} records: ${big.rssMB.toFixed(0)} MB (goal well under 300 MB)` +
    `${big.rssMB >= 300 ? "  ** over 300 MB **" : ""}`,
);
console.log(
  `    growth ${fmt(small.records)} → ${fmt(big.records)} records: ${growth.toFixed(0)} MB at stage validated, ` +
    `${cleanedGrowth.toFixed(0)} MB at stage cleaned (goal flat); the difference, ${(growth - cleanedGrowth).toFixed(0)} MB, ` +
    `is the validations' state (person_id_unique remembers every id it has seen)`,
);
console.log(`total bench time ${seconds(performance.now() - started)}`);
