/**
 * A data file clue was asked to read (or a dead-letter file it was asked to write) cannot be used at all: missing,
 * unreadable, corrupt gzip, a CSV header that makes every row ambiguous. The CLI turns it into a diagnostic with
 * the file and line; a single bad record is never an InputError but a dead letter.
 */
export class InputError extends Error {
  override name = "InputError";

  constructor(
    message: string,
    /** The file as the caller named it; empty when a parser runs without a file (tests, stdin). */
    readonly path: string,
    /** 1-based line the problem was found on; 0 when it concerns the file as a whole. */
    readonly line = 0,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
