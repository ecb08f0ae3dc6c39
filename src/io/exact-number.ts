/**
 * Numbers written in a file that a JavaScript number cannot hold as written: an integer beyond 2^53 - 1 (id
 * 9007199254740993 would read as 9007199254740992 and collide with the record that really has that id), a value
 * beyond ±1.8e308 (1e400 would read as Infinity, then be written as null) or a non-zero value too small to be
 * anything but 0. They are never silently rounded: the JSON readers keep such a number as an {@link InexactNumber}
 * holding its text, and the mapping keeps that text where the field is a string, else rejects the record.
 */

/** A number token of a JSON record, kept as written because no JavaScript number holds it exactly. */
export class InexactNumber {
  constructor(
    /** The token as written, e.g. `9007199254740993`. */
    readonly text: string,
    /** Why a number cannot hold it, for the dead letter. */
    readonly problem: string,
  ) {}
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Why the decimal `text` (a JSON number token, or CSV text bound for a number field) cannot become a number
 * without changing; undefined when it can, or when it is no decimal at all. Fractions are not judged: 0.1 is
 * approximate in every binary format and nobody writes an id as one. An integer written with an exponent (1e20)
 * says it is floating point and is taken as such.
 */
export function numberProblem(text: string): string | undefined {
  if (!DECIMAL.test(text)) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n)) return `${text} is beyond the range of a number (about ±1.8e308)`;
  const exponent = text.search(/[eE]/);
  const mantissa = exponent === -1 ? text : text.slice(0, exponent);
  if (n === 0)
    return /[1-9]/.test(mantissa) ? `${text} is too small for a number: it would read as 0` : undefined;
  if (exponent === -1 && Number.isInteger(n) && Math.abs(n) > Number.MAX_SAFE_INTEGER) {
    return `${text} is an integer beyond 2^53 - 1 (${Number.MAX_SAFE_INTEGER}), which a number cannot hold exactly: it would read as ${String(n)}`;
  }
  return undefined;
}

/** Marks a record that holds at least one InexactNumber, so the mapping knows to look (unmarked ones cost nothing). */
const INEXACT = Symbol("clue.inexactNumbers");

export function markInexact(record: object): void {
  Object.defineProperty(record, INEXACT, { value: true, enumerable: false });
}

export function holdsInexactNumbers(record: object): boolean {
  return (record as { [INEXACT]?: boolean })[INEXACT] === true;
}
