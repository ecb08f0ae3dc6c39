// Writes config/samples/billing-companies.csv: 400 billing accounts for a few hundred made-up companies, about one
// in four a second account for a company already billed (a name typed differently, the domain or the phone
// missing), so that `clue train` has enough pairs to estimate the Organization model. Seeded: the same file
// every time. Run: node scripts/make-organization-sample.mjs
//
// It also writes config/tests/labels/organization.csv, the truth `clue evaluate` measures the Organization model
// against: every pair of company ids that are one company (a first account and its second accounts, and second
// accounts of one company), and as many pairs that are not, half of them sharing the surname the names start with
// (the hard ones), drawn with a separate seed so that the sample above does not change.
import { writeFileSync } from "node:fs";

/** mulberry32: a small seeded generator, so the same seed gives the same file. */
const seeded = (seed) => {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};
const random = seeded(20261205);
const pick = (list) => list[Math.floor(random() * list.length)];
const surnames = [
  "Nguyen",
  "Smith",
  "Brown",
  "Wilson",
  "Taylor",
  "Martin",
  "Anderson",
  "Thomas",
  "White",
  "Harris",
  "Lee",
  "Walker",
  "Hall",
  "Allen",
  "Young",
  "King",
  "Wright",
  "Scott",
  "Green",
  "Baker",
  "Adams",
  "Nelson",
  "Hill",
  "Campbell",
  "Mitchell",
  "Roberts",
  "Carter",
  "Phillips",
  "Evans",
  "Turner",
  "Parker",
  "Collins",
  "Edwards",
  "Stewart",
  "Morris",
  "Murphy",
  "Cook",
  "Rogers",
  "Morgan",
  "Cooper",
  "Patel",
  "Singh",
  "Chen",
  "Wang",
  "Kelly",
];
const trades = [
  "Plumbing",
  "Joinery",
  "Electrical",
  "Design",
  "Logistics",
  "Legal",
  "Accounting",
  "Pharmacy",
  "Imports",
  "Farms",
  "Builders",
  "Roofing",
  "Landscaping",
  "Cleaning",
  "Bakery",
  "Motors",
  "Dental",
  "Consulting",
];
const suffixes = ["Pty Ltd", "", "& Sons", "Group", "Services", "Co"];
const firsts = [
  "Alice",
  "Oliver",
  "Chloe",
  "Ethan",
  "Sarah",
  "Mark",
  "James",
  "Wei",
  "Fatima",
  "Priya",
  "Jack",
  "Ruby",
  "Leo",
  "Amelia",
  "Tom",
  "Zoe",
  "Noah",
  "Mia",
  "Liam",
  "Ava",
];
const digits = (n) => Array.from({ length: n }, () => Math.floor(random() * 10)).join("");
const typo = (s) => {
  const i = 1 + Math.floor(random() * (s.length - 2));
  return random() < 0.5 ? s.slice(0, i) + s.slice(i + 1) : s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
};
const csv = (v) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

const companies = [];
for (let k = 0; k < 320; k++) {
  const surname = pick(surnames);
  const trade = pick(trades);
  const name = `${surname} ${trade} ${pick(suffixes)}`.trim();
  const slug = `${surname}${trade}`.toLowerCase();
  const country = random() < 0.85 ? "AU" : "NZ";
  companies.push({
    id: `ORG-${1000 + k}`,
    name,
    abn: country === "AU" && random() < 0.6 ? digits(11) : "",
    domain: `${slug}${k}.com.${country.toLowerCase()}`,
    phone: country === "AU" ? `+61${pick(["2", "3", "7", "8"])}${digits(8)}` : `+649${digits(7)}`,
    country,
    employees: String(1 + Math.floor(random() * 200)),
  });
}
const rows = [];
let account = 20000;
const row = (c, id, name, domain, phone, abn) => {
  const first = pick(firsts);
  const last = pick(surnames);
  rows.push([
    `B-${account++}`,
    first,
    last,
    `${first}.${last}@example.com`.toLowerCase(),
    "",
    "",
    c.country,
    id,
    name,
    abn,
    domain,
    phone,
    c.employees,
    `2026-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}T09:00:00Z`,
  ]);
};
for (const c of companies) row(c, c.id, c.name, c.domain, c.phone, c.abn);
/** Per first company id, the ids of its second accounts. */
const seconds = new Map();
// Second accounts: the same company under a new id, typed differently.
for (let k = 0; k < 80; k++) {
  const c = companies[Math.floor(random() * companies.length)];
  seconds.set(c.id, [...(seconds.get(c.id) ?? []), `ORG-${5000 + k}`]);
  const r = random();
  // Mostly the same name typed differently; sometimes a trading name that shares nothing with it.
  const name =
    r < 0.4
      ? typo(c.name)
      : r < 0.6
        ? c.name.toUpperCase()
        : r < 0.85
          ? c.name.replace(" Pty Ltd", "")
          : `${pick(firsts)}'s ${pick(trades)}`;
  // A new switchboard number now and then; a country typed for the contact rather than the company, rarely.
  const phone = random() < 0.15 ? `${c.phone.slice(0, -4)}${digits(4)}` : c.phone;
  row(
    random() < 0.05 ? { ...c, country: c.country === "AU" ? "NZ" : "AU" } : c,
    `ORG-${5000 + k}`,
    name,
    random() < 0.7 ? c.domain : "",
    random() < 0.6 ? phone : "",
    random() < 0.3 ? c.abn : "",
  );
}
const header =
  "account_id,contact_first_name,contact_last_name,contact_email,contact_phone,date_of_birth,country,company_id,company_name,abn,company_domain,company_phone,employees,last_modified";
writeFileSync(
  new URL("../config/samples/billing-companies.csv", import.meta.url),
  `${header}\r\n${rows.map((r) => r.map(csv).join(",")).join("\r\n")}\r\n`,
);

// The labels: true pairs from the generator's own record of which account is which company.
const truePairs = [];
for (const [first, others] of seconds) {
  const ids = [first, ...others];
  for (let x = 0; x < ids.length; x++)
    for (let y = x + 1; y < ids.length; y++) truePairs.push([ids[x], ids[y]]);
}
const sameCompany = new Set(truePairs.map(([a, b]) => `${a}|${b}`));
const labelRandom = seeded(7);
const accounts = rows.map((r) => ({ id: r[7], surname: r[8].split(" ")[0] }));
const falsePairs = [];
const seen = new Set();
while (falsePairs.length < truePairs.length) {
  const a = accounts[Math.floor(labelRandom() * accounts.length)];
  const hard = falsePairs.length % 2 === 0;
  const pool = hard ? accounts.filter((b) => b.surname === a.surname && b.id !== a.id) : accounts;
  const b = pool[Math.floor(labelRandom() * pool.length)];
  if (!b || b.id === a.id) continue;
  const [x, y] = a.id < b.id ? [a.id, b.id] : [b.id, a.id];
  if (sameCompany.has(`${x}|${y}`) || sameCompany.has(`${y}|${x}`) || seen.has(`${x}|${y}`)) continue;
  seen.add(`${x}|${y}`);
  falsePairs.push([x, y]);
}
writeFileSync(
  new URL("../config/tests/labels/organization.csv", import.meta.url),
  `a,b,match\n${[
    ...truePairs.map(([a, b]) => `billing:${a},billing:${b},true`),
    ...falsePairs.map(([a, b]) => `billing:${a},billing:${b},false`),
  ].join("\n")}\n`,
);
