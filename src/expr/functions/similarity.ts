/**
 * Similarity of two texts, for dedup rules. All are case-sensitive and compare code points: compose with lower()
 * or strip_accents() to ignore case or accents. Two empty texts are identical.
 */
import type { FunctionDef, ParamDef } from "../function-def.js";
import type { Value } from "../types.js";
import { asText } from "./coerce.js";
import {
  jaccardIndex,
  jaroWinklerOfTexts,
  jaroWinklerSimilarity,
  levenshteinDistance,
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

// Tokens are runs of letters, digits and combining marks: whitespace and punctuation separate them.
const TOKEN = /[\p{L}\p{N}\p{M}]+/gu;

/** A list's items as whole tokens, or a text's tokens; null when an item or the value is not text-like. */
function tokenSet(value: Value | undefined): Set<string> | null {
  if (Array.isArray(value)) {
    const items = value.map(asText);
    return items.includes(null) ? null : new Set(items as string[]);
  }
  const text = asText(value);
  return text === null ? null : new Set(text.match(TOKEN) ?? []);
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
    call: pair(levenshteinDistance),
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
    call: ([x, y]) => {
      const a = tokenSet(x);
      const b = tokenSet(y);
      return a === null || b === null ? null : jaccardIndex(a, b);
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
      const letters = text
        .normalize("NFD")
        .toUpperCase()
        .replace(/[^A-Z]/g, "");
      return letters === "" ? null : soundexCode(letters);
    },
  },
];
