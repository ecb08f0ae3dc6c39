import type { DiagnosticCode } from "./codes.js";

export type Severity = "error" | "warning" | "info";

/** A path from a document's root to a node: mapping keys and sequence indexes. */
export type NodePath = readonly (string | number)[];

/**
 * A finding, as data. Every layer makes them; only formatters render them. Lines and columns are 1-based;
 * the end is exclusive, as in editors' ranges.
 */
export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  /** Project-relative path with forward slashes. */
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** The node's path within its document, when the finding is about a node. */
  path: NodePath;
  /** How to fix it, when there is something better to say than the message. */
  hint?: string;
}

const severityRank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function isAtLeast(severity: Severity, threshold: Severity): boolean {
  return severityRank[severity] <= severityRank[threshold];
}

/** A total order, so output is identical from run to run whatever order the rules ran in. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    compareStrings(a.file, b.file) ||
    a.line - b.line ||
    a.column - b.column ||
    severityRank[a.severity] - severityRank[b.severity] ||
    compareStrings(a.code, b.code) ||
    compareStrings(a.message, b.message)
  );
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function formatPath(path: NodePath): string {
  return path
    .map((p) => (typeof p === "number" ? `[${p}]` : p))
    .join(".")
    .replaceAll(".[", "[");
}
