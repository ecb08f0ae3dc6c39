/**
 * Similarity of two texts, for dedup rules. All but token_set_similarity are case-sensitive and compare code
 * points: compose with lower() or strip_accents() to ignore case or accents. Two empty texts are identical.
 */
import type { FunctionDef, ParamDef } from "../function-def.js";
import type { Value } from "../types.js";
import { asInteger, asText } from "./coerce.js";
import {
  jaccardIndex,
  jaroWinklerOfTexts,
  jaroWinklerSimilarity,
  levenshteinDistance,
  levenshteinOfTexts,
  qgramSet,
  asciiSoundex,
  soundexCode,
  toCodePoints,
} from "./similarity-algorithms.js";

/**
 * Edit distance is quadratic in time, so a pair of very long texts (a pasted document in a name field) could stall
 * a run for seconds; names and addresses are far shorter, and beyond this the answer is null.
 */
const MAX_COMPARED = 10_000;

const PAIR: readonly ParamDef[] = [
  { name: "a", type: "string" },
  { name: "b", type: "string" },
];

function pair(compare: (a: number[], b: number[]) => number): FunctionDef["call"] {
  return ([x, y]) => {
    const a = asText(x);
    const b = asText(y);
    if (a === null || b === null || a.length > 2 * MAX_COMPARED || b.length > 2 * MAX_COMPARED) return null;
    const pa = toCodePoints(a);
    const pb = toCodePoints(b);
    return pa.length > MAX_COMPARED || pb.length > MAX_COMPARED ? null : compare(pa, pb);
  };
}

const jaroWinkler = pair(jaroWinklerSimilarity);
const levenshtein = pair(levenshteinDistance);

/** py_stringmatching's default q: letter pairs. */
const DEFAULT_Q = 2;
/** Grams longer than a name tell little more, and the work grows with q times the length. */
const MAX_Q = 10;

// Tokens are runs of letters, digits and combining marks: whitespace and punctuation separate them.
const TOKEN = /[\p{L}\p{N}\p{M}]+/gu;

/** The distinct tokens of a text, lowercased (as lower()); null when the value is not text-like. */
function lowerTokenSet(value: Value | undefined): Set<string> | null {
  const text = asText(value);
  return text === null ? null : new Set(text.toLowerCase().match(TOKEN) ?? []);
}

/** A list's items as whole tokens, or a text's tokens; null when an item or the value is not text-like. */
function tokenSet(value: Value | undefined): Set<string> | null {
  if (Array.isArray(value)) {
    const items = value.map(asText);
    return items.includes(null) ? null : new Set(items as string[]);
  }
  const text = asText(value);
  return text === null ? null : new Set(text.match(TOKEN) ?? []);
}

/** The Jaccard index of the sets `toSet` makes of the two arguments; null when it cannot make one of either. */
function jaccardOf(toSet: (value: Value | undefined) => Set<string> | null): FunctionDef["call"] {
  return ([x, y]) => {
    const a = toSet(x);
    const b = toSet(y);
    return a === null || b === null ? null : jaccardIndex(a, b);
  };
}

