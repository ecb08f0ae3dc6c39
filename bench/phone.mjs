// npm run bench:phone — what libphonenumber-js's metadata sets ("min", "max", "mobile") accept, and how fast each
// parses, next to clue's own path (src/phone/: the max set, plain input parsed by a port with its patterns compiled
// once, answers cached per value). BENCH_NUMBERS sets how many numbers (default 200,000).
//
// The numbers: for every country the library knows, its example mobile number, the same with the last one to four
// digits changed (mostly still valid), one digit more or less, and random digits of a typical length; each written
// in E.164, in national format with the national prefix, and spaced "+CC NNN NNN NNN", read with the country as
// the default country. Each set's verdict is `parsePhoneNumberFromString(text, country)?.isValid()`; clue's is the
// E.164 number that to_e164 gives.
import { createRequire } from "node:module";
import { cpus } from "node:os";
import { parsePhone } from "../dist/phone/parse.js";
import { mulberry32 } from "../dist/util/mulberry32.js";

const COUNT = Number(process.env.BENCH_NUMBERS ?? 200_000);
if (!Number.isInteger(COUNT) || COUNT < 1) throw new Error("BENCH_NUMBERS must be a positive integer");
const require = createRequire(import.meta.url);
const fmt = (n) => Math.round(n).toLocaleString("en");

// The library's three sets, each loaded and timed (the code they share first, so that only the set counts).
require("libphonenumber-js/core");
const sets = ["min", "max", "mobile"].map((name) => {
  const start = performance.now();
  const library = require(`libphonenumber-js/${name}`);
  const metadata = require(`libphonenumber-js/metadata.${name}.json`);
  return { name, library, loadMs: performance.now() - start, bytes: JSON.stringify(metadata).length };
});
const metadata = require("libphonenumber-js/metadata.max.json");
const examples = require("libphonenumber-js/examples.mobile.json");

// The numbers.
const rnd = mulberry32(20250716);
const digit = () => String(Math.floor(rnd() * 10));
const countries = Object.keys(metadata.countries);
const numbers = [];
while (numbers.length < COUNT) {
  const country = countries[Math.floor(rnd() * countries.length)];
  const [code, , , , , prefix] = metadata.countries[country];
  const example = examples[country];
  const r = rnd();
  let national;
  if (example !== undefined && r < 0.2) national = example;
  else if (example !== undefined && r < 0.7) {
    national = example.slice(0, example.length - 1 - Math.floor(rnd() * 4));
    while (national.length < example.length) national += digit();
  } else if (example !== undefined && r < 0.8)
    national = rnd() < 0.5 ? example + digit() : example.slice(0, -1);
  else {
    national = "";
    const length = 6 + Math.floor(rnd() * 6);
    while (national.length < length) national += digit();
  }
  const form = rnd();
  const text =
    form < 0.4
      ? `+${code}${national}`
      : form < 0.7
        ? `${typeof prefix === "string" ? prefix : ""}${national}`
        : `+${code} ${national.replace(/(\d{3})(?=\d)/g, "$1 ")}`;
  numbers.push({ text, country });
}

// Verdicts and times. Each set parses every number once (a warm-up pass first), clue likewise.
const valid = (set, { text, country }) => {
  const parsed = set.library.parsePhoneNumberFromString(text, country);
  return parsed?.isValid() ? parsed.number : null;
};
const timed = (f, list = numbers, warm = true) => {
  if (warm) for (let i = 0; i < Math.min(list.length, 5000); i++) f(numbers[numbers.length - 1 - i]);
  const start = performance.now();
  const out = list.map(f);
  return { out, ms: performance.now() - start };
};
const results = sets.map((set) => ({ ...set, ...timed((n) => valid(set, n)) }));
const max = results.find((r) => r.name === "max");
const clue = timed(({ text, country }) => parsePhone(text, country)?.number ?? null);
// A value seen shortly before (the cache has 32,768 slots per default country; a value keeps its slot until a later
// one whose hash picks the same slot takes it).
const recent = numbers.slice(-10_000);
const clueAgain = timed(({ text, country }) => parsePhone(text, country)?.number ?? null, recent, false);
const differences = clue.out.filter((v, i) => v !== max.out[i]).length;
if (differences > 0)
  throw new Error(`clue's to_e164 differs from libphonenumber-js max on ${differences} numbers`);

console.log(
  `libphonenumber-js metadata sets on ${fmt(COUNT)} generated numbers of ${countries.length} countries ` +
    `(node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "cpu"})`,
);
const header = ["set", "metadata", "load", "valid", "differ from max", "per number", "numbers/s"];
const rows = results.map((r) => {
  const accepted = r.out.filter((v) => v !== null).length;
  const differ = r.out.filter((v, i) => (v === null) !== (max.out[i] === null)).length;
  return [
    r.name,
    `${fmt(r.bytes / 1024)} kB`,
    `${r.loadMs.toFixed(0)} ms`,
    `${fmt(accepted)} (${((100 * accepted) / COUNT).toFixed(1)}%)`,
    fmt(differ),
    `${((1000 * r.ms) / COUNT).toFixed(2)} µs`,
    fmt(COUNT / (r.ms / 1000)),
  ];
});
rows.push(
  [
    "clue (max)",
    "",
    "",
    `${fmt(clue.out.filter((v) => v !== null).length)}`,
    "0",
    `${((1000 * clue.ms) / COUNT).toFixed(2)} µs`,
    fmt(COUNT / (clue.ms / 1000)),
  ],
  [
    "clue, seen before",
    "",
    "",
    "(cached)",
    "",
    `${((1000 * clueAgain.ms) / recent.length).toFixed(2)} µs`,
    fmt(recent.length / (clueAgain.ms / 1000)),
  ],
);
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
for (const row of [header, ...rows]) console.log(`  ${row.map((c, i) => c.padEnd(widths[i])).join("  ")}`);

// A few numbers the sets disagree on, to show what the difference is.
for (const r of results.filter((x) => x.name !== "max")) {
  const shown = [];
  for (let i = 0; i < numbers.length && shown.length < 3; i++)
    if ((r.out[i] === null) !== (max.out[i] === null))
      shown.push(
        `${numbers[i].text} (${numbers[i].country}): ${r.name} ${r.out[i] === null ? "invalid" : "valid"}, max ${max.out[i] === null ? "invalid" : "valid"}`,
      );
  if (shown.length > 0) console.log(`  e.g. ${shown.join("; ")}`);
}
console.log(
  `  clue's to_e164 gives libphonenumber-js max's answer on every number; ` +
    `${(max.ms / clue.ms).toFixed(1)}x as fast on first sight, ` +
    `${(max.ms / COUNT / (clueAgain.ms / recent.length)).toFixed(1)}x when a value repeats`,
);
