import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkRegex } from "../../src/lint/regex-safety.js";

describe("checkRegex syntax", () => {
  it("reports the parser's message and index", () => {
    expect(checkRegex("(a")).toEqual({
      kind: "syntax",
      message: "Invalid regular expression: /(a/: Unterminated group",
      offset: 2,
      length: 0,
    });
    expect(checkRegex("a{2,1}")).toMatchObject({
      kind: "syntax",
      message: "Invalid regular expression: /a{2,1}/: numbers out of order in {} quantifier",
    });
    expect(checkRegex("\\")).toEqual({
      kind: "syntax",
      message: "Invalid regular expression: /\\/: \\ at end of pattern",
      offset: 0,
      length: 1,
    });
  });

  it("parses in Annex B mode unless the u or v flag is given", () => {
    expect(checkRegex("\\p{Foo}")).toBeUndefined();
    expect(checkRegex("\\p{Foo}", "u")).toEqual({
      kind: "syntax",
      message: "Invalid regular expression: /\\p{Foo}/u: Invalid property name",
      offset: 6,
      length: 1,
    });
    expect(checkRegex("\\p{L}+", "u")).toBeUndefined();
    expect(checkRegex("[\\p{L}--[a-z]]", "v")).toBeUndefined();
  });

  it("reports bad flags without pointing into the pattern", () => {
    expect(checkRegex("a", "x")).toEqual({
      kind: "syntax",
      message: "Invalid regular expression: Invalid flag 'x'",
      offset: 0,
      length: 0,
    });
    expect(checkRegex("a", "gg")).toMatchObject({ kind: "syntax", offset: 0, length: 0 });
  });
});

describe("checkRegex catastrophic backtracking", () => {
  it.each([
    String.raw`^[^@\s]+@[^@\s]+\.[^@\s]+$`,
    String.raw`^\+[1-9]\d{1,14}$`,
    String.raw`^[A-Z]{2}$`,
    String.raw`^\d{4}-\d{2}-\d{2}$`,
    String.raw`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`,
    String.raw`^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}$`,
    String.raw`^[\w-]+(\.[\w-]+)*$`,
    String.raw`(\w+)=(\w+)`,
    String.raw`^(?:a|b|c)*$`,
    String.raw`^(foo|bar)+$`,
  ])("accepts the common safe pattern %s", (pattern) => {
    expect(checkRegex(pattern)).toBeUndefined();
  });

  it.each([
    [
      "(a+)+$",
      'nested quantifiers in "(a+)+" can backtrack exponentially on input like "aaaa…" followed by a mismatch',
      0,
      5,
    ],
    [
      "^(a|a)*$",
      'alternatives "a" and "a" in "(a|a)*" can both match "a", so it can backtrack exponentially on input like "aaaa…" followed by a mismatch',
      1,
      6,
    ],
    [
      String.raw`^(\w+\s?)*$`,
      String.raw`nested quantifiers in "(\w+\s?)*" can backtrack exponentially on input like "AAAA…" followed by a mismatch`,
      1,
      9,
    ],
    [
      "(.*a){12}",
      'nested quantifiers in "(.*a){12}" can backtrack in O(n^13) time on input like "aaaa…" followed by a mismatch',
      0,
      9,
    ],
    [
      "^(([a-z])+.)+[A-Z]([a-z])+$",
      'nested quantifiers in "(([a-z])+.)+" can backtrack exponentially on input like "aaaa…" followed by a mismatch',
      1,
      12,
    ],
  ])("flags %s", (pattern, message, offset, length) => {
    expect(checkRegex(pattern)).toEqual({ kind: "catastrophic", message, offset, length });
  });

  it("reports chains of quantifiers that trade characters with their degree", () => {
    expect(checkRegex("^a*a*a*$")).toEqual({
      kind: "catastrophic",
      message:
        'quantifiers "a*", "a*", "a*" in "a*a*a*" can trade characters and backtrack in O(n^3) time on input like "aaaa…" followed by a mismatch',
      offset: 1,
      length: 6,
    });
    // Unanchored, the engine retries at every offset, which adds a factor n.
    expect(checkRegex(String.raw`\d*\w+`)).toMatchObject({
      message: String.raw`quantifiers "\d*", "\w+" in "\d*\w+" can trade characters and backtrack in O(n^3) time on input like "0000…" followed by a mismatch`,
      offset: 0,
      length: 6,
    });
  });

  it("tolerates quadratic backtracking", () => {
    expect(checkRegex("^a*a*$")).toBeUndefined();
    expect(checkRegex(String.raw`\s+$`)).toBeUndefined();
    expect(checkRegex("a+b")).toBeUndefined();
  });

  it("flags alternatives that overlap under an unbounded quantifier", () => {
    expect(checkRegex(String.raw`^(\w|\d)+$`)).toMatchObject({
      message: String.raw`alternatives "\w" and "\d" in "(\w|\d)+" can both match "0", so it can backtrack exponentially on input like "0000…" followed by a mismatch`,
      offset: 1,
      length: 8,
    });
    expect(checkRegex(String.raw`^(.|\s)*$`)).toMatchObject({
      message: String.raw`alternatives "." and "\s" in "(.|\s)*" can both match " ", so it can backtrack exponentially on input like "    …" followed by a mismatch`,
    });
    // Overlap that only exists through a range written in the pattern, outside ASCII.
    expect(checkRegex("^([α-ω]|[λ-π])*$")).toMatchObject({ kind: "catastrophic", offset: 1, length: 14 });
  });

  it("takes flags into account for overlapping alternatives", () => {
    expect(checkRegex("^(a|A)*$")).toBeUndefined();
    expect(checkRegex("^(a|A)*$", "i")).toMatchObject({
      message:
        'alternatives "a" and "A" in "(a|A)*" can both match "a", so it can backtrack exponentially on input like "aaaa…" followed by a mismatch',
    });
  });

  it("does not flag overlapping alternatives under a bounded quantifier", () => {
    expect(checkRegex("^(a|a){0,3}$")).toBeUndefined();
  });

  it("ignores alternatives it cannot judge out of context", () => {
    expect(checkRegex(String.raw`^(a)(a|\1)*$`)).toBeUndefined();
  });

  it("never throws and keeps locations inside the pattern", () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 30 }),
        fc.constantFrom("", "u", "v", "i", "ims", "x"),
        (pattern, flags) => {
          const problem = checkRegex(pattern, flags);
          if (problem === undefined) return;
          expect(problem.offset).toBeGreaterThanOrEqual(0);
          expect(problem.offset + problem.length).toBeLessThanOrEqual(pattern.length);
        },
      ),
    );
  });
});
