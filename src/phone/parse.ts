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
 * Answers kept, per default country: a direct-mapped cache of SLOTS answers, each text in the slot its hash picks,
 * replacing whatever was there. A value used again soon is found; memory stays bounded (about 100 bytes a slot)
 * however many distinct values a run sees; and a value seen once costs a hash and an integer comparison, where a
 * Map cost two lookups and an insert that together took as long as parsing a plain number (most phone numbers in
 * a file of people are seen once).
 */
const SLOTS = 1 << 15;
/**
 * Longer text is not kept: the library does not parse text over 250 characters (it answers at once), and a slot
 * must not hold on to a long value.
 */
const CACHED_LENGTH = 250;

interface Answers {
  /** Per slot, the hash of the text in it: most lookups miss, and this says so without reading the text. */
  hashes: Int32Array;
  texts: (string | undefined)[];
  found: (ValidPhone | null)[];
}
const answers = new Map<string | undefined, Answers>();

/** FNV-1a over the UTF-16 units, folded so that the low bits (the slot) depend on all of them. */
function hashOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h ^ (h >>> 15);
}

/**
 * The valid number `text` holds, read with `country` as the default country (a country the metadata has, or
 * undefined); null when it holds none.
 */
export function parsePhone(text: string, country: string | undefined): ValidPhone | null {
  if (text.length > CACHED_LENGTH) return parseUncached(text, country);
  let cache = answers.get(country);
  if (cache === undefined) {
    cache = {
      hashes: new Int32Array(SLOTS),
      texts: new Array<string | undefined>(SLOTS).fill(undefined),
      found: new Array<ValidPhone | null>(SLOTS).fill(null),
    };
    answers.set(country, cache);
  }
  const hash = hashOf(text);
  const slot = hash & (SLOTS - 1);
  if (cache.hashes[slot] === hash && cache.texts[slot] === text)
    return cache.found[slot] as ValidPhone | null;
  const found = parseUncached(text, country);
  cache.hashes[slot] = hash;
  cache.texts[slot] = text;
  cache.found[slot] = found;
  return found;
}

function parseUncached(text: string, country: string | undefined): ValidPhone | null {
  const plain = parsePlainNumber(text, country, phoneLibrary().plans);
  return plain === undefined ? parseWithLibrary(text, country) : plain;
}
