/** A mistake in how clue was called: printed as is, exit 64 (EX_USAGE). */
export class UsageError extends Error {
  override name = "UsageError";
}

export const exitCodes = {
  ok: 0,
  /** The config, data or target has problems. */
  problems: 1,
  /** `plan --detailed-exitcode` found changes. */
  changes: 2,
  usage: 64,
  /** An unexpected exception: a bug in clue (EX_SOFTWARE). */
  internal: 70,
} as const;
