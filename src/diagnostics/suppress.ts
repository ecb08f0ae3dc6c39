import { isMap, isScalar, isSeq } from "yaml";
import { diagnosticAt, makeDiagnostic } from "../config/locate.js";
import type { IgnoreEntries } from "../config/project.js";
import type { SourceFile } from "../config/source-file.js";
import { didYouMean } from "../util/did-you-mean.js";
import { codes, isDiagnosticCode, isPlanCode } from "./codes.js";
import { formatPath, type Diagnostic } from "./diagnostic.js";
import { compileGlob, type GlobMatcher } from "./glob.js";

const DIRECTIVE = /#\s*clue-disable-next-line\b(.*)$/;

interface Suppression {
  /** Whether it matched at least one diagnostic. */
  used: boolean;
  /** Reported when nothing matched. */
  unused(): Diagnostic;
}

interface InlineSuppression extends Suppression {
  code: string;
  key: string;
}

interface IgnoreSuppression extends Suppression {
  code: string;
  file: GlobMatcher;
  line: number | undefined;
  path: string | undefined;
}

/** Suppressions that match the same findings, marked used together, once. */
interface Group {
  list: Suppression[];
  marked: boolean;
}

/**
 * Which command's findings a pass suppresses. `clue plan` finds what a deploy target cannot hold (`cluedin/*`, see
 * isPlanCode) and `clue validate` everything else, so each reports as unused only the suppressions of its own codes.
 */
export type SuppressionScope = "validate" | "plan";

/**
 * Drops the diagnostics that a `# clue-disable-next-line CODE` comment or an ignore-file entry accepts, and reports
 * suppressions that are malformed or match nothing (so they do not outlive the finding they were written for).
 * Suppressions are looked up by what they match, not tried one by one: a file with 20,000 directives and 20,000
 * findings would otherwise make 400 million comparisons.
 */
export function applySuppressions(
  diagnostics: readonly Diagnostic[],
  files: readonly SourceFile[],
  ignore: IgnoreEntries | undefined,
  scope: SuppressionScope = "validate",
): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const mine = (s: { code: string }) => (scope === "plan") === isPlanCode(s.code);
  const inline = files.flatMap((f) => inlineSuppressions(f, problems)).filter(mine);
  const ignored = ignoreSuppressions(ignore, problems).filter(mine);
  // Malformed suppressions are `clue validate`'s to report, once.
  if (scope === "plan") problems.length = 0;
  const byKey = new Map<string, Group>();
  for (const s of inline) addTo(byKey, s.key, s);
  const index = new IgnoreIndex(ignored);
  const kept = diagnostics.filter((d) => {
    const byComment = use(byKey.get(inlineKey(d.file, d.line, d.code)));
    // Both are asked, so that every suppression that matches is marked used.
    const byIgnoreFile = index.use(d);
    return !(byComment || byIgnoreFile);
  });
  const unused = [...inline, ...ignored].filter((s) => !s.used).map((s) => s.unused());
  return [...kept, ...problems, ...unused];
}

function inlineKey(file: string, line: number, code: string): string {
  return `${file}\u0000${line}\u0000${code}`;
}

function addTo(groups: Map<string, Group>, key: string, s: Suppression): void {
  const group = groups.get(key);
  if (group) group.list.push(s);
  else groups.set(key, { list: [s], marked: false });
}

function use(group: Group | undefined): boolean {
  if (!group) return false;
  if (!group.marked) for (const s of group.list) s.used = true;
  group.marked = true;
  return true;
}

/**
 * Ignore-file entries by code; for each code and file, the entries whose glob matches that file (each glob is run
 * once per file), grouped by the line and node path they ask for.
 */
class IgnoreIndex {
  private readonly byCode = new Map<string, IgnoreSuppression[]>();
  private readonly byCodeAndFile = new Map<string, Map<string, Group>>();

  constructor(suppressions: readonly IgnoreSuppression[]) {
    for (const s of suppressions) {
      const list = this.byCode.get(s.code);
      if (list) list.push(s);
      else this.byCode.set(s.code, [s]);
    }
  }

  use(d: Diagnostic): boolean {
    const entries = this.byCode.get(d.code);
    if (!entries) return false;
    const cacheKey = `${d.code}\u0000${d.file}`;
    let groups = this.byCodeAndFile.get(cacheKey);
    if (!groups) {
      groups = new Map();
      for (const s of entries) if (s.file(d.file)) addTo(groups, groupKey(s.line, s.path), s);
      this.byCodeAndFile.set(cacheKey, groups);
    }
    if (groups.size === 0) return false;
    const path = formatPath(d.path);
    let hit = false;
    for (const key of [
      groupKey(d.line, path),
      groupKey(d.line, undefined),
      groupKey(undefined, path),
      groupKey(undefined, undefined),
    ])
      hit = use(groups.get(key)) || hit;
    return hit;
  }
}

/** An entry's line and path, `*` for "any" (an entry that gives none). */
function groupKey(line: number | undefined, path: string | undefined): string {
  return `${line ?? "*"}\u0000${path === undefined ? "*" : `=${path}`}`;
}

function inlineSuppressions(file: SourceFile, problems: Diagnostic[]): InlineSuppression[] {
  if (!file.text.includes("clue-disable-next-line")) return [];
  const lines = file.text.split("\n");
  const out: InlineSuppression[] = [];
  const inString = stringIndex(file);
  const target = nextCodeLines(lines);
  let offset = 0;
  lines.forEach((text, index) => {
    const lineStart = offset;
    offset += text.length + 1;
    const match = DIRECTIVE.exec(text);
    if (!match) return;
    const start = lineStart + match.index;
    // Text inside a string (a `description: |` block, a quoted value) is content, not a comment.
    if (inString(start)) return;
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
    const line = (target[index + 1] as number) + 1;
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
        code,
        key: inlineKey(file.path, line, code),
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

/**
 * For each line index, the index of the first line at or after it that is neither blank nor only a comment (the
 * line a directive there applies to), or the line count. One pass from the end, not a scan per directive.
 */
function nextCodeLines(lines: readonly string[]): number[] {
  const next = new Array<number>(lines.length + 1);
  next[lines.length] = lines.length;
  for (let i = lines.length - 1; i >= 0; i--)
    next[i] = /^\s*(#.*)?$/.test(lines[i] ?? "") ? (next[i + 1] as number) : i;
  return next;
}

/** Whether an offset is inside a string scalar of the file: by binary search over the sorted ranges. */
function stringIndex(file: SourceFile): (offset: number) => boolean {
  const ranges = stringRanges(file).sort((a, b) => a[0] - b[0]);
  // reach[i]: the furthest end among ranges 0..i, so overlapping ranges (should yaml ever make them) still count.
  const reach: number[] = [];
  ranges.forEach(([, to], i) => reach.push(Math.max(to, i > 0 ? (reach[i - 1] as number) : to)));
  return (offset) => {
    let lo = 0;
    let hi = ranges.length - 1;
    let last = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((ranges[mid] as [number, number])[0] <= offset) {
        last = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return last >= 0 && offset < (reach[last] as number);
  };
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

function ignoreSuppressions(ignore: IgnoreEntries | undefined, problems: Diagnostic[]): IgnoreSuppression[] {
  if (!ignore) return [];
  const out: IgnoreSuppression[] = [];
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
    out.push({
      used: false,
      code: entry.code,
      file: compileGlob(entry.file),
      line: entry.line,
      path: entry.path,
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
