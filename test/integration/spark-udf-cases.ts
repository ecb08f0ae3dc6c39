/**
 * Generated calls of clue's functions, for checking the Spark job's Python UDFs against clue's JavaScript ones:
 * values people type (names with accents and odd cases, e-mail addresses, phone numbers in many styles, numbers
 * written as text), edge cases (empty, whitespace only, Unicode whitespace, emoji, combining marks, ß, İ, final
 * sigma), and random strings. Deterministic for a seed.
 */
import { functions } from "../../src/expr/functions/index.js";
import { HELPER_UDFS } from "../../src/engine/udfs.js";
import type { ExprType, Value } from "../../src/expr/types.js";
import { mulberry32 } from "../../src/util/mulberry32.js";

const NAMES = [
  "Zoë",
  "  zoë  MARTIN ",
  "o'brien-smith",
  "MARY  ANNE mcdonald",
  "José García",
  "Nguyễn Văn An",
  "straße",
  "ΣΊΣΥΦΟΣ ΟΔΟΣ",
  "İstanbul",
  "ß",
  "ǆemal",
  "Łukasz Søren",
  "æble Œuvre",
  "ﬁnance",
  "🙂x",
  "e\u0301te",
  "\u00a0nbsp\u00a0",
  "\t tab\n",
  "",
  "   ",
  "-",
  "'",
  "a--b",
  "x’y",
  "van  der Berg",
  "McKenzie",
  "ANN-MARIE",
  "Dr. Ann Lee, Jr.",
  "(Ann)",
  "ann_lee",
  "Ĳssel",
  "ŉ",
  "DİXON",
  "dickson x",
  "MARTHA",
  "MARHTA",
  "Dwayne",
  "Duane",
  "Robert",
  "Rupert",
  "Ashcraft",
  "Tymczak",
  "Pfister",
  "Honeyman",
  "42",
  "Ann\u2003Lee",
  "a\u200bb",
  "ǅ",
  "ﬀ",
  "Ǳ",
  "Σ",
  "ΌΣΟΣ",
  "ς",
  "ᾳ",
  "\uFEFFbom",
  "x\u2028y",
];
const EMAILS = [
  "Ann@Example.COM",
  " ann@example.com",
  "a..b@x.com",
  "ann@localhost",
  "first.last+tag@gmail.com",
  "F.Last+x@GoogleMail.com",
  "x@y.co",
  "bad email",
  "@x.com",
  "a@b@c.com",
  `${"l".repeat(65)}@x.com`,
  "ann@-x.com",
  "ann@x-.com",
  "ann@x.c-m",
  "o'hara@irish.ie",
  "zoë@example.com",
  "qa.bot@QA.HarbourMutual.com.au",
  "NoEmail@NoEmail.com",
];
const PHONES = [
  "0412 345 678",
  "+61 2 9374 4000",
  "(02) 9876 5432",
  "020 7946 0958",
  "+44 20 7946 0958",
  "12345",
  "0400 000 000",
  "+1 650 253 0000",
  "1800 123 456",
  "+49 10 12345678",
  "tel:+61412345678",
  "0412-345-678 ext 5",
  "+61412345678",
  "04 1234 5678",
  "+61 (0)412 345 678",
  "0011 61 412 345 678",
  "13 00 00",
  "+64 21 123 4567",
  "021 123 4567",
  "(03) 9428 7000",
  "02 9810 2233",
  "+33 1 23 45 67 89",
  "+81 3-1234-5678",
  "555-0100",
  "+",
  "",
  "abc",
  "0412 345 67",
  "+61 4 1234 5678",
  "61412345678",
  "+6141234567890",
  "0412 345 678 ",
  "０４１２ ３４５ ６７８",
];
const NUMBER_TEXTS = [
  "12",
  " -3.5 ",
  "1e3",
  "1,234",
  "0x1F",
  ".5",
  "5.",
  "Infinity",
  "1e400",
  "-0",
  "+7",
  "1E-7",
  "٣",
];
const NUMBERS = [
  0,
  -0,
  1,
  1.5,
  -2.5,
  2.5,
  1.005,
  123456.789,
  1e21,
  1e-7,
  -1,
  10,
  3,
  0.1 + 0.2,
  2 ** 53,
  4.35,
  -0.5,
];
const DATES = [
  "2024-05-01",
  "2024-02-29",
  "2023-02-29",
  "1990-03-04",
  "1990-04-03",
  "29/02/2024",
  "1/2/2024",
  "01.02.2024",
  "1-2-2024",
  "2024-05-01T10:00:00Z",
  "2024-05-01 10:00",
  "2024-05-01T23:59:59.999+10:00",
  "2024-05-01T10:00:00-0530",
  "2024-05-01T24:00:00Z",
  "2024-05-01T10:00:00+24:00",
  "0001-01-01T00:00:00+01:00",
  "9999-12-31T23:00:00-02:00",
  "20240501",
  "05/01/2024",
  "2024-13-01",
  " 2024-05-01 ",
  "2024-05-01x",
  "12/31/1999",
  "31/12/1999",
  "1999",
  "",
  "2024-05-01t10:00:00z",
  "2024-05-01  7:05",
  "2024-05-01T10:00:00 +10",
  "0000-01-01",
];
const FORMATS = [
  "DD/MM/YYYY",
  "MM/DD/YYYY",
  "YYYYMMDD",
  "YYYY-MM-DD",
  "DD.MM.YYYY",
  "YY/MM/DD",
  "YYYY/MM",
  "DDMMYYYY",
  "x",
];
const COUNTRIES = ["AU", "GB", "US", "au", " nz ", "UK", "XX", "", "NZ", "FR"];
const ALPHABET = [..."aAbBzZ09 -'’.,@+_éÉüßİıςΣ\t\u00a0\u3000🙂\u0301ØæŁ日本"];

