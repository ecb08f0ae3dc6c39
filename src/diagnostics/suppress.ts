import { isMap, isScalar, isSeq } from "yaml";
import { diagnosticAt, makeDiagnostic } from "../config/locate.js";
import type { IgnoreEntries } from "../config/project.js";
import type { SourceFile } from "../config/source-file.js";
import { didYouMean } from "../util/did-you-mean.js";
import { codes, isDiagnosticCode } from "./codes.js";
import { formatPath, type Diagnostic } from "./diagnostic.js";

const DIRECTIVE = /#\s*clue-disable-next-line\b(.*)$/;

interface Suppression {
  /** Whether it matched at least one diagnostic. */
  used: boolean;
  matches(d: Diagnostic): boolean;
  /** Reported when nothing matched. */
  unused(): Diagnostic;
}

/**
 * Drops the diagnostics that a `# clue-disable-next-line CODE` comment or an ignore-file entry accepts, and reports
 * suppressions that are malformed or match nothing (so they do not outlive the finding they were written for).
 */
export function applySuppressions(
  diagnostics: readonly Diagnostic[],
  files: readonly SourceFile[],
  ignore: IgnoreEntries | undefined,
): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const suppressions = [
    ...files.flatMap((f) => inlineSuppressions(f, problems)),
    ...ignoreSuppressions(ignore, problems),
  ];
  const kept = diagnostics.filter((d) => {
    let suppressed = false;
    for (const s of suppressions) {
      if (s.matches(d)) {
        s.used = true;
        suppressed = true;
      }
    }
    return !suppressed;
  });
  return [...kept, ...problems, ...suppressions.filter((s) => !s.used).map((s) => s.unused())];
}

function inlineSuppressions(file: SourceFile, problems: Diagnostic[]): Suppression[] {
  if (!file.text.includes("clue-disable-next-line")) return [];
  const lines = file.text.split("\n");
  const out: Suppression[] = [];
  const strings = stringRanges(file);
  let offset = 0;
  lines.forEach((text, index) => {
    const lineStart = offset;
    offset += text.length + 1;
    const match = DIRECTIVE.exec(text);
    if (!match) return;
    const start = lineStart + match.index;
    // Text inside a string (a `description: |` block, a quoted value) is content, not a comment.
    if (strings.some(([from, to]) => start >= from && start < to)) return;
    const end = lineStart + text.length;
    // `-- reason` after the codes is allowed and ignored, as in ESLint.
    const list = (match[1] ?? "").split("--")[0] ?? "";
    const wanted = list.split(/[\s,]+/).filter(Boolean);
    if (wanted.length === 0) {
      problems.push(
        makeDiagnostic(file, "suppress/invalid", start, end, "clue-disable-next-line names no code.", {
          hint: "Name the codes to suppress, e.g. `# clue-disable-next-line mapping/required-field-unmapped -- filled in by the CRM`.",
        }),
      );
      return;
    }
    // The directive applies to the next line that is neither blank nor only a comment.
    let target = index + 1;
    while (target < lines.length && /^\s*(#.*)?$/.test(lines[target] ?? "")) target++;
    const line = target + 1;
    for (const code of wanted) {
      if (!isDiagnosticCode(code)) {
        const guess = didYouMean(code, Object.keys(codes));
        problems.push(
          makeDiagnostic(
            file,
            "suppress/invalid",
            start,
            end,
            `clue-disable-next-line names unknown code "${code}".`,
            {
              hint: guess ? `Did you mean "${guess}"?` : "See the diagnostics reference for the codes.",
            },
          ),
        );
        continue;
      }
      out.push({
        used: false,
        matches: (d) => d.file === file.path && d.line === line && d.code === code,
        unused: () =>
          makeDiagnostic(
            file,
            "suppress/unused",
            start,
            end,
            `clue-disable-next-line ${code} suppresses nothing on line ${line}.`,
            {
              hint: "Remove the stale comment.",
            },
          ),
      });
    }
  });
  return out;
}

/** The source ranges of every string scalar of a file: a directive there is data, not a directive. */
function stringRanges(file: SourceFile): [number, number][] {
  const out: [number, number][] = [];
  const visit = (node: unknown): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        visit(pair.key);
        visit(pair.value);
      }
    } else if (isSeq(node)) node.items.forEach(visit);
    else if (isScalar(node) && typeof node.value === "string" && node.range)
      out.push([node.range[0], node.range[1]]);
  };
  for (const doc of file.documents) visit(doc.yaml.contents);
  return out;
}

function ignoreSuppressions(ignore: IgnoreEntries | undefined, problems: Diagnostic[]): Suppression[] {
  if (!ignore) return [];
  const out: Suppression[] = [];
  (ignore.spec.findings ?? []).forEach((entry, i) => {
    if (ignore.invalid.has(i)) return;
    if (!isDiagnosticCode(entry.code)) {
      const guess = didYouMean(entry.code, Object.keys(codes));
      problems.push(
        diagnosticAt(
          ignore.doc,
          ["findings", i, "code"],
          "suppress/invalid",
          `Unknown code "${entry.code}".`,
          {
            hint: guess ? `Did you mean "${guess}"?` : "See the diagnostics reference for the codes.",
          },
        ),
      );
      return;
    }
    const file = globToRegExp(entry.file);
    out.push({
      used: false,
      matches: (d) =>
        d.code === entry.code &&
        file.test(d.file) &&
        (entry.line === undefined || d.line === entry.line) &&
        (entry.path === undefined || formatPath(d.path) === entry.path),
      unused: () =>
        diagnosticAt(
          ignore.doc,
          ["findings", i],
          "suppress/unused",
          `Accepted finding ${entry.code} in ${entry.file} matches nothing.`,
          {
            hint: "Remove the stale entry from .clueignore.yaml.",
          },
        ),
    });
  });
  return out;
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob
    .replace(/[.+?^${}()|[\]\\]/g, "\\$&")
    .replaceAll("**", "\u0000")
    .replaceAll("*", "[^/]*");
  return new RegExp(`^${escaped.replaceAll("\u0000", ".*")}$`);
}
