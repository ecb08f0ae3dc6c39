/** Longer names are not typos worth a suggestion, and comparing them costs length × length. */
const MAX_SUGGEST_LENGTH = 256;

/** The candidate closest to `input` by edit distance, when it is close enough to be a plausible typo. */
export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  if (input.length > MAX_SUGGEST_LENGTH) return undefined;
  const needle = input.toLowerCase();
  // Allow roughly one edit per three characters: "emial" → "email", but not "id" → "name".
  const limit = Math.max(1, Math.floor(input.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    // The distance is at least the difference in length: a candidate that cannot be close enough is not compared.
    const lower = candidate.toLowerCase();
    if (Math.abs(lower.length - needle.length) > limit) continue;
    const d = editDistance(needle, lower);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= limit && bestDistance < input.length ? best : undefined;
}

/** Optimal string alignment distance: Levenshtein plus adjacent transpositions, the commonest typo. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  const at = (i: number, j: number) => d[i * cols + j] ?? 0;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, at(i - 2, j - 2) + 1);
      d[i * cols + j] = v;
    }
  }
  return at(a.length, b.length);
}

/** `"a", "b" or "c"`, for messages that list allowed values. */
export function listOf(values: readonly unknown[], conjunction = "or"): string {
  return joinWords(
    values.map((v) => JSON.stringify(v)),
    conjunction,
  );
}

/** `a, b or c`: words joined as in a sentence. */
export function joinWords(words: readonly string[], conjunction = "or"): string {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} ${conjunction} ${words.at(-1)}`;
}
