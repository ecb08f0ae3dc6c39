import { createRequire } from "node:module";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseFast, parsePhone, parseWithLibrary } from "../../src/phone/parse.js";
import { mulberry32 } from "../../src/util/mulberry32.js";

// The fast path (src/phone/plain-number.ts) must give libphonenumber-js's own answer — parsePhoneNumberFromString
// then isValid() with the same metadata — on every input it takes; the library is the independent computation.

const require = createRequire(import.meta.url);
const metadata = require("libphonenumber-js/metadata.max.json") as {
  countries: Record<string, (string | number | null | unknown[])[]>;
};
/** One valid mobile number per country, national significant digits: shipped with the library. */
const examples = require("libphonenumber-js/examples.mobile.json") as Record<string, string>;
const COUNTRIES = Object.keys(metadata.countries);
const callingCode = (country: string) => metadata.countries[country]?.[0] as string;
/** The national prefix ("0" in Australia); the metadata writes 0 where a country has none. */
const nationalPrefix = (country: string) => {
  const prefix = metadata.countries[country]?.[5];
  return typeof prefix === "string" ? prefix : "";
};

/** Inputs compared, those the fast path took, and those the library found valid. */
interface Tally {
  compared: number;
  fast: number;
  valid: number;
}

/** Compares the two on one input, where the fast path takes it (it leaves non-geographic numbers, +800, alone). */
function agrees(text: string, country: string | undefined, tally: Tally): void {
  const library = parseWithLibrary(text, country);
  const fast = parseFast(text, country);
  tally.compared++;
  if (library !== null) tally.valid++;
  if (fast === undefined) return;
  tally.fast++;
  expect(fast, `${JSON.stringify(text)} with default country ${country}`).toEqual(library);
}

