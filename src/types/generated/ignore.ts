/* Generated from schemas/ignore.schema.json by `npm run types`. Do not edit by hand. */

/**
 * Accepted findings (and, later, accepted breaking changes), kept in .clueignore.yaml at the project root. Every entry carries a reason.
 */
export interface IgnoreFile {
  /**
   * Diagnostics that are accepted and not reported.
   */
  findings?: AcceptedFinding[];
  /**
   * Breaking changes that are accepted (used by `clue diff`).
   */
  breaking_changes?: AcceptedBreakingChange[];
}
/**
 * One accepted finding: a code, in a file, optionally at a path or line.
 */
export interface AcceptedFinding {
  /**
   * The diagnostic's code.
   */
  code: string;
  /**
   * The file, relative to the project root; `*` matches any characters within a folder name.
   */
  file: string;
  /**
   * Only the finding at this document path (dot-separated), e.g. `check.regex`.
   */
  path?: string;
  /**
   * Only the finding on this line.
   */
  line?: number;
  /**
   * Why the finding is accepted.
   */
  reason: string;
}
/**
 * One accepted breaking change.
 */
export interface AcceptedBreakingChange {
  /**
   * `kind/name` of the changed resource.
   */
  resource: string;
  /**
   * The change's code, e.g. `contract/column-removed`.
   */
  change?: string;
  /**
   * Why the change is accepted.
   */
  reason: string;
}
