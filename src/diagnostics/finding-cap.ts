import { codes } from "./codes.js";
import { compareDiagnostics, isAtLeast, type Diagnostic, type Severity } from "./diagnostic.js";

/** Findings shown per file by default: past this, a file is usually data saved as config by mistake. */
export const MAX_FINDINGS_PER_FILE = 100;
/** Messages and hints longer than this are cut: a 4 MB key is quoted by "Unknown property", and printed. */
const MAX_TEXT = 500;

/**
 * Keeps the first `max` findings of each file (in the report's order, so the choice is deterministic) and stands
 * one `file/too-many-findings` in for the rest, at the file's first line, as severe as the worst one it hides, so
 * the exit status does not change. `max` 0 keeps everything.
 */
export function capFindings(sorted: readonly Diagnostic[], max = MAX_FINDINGS_PER_FILE): Diagnostic[] {
  const out: Diagnostic[] = [];
  let capped = false;
  for (let i = 0; i < sorted.length;) {
    const file = (sorted[i] as Diagnostic).file;
    let end = i;
    while (end < sorted.length && (sorted[end] as Diagnostic).file === file) end++;
    const shown = max > 0 ? Math.min(end - i, max) : end - i;
    for (let k = i; k < i + shown; k++) out.push(sorted[k] as Diagnostic);
    if (shown < end - i) {
      out.push(summary(file, sorted.slice(i + shown, end), max));
      capped = true;
    }
    i = end;
  }
  return capped ? out.sort(compareDiagnostics) : out;
}

function summary(file: string, hidden: readonly Diagnostic[], max: number): Diagnostic {
  let worst: Severity = "info";
  const byCode = new Map<string, number>();
  for (const d of hidden) {
    if (isAtLeast(d.severity, worst)) worst = d.severity;
    byCode.set(d.code, (byCode.get(d.code) ?? 0) + 1);
  }
  const list = [...byCode]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 3)
    .map(([code, n]) => `${count(n)} ${code}`);
  const rest = byCode.size > 3 ? ", …" : "";
  const more = hidden.length === 1 ? "finding is" : "findings are";
  return {
    code: "file/too-many-findings",
    severity: worst,
    message: `${count(hidden.length)} more ${more} not shown in this file (${list.join(", ")}${rest}); clue shows ${max} per file.`,
    file,
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 1,
    path: [],
    hint: codes["file/too-many-findings"].fix,
  };
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}

/**
 * Cuts an overlong message or hint. Run it after secrets are masked: a cut through a secret would leave a fragment
 * that no longer matches it.
 */
export function clipText(d: Diagnostic): Diagnostic {
  const long = (s: string | undefined) => s !== undefined && s.length > MAX_TEXT;
  // The node path too: a machine-readable report prints it, and a key can be megabytes long.
  if (!long(d.message) && !long(d.hint) && !d.path.some((p) => typeof p === "string" && long(p))) return d;
  const clip = (s: string) => {
    if (s.length <= MAX_TEXT) return s;
    // Never cut between the two halves of a surrogate pair.
    const cut = /[\uD800-\uDBFF]/.test(s.charAt(MAX_TEXT - 2)) ? MAX_TEXT - 2 : MAX_TEXT - 1;
    return `${s.slice(0, cut)}…`;
  };
  return {
    ...d,
    message: clip(d.message),
    path: d.path.map((p) => (typeof p === "string" ? clip(p) : p)),
    ...(d.hint === undefined ? {} : { hint: clip(d.hint) }),
  };
}