describe("phone fast path", () => {
  it("agrees with libphonenumber-js on numbers of every country, valid and invalid, in every plain form", () => {
    const rnd = mulberry32(20250716);
    const digit = () => String(Math.floor(rnd() * 10));
    // Separators as people type them: spaces, dashes, dots, brackets.
    const formatted = (digits: string) =>
      [...digits].map((d) => d + (rnd() < 0.2 ? (rnd() < 0.6 ? " " : rnd() < 0.5 ? "-" : ".") : "")).join("");
    const tally: Tally = { compared: 0, fast: 0, valid: 0 };
    for (const country of COUNTRIES) {
      const code = callingCode(country);
      const prefix = nationalPrefix(country);
      const example = examples[country];
      const nationals: string[] = [];
      if (example !== undefined) {
        nationals.push(example);
        // The example's last digits changed (mostly still valid), one digit more or less (mostly not).
        for (let k = 0; k < 6; k++) {
          let n = example.slice(0, example.length - 1 - Math.floor(rnd() * 4));
          while (n.length < example.length) n += digit();
          nationals.push(n, n + digit(), n.slice(0, -2));
        }
      }
      // Random digits: some starting like the example, some with the national prefix (in Russia "8" is the prefix
      // and also the start of 800 numbers: the prefix is stripped only when that leaves a possible number).
      for (let k = 0; k < 12; k++) {
        let n = k % 3 === 0 ? prefix : example !== undefined && k % 3 === 1 ? example.slice(0, 2) : "";
        const length = n.length + 4 + Math.floor(rnd() * 10);
        while (n.length < length) n += digit();
        nationals.push(n);
      }
      // National numbers that begin with the national prefix (in Russia 800 numbers begin with the prefix 8): the
      // prefix is stripped only when what is left still fits the country's national number pattern.
      const pattern = new RegExp(`^(?:${metadata.countries[country]?.[2] as string})$`);
      for (let tries = 0, found = 0; prefix !== "" && tries < 3000 && found < 4; tries++) {
        let n = prefix;
        const length = prefix.length + 5 + Math.floor(rnd() * 8);
        while (n.length < length) n += digit();
        if (pattern.test(n)) {
          nationals.push(n);
          found++;
        }
      }
      const other = COUNTRIES[Math.floor(rnd() * COUNTRIES.length)] as string;
      for (const national of nationals) {
        for (const defaultCountry of [undefined, country, other]) {
          const forms = [
            `+${code}${national}`, // E.164
            formatted(`+${code} ${national}`),
            national, // national significant digits alone
            `${prefix}${national}`, // national format
            `(${prefix}${national.slice(0, 2)}) ${formatted(national.slice(2))}`,
            `${code}${national}`, // the calling code without its +
            `00${code}${national}`, // an international dialling prefix in most of the world
          ];
          for (const text of forms) agrees(text, defaultCountry, tally);
        }
      }
    }
    // Both answers are well represented, and nearly all went the fast way, so agreement means something.
    expect(tally.compared).toBeGreaterThan(100_000);
    expect(tally.valid).toBeGreaterThan(tally.compared / 10);
    expect(tally.fast).toBeGreaterThan(tally.compared * 0.99);
  }, 300_000);

  it("agrees with libphonenumber-js on any plain text", () => {
    const tally: Tally = { compared: 0, fast: 0, valid: 0 };
    const plain = fc
      .array(fc.constantFrom(..."0123456789012345678901234567890123456789 -.()/"), { maxLength: 24 })
      .map((cs) => cs.join(""));
    fc.assert(
      fc.property(
        fc.boolean(),
        plain,
        fc.constantFrom(undefined, "AU", "US", "GB", "DE", "RU", "BR", "AR", "MX", "IT", "IN", "CI", "NZ"),
        (plus, body, country) => agrees(plus ? `+${body}` : body, country, tally),
      ),
      { numRuns: 20_000, seed: 20250716 },
    );
    // Text with fewer than three digits goes to the library (its viability test has cases of its own).
    expect(tally.fast).toBeGreaterThan(tally.compared / 2);
  }, 300_000);

  it("agrees with libphonenumber-js on E.164-shaped numbers", () => {
    const tally: Tally = { compared: 0, fast: 0, valid: 0 };
    fc.assert(
      fc.property(
        fc.stringMatching(/^\+[1-9]\d{1,14}$/),
        fc.constantFrom(undefined, "AU", "US"),
        (text, country) => agrees(text, country, tally),
      ),
      { numRuns: 20_000, seed: 7 },
    );
    expect(tally.fast).toBeGreaterThan(tally.compared * 0.9);
  }, 300_000);

  it("leaves text that is not plain to the library", () => {
    for (const text of [
      "0412 345 678 ext. 12",
      "+1 650 253 0000 x123",
      "tel:+61-2-9374-4000",
      "１２３４５６７８",
      "+800 1234 5678", // a non-geographic calling code
      "04 12\u00a0345 678",
      "0412+345678",
      "call 0412 345 678",
      "12",
    ]) {
      expect(parseFast(text, "AU"), text).toBeUndefined();
      expect(parsePhone(text, "AU"), text).toEqual(parseWithLibrary(text, "AU"));
    }
    expect(parsePhone("+800 1234 5678", undefined)).toEqual({ number: "+80012345678", country: undefined });
  });

  it("gives the library's answer from its cache, under either default country", () => {
    for (let round = 0; round < 2; round++)
      for (const [text, country] of [
        ["0412 345 678", "AU"],
        ["0412 345 678", "GB"],
        ["0412 345 678", undefined],
        ["+44 20 7946 0958", "AU"],
        ["(02) 9374 4000", "AU"],
      ] as const)
        expect(parsePhone(text, country)).toEqual(parseWithLibrary(text, country));
    expect(parsePhone("0412 345 678", "AU")).toEqual({ number: "+61412345678", country: "AU" });
    expect(parsePhone("0412 345 678", "GB")).toBeNull();
  });

  it("gives the uncached answer for every value when far more values than its slots come and go", () => {
    // 80,000 numbers for 32,768 slots, each asked for again soon after and once more much later: slots are
    // shared and overwritten all the time, and a value must never get the answer of the one it displaced.
    const random = mulberry32(20261207);
    const digits = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join("");
    const forms = [
      (d: string) => `04${d}`,
      (d: string) => `04${d.slice(0, 2)} ${d.slice(2, 5)} ${d.slice(5)}`,
      (d: string) => `+614${d}`,
      (d: string) => `(02) ${d.slice(0, 4)} ${d.slice(4)}`,
      (d: string) => `7${d}`,
    ];
    const values = Array.from({ length: 80_000 }, (_, k) =>
      (forms[k % forms.length] as (d: string) => string)(digits(8)),
    );
    const uncached = (text: string, country: string | undefined) =>
      parseFast(text, country) ?? parseWithLibrary(text, country);
    const asked = values
      .flatMap((text, k) => [text, values[Math.max(0, k - 3)] as string])
      .concat(values.slice(0, 5_000));
    let valid = 0;
    for (const text of asked) {
      const country = text.length % 3 === 0 ? "GB" : "AU";
      const answer = parsePhone(text, country);
      expect(answer, `${text} with default country ${country}`).toEqual(uncached(text, country));
      if (answer !== null) valid++;
    }
    // Both kinds of answer are among them, so a slot handing back a wrong one would show.
    expect(valid).toBeGreaterThan(asked.length / 4);
    expect(valid).toBeLessThan(asked.length);
  });
});