type Pool = () => Value;

export function generateCases(
  seed: number,
  perFunction: number,
): { name: string; args: Value[]; result: Value }[] {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const randomText = () => Array.from({ length: Math.floor(random() * 12) }, () => pick(ALPHABET)).join("");
  const text: Pool = () => {
    const r = random();
    if (r < 0.35) return pick(NAMES);
    if (r < 0.5) return pick(EMAILS);
    if (r < 0.6) return pick(PHONES);
    if (r < 0.68) return pick(NUMBER_TEXTS);
    if (r < 0.74) return pick(NUMBERS);
    if (r < 0.76) return random() < 0.5;
    if (r < 0.79) return null;
    return randomText();
  };
  const number: Pool = () => {
    const r = random();
    if (r < 0.6) return pick([...NUMBERS, 2, 4, 5, 15, 16, -3, 0.5, 100]);
    if (r < 0.8) return Math.round((random() * 40 - 20) * 1000) / 1000;
    if (r < 0.95) return pick(NUMBER_TEXTS);
    return null;
  };
  const date: Pool = () => (random() < 0.85 ? pick(DATES) : random() < 0.5 ? 20240501 : text());
  const pools: Record<string, Pool> = {
    default_country: () => pick(COUNTRIES),
    format: () => (random() < 0.85 ? pick(FORMATS) : text()),
    text: () => (random() < 0.3 ? pick(PHONES) : text()),
  };
  const poolOf = (fn: string, param: string, type: ExprType | readonly ExprType[]): Pool => {
    if (fn.startsWith("to_date") && param === "text") return date;
    const custom = pools[param];
    if (custom) return custom;
    const types = typeof type === "string" ? [type] : type;
    if (types.includes("date") || types.includes("datetime")) return date;
    if (types.includes("number") && !types.includes("string")) return number;
    if (types.includes("number") && !types.includes("boolean"))
      return () => (random() < 0.7 ? number() : text());
    if (types.includes("list")) return () => (random() < 0.2 ? [pick(NAMES), pick(NAMES)] : text());
    return text;
  };
  const cases: { name: string; args: Value[]; result: Value }[] = [];
  for (const [name, fn] of functions) {
    for (let i = 0; i < perFunction; i++) {
      const args: Value[] = [];
      fn.params.forEach((p, index) => {
        const last = index === fn.params.length - 1;
        if (p.optional && random() < 0.4) return;
        const count = fn.variadic && last ? 1 + Math.floor(random() * 3) : 1;
        for (let k = 0; k < count; k++) args.push(poolOf(name, p.name, p.type)());
      });
      const result =
        !fn.acceptsNull && args.some((a) => a === null) ? null : fn.call(args, { lookup: () => null });
      cases.push({ name, args, result });
    }
  }
  return cases;
}

