import type { Diagnostic } from "../diagnostics/diagnostic.js";

const MAX_LINE = 160;

/**
 * The lines around a finding with a caret under its range, as compilers print them. Long lines are cut around the
 * range so a minified JSON file does not flood the terminal.
 */
export function codeFrame(
  source: string,
  d: Diagnostic,
  paint: (s: string) => string,
  redactions: readonly Diagnostic[] = [],
): string {
  if (source === "") return "";
  const lines = redact(source.split(/\r?\n/), redactions);
  const target = lines[d.line - 1];
  if (target === undefined) return "";
  const width = String(d.line).length;
  const out: string[] = [];
  const previous = lines[d.line - 2];
  if (previous !== undefined && previous.trim() !== "")
    out.push(`  ${pad(d.line - 1, width)} | ${clip(previous, 0)}`);
  const shift = target.length > MAX_LINE ? Math.max(0, d.column - 1 - 40) : 0;
  out.push(`> ${pad(d.line, width)} | ${clip(target, shift)}`);
  const end = d.endLine === d.line ? Math.max(d.endColumn, d.column + 1) : target.length + 1;
  const caretStart = d.column - 1 - shift;
  const caretLength = Math.max(1, Math.min(end - d.column, MAX_LINE - caretStart));
  out.push(
    `  ${" ".repeat(width)} | ${" ".repeat(Math.max(0, caretStart))}${paint("^".repeat(caretLength))}`,
  );
  return out.join("\n");
}

function pad(n: number, width: number): string {
  return String(n).padStart(width);
}

function clip(line: string, from: number): string {
  const text = line.replaceAll("\t", " ");
  if (text.length <= MAX_LINE && from === 0) return text;
  return `${from > 0 ? "…" : ""}${text.slice(from, from + MAX_LINE)}${text.length > from + MAX_LINE ? "…" : ""}`;
}

/**
 * Secrets must never be printed, and a code frame prints source lines: every range a security finding covers is
 * masked, in every frame that shows its lines.
 */
function redact(lines: string[], ranges: readonly Diagnostic[]): string[] {
  if (ranges.length === 0) return lines;
  const out = [...lines];
  for (const r of ranges) {
    for (let line = r.line; line <= r.endLine; line++) {
      const text = out[line - 1];
      if (text === undefined) continue;
      const from = line === r.line ? r.column - 1 : 0;
      const to = line === r.endLine ? r.endColumn - 1 : text.length;
      out[line - 1] =
        text.slice(0, from) + "*".repeat(Math.max(0, to - from)) + text.slice(Math.max(to, from));
    }
  }
  return out;
}
