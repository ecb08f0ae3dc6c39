/**
 * Safety checks for regular expressions written in config. The patterns run over untrusted record data, so
 * besides being valid JavaScript they must not backtrack catastrophically (ReDoS).
 */
import { RegExpParser, RegExpSyntaxError, visitRegExpAST } from "@eslint-community/regexpp";
import type { AST } from "@eslint-community/regexpp";
import { analyse } from "scslre";
import type { ParsedLiteral, Report } from "scslre";

export interface RegexProblem {
  kind: "syntax" | "catastrophic";
  message: string;
  /** 0-based offset of the offending part within the pattern string. */
  offset: number;
  length: number;
}

/** A backtracking hazard; `degree` is the polynomial degree of the worst case, Infinity if exponential. */
interface Finding {
  degree: number;
  message: string;
  offset: number;
  length: number;
}

/**
 * Quadratic backtracking is tolerated: it takes ~20k characters to stall for half a second, and reporting it
 * would flag nearly every unanchored `\s+$` and the common anchored email check `^[^@\s]+@[^@\s]+\.[^@\s]+$`
 * (scslre reports a quadratic Trade between its last two quantifiers). Cubic already stalls >100 ms at 800
 * characters, and higher degrees (e.g. `(.*a){12}`) take seconds on a few dozen, so from degree 3 on we report.
 */
const MIN_REPORTED_DEGREE = 3;

/** Projects repeat the same patterns across many files; the analysis is pure, so each is done once. */
const memo = new Map<string, RegexProblem | undefined>();

export function checkRegex(pattern: string, flags = ""): RegexProblem | undefined {
  const key = `${flags}/${pattern}`;
  if (memo.has(key)) return memo.get(key);
  const result = checkUncached(pattern, flags);
  if (memo.size > 10_000) memo.clear();
  memo.set(key, result);
  return result;
}

function checkUncached(pattern: string, flags: string): RegexProblem | undefined {
  const parsed = parse(pattern, flags);
  if ("kind" in parsed) return parsed;
  try {
    const worst = findBacktracking(pattern, parsed, flags)
      .filter((f) => f.degree >= MIN_REPORTED_DEGREE)
      .sort((a, b) => b.degree - a.degree || a.offset - b.offset)[0];
    return (
      worst && { kind: "catastrophic", message: worst.message, offset: worst.offset, length: worst.length }
    );
  } catch {
    // The analysis is a best-effort extra; a failure inside it must never break linting.
    return undefined;
  }
}

function parse(pattern: string, flags: string): ParsedLiteral | RegexProblem {
  const parser = new RegExpParser();
  let parsedFlags: AST.Flags;
  try {
    parsedFlags = parser.parseFlags(flags);
  } catch (error) {
    // The flags are not part of the pattern string, so there is nothing in it to point at.
    return { kind: "syntax", message: errorMessage(error), offset: 0, length: 0 };
  }
  let literal: ParsedLiteral;
  try {
    const mode = { unicode: parsedFlags.unicode, unicodeSets: parsedFlags.unicodeSets };
    literal = { pattern: parser.parsePattern(pattern, 0, pattern.length, mode), flags: parsedFlags };
  } catch (error) {
    const index = error instanceof RegExpSyntaxError ? Math.min(Math.max(error.index, 0), pattern.length) : 0;
    return {
      kind: "syntax",
      message: errorMessage(error),
      offset: index,
      length: index < pattern.length ? 1 : 0,
    };
  }
  // regexpp knows the newest syntax; the engine that runs the pattern may not (Node 20 lacks `(?i:…)`).
  try {
    new RegExp(pattern, flags);
  } catch (error) {
    return { kind: "syntax", message: errorMessage(error), offset: 0, length: pattern.length };
  }
  return literal;
}

const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));

function findBacktracking(pattern: string, literal: ParsedLiteral, flags: string): Finding[] {
  // We don't know how the platform applies a pattern (search, full match, embedded in a bigger one), so
  // assume an attacker can always make the overall match fail; without this scslre misses `(.*a){12}`.
  const { reports } = analyse(literal, { assumeRejectingSuffix: true });
  return [...fromScslre(pattern, reports), ...ambiguousAlternations(literal.pattern, flags)];
}

const span = (pattern: string, nodes: readonly AST.Node[]) => {
  const offset = Math.min(...nodes.map((n) => n.start));
  const length = Math.max(...nodes.map((n) => n.end)) - offset;
  return { offset, length, text: pattern.slice(offset, offset + length) };
};

const growth = (degree: number) =>
  degree === Infinity ? "backtrack exponentially" : `backtrack in O(n^${degree}) time`;

const attack = (char: string) => `input like ${JSON.stringify(char.repeat(4) + "…")} followed by a mismatch`;

/**
 * Turns scslre reports into findings with an estimated degree. scslre reports every pair of quantifiers
 * that trade characters, so a quantifier with k partners is part of an O(n^(k+1)) chain (`^a*a*a*$`), and a
 * Move report (the engine retrying at every start offset of an unanchored pattern) adds one more factor n.
 */