const NUMBER_TOKENS = [
  "9007199254740993",
  "9007199254740992",
  "-9007199254740993",
  "276678586964793800",
  "276678586964793801",
  "1e400",
  "-1e400",
  "1e-400",
  "0.000",
  "0e5",
  "00012",
  "+12",
  "12.50",
  "1.0e2",
  "123456789012345678901234",
  "0.1",
  "-0",
  "1e20",
  "100000000000000000000",
  "99999999999999999999.0",
  "abc",
  "",
  " 12",
  "1_000",
];
const URLS = [
  "http://example.com",
  "https://exa mple.com",
  "http:example.com",
  "HTTP://X.COM/a b",
  "ftp://x.com",
  "https://",
  "http://[::1]:80/",
  "http://x.com:99999",
  "  https://x.com  ",
  "https://x..com",
  "http://a_b.com",
  "http://1.2.3.4",
  "http://x.com:abc",
  "https://user:pw@host.com/path?q#f",
  "javascript:alert(1)",
  "https://x.com\\path",
  "http:/x.com",
  "http://x.com\t/",
  "mailto:a@b.com",
  "www.example.com",
  "http://",
  "http://?",
  "http://#",
  "https://example.com:443",
  "https://example.com:",
  "http://@x.com",
  "http://x.com/%zz",
  "https://a.b.c.d.e",
];
const FORMATS_CHECKED = ["email", "e164", "uuid", "date", "datetime", "url"];
const FORMAT_VALUES = [
  ...URLS,
  "ann@example.com",
  "ann@example",
  "a b@c.de",
  "+61412345678",
  "+0412345678",
  "+1234567890123456",
  "123e4567-e89b-12d3-a456-426614174000",
  "123E4567-E89B-12D3-A456-42661417400G",
  "2024-02-29",
  "2023-02-29",
  "0000-02-29",
  "2024-00-10",
  "2024-05-01T10:00Z",
  "2024-05-01 10:00:60.5+10:00",
  "2024-05-01T24:00Z",
  "2024-05-01T10:00:00",
  "2024-05-01T10:00:00+1000",
  "2024-05-01T10:00:00z",
];

/** Calls of the compiler's helper UDFs (src/engine/udfs.ts HELPER_UDFS) with what those give for them. */
export function generateHelperCases(
  seed: number,
  count: number,
): { name: string; args: Value[]; result: Value }[] {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const texts = [...NAMES, "a", "b", "\u{1F642}", "\uFFFF", "\u{10000}a", "\uFB01", "Z", "z", ""];
  const weight = () => (random() < 0.1 ? pick([0, -0, 1100, -1100, 0.5]) : (random() - 0.5) * 60);
  const generators: Record<string, () => Value[]> = {
    clue__compare_text: () => [pick(texts), pick(texts)],
    clue__number_problem: () => [
      random() < 0.8
        ? pick(NUMBER_TOKENS)
        : String(Math.floor(random() * 1e6) * 10 ** Math.floor(random() * 20)),
    ],
    clue__format: () => [pick(FORMATS_CHECKED), pick(FORMAT_VALUES)],
    clue__probability: () => [weight()],
    clue__log2: () => [
      random() < 0.1 ? pick([0, 1, 2, 1024, 1e-300]) : random() * 10 ** Math.floor(random() * 12 - 6),
    ],
    clue__round: () => [weight() * 10, Math.floor(random() * 7)],
    clue__utf16_key: () => [pick(texts)],
  };
  const cases: { name: string; args: Value[]; result: Value }[] = [];
  for (const [name, make] of Object.entries(generators)) {
    const helper = HELPER_UDFS[name];
    if (helper === undefined) throw new Error(`no helper ${name} in src/engine/udfs.ts`);
    const body = helper({ lookup: () => null });
    for (let i = 0; i < count; i++) {
      const args = make();
      cases.push({ name, args, result: body(args) });
    }
  }
  // The Spark dialect's own helper: String(n), JavaScript's text of a number.
  for (let i = 0; i < count; i++) {
    const n = random() < 0.5 ? pick(NUMBERS) : (random() - 0.5) * 10 ** Math.floor(random() * 40 - 20);
    cases.push({ name: "clue__js_number_text", args: [n], result: String(n) });
  }
  return cases;
}
