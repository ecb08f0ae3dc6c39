import type { Diagnostic } from "../diagnostics/diagnostic.js";

const MAX_LINE = 160;

/**
 * A file's text prepared once for all its frames: where each line starts, and which secret ranges touch each line.
 * A frame then costs only the (clipped) lines it prints, not a pass over the file: 100,000 findings in one file
 * used to split the whole text 100,000 times.
 */
export class FrameSource {
  private readonly starts: number[] = [0];
  private readonly redactions = new Map<number, Diagnostic[]>();

  /** `redactions`: the security findings of this file; every range they cover is masked in every frame. */
  constructor(
    readonly text: string,
    redactions: readonly Diagnostic[] = [],
  ) {
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) this.starts.push(i + 1);
    for (const r of redactions) {
      for (let line = r.line; line <= Math.min(r.endLine, this.starts.length); line++) {
        const list = this.redactions.get(line);
        if (list) list.push(r);
        else this.redactions.set(line, [r]);
      }
    }
  }

  /** Line `n` (1-based) without its line break; V8 slices without copying. */
  line(n: number): string | undefined {
    if (n < 1 || n > this.starts.length) return undefined;
    const start = this.starts[n - 1] as number;
    let end = n < this.starts.length ? (this.starts[n] as number) - 1 : this.text.length;
    if (end > start && this.text.charCodeAt(end - 1) === 0x0d) end--;
    return this.text.slice(start, end);
  }

  /** Columns [from, from + MAX_LINE) of line `n`, secrets masked, tabs as spaces, "…" where it was cut. */
  clip(n: number, from: number): string {
    const line = this.line(n) ?? "";
    const to = Math.min(line.length, from + MAX_LINE);
    let text = line.slice(from, to);
    for (const r of this.redactions.get(n) ?? []) {
      // Secrets must never be printed, and a code frame prints source lines.
      const start = Math.max(n === r.line ? r.column - 1 : 0, from);
      const end = Math.min(n === r.endLine ? r.endColumn - 1 : line.length, to);
      if (end > start) text = text.slice(0, start - from) + "*".repeat(end - start) + text.slice(end - from);
    }
    text = text.replaceAll("\t", " ");
    return `${from > 0 ? "…" : ""}${text}${line.length > to ? "…" : ""}`;
  }
}

/**
 * The lines around a finding with a caret under its range, as compilers print them. Long lines are cut around the
 * range so a minified JSON file does not flood the terminal: a frame is at most two lines of MAX_LINE characters.
 */
export function codeFrame(source: FrameSource, d: Diagnostic, paint: (s: string) => string): string {
  if (source.text === "") return "";
  const target = source.line(d.line);
  if (target === undefined) return "";
  const width = String(d.line).length;
  const out: string[] = [];
  const previous = source.line(d.line - 1);
  if (previous !== undefined && previous.trim() !== "")
    out.push(`  ${pad(d.line - 1, width)} | ${source.clip(d.line - 1, 0)}`);
  const shift = target.length > MAX_LINE ? Math.max(0, d.column - 1 - 40) : 0;
  out.push(`> ${pad(d.line, width)} | ${source.clip(d.line, shift)}`);
  const end = d.endLine === d.line ? Math.max(d.endColumn, d.column + 1) : target.length + 1;
  // A cut line starts with "…", one more column before the text.
  const lead = shift > 0 ? 1 : 0;
  const caretStart = d.column - 1 - shift + lead;
  const caretLength = Math.max(1, Math.min(end - d.column, lead + MAX_LINE - caretStart));
  out.push(
    `  ${" ".repeat(width)} | ${" ".repeat(Math.max(0, caretStart))}${paint("^".repeat(caretLength))}`,
  );
  return out.join("\n");
}

function pad(n: number, width: number): string {
  return String(n).padStart(width);
}
