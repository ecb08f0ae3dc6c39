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

/** Jaro similarity: matches within half the longer length, minus half the transpositions. */
export function jaroSimilarity(a: readonly number[], b: readonly number[]): number {
  if (a.length === 0 && b.length === 0) return 1;
  if (a.length === 0 || b.length === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatched = new Uint8Array(a.length);
  const bMatched = new Uint8Array(b.length);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    const hi = Math.min(b.length - 1, i + window);
    for (let j = Math.max(0, i - window); j <= hi; j++) {
      if (bMatched[j] === 0 && a[i] === b[j]) {
        aMatched[i] = 1;
        bMatched[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let halfTranspositions = 0;
  let k = 0;
  for (let i = 0; i < a.length; i++) {
    if (aMatched[i] === 0) continue;
    while (bMatched[k] === 0) k++;
    if (a[i] !== b[k]) halfTranspositions++;
    k++;
  }
  const m = matches;
  return (m / a.length + m / b.length + (m - halfTranspositions / 2) / m) / 3;
}

/**
 * Jaro-Winkler with Winkler's constants: a common prefix of up to 4 code points, scale 0.1, applied only when
 * the Jaro similarity exceeds 0.7 (his boost threshold, as in Apache Commons Text), so unrelated strings that
 * happen to share a first letter are not pulled up.
 */
export function jaroWinklerSimilarity(a: readonly number[], b: readonly number[]): number {
  const jaro = jaroSimilarity(a, b);
  if (jaro <= 0.7) return jaro;
  let prefix = 0;
  while (prefix < 4 && prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  return Math.min(1, jaro + prefix * 0.1 * (1 - jaro));
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
