import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compilePattern } from "../../src/regex/compile.js";

/**
 * Random patterns from a small grammar (atoms, classes, groups, alternations, greedy and lazy quantifiers nested
 * at will, so many are catastrophic for a backtracking engine) and random values, run on the engine.
 */
const atom = fc.constantFrom(
  ...["a", "b", "c", "A", "é", "🙂", " ", ".", "\\d", "\\w", "\\s", "\\S", "\\W", "\\p{L}", "\\u00e9"],
  ...["[ab]", "[^a]", "[a-c]", "[\\s\\d]"],
);
/** Assertions: JavaScript's u flag does not let them be quantified. */
const assertion = fc.constantFrom("^", "$", "\\b", "\\B");
const quantifier = fc.constantFrom(
  ...["", "", "*", "+", "?", "{2}", "{1,3}", "{0,2}", "{2,}", "*?", "+?", "??", "{1,2}?"],
);
const { alternation: pattern } = fc.letrec<{
  term: string;
  quantified: string;
  sequence: string;
  alternation: string;
}>((tie) => ({
  term: fc.oneof(
    { depthSize: "small" },
    atom,
    fc
      .tuple(fc.constantFrom("(", "(?:", "(?i:"), tie("alternation"))
      .map(([open, inner]) => `${open}${inner})`),
  ),
  quantified: fc.oneof(
    { depthSize: "small" },
    fc.tuple(tie("term"), quantifier).map(([term, q]) => `${term}${q}`),
    assertion,
  ),
  sequence: fc.array(tie("quantified"), { maxLength: 3 }).map((terms) => terms.join("")),
  alternation: fc.array(tie("sequence"), { minLength: 1, maxLength: 3 }).map((seqs) => seqs.join("|")),
}));
const char = fc.constantFrom("a", "b", "c", "A", "é", "🙂", " ", "\n", "1", "\u00a0");
const shortValue = fc.array(char, { maxLength: 12 }).map((chars) => chars.join(""));

/** Random contents in the shape of the classic ReDoS patterns: nested quantifiers, then a tail that must match. */
const nested = fc
  .tuple(
    fc.constantFrom("", "^"),
    pattern,
    fc.constantFrom("*", "+", "{2,}"),
    pattern,
    fc.constantFrom("*", "+", "{1,30}"),
    fc.constantFrom("$", "c", "\\d$", "(?:c|$)"),
  )
  .map(([anchor, x, inner, y, outer, tail]) => `${anchor}(?:(?:${x})${inner}${y})${outer}${tail}`);
const hostilePiece = fc.constantFrom("a", "a", "ab", "a ", "1", "é", "🙂");

/** Per match, on a value of thousands of characters; RE2 takes milliseconds, so only a hang could reach it. */
const BOUND_MS = 5_000;

describe("the regex engine on random patterns", () => {
  it("finishes every match on hostile values within the time bound", () => {
    fc.assert(
      fc.property(
        fc.oneof(pattern, nested),
        hostilePiece,
        fc.constantFrom(40, 2_000),
        (source, piece, length) => {
          const compiled = compilePattern(source);
          if (!compiled.ok) return;
          // One short piece repeated, then a character that spoils a match at the end: what makes nested and
          // overlapping quantifiers backtrack, exponentially on tens of characters, polynomially on thousands.
          const value = `${piece.repeat(Math.ceil(length / piece.length))}!`;
          for (const run of [
            () => compiled.regex.test(value),
            () => compiled.regex.exec(value),
            () => compiled.regex.replaceAll(value.slice(0, 1_000), "<$&>"),
          ]) {
            const started = performance.now();
            run();
            expect(performance.now() - started).toBeLessThan(BOUND_MS);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  /**
   * On values short enough for a backtracking engine to finish, JavaScript's RegExp (u flag) is the reference: the
   * dialect is its syntax, so both accept the same patterns and agree on whether, and (for patterns without groups)
   * where, a pattern matches. Groups can differ: JavaScript forgets a group's text when a later repetition skips it,
   * and treats a repeated group that matches empty text differently; RE2 keeps the last text.
   */
  it("agrees with JavaScript's RegExp on short values", () => {
    fc.assert(
      fc.property(pattern, shortValue, (source, value) => {
        // Node 20 has no modifiers yet, so there is nothing to compare such a pattern with.
        if (source.includes("(?i:")) return;
        // V8 tries an empty match in the middle of a surrogate pair (/\B/u.exec("a🙂a").index is 2), which the
        // u flag rules out; RE2 does not.
        if (source.includes("\\B") && /[\u{10000}-\u{10FFFF}]/u.test(value)) return;
        let reference: RegExp | undefined;
        try {
          reference = new RegExp(source, "u");
        } catch {
          reference = undefined;
        }
        const compiled = compilePattern(source);
        expect(compiled.ok, `validity of ${source}`).toBe(reference !== undefined);
        if (!compiled.ok || reference === undefined) return;
        const expected = reference.exec(value);
        const actual = compiled.regex.exec(value);
        expect(actual !== null, `${source} on ${JSON.stringify(value)}`).toBe(expected !== null);
        if (expected !== null && !source.includes("(")) expect(actual?.[0]).toBe(expected[0]);
      }),
      { numRuns: 2_000 },
    );
  });
});
