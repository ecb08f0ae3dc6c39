/**
 * Character sets spelled out as code-point ranges, with JavaScript's meaning. RE2's own `\s` is ASCII whitespace
 * and its `.` stops only at \n; a pattern written for JavaScript must keep matching what it matched there, so
 * these sets are written into the RE2 pattern explicitly instead of RE2's shorthands.
 */

/** An inclusive range of code points. */
export type Range = readonly [number, number];

export const MAX_CODE_POINT = 0x10ffff;

export const DIGIT: readonly Range[] = [[0x30, 0x39]];

/** `\w` with the u flag: ASCII only (case-insensitive matching adds ſ and K, as RE2's case folding does too). */
export const WORD: readonly Range[] = [
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x5f, 0x5f],
  [0x61, 0x7a],
];

/** `\s`: ECMAScript WhiteSpace (tab, VT, FF, ZWNBSP and category Zs) plus LineTerminator (LF, CR, LS, PS). */
export const SPACE: readonly Range[] = [
  [0x09, 0x0d],
  [0x20, 0x20],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
];

/** What `.` does not match without the s modifier. */
export const LINE_TERMINATORS: readonly Range[] = [
  [0x0a, 0x0a],
  [0x0d, 0x0d],
  [0x2028, 0x2029],
];

export const ASCII: readonly Range[] = [[0x00, 0x7f]];

export const ALL: readonly Range[] = [[0x00, MAX_CODE_POINT]];

/** The code points not in `ranges` (which must be sorted and disjoint). */
export function complement(ranges: readonly Range[]): Range[] {
  const out: Range[] = [];
  let next = 0;
  for (const [from, to] of ranges) {
    if (from > next) out.push([next, from - 1]);
    next = to + 1;
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

/**
 * One code point as RE2 syntax: letters and digits as themselves, everything else as `\x{…}`, which means the same
 * in and out of a class and never needs to know which characters RE2 treats as special.
 */
export function codePoint(value: number): string {
  const isPlain =
    (value >= 0x30 && value <= 0x39) || (value >= 0x41 && value <= 0x5a) || (value >= 0x61 && value <= 0x7a);
  return isPlain ? String.fromCharCode(value) : `\\x{${value.toString(16)}}`;
}

/** The ranges as the inside of an RE2 character class. */
export function classBody(ranges: readonly Range[]): string {
  return ranges
    .map(([from, to]) => (from === to ? codePoint(from) : `${codePoint(from)}-${codePoint(to)}`))
    .join("");
}