export const similarityFunctions: readonly FunctionDef[] = [
  {
    name: "levenshtein",
    description: `Edit distance: the fewest single code point insertions, deletions and substitutions turning a into b (null past ${MAX_COMPARED} code points).`,
    params: PAIR,
    returns: "number",
    examples: [
      { expr: 'levenshtein("kitten", "sitting")', result: 3 },
      { expr: 'levenshtein("Zoë", "Zoe")', result: 1 },
      { expr: 'levenshtein("", "abc")', result: 3 },
    ],
    call: ([x, y], context) => {
      const a = asText(x);
      const b = asText(y);
      // As jaro_winkler: texts without surrogate pairs are compared as they are, with no code point arrays.
      if (a !== null && b !== null && a.length <= MAX_COMPARED && b.length <= MAX_COMPARED) {
        const distance = levenshteinOfTexts(a, b);
        if (distance !== undefined) return distance;
      }
      return levenshtein([x, y], context);
    },
  },
  {
    name: "jaro_winkler",
    description: `Jaro-Winkler similarity from 0 (nothing alike) to 1 (equal), favouring a shared start (null past ${MAX_COMPARED} code points).`,
    params: PAIR,
    returns: "number",
    examples: [
      { expr: 'round(jaro_winkler("MARTHA", "MARHTA"), 4)', result: 0.9611 },
      { expr: 'round(jaro_winkler("DIXON", "DICKSONX"), 4)', result: 0.8133 },
      { expr: 'jaro_winkler("Ann", "Ann")', result: 1 },
      { expr: 'jaro_winkler("abc", "xyz")', result: 0 },
    ],
    call: ([x, y], context) => {
      const a = asText(x);
      const b = asText(y);
      // Names are short and mostly without surrogate pairs: compared as they are, with no code point arrays.
      if (a !== null && b !== null && a.length <= MAX_COMPARED && b.length <= MAX_COMPARED) {
        const similarity = jaroWinklerOfTexts(a, b);
        if (similarity !== undefined) return similarity;
      }
      return jaroWinkler([x, y], context);
    },
  },
  {
    name: "jaccard",
    description:
      "Shared tokens over all tokens (0 to 1); a text's tokens are its runs of letters and digits, a list's are its items.",
    params: [
      { name: "a", type: ["string", "list"] },
      { name: "b", type: ["string", "list"] },
    ],
    returns: "number",
    examples: [
      { expr: 'jaccard("12 Main St", "Main St. 12")', result: 1 },
      { expr: 'round(jaccard("Ann Mary Lee", "Ann Lee"), 2)', result: 0.67 },
      { expr: 'jaccard(["a", "b", "c"], ["b", "c", "d"])', result: 0.5 },
    ],
    call: jaccardOf(tokenSet),
  },
  {
    name: "token_set_similarity",
    description:
      "Shared words over all words (0 to 1) of two texts, ignoring case and word order: jaccard of the lowercased texts, where a word is a run of letters and digits; two texts without words give 1.",
    params: PAIR,
    returns: "number",
    examples: [
      { expr: 'token_set_similarity("John Smith", "smith JOHN")', result: 1 },
      { expr: 'round(token_set_similarity("Ann-Marie Lee", "ann lee"), 2)', result: 0.67 },
      { expr: 'round(token_set_similarity("Zoë Lee", "zoe lee"), 2)', result: 0.33 },
      { expr: 'token_set_similarity("", "-")', result: 1 },
    ],
    call: jaccardOf(lowerTokenSet),
  },
  {
    name: "qgram_similarity",
    description: `Jaccard similarity (0 to 1) of the sets of q-grams (runs of q code points, default ${DEFAULT_Q}) of two texts, each padded with q - 1 start and end markers; case-sensitive; two empty texts give 1, one empty text 0.`,
    params: [
      ...PAIR,
      {
        name: "q",
        type: "number",
        optional: true,
        description: `A whole number from 1 to ${MAX_Q}: the length of the grams.`,
      },
    ],
    returns: "number",
    examples: [
      { expr: 'qgram_similarity("MARTHA", "MARHTA")', result: 0.4 },
      { expr: 'qgram_similarity("Ann", "Anne")', result: 0.5 },
      { expr: 'qgram_similarity("abc", "cba", 1)', result: 1 },
      { expr: 'qgram_similarity("", "")', result: 1 },
    ],
    call: ([x, y, size]) => {
      const q = size === undefined ? DEFAULT_Q : asInteger(size);
      const a = asText(x);
      const b = asText(y);
      if (a === null || b === null || q === null || q < 1 || q > MAX_Q) return null;
      return jaccardIndex(qgramSet(toCodePoints(a), q), qgramSet(toCodePoints(b), q));
    },
  },
  {
    name: "soundex",
    description:
      "American Soundex code (R163) of the letters of text, accents removed; null when text has no letters A-Z.",
    params: [{ name: "text", type: "string" }],
    returns: "string",
    examples: [
      { expr: 'soundex("Robert")', result: "R163" },
      { expr: 'soundex("Ashcraft")', result: "A261" },
      { expr: 'soundex("Zoë")', result: "Z000" },
      { expr: 'soundex("42")', result: null },
    ],
    call: ([value]) => {
      const text = asText(value);
      if (text === null) return null;
      const ascii = asciiSoundex(text);
      if (ascii !== undefined) return ascii;
      const letters = text
        .normalize("NFD")
        .toUpperCase()
        .replace(/[^A-Z]/g, "");
      return letters === "" ? null : soundexCode(letters);
    },
  },
];
