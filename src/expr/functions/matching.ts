/**
 * Comparisons and normalisations for dedup matching rules (CluedIn-style): similarity scores, a phonetic code and
 * match keys for names, e-mail addresses and phone numbers. Like the similarity family, texts longer than
 * MAX_COMPARED code points give null, so a pasted document in a name field cannot stall a run.
 */
import type { FunctionDef } from "../function-def.js";
import type { Value } from "../types.js";
import { asInteger, asText } from "./coerce.js";
import { TEXT } from "./define.js";
import { doubleMetaphone } from "./double-metaphone.js";
import { phoneFunctions } from "./phone.js";
import { levenshteinDistance, toCodePoints } from "./similarity-algorithms.js";
import { textFunctions } from "./text.js";

const MAX_COMPARED = 10_000;
const DEFAULT_SIFT4_OFFSET = 5;

/** Text of at most MAX_COMPARED code points, as code points; null for anything else. */
function boundedCodePoints(value: Value | undefined): number[] | null {
  const text = asText(value);
  if (text === null || text.length > 2 * MAX_COMPARED) return null;
  const points = toCodePoints(text);
  return points.length > MAX_COMPARED ? null : points;
}

/** Text of at most MAX_COMPARED code points; null for anything else. */
function boundedText(value: Value | undefined): string | null {
  const text = asText(value);
  if (text === null || text.length > 2 * MAX_COMPARED) return null;
  return toCodePoints(text).length > MAX_COMPARED ? null : text;
}

/** A definition of the library by name (the registry is built from these arrays, so it is always there). */
function existing(family: readonly FunctionDef[], name: string): FunctionDef {
  const fn = family.find((f) => f.name === name);
  if (fn === undefined) throw new Error(`matching.ts needs the function ${name}.`);
  return fn;
}

const stripAccents = existing(textFunctions, "strip_accents");
const toE164 = existing(phoneFunctions, "to_e164");

/**
 * Siderite's Sift4, "simplest" version: the longer length less the common substrings found by scanning both texts
 * and looking ahead at most maxOffset code points to resynchronise after a difference.
 */
export function sift4Distance(a: readonly number[], b: readonly number[], maxOffset: number): number {
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let c1 = 0;
  let c2 = 0;
  let lcss = 0;
  let localCs = 0;
  while (c1 < a.length && c2 < b.length) {
    if (a[c1] === b[c2]) {
      localCs++;
    } else {
      lcss += localCs;
      localCs = 0;
      if (c1 !== c2) c1 = c2 = Math.max(c1, c2);
      for (let i = 0; i < maxOffset && (c1 + i < a.length || c2 + i < b.length); i++) {
        if (c1 + i < a.length && a[c1 + i] === b[c2]) {
          c1 += i;
          localCs++;
          break;
        }
        if (c2 + i < b.length && a[c1] === b[c2 + i]) {
          c2 += i;
          localCs++;
          break;
        }
      }
    }
    c1++;
    c2++;
  }
  lcss += localCs;
  return Math.max(a.length, b.length) - lcss;
}

// Punctuation and symbols at either end of a token: "Dr." → "dr", "(Ann)" → "ann".
const EDGE_PUNCTUATION = /^[\p{P}\p{S}]+|[\p{P}\p{S}]+$/gu;
// Punctuation and symbols normalize_name drops: all of them but the ASCII hyphen.
const NAME_PUNCTUATION = /[^\P{P}-]|\p{S}/gu;
const GMAIL_DOMAINS = new Set(["gmail.com", "googlemail.com"]);

