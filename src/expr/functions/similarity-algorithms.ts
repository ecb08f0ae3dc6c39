/**
 * String similarity over code points. Dedup rules run these on millions of pairs, so they work on integer arrays,
 * allocate O(length of the shorter input) and never build a full matrix.
 */

/** The code points of text as numbers, so "é" written precomposed is one unit (as `length` counts). */
export function toCodePoints(text: string): number[] {
  const out: number[] = [];
  for (const ch of text) out.push(ch.codePointAt(0) ?? 0);
  return out;
}

/** Edit distance (insertions, deletions, substitutions), two rows of the classic dynamic programme. */
export function levenshteinDistance(a: readonly number[], b: readonly number[]): number {
  // Shared prefixes and suffixes cost nothing, and near-duplicates mostly share long ones.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  let long = a.slice(start, endA);
  let short = b.slice(start, endB);
  if (long.length < short.length) [long, short] = [short, long];
  if (short.length === 0) return long.length;
  const row = new Int32Array(short.length + 1);
  for (let j = 0; j <= short.length; j++) row[j] = j;
  for (let i = 0; i < long.length; i++) {
    let diagonal = row[0] ?? 0;
    row[0] = i + 1;
    const c = long[i];
    for (let j = 1; j <= short.length; j++) {
      const above = row[j] ?? 0;
      const cost = c === short[j - 1] ? 0 : 1;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return row[short.length] ?? 0;
}

/**
 * Jaro similarity: matches within half the longer length, minus the transpositions — half the matched characters
 * out of order, rounded down, as Jaro and Winkler define it (and DuckDB, rapidfuzz and Splink compute it).
 */
export function jaroSimilarity(a: readonly number[], b: readonly number[]): number {
  return jaro(load(a, 0), a.length, load(b, 1), b.length);
}

/**
 * Jaro-Winkler with Winkler's constants: a common prefix of up to 4 code points, scale 0.1, applied only when
 * the Jaro similarity exceeds 0.7 (his boost threshold, as in Apache Commons Text), so unrelated strings that
 * happen to share a first letter are not pulled up.
 */
export function jaroWinklerSimilarity(a: readonly number[], b: readonly number[]): number {
  return jaroWinkler(load(a, 0), a.length, load(b, 1), b.length);
}

/**
 * jaroWinklerSimilarity of the code points of two texts, or undefined when either has a surrogate pair (or a lone
 * surrogate), whose code units are not its code points. Dedup rules run this on tens of millions of pairs, so it
 * reads the texts' code units into reused buffers instead of making arrays of code points.
 */
export function jaroWinklerOfTexts(a: string, b: string): number | undefined {
  const x = loadText(a, 0);
  const y = x === undefined ? undefined : loadText(b, 1);
  return x === undefined || y === undefined ? undefined : jaroWinkler(x, a.length, y, b.length);
}

/**
 * levenshteinDistance of two texts without surrogate pairs (almost all text), read into the reused buffers and
 * worked out over one reused row: no arrays made per call, which on a million pairs is most of the cost. Undefined
 * when either text has a surrogate (the caller takes the general path).
 */
export function levenshteinOfTexts(a: string, b: string): number | undefined {
  const x = loadText(a, 0);
  const y = x === undefined ? undefined : loadText(b, 1);
  return x === undefined || y === undefined ? undefined : levenshtein(x, a.length, y, b.length);
}

let row = new Int32Array(64);

/** Edit distance of the first aLength code points of a and bLength of b (as levenshteinDistance). */
function levenshtein(a: Int32Array, aLength: number, b: Int32Array, bLength: number): number {
  let start = 0;
  while (start < aLength && start < bLength && a[start] === b[start]) start++;
  let endA = aLength;
  let endB = bLength;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  // The shorter side is the row.
  let [long, longEnd, short, shortEnd] = [a, endA, b, endB];
  if (endA - start < endB - start) [long, longEnd, short, shortEnd] = [b, endB, a, endA];
  const width = shortEnd - start;
  if (width === 0) return longEnd - start;
  if (width <= 30) {
    const distance = bitParallel(short, start, shortEnd, long, longEnd);
    if (distance !== undefined) return distance;
  }
  if (row.length < width + 1) row = new Int32Array(Math.max(width + 1, 2 * row.length));
  for (let j = 0; j <= width; j++) row[j] = j;
  for (let i = start; i < longEnd; i++) {
    let diagonal = row[0] as number;
    row[0] = i - start + 1;
    const c = long[i];
    for (let j = 1; j <= width; j++) {
      const above = row[j] as number;
      const cost = c === short[start + j - 1] ? 0 : 1;
      row[j] = Math.min(above + 1, (row[j - 1] as number) + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return row[width] as number;
}

/**
 * Edit distance by Myers' bit-vector algorithm (in Hyyrö's form for whole strings): the column of the dynamic
 * programme as two bit vectors of vertical +1 and −1 steps, one word per character of `text` instead of one cell per
 * character pair. For a pattern (short[from..to)) of at most 30 code points below 256, so every sum fits in 31 bits;
 * undefined otherwise.
 */
function bitParallel(
  short: Int32Array,
  from: number,
  to: number,
  text: Int32Array,
  textEnd: number,
): number | undefined {
  const m = to - from;
  for (let k = from; k < to; k++) if ((short[k] as number) >= 256) return undefined;
  for (let k = from; k < to; k++) {
    const c = short[k] as number;
    positions[c] = (positions[c] as number) | (1 << (k - from));
  }
  const mask = (1 << m) - 1;
  const last = 1 << (m - 1);
  let vp = mask;
  let vn = 0;
  let score = m;
  for (let k = from; k < textEnd; k++) {
    const c = text[k] as number;
    const eq = c < 256 ? (positions[c] as number) : 0;
    const xv = eq | vn;
    const xh = ((((eq & vp) + vp) & mask) ^ vp) | eq;
    let hp = vn | (~(xh | vp) & mask);
    let hn = vp & xh;
    if (hp & last) score++;
    else if (hn & last) score--;
    hp = ((hp << 1) | 1) & mask;
    hn = (hn << 1) & mask;
    vp = hn | (~(xv | hp) & mask);
    vn = hp & xv;
  }
  for (let k = from; k < to; k++) positions[short[k] as number] = 0;
  return score;
}

// Buffers reused by every call (one at a time): the two inputs' code points, and which of them have found a match.
let aPoints = new Int32Array(64);
let bPoints = new Int32Array(64);
let aMatched = new Uint8Array(64);
let bMatched = new Uint8Array(64);

/**
 * The text whose code units are in aPoints, if any: a record compared with each of the others in its block comes
 * first in each of those calls, and is read once.
 */
let loadedA: string | undefined;

function load(codePoints: readonly number[], side: 0 | 1): Int32Array {
  if (side === 0) loadedA = undefined;
  const out = reserve(side, codePoints.length);
  for (let i = 0; i < codePoints.length; i++) out[i] = codePoints[i] as number;
  return out;
}

function loadText(text: string, side: 0 | 1): Int32Array | undefined {
  if (side === 0) {
    if (text === loadedA) return aPoints;
    loadedA = undefined;
  }
  const out = reserve(side, text.length);
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if ((unit & 0xf800) === 0xd800) return undefined;
    out[i] = unit;
  }
  if (side === 0) loadedA = text;
  return out;
}

/** The code point buffer of input `side` (0 or 1), made at least `length` long. */
function reserve(side: 0 | 1, length: number): Int32Array {
  if (side === 0) {
    if (aPoints.length < length) {
      aPoints = new Int32Array(Math.max(length, 2 * aPoints.length));
      aMatched = new Uint8Array(aPoints.length);
    }
    return aPoints;
  }
  if (bPoints.length < length) {
    bPoints = new Int32Array(Math.max(length, 2 * bPoints.length));
    bMatched = new Uint8Array(bPoints.length);
  }
  return bPoints;
}

/** Jaro-Winkler of the first aLength code points of a and bLength of b. */
function jaroWinkler(a: Int32Array, aLength: number, b: Int32Array, bLength: number): number {
  const jaroValue = jaro(a, aLength, b, bLength);
  if (jaroValue <= 0.7) return jaroValue;
  let prefix = 0;
  while (prefix < 4 && prefix < aLength && prefix < bLength && a[prefix] === b[prefix]) prefix++;
  return Math.min(1, jaroValue + prefix * 0.1 * (1 - jaroValue));
}

/** Jaro similarity of the first aLength code points of a and bLength of b (in the buffers of sides 0 and 1). */
function jaro(a: Int32Array, aLength: number, b: Int32Array, bLength: number): number {
  if (aLength === 0 && bLength === 0) return 1;
  if (aLength === 0 || bLength === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(aLength, bLength) / 2) - 1);
  if (aLength <= 30 && bLength <= 30) {
    const short = jaroOfShort(a, aLength, b, bLength, window);
    if (short !== undefined) return short;
  }
  const aSeen = aMatched;
  const bSeen = bMatched;
  for (let i = 0; i < aLength; i++) aSeen[i] = 0;
  for (let j = 0; j < bLength; j++) bSeen[j] = 0;
  let matches = 0;
  for (let i = 0; i < aLength; i++) {
    const c = a[i];
    const hi = Math.min(bLength - 1, i + window);
    for (let j = Math.max(0, i - window); j <= hi; j++) {
      if (bSeen[j] === 0 && c === b[j]) {
        aSeen[i] = 1;
        bSeen[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let halfTranspositions = 0;
  let k = 0;
  for (let i = 0; i < aLength; i++) {
    if (aSeen[i] === 0) continue;
    while (bSeen[k] === 0) k++;
    if (a[i] !== b[k]) halfTranspositions++;
    k++;
  }
  const m = matches;
  return (m / aLength + m / bLength + (m - Math.floor(halfTranspositions / 2)) / m) / 3;
}

/**
 * Per code point below 256: the positions (bits) at which a text has it — the second text of jaroOfShort, the
 * pattern of bitParallel — set by each call and cleared before it returns.
 */
const positions = new Int32Array(256);

/**
 * jaro for texts of at most 30 code points whose second text's code points are all below 256 (names, mostly), else
 * undefined. The same greedy matching with bit sets: the match of a[i] is the lowest position in its window, not
 * yet matched, where b has a[i], found as the lowest bit of (positions of a[i]) & (unmatched) & (window).
 */
function jaroOfShort(
  a: Int32Array,
  aLength: number,
  b: Int32Array,
  bLength: number,
  window: number,
): number | undefined {
  for (let j = 0; j < bLength; j++) {
    const c = b[j] as number;
    if (c >= 256) {
      for (let k = 0; k < j; k++) positions[b[k] as number] = 0;
      return undefined;
    }
    positions[c] = (positions[c] as number) | (1 << j);
  }
  let bFree = (1 << bLength) - 1;
  let aBits = 0;
  let matches = 0;
  for (let i = 0; i < aLength; i++) {
    const c = a[i] as number;
    if (c >= 256) continue;
    const lo = Math.max(0, i - window);
    const hi = Math.min(bLength - 1, i + window);
    if (lo > hi) continue;
    const candidates = (positions[c] as number) & bFree & ((1 << (hi + 1)) - 1) & ~((1 << lo) - 1);
    if (candidates !== 0) {
      bFree &= ~(candidates & -candidates);
      aBits |= 1 << i;
      matches++;
    }
  }
  for (let j = 0; j < bLength; j++) positions[b[j] as number] = 0;
  if (matches === 0) return 0;
  let bBits = ((1 << bLength) - 1) & ~bFree;
  let halfTranspositions = 0;
  while (aBits !== 0) {
    const i = 31 - Math.clz32(aBits & -aBits);
    const k = 31 - Math.clz32(bBits & -bBits);
    if (a[i] !== b[k]) halfTranspositions++;
    aBits &= aBits - 1;
    bBits &= bBits - 1;
  }
  const m = matches;
  return (m / aLength + m / bLength + (m - Math.floor(halfTranspositions / 2)) / m) / 3;
}

/**
 * The distinct q-grams (runs of q code points) of a text padded with q - 1 start and q - 1 end markers, as
 * py_stringmatching's QgramTokenizer pads by default, so the first and last letters count as much as the others
 * and a text shorter than q still has q-grams. The markers are -1 and -2, which no code point is, so no text can
 * imitate them. An empty text has none. Grams are keyed as their numbers joined with commas.
 */
export function qgramSet(codePoints: readonly number[], q: number): Set<string> {
  const grams = new Set<string>();
  if (codePoints.length === 0) return grams;
  const padded = [...new Array<number>(q - 1).fill(-1), ...codePoints, ...new Array<number>(q - 1).fill(-2)];
  for (let i = 0; i + q <= padded.length; i++) grams.add(padded.slice(i, i + q).join(","));
  return grams;
}

/** |A ∩ B| / |A ∪ B| of two sets; two empty sets are identical (1). */
export function jaccardIndex(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let common = 0;
  for (const item of small) if (large.has(item)) common++;
  return common / (a.size + b.size - common);
}

// prettier-ignore
const SOUNDEX_CODES: Readonly<Record<string, string>> = {
  B: "1", F: "1", P: "1", V: "1",
  C: "2", G: "2", J: "2", K: "2", Q: "2", S: "2", X: "2", Z: "2",
  D: "3", T: "3", L: "4", M: "5", N: "5", R: "6",
};

/**
 * American Soundex as the US National Archives define it: first letter, then the codes of the following
 * consonants; equal codes side by side, or separated only by H or W, count once; vowels (and Y) separate them.
 * `letters` must be uppercase A-Z only.
 */
export function soundexCode(letters: string): string {
  const first = letters[0] ?? "";
  let code = first;
  let previous = SOUNDEX_CODES[first] ?? "";
  for (const letter of letters.slice(1)) {
    if (letter === "H" || letter === "W") continue;
    const digit = SOUNDEX_CODES[letter] ?? "";
    if (digit !== "" && digit !== previous) code += digit;
    if (code.length === 4) break;
    previous = digit;
  }
  return code.padEnd(4, "0");
}

/**
 * Per ASCII code: a letter's Soundex digit, 0 for vowels and Y (they separate equal codes), 9 for H and W (they do
 * not), -1 for anything else.
 */
const SOUNDEX_ASCII = (() => {
  const digits = new Int8Array(128).fill(-1);
  const byLetter = "01230129022455012623019202"; // A to Z
  for (let k = 0; k < 26; k++) digits[65 + k] = digits[97 + k] = byLetter.charCodeAt(k) - 48;
  return digits;
})();
const SOUNDEX_PADDING = ["000", "00", "0", ""];

/**
 * soundexCode of the letters A-Z of ASCII text, in either case, in one pass without building them: what
 * `soundex` gives for text that normalisation cannot change. Null when the text has no letter; undefined when it
 * has a character beyond ASCII, whose decomposition may hold letters (the caller then takes the general way).
 */
export function asciiSoundex(text: string): string | null | undefined {
  let code = "";
  let digits = 0;
  let previous = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128) return undefined;
    const digit = SOUNDEX_ASCII[c] as number;
    if (digit === -1) continue;
    if (code === "") {
      code = String.fromCharCode(c & ~32); // upper case
      previous = digit;
      continue;
    }
    if (digit === 9) continue;
    if (digit !== 0 && digit !== previous) {
      code += String.fromCharCode(48 + digit);
      if (++digits === 3) return code;
    }
    previous = digit;
  }
  return code === "" ? null : code + (SOUNDEX_PADDING[digits] as string);
}
