/**
 * Numbers written in a file that a JavaScript number cannot hold as written: an integer past 2^53 that falls
 * between two numbers (id 9007199254740993 would read as 9007199254740992 and collide with the record that really
 * has that id), a value beyond ±1.8e308 (1e400 would read as Infinity, then be written as null) or a non-zero value
 * too small to be anything but 0. They are never silently rounded: the JSON readers keep such a number as an
 * {@link InexactNumber} holding its text, and the mapping keeps that text where the field is a string, else
 * rejects the record.
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
 * says it is floating point and is taken as such; one written out in full must come out the same integer.
 */
export function numberProblem(text: string): string | undefined {
  if (!DECIMAL.test(text)) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n)) return `${text} is beyond the range of a number (about ±1.8e308)`;
  const exponent = text.search(/[eE]/);
  const mantissa = exponent === -1 ? text : text.slice(0, exponent);
  if (n === 0)
    return /[1-9]/.test(mantissa) ? `${text} is too small for a number: it would read as 0` : undefined;
  if (
    exponent === -1 &&
    Number.isInteger(n) &&
    Math.abs(n) > Number.MAX_SAFE_INTEGER &&
    !sameInteger(text, n)
  ) {
    return `${text} is an integer beyond 2^53 - 1 (${Number.MAX_SAFE_INTEGER}) that a number cannot hold: it would read as ${String(n)}`;
  }
  return undefined;
}

/**
 * Whether the digits come out of `n` as written. Past 2^53 a number holds only some integers, and prints the
 * shortest digits that read back as it: 9007199254740992 and 276678586964793800 are kept, 9007199254740993 is not
 * (it would become the former, and collide with it). Each number prints one way, so no two kept texts can meet.
 * From 1e21 on a number prints with an exponent, so no integer written out in full is kept there.
 */
function sameInteger(text: string, n: number): boolean {
  const [whole = "", fraction = ""] = text.replace(/^\+/, "").split(".");
  if (!/^0*$/.test(fraction)) return false;
  const digits = whole.replace(/^(-?)0+(?=\d)/, "$1");
  return digits === String(n);
}

/** Marks a record that holds at least one InexactNumber, so the mapping knows to look (unmarked ones cost nothing). */
const INEXACT = Symbol("clue.inexactNumbers");

export function markInexact(record: object): void {
  Object.defineProperty(record, INEXACT, { value: true, enumerable: false });
}

export function holdsInexactNumbers(record: object): boolean {
  return (record as { [INEXACT]?: boolean })[INEXACT] === true;
}
