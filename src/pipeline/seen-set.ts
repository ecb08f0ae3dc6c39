/**
 * The set of values a `unique` check has seen, kept as two independent 53-bit hashes per value in flat typed arrays
 * (open addressing) instead of the strings themselves: about 32 bytes a value at most, against ~90 for a Set of
 * strings, so a million ids cost ~30 MB. Two hashes make a false "duplicate" about as likely as 1 in 10^20 for a
 * million values.
 */
export interface SeenSet {
  /** Adds the text; true when it was already there. */
  addAndCheck(text: string): boolean;
}

export function createSeenSet(): SeenSet {
  let capacity = 1024;
  let size = 0;
  let a = new Float64Array(capacity);
  let b = new Float64Array(capacity);
  const insert = (h1: number, h2: number): boolean => {
    // Slot 0 marks "empty"; hashes are made non-zero by adding 1.
    let i = h1 % capacity;
    for (;;) {
      const stored = a[i] as number;
      if (stored === 0) {
        a[i] = h1;
        b[i] = h2;
        size++;
        return false;
      }
      if (stored === h1 && b[i] === h2) return true;
      i = i + 1 === capacity ? 0 : i + 1;
    }
  };
  const grow = () => {
    const oldA = a;
    const oldB = b;
    capacity *= 2;
    a = new Float64Array(capacity);
    b = new Float64Array(capacity);
    size = 0;
    for (let i = 0; i < oldA.length; i++) if (oldA[i] !== 0) insert(oldA[i] as number, oldB[i] as number);
  };
  return {
    addAndCheck(text) {
      if (size * 2 >= capacity) grow();
      hashPair(text);
      return insert(first + 1, second + 1);
    },
  };
}

/** hashPair's two results (module state, so that hashing a value allocates nothing). */
let first = 0;
let second = 0;

/**
 * Two independent 53-bit hashes of the text in one pass: cyrb53 (public domain) under two seeds, its four lanes
 * run side by side.
 */
function hashPair(text: string): void {
  let h1 = 0xdeadbeef ^ 0x9e3779b1;
  let h2 = 0x41c6ce57 ^ 0x9e3779b1;
  let h3 = 0xdeadbeef ^ 0x85ebca6b;
  let h4 = 0x41c6ce57 ^ 0x85ebca6b;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
    h3 = Math.imul(h3 ^ c, 2654435761);
    h4 = Math.imul(h4 ^ c, 1597334677);
  }
  first = finish(h1, h2);
  second = finish(h3, h4);
}

function finish(h1: number, h2: number): number {
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