function fromScslre(pattern: string, reports: readonly Report[]): Finding[] {
  const moved = new Set<AST.Quantifier>();
  const partners = new Map<AST.Quantifier, Set<AST.Quantifier>>();
  const partnersOf = (q: AST.Quantifier) => {
    const set = partners.get(q) ?? new Set<AST.Quantifier>();
    partners.set(q, set);
    return set;
  };
  for (const report of reports) {
    if (report.type === "Move") moved.add(report.quant);
    if (report.type === "Trade") {
      partnersOf(report.startQuant).add(report.endQuant);
      partnersOf(report.endQuant).add(report.startQuant);
    }
  }
  return reports.flatMap((report): Finding[] => {
    switch (report.type) {
      case "Move":
        // Quadratic on its own; only counted as the extra factor above.
        return [];
      case "Self": {
        // The parent's maximum repetition is the degree, e.g. O(n^12) for `^(.*a){12}`, plus one if unanchored.
        const extra = moved.has(report.quant) ? 1 : 0;
        const degree = report.exponential ? Infinity : report.parentQuant.max + extra;
        const where = span(pattern, [report.parentQuant]);
        const message = `nested quantifiers in "${where.text}" can ${growth(degree)} on ${attack(report.character.pick)}`;
        return [{ degree, message, offset: where.offset, length: where.length }];
      }
      case "Trade": {
        const { startQuant, endQuant } = report;
        const chain = [
          ...new Set([startQuant, endQuant, ...partnersOf(startQuant), ...partnersOf(endQuant)]),
        ];
        const extra = chain.some((q) => moved.has(q)) ? 1 : 0;
        const degree = report.exponential ? Infinity : chain.length + extra;
        const where = span(pattern, chain);
        const names = chain.map((q) => `"${q.raw}"`).join(", ");
        const message = `quantifiers ${names} in "${where.text}" can trade characters and ${growth(degree)} on ${attack(report.character.pick)}`;
        return [{ degree, message, offset: where.offset, length: where.length }];
      }
    }
  });
}

/**
 * scslre does not see overlapping alternatives under an unbounded quantifier, like `^(a|a)*$` or
 * `^(\w|\d)+$`: with n characters both alternatives can match, there are 2^n ways to split the input.
 * We look for a single character that two alternatives each match completely, testing a set of probe
 * characters that includes every character written in the alternatives (so class ranges that overlap are
 * always caught) plus ASCII and common non-ASCII ones for escapes like `\w`, `\s` and `.`.
 */
function ambiguousAlternations(root: AST.Pattern, flags: string): Finding[] {
  const findings: Finding[] = [];
  visitRegExpAST(root, {
    onQuantifierEnter(quant) {
      const group = quant.element;
      if (quant.max !== Infinity || (group.type !== "Group" && group.type !== "CapturingGroup")) return;
      if (group.alternatives.length < 2) return;
      const probes = probeCharacters(group.alternatives);
      const matched = group.alternatives.map((alt) => matchingProbes(alt, probes, flags));
      for (const char of probes) {
        const [a, b] = group.alternatives.filter((_, i) => matched[i]?.has(char));
        if (a === undefined || b === undefined) continue;
        const message =
          `alternatives "${a.raw}" and "${b.raw}" in "${quant.raw}" can both match ${JSON.stringify(char)}, ` +
          `so it can ${growth(Infinity)} on ${attack(char)}`;
        findings.push({ degree: Infinity, message, offset: quant.start, length: quant.end - quant.start });
        return;
      }
    },
  });
  return findings;
}

// Readable characters first (alphanumerics, then ASCII from the space on, then control characters), so
// messages show e.g. "a" or " " rather than "\t".
const BASE_PROBES = [
  "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
  String.fromCharCode(...Array.from({ length: 128 }, (_, i) => (i + 32) % 128)),
  "\u00a0\u00e9\u00df\u0394\u03bb\u044f\u4e2d\u1680\u2000\u200b\u2028\u2029\u202f\u3000\ufeff",
].join("");

function probeCharacters(alternatives: readonly AST.Alternative[]): string[] {
  const written: string[] = [];
  for (const alt of alternatives) {
    visitRegExpAST(alt, { onCharacterEnter: (c) => void written.push(String.fromCodePoint(c.value)) });
  }
  return [...new Set([...BASE_PROBES, ...written])];
}

function matchingProbes(alt: AST.Alternative, probes: readonly string[], flags: string): Set<string> {
  let hasBackreference = false;
  visitRegExpAST(alt, { onBackreferenceEnter: () => void (hasBackreference = true) });
  // A backreference means nothing outside its pattern; an alternative we can't judge is never "ambiguous".
  if (hasBackreference) return new Set();
  try {
    // Sticky plus "nothing follows" makes the alternative match the whole probe, without `^`/`$`, whose
    // meaning the m flag would change.
    const re = new RegExp(`(?:${alt.raw})(?![\\s\\S])`, flags.replace(/[gy]/g, "") + "y");
    return new Set(
      probes.filter((c) => {
        re.lastIndex = 0;
        return re.test(c);
      }),
    );
  } catch {
    return new Set();
  }
}
