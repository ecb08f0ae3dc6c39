/** What a masked secret reads as, wherever it would have been printed. */
export const MASK = "****";

/** Secrets are looked up by their first characters: one map lookup per position of a text instead of one scan per secret. */
const PREFIX = 4;

/**
 * Masks known secret texts wherever they occur in a text. Built once per run from every secret found (thousands, on a
 * hostile project) and applied to every message: `mask` costs one map lookup per character of the text, whatever the
 * number of secrets, where replacing each secret in turn would cost messages × secrets. At a position where several
 * secrets start, the longest is masked, so a secret that contains another is masked whole.
 */
export class SecretMask {
  /** By the first PREFIX characters, then by length: a hit costs one set lookup per distinct length there. */
  private readonly byPrefix = new Map<string, Map<number, Set<string>>>();
  /** Lengths present in each bucket, longest first, so the longest secret at a position wins. */
  private readonly lengths = new Map<string, number[]>();
  /** Secrets shorter than the prefix, by their full text. */
  private readonly short = new Set<string>();
  private count = 0;
  private shortest = Infinity;

  constructor(secrets: Iterable<string> = []) {
    for (const secret of secrets) this.add(secret);
  }

  get size(): number {
    return this.count;
  }

  add(secret: string): void {
    if (secret.trim() === "") return;
    if (secret.length < PREFIX) {
      if (!this.short.has(secret)) this.count++;
      this.short.add(secret);
      this.shortest = Math.min(this.shortest, secret.length);
      return;
    }
    const key = secret.slice(0, PREFIX);
    let bucket = this.byPrefix.get(key);
    if (!bucket) {
      bucket = new Map();
      this.byPrefix.set(key, bucket);
    }
    let same = bucket.get(secret.length);
    if (!same) {
      same = new Set();
      bucket.set(secret.length, same);
      this.lengths.set(
        key,
        [...bucket.keys()].sort((a, b) => b - a),
      );
    }
    if (!same.has(secret)) this.count++;
    same.add(secret);
    this.shortest = Math.min(this.shortest, secret.length);
  }

  mask(text: string): string {
    if (this.count === 0 || text.length < this.shortest) return text;
    let out = "";
    let copied = 0;
    for (let i = 0; i < text.length;) {
      const length = this.matchAt(text, i);
      if (length === 0) {
        i++;
        continue;
      }
      out += text.slice(copied, i) + MASK;
      i += length;
      copied = i;
    }
    return copied === 0 ? text : out + text.slice(copied);
  }

  /** The length of the longest secret starting at `i`, or 0. */
  private matchAt(text: string, i: number): number {
    const key = text.slice(i, i + PREFIX);
    const bucket = this.byPrefix.get(key);
    if (bucket) {
      for (const length of this.lengths.get(key) ?? []) {
        if (bucket.get(length)?.has(text.slice(i, i + length))) return length;
      }
    }
    for (let length = PREFIX - 1; this.short.size > 0 && length >= 1; length--) {
      const piece = text.slice(i, i + length);
      if (piece.length === length && this.short.has(piece)) return length;
    }
    return 0;
  }
}
