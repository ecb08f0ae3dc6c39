import type { Diagnostic, Severity } from "../diagnostics/diagnostic.js";

/** What a formatter renders: the findings and the figures of the summary line. */
export interface Report {
  tool: { name: string; version: string };
  diagnostics: readonly Diagnostic[];
  /** Source text by project-relative path, for code frames. */
  sources: ReadonlyMap<string, string>;
  /** Ranges holding secrets: masked in any code frame that shows them. */
  redactions: readonly Diagnostic[];
  counts: { files: number; resources: number; environments: number };
  failSeverity: Severity;
}

/** An annotation on a file's lines in GitHub's UI. */
export interface Annotation {
  severity: Severity;
  title: string;
  message: string;
  file: string;
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

/** A formatter's output. Formatters are pure: the CLI writes `text`, and hands the rest to GitHub. */
export interface Output {
  text: string;
  annotations?: Annotation[];
  /** Markdown for the job summary. */
  summary?: string;
}

export interface FormatOptions {
  color: boolean;
}

export type Formatter = (report: Report, options: FormatOptions) => Output;

export function countBySeverity(diagnostics: readonly Diagnostic[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const d of diagnostics) counts[d.severity]++;
  return counts;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** "2 errors, 1 warning" — the words every format's summary uses. */
export function describeCounts(diagnostics: readonly Diagnostic[]): string {
  const c = countBySeverity(diagnostics);
  const parts = [plural(c.error, "error"), plural(c.warning, "warning")];
  if (c.info > 0) parts.push(plural(c.info, "info"));
  return parts.join(", ");
}
