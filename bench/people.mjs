// The people of bench:dedup and bench:scale: the Person project (the example project's entity, a plain JSON Lines
// mapping, and rules like config/dedup/person.yaml) and a seeded generator of people with realistic duplicates.
//
// The data (seeded, so every run sees the same records): about 30% of people have 1-3 extra records, shuffled
// through the file. A duplicate may have a typo in a name, first and last name swapped, the phone written another
// way ("0412 345 678", "+61412345678", "0412-345-678", ...), the email in other case, or the email, phone or date
// of birth missing. Dates of birth spread over 80 years, emails and phones are per person (with the odd chance
// collision real data has), so no block is giant.
import { closeSync, openSync, writeSync } from "node:fs";
import { mulberry32 } from "../dist/util/mulberry32.js";

const SEED = 20241117;

// ---------------------------------------------------------------------------------------------------------------
// The project: Person as in config/entities/person.yaml, a plain mapping, rules as in config/dedup/person.yaml.
// ---------------------------------------------------------------------------------------------------------------

export const PROJECT = {
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
export const MODEL = `comparisons:
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

/**
 * Writes the N records as JSON Lines; returns how many people they are and how many pairs share a birth date.
 * `options.extra(record, person)` may return more fields for the record's line (bench:scale gives Splink, which has no
 * phone parser or soundex in DuckDB, what clue computes itself).
 */
export function writeRecords(file, count, options = {}) {
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
    if (options.extra) Object.assign(record, options.extra(record, who));
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
