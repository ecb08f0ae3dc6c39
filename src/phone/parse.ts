/**
 * Phone numbers, parsed once. libphonenumber-js with its "max" metadata decides what a valid number is (see
 * metadata.ts for why max); plain input takes a port of its parse that compiles the metadata's patterns once
 * (plain-number.ts); and every answer is remembered in a bounded cache keyed by the text and the default country,
 * so a value that many records or rules share is parsed once per run.
 */
import { createRequire } from "node:module";
import type * as LibPhoneNumber from "libphonenumber-js/core";
import type { MetadataJson } from "libphonenumber-js/core";
import { PHONE_METADATA } from "./metadata.js";
import { NumberingPlans } from "./numbering-plans.js";
import { parsePlainNumber, type ValidPhone } from "./plain-number.js";

export type { ValidPhone } from "./plain-number.js";

interface Library {
  core: typeof LibPhoneNumber;
  metadata: MetadataJson;
  plans: NumberingPlans;
}
let library: Library | undefined;

/**
 * Loaded on the first call: the metadata is 150 kB of code that costs a command about 50 ms to load, and most
 * commands (validate, plan, explain) never parse a phone number.
 */
function phoneLibrary(): Library {
  if (library === undefined) {
    const require = createRequire(import.meta.url);
    const core = require("libphonenumber-js/core") as typeof LibPhoneNumber;
    const metadata = require(`libphonenumber-js/metadata.${PHONE_METADATA}.json`) as MetadataJson;
    library = { core, metadata, plans: new NumberingPlans(core.Metadata, metadata) };
  }
  return library;
}

/** Whether the metadata knows a country (an ISO 3166 alpha-2 code in upper case). */
export function isPhoneCountry(country: string): boolean {
  const { core, metadata } = phoneLibrary();
  return core.isSupportedCountry(country as LibPhoneNumber.CountryCode, metadata);
}

/**
 * The library's own answer: parsePhoneNumberFromString, then isValid(). What the fast path must agree with (its
 * property test calls this), and what input that is not plain gets.
 */
export function parseWithLibrary(text: string, country: string | undefined): ValidPhone | null {
  const { core, metadata } = phoneLibrary();
  try {
    const parsed =
      country === undefined
        ? core.parsePhoneNumberFromString(text, metadata)
        : core.parsePhoneNumberFromString(text, country as LibPhoneNumber.CountryCode, metadata);
    return parsed?.isValid() ? { number: parsed.number, country: parsed.country } : null;
  } catch {
    // It returns undefined for unparsable text; this guards against a future version throwing instead.
    return null;
  }
}

/** The fast path alone (undefined: the text is not plain), for its property test. */
export function parseFast(text: string, country: string | undefined): ValidPhone | null | undefined {
  return parsePlainNumber(text, country, phoneLibrary().plans);
}

/**
 * Answers kept, per default country: two generations of up to CACHE_SIZE each; when the young one fills it becomes
 * the old one, and an answer found in the old one moves back to the young. A value used again soon is found; memory
 * stays bounded (about 100 bytes an entry) however many distinct values a run sees. Keyed by the text itself, so a
 * lookup hashes the record's own string (its hash is kept in it) and builds no key.
 */
const CACHE_SIZE = 1 << 14;

interface Answers {
  young: Map<string, ValidPhone | null>;
  old: Map<string, ValidPhone | null>;
}
const answers = new Map<string | undefined, Answers>();

/**
 * The valid number `text` holds, read with `country` as the default country (a country the metadata has, or
 * undefined); null when it holds none.
 */
export function parsePhone(text: string, country: string | undefined): ValidPhone | null {
  let cache = answers.get(country);
  if (cache === undefined) answers.set(country, (cache = { young: new Map(), old: new Map() }));
  let found = cache.young.get(text);
  if (found === undefined) {
    found = cache.old.get(text);
    if (found === undefined) {
      found = parsePlainNumber(text, country, phoneLibrary().plans);
      if (found === undefined) found = parseWithLibrary(text, country);
    }
    if (cache.young.size >= CACHE_SIZE) {
      cache.old = cache.young;
      cache.young = new Map();
    }
    cache.young.set(text, found);
  }
  return found;
}
