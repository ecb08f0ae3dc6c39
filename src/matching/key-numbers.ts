/**
 * Blocking tables: each record's blocking key as a number, equal for two records exactly when `==` holds between
 * their keys, so that blocks are found by a counting sort and a pair's keys compare as two integers.
 *
 * A key of several parts (`date_of_birth == other.date_of_birth and soundex(last_name) == ...`) is numbered part by
 * part and the numbers combined, so no record's key is ever written out as one string: a million records with a
 * composite key used to cost a million new strings in a Map a million long (superlinear in practice, 0.3 s at 100k
 * records and 4.3 s at 1M); parts take Maps as large as their distinct values (a few thousand birth dates), and
 * the combination a Map of small integers.
 */
import { parseDecimal, type Value } from "../expr/types.js";

/** A blocking pass's numbers, and what equal numbers say about `==`. */
export interface KeyNumbers {
  /** Per record, its key's number; -1 when the key is null (a null key never matches). */
  ids: Int32Array;
  /** Every key value was text, a number or a boolean: then `==` between two keys implies equal numbers. */
  scalar: boolean;
  /**
   * Equal numbers also imply `==`: true unless a list was seen, or two records share a number through different
   * texts ("42" and "042" are both 42, and each is `==` 42, but not `==` each other).
   */
  exact: boolean;
}

/**
 * What a key part is grouped by: a number, or text that reads as one, is the number ("042" == 42); other text is
 * itself; a boolean is itself; a list or object is its JSON text, wrapped so that it is told apart from text.
 */
type KeyValue = string | number | boolean | { json: string };

/**
 * Whether text can read as a decimal number (parseDecimal trims, then wants a sign, a digit or a dot): false for
 * nearly every key (an email, a soundex code, a name) after one character, where parseDecimal runs a regex.
 */
export function mayBeDecimal(text: string): boolean {
  const c = text.charCodeAt(0);
  if (c >= 48 && c <= 57) return true; // a digit
  if (c === 43 || c === 45 || c === 46) return true; // + - .
  // Whitespace that trim() removes: ASCII tab to carriage return and space, or anything beyond ASCII.
  return (c >= 9 && c <= 13) || c === 32 || c > 127;
}

/** Numbers the distinct key values of records 0..n-1 from 0 (see KeyNumbers). */
export function keyNumbers(n: number, valueOf: (i: number) => Value): KeyNumbers {
  const ids = new Int32Array(n);
  const numbers = new Map<string | number | boolean, number>();
  const lists = new Map<string, number>();
  /** Per number that decimal text reached, the first such text. */
  const texts: (string | undefined)[] = [];
  let scalar = true;
  let exact = true;
  for (let i = 0; i < n; i++) {
    const v = valueOf(i);
    if (v === null) {
      ids[i] = -1;
      continue;
    }
    let key: KeyValue = v as string | number | boolean;
    let decimalText: string | undefined;
    if (typeof v === "string") {
      const decimal = mayBeDecimal(v) ? parseDecimal(v) : undefined;
      if (decimal !== undefined) {
        key = decimal;
        decimalText = v;
      }
    } else if (typeof v === "object") {
      scalar = exact = false;
      key = { json: JSON.stringify(v) };
    }
    const map = typeof key === "object" ? lists : numbers;
    const value = typeof key === "object" ? key.json : key;
    let id = map.get(value);
    if (id === undefined) {
      id = numbers.size + lists.size;
      map.set(value, id);
    }
    ids[i] = id;
    if (decimalText !== undefined && exact) {
      const first = texts[id];
      if (first === undefined) texts[id] = decimalText;
      else if (first !== decimalText) exact = false;
    }
  }
  return { ids, scalar, exact };
}

/**
 * The numbers of a key of two parts, from each part's numbers: equal exactly when both parts are (-1 when either
 * is). The pair (a, b) is looked up as a * (distinct b values) + b, an integer below 2^53.
 */
export function combineKeyNumbers(a: KeyNumbers, b: KeyNumbers): KeyNumbers {
  let width = 0;
  for (let i = 0; i < b.ids.length; i++) if ((b.ids[i] as number) >= width) width = (b.ids[i] as number) + 1;
  const ids = new Int32Array(a.ids.length);
  const numbers = new Map<number, number>();
  for (let i = 0; i < a.ids.length; i++) {
    const x = a.ids[i] as number;
    const y = b.ids[i] as number;
    if (x === -1 || y === -1) {
      ids[i] = -1;
      continue;
    }
    const pair = x * width + y;
    let id = numbers.get(pair);
    if (id === undefined) {
      id = numbers.size;
      numbers.set(pair, id);
    }
    ids[i] = id;
  }
  return { ids, scalar: a.scalar && b.scalar, exact: a.exact && b.exact };
}