export const matchingFunctions: readonly FunctionDef[] = [
  {
    name: "levenshtein_similarity",
    description: `1 - levenshtein(a, b) / the longer length in code points, from 0 to 1; two empty texts give 1 (null past ${MAX_COMPARED} code points).`,
    params: [
      { name: "a", type: "string" },
      { name: "b", type: "string" },
    ],
    returns: "number",
    examples: [
      { expr: 'round(levenshtein_similarity("kitten", "sitting"), 4)', result: 0.5714 },
      { expr: 'round(levenshtein_similarity("Zoë", "Zoe"), 4)', result: 0.6667 },
      { expr: 'levenshtein_similarity("", "")', result: 1 },
      { expr: 'levenshtein_similarity("abc", "")', result: 0 },
    ],
    call: ([x, y]) => {
      const a = boundedCodePoints(x);
      const b = boundedCodePoints(y);
      if (a === null || b === null) return null;
      const longer = Math.max(a.length, b.length);
      return longer === 0 ? 1 : 1 - levenshteinDistance(a, b) / longer;
    },
  },
  {
    name: "sift4",
    description: `Sift4 distance ("simplest" version), a fast approximation of edit distance; max_offset (default ${DEFAULT_SIFT4_OFFSET}) is how far it looks ahead (null past ${MAX_COMPARED} code points).`,
    params: [
      { name: "a", type: "string" },
      { name: "b", type: "string" },
      {
        name: "max_offset",
        type: "number",
        optional: true,
        description: "A whole number from 0: how many code points to look ahead after a difference.",
      },
    ],
    returns: "number",
    examples: [
      { expr: 'sift4("kitten", "sitting")', result: 3 },
      { expr: 'sift4("Zoë", "Zoe")', result: 1 },
      { expr: 'sift4("abcdef", "xabcdef", 0)', result: 7 },
      { expr: 'sift4("", "abc")', result: 3 },
    ],
    call: ([x, y, offset]) => {
      const a = boundedCodePoints(x);
      const b = boundedCodePoints(y);
      const maxOffset = offset === undefined ? DEFAULT_SIFT4_OFFSET : asInteger(offset);
      if (a === null || b === null || maxOffset === null || maxOffset < 0) return null;
      // Looking further than the longer text finds nothing more, so large offsets cost no more than that.
      return sift4Distance(a, b, Math.min(maxOffset, Math.max(a.length, b.length)));
    },
  },
  {
    name: "double_metaphone",
    description:
      'Primary Double Metaphone code (Lawrence Philips, at most 4 characters, "0" for "th") of text, accents removed; null when nothing in it is encoded.',
    params: [TEXT],
    returns: "string",
    examples: [
      { expr: 'double_metaphone("Smith")', result: "SM0" },
      { expr: 'double_metaphone("Schmidt")', result: "XMT" },
      { expr: 'double_metaphone("Nguyen")', result: "NKN" },
      { expr: 'double_metaphone("Thompson")', result: "TMPS" },
      { expr: 'double_metaphone("42")', result: null },
    ],
    call: ([value]) => {
      const text = boundedText(value);
      if (text === null) return null;
      const code = doubleMetaphone(text);
      return code === "" ? null : code;
    },
  },
  {
    name: "first_token",
    description:
      "The first whitespace-separated token, lowercased, with punctuation and symbols trimmed from its ends (tokens of only punctuation are skipped); null when there is none.",
    params: [TEXT],
    returns: "string",
    examples: [
      { expr: 'first_token("  Dr. Ann Lee")', result: "dr" },
      { expr: 'first_token("(ZOË) Smith")', result: "zoë" },
      { expr: 'first_token("- O\'Brien")', result: "o'brien" },
      { expr: 'first_token("  ")', result: null },
    ],
    call: ([value]) => {
      const text = boundedText(value);
      if (text === null) return null;
      for (const token of text.split(/\s+/u)) {
        const trimmed = token.replace(EDGE_PUNCTUATION, "");
        if (trimmed !== "") return trimmed.toLowerCase();
      }
      return null;
    },
  },
  {
    name: "normalize_name",
    description:
      "A name as a match key: lowercased, accents removed (as strip_accents), punctuation and symbols other than hyphens removed, whitespace collapsed and trimmed.",
    params: [TEXT],
    returns: "string",
    examples: [
      { expr: 'normalize_name("  Zoë  O\'Brien-Smith, Jr. ")', result: "zoe obrien-smith jr" },
      { expr: 'normalize_name("JOSÉ\tNGUYỄN")', result: "jose nguyen" },
      { expr: 'normalize_name("Straße")', result: "strasse" },
    ],
    call: ([value], ctx) => {
      const text = boundedText(value);
      if (text === null) return null;
      const plain = stripAccents.call([text.toLowerCase()], ctx);
      if (typeof plain !== "string") return null;
      return plain.replace(NAME_PUNCTUATION, "").replace(/\s+/gu, " ").trim();
    },
  },
  {
    name: "normalize_email",
    description:
      'An e-mail address as a match key: trimmed and lowercased, a "+tag" dropped, and for gmail.com and googlemail.com the dots of the local part too; null without exactly one @ between non-empty parts.',
    params: [TEXT],
    returns: "string",
    examples: [
      { expr: 'normalize_email(" John.Smith+news@GMail.com ")', result: "johnsmith@gmail.com" },
      { expr: 'normalize_email("John.Smith+news@example.com")', result: "john.smith@example.com" },
      { expr: 'normalize_email("a@b@example.com")', result: null },
    ],
    call: ([value]) => {
      const text = boundedText(value);
      if (text === null) return null;
      const parts = text.trim().toLowerCase().split("@");
      if (parts.length !== 2) return null;
      const [rawLocal = "", domain = ""] = parts;
      let local = rawLocal.split("+")[0] ?? "";
      if (GMAIL_DOMAINS.has(domain)) local = local.replace(/\./g, "");
      return local === "" || domain === "" ? null : `${local}@${domain}`;
    },
  },
  {
    ...toE164,
    name: "normalize_phone",
    description: "Alias of to_e164, named for matching rules: a valid phone number in E.164 form, else null.",
    examples: [
      { expr: 'normalize_phone("0412 345 678", default_country="AU")', result: "+61412345678" },
      { expr: 'normalize_phone("+44 20 7946 0958")', result: "+442079460958" },
      { expr: 'normalize_phone("123", "AU")', result: null },
    ],
  },
];
