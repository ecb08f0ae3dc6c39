import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CallContext } from "../../src/expr/function-def.js";
import { functions } from "../../src/expr/functions/index.js";
import type { Value } from "../../src/expr/types.js";
import { checks } from "../../src/pipeline/checks.js";
import { PipelineError } from "../../src/pipeline/pipeline-error.js";
import { checkPattern, compilePattern } from "../../src/regex/compile.js";
import { translate } from "../../src/regex/translate.js";

const ctx: CallContext = { lookup: () => null };
const call = (name: string, ...args: Value[]): Value => {
  const fn = functions.get(name);
  if (!fn) throw new Error(`no function ${name}`);
  return fn.call(args, ctx);
};

/** Generous: each of these takes milliseconds on RE2; a backtracking engine takes minutes or forever. */
const BOUND_MS = 5_000;

function timed<T>(run: () => T): { result: T; ms: number } {
  const started = performance.now();
  const result = run();
  return { result, ms: performance.now() - started };
}

const a = (n: number) => "a".repeat(n);

/**
 * Patterns a backtracking engine needs exponential time for, which the old ReDoS heuristic let through, with
 * hostile values of 45 characters and of the longest length regexes look at, and what RE2 says about each.
 */
const HOSTILE: [pattern: string, value: string, matches: boolean][] = [
  ["(a|aa)+$", `${a(45)}!`, false],
  ["(a|aa)+$", a(45), true],
  ["(a|aa)+$", `${a(9_999)}!`, false],
  ["^(?:a|b|ab)*c$", `${"ab".repeat(22)}a`, false],
  ["^(?:a|b|ab)*c$", `${"ab".repeat(22)}c`, true],
  ["^(?:a|b|ab)*c$", "ab".repeat(5_000), false],
  ["^(a?){25}(a){25}$", a(25), true],
  ["^(a?){25}(a){25}$", a(45), true],
  ["^(a?){25}(a){25}$", a(51), false],
  ["^(a?){25}(a){25}$", a(10_000), false],
  ["^(\\w+\\s?)*$", `${"word ".repeat(9)}!`, false],
  ["(.*a){12}", `${a(44)}`, true],
  ["(.*a){12}", `${"b".repeat(9_999)}`, false],
];

describe("regex functions on hostile patterns and values", () => {
  it.each(HOSTILE)(
    "regex_matches(%j) on a %#th hostile value answers as RE2 does, quickly",
    (pattern, value, matches) => {
      const { result, ms } = timed(() => call("regex_matches", value, pattern));
      expect(result).toBe(matches);
      expect(ms).toBeLessThan(BOUND_MS);
    },
  );

  it("regex_extract and regex_replace run the same patterns in linear time too", () => {
    const { result, ms } = timed(() => [
      call("regex_extract", `x${a(45)}`, "(a|aa)+$", 0),
      call("regex_extract", `${"ab".repeat(22)}c`, "^((?:a|b|ab)*)c$"),
      call("regex_replace", `${a(45)}!`, "(a|aa)+$", "-"),
      call("regex_replace", `${a(4_000)}!`, "(a|aa)+", "<$&>"),
    ]);
    expect(result).toEqual([a(45), "ab".repeat(22), `${a(45)}!`, `<${a(4_000)}>!`]);
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it("a look-ahead holding a hostile pattern is unsupported: null at run time, never a hang", () => {
    const pattern = "^(?=(a|aa)+$)\\w+$";
    expect(call("regex_matches", `${a(45)}!`, pattern)).toBeNull();
    expect(compilePattern(pattern)).toMatchObject({
      ok: false,
      problem: { kind: "unsupported", message: 'the look-ahead "(?=(a|aa)+$)"', offset: 1, length: 12 },
    });
  });

  it("a regex check runs hostile patterns in linear time and refuses one it cannot run", () => {
    const check = checks.regex.compile({ regex: "^(?:a|b|ab)*c$" }, { referenceValues: () => undefined });
    const { result, ms } = timed(() => [check(`${"ab".repeat(22)}a`, {}), check(`${"ab".repeat(22)}c`, {})]);
    expect(result).toEqual([false, true]);
    expect(ms).toBeLessThan(BOUND_MS);
    // It used to compile with `new RegExp` and hang; now a pattern RE2 cannot run stops the run before any record.
    expect(() =>
      checks.regex.compile({ regex: "^(?!x)(a|aa)+$" }, { referenceValues: () => undefined }),
    ).toThrow(PipelineError);
  });
});

describe("the pattern dialect: JavaScript syntax with the u flag, JavaScript's meaning", () => {
  it.each([
    ["^\\p{L}+$", "Zoë", true],
    ["^\\p{Letter}+$", "Nguyễn", true],
    ["^\\p{Script=Greek}+$", "λόγος", true],
    ["^\\p{Lu}", "élan", false],
    ["^.$", "🙂", true],
    ["^..$", "🙂", false],
    ["^[😀-😂]$", "😁", true],
    ["^\\u{1F600}$", "😀", true],
    ["^\\uD83D\\uDE00$", "😀", true],
    ["^\\u00e9$", "é", true],
    // \s is JavaScript's (Unicode spaces included), not RE2's ASCII one.
    ["^\\s$", "\u00a0", true],
    ["^\\s$", "\ufeff", true],
    ["^\\S+$", "a\u2003b", false],
    ["^[\\s\\d]+$", " 1\u3000", true],
    // `.` stops at every JavaScript line terminator, not only \n.
    ["^.$", "\r", false],
    ["^.$", "\u2028", false],
    ["(?s:^.$)", "\n", true],
    ["^\\w+$", "Zoë", false],
    ["\\bcat\\b", "a cat!", true],
    ["[]", "", false],
    ["^[^]$", "\n", true],
    ["^\\p{ASCII}+$", "plain", true],
    ["^\\P{ASCII}$", "é", true],
    // Modifiers (ES2025 syntax; Node 20 lacks them) are how a part matches case-insensitively.
    ["(?i:^zoË$)", "ZOë", true],
    ["(?i:^a(?-i:b)$)", "AB", false],
    ["^\\/$", "/", true],
  ] as const)("%j on %j is %j", (pattern, value, matches) => {
    expect(call("regex_matches", value, pattern)).toBe(matches);
  });

  it("replaces as String.prototype.replace does", () => {
    expect(call("regex_replace", "Lee, Ann", "^(\\w+), (\\w+)$", "$2 $1")).toBe("Ann Lee");
    expect(call("regex_replace", "2024-05", "(?<y>\\d+)-(?<m>\\d+)", "$<m>/$<y>")).toBe("05/2024");
    expect(call("regex_replace", "abc", "b", "[$&$$]")).toBe("a[b$]c");
    // An empty match advances by a code point, not by half an emoji.
    expect(call("regex_replace", "🙂🙂", "", "-")).toBe("-🙂-🙂-");
    expect(call("regex_replace", "baaac", "a*", "-")).toBe("-b--c-");
  });

  it("gives null for a group that took no part in the match", () => {
    expect(call("regex_extract", "ab", "a(x)?b")).toBeNull();
    expect(call("regex_extract", "ab", "a(x)?(b)", 2)).toBe("b");
  });
});

describe("counts over RE2's 1,000", () => {
  it("are written as runs of smaller counts that match and prefer the same", () => {
    expect(call("regex_matches", a(2_000), "^.{1,2000}$")).toBe(true);
    expect(call("regex_matches", a(2_001), "^.{1,2000}$")).toBe(false);
    expect(call("regex_matches", a(2_500), "^(?:ab|a){2500}$")).toBe(true);
    expect(call("regex_extract", a(1_500), "a{1001,1200}?", 0)).toBe(a(1_001));
    expect(call("regex_extract", a(1_500), "a{0,1400}", 0)).toBe(a(1_400));
    expect(call("regex_extract", a(3_000), "a{1001,}", 0)).toBe(a(3_000));
  });

  it("agree with JavaScript on random counts", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2_500 }),
        fc.integer({ min: 0, max: 2_500 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 3_000 }),
        (from, span, greedy, length) => {
          const source = `b?a{${from},${from + span}}${greedy ? "" : "?"}`;
          const value = `b${a(length)}`;
          expect(call("regex_extract", value, source, 0)).toBe(
            new RegExp(source, "u").exec(value)?.[0] ?? null,
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("translate: syntax errors and unsupported features, located in the pattern", () => {
  it("reports the JavaScript parser's message and index", () => {
    expect(translate("(a")).toEqual({
      ok: false,
      problem: {
        kind: "syntax",
        message: "Invalid regular expression: /(a/u: Unterminated group",
        offset: 2,
        length: 0,
      },
    });
    expect(translate("^\\+?[\\d\\ ]+$")).toMatchObject({ ok: false, problem: { kind: "syntax", offset: 8 } });
    expect(translate("\\p{Foo}")).toMatchObject({
      ok: false,
      problem: { kind: "syntax", offset: 6, length: 1 },
    });
  });

  it("explains the (?i) prefix other dialects use", () => {
    expect(translate("(?i)abc")).toMatchObject({
      ok: false,
      problem: { kind: "syntax", hint: expect.stringContaining("`(?i:…)`") as unknown },
    });
  });

  it.each([
    ["(a)\\1", 'the back-reference "\\1"', 3, 2],
    ["(?<w>a)\\k<w>", 'the back-reference "\\k<w>"', 7, 5],
    ["a(?=b)", 'the look-ahead "(?=b)"', 1, 5],
    ["a(?!b)", 'the look-ahead "(?!b)"', 1, 5],
    ["(?<=a)b", 'the look-behind "(?<=a)"', 0, 6],
    ["(?<!a)b", 'the look-behind "(?<!a)"', 0, 6],
    [
      "^(ab){0,1005}$",
      'the count in "(ab){0,1005}" on a capturing group (RE2 repeats an item at most 1,000 times)',
      1,
      12,
    ],
    ["(?m:^a$)", 'the m (multiline) modifier in "(?m:…)"', 2, 1],
    ["(?<café>x)", 'the group name "café"', 0, 10],
    ["\\p{Script=Grek}", 'the script alias "Grek" in "\\p{Script=Grek}"', 0, 15],
    [
      "\\p{Script_Extensions=Greek}",
      'the property "Script_Extensions" in "\\p{Script_Extensions=Greek}"',
      0,
      27,
    ],
  ])("%j: %s", (pattern, message, offset, length) => {
    expect(translate(pattern)).toMatchObject({
      ok: false,
      problem: { kind: "unsupported", message, offset, length },
    });
  });

  it("reports RE2's size limits over the whole pattern", () => {
    expect(compilePattern("(?:(?:a{100}){100}){100}")).toMatchObject({
      ok: false,
      problem: { kind: "unsupported", offset: 0, length: 24 },
    });
    const deep = `${"(".repeat(6_000)}a${")".repeat(6_000)}`;
    expect(compilePattern(deep)).toMatchObject({ ok: false, problem: { kind: "unsupported", offset: 0 } });
  });

  it("checkPattern (what validate asks) agrees with compiling, near every limit", () => {
    const patterns = [
      "(?:(?:a{100}){100}){100}",
      "(?:a{30}){34}",
      "(?:a{30}){33}",
      "(?:(?:[a-z]{10}){10}){10}",
      "(?:(?:[a-z]{10}){10}){11}",
      "x{1000}{2}",
      "(?:x{999}){1}",
      `${"(".repeat(299)}a${")".repeat(299)}`,
      `${"(".repeat(400)}a${")".repeat(400)}`,
      `${"(?:".repeat(999)}a${")".repeat(999)}`,
      `${"(?:".repeat(1001)}a${")".repeat(1001)}`,
      `(?i:${"[a-z\\u0100-\\u017f]".repeat(300)})`,
      `${"[\\p{L}\\p{N}]".repeat(500)}`,
      "(?:a|b{2,1000}){1000}",
      "a{2,1005}",
      "(?:a{2,1005}){2}",
    ];
    for (const pattern of patterns) {
      // Checked first: compiling fills the cache checkPattern would otherwise answer from.
      const checked = checkPattern(pattern);
      const compiled = compilePattern(pattern);
      expect(checked, pattern).toEqual(compiled.ok ? undefined : compiled.problem);
    }
  });

  it("checkPattern agrees with compiling on random counted patterns", () => {
    const count = fc.tuple(fc.integer({ min: 0, max: 1200 }), fc.integer({ min: 0, max: 1200 }));
    const counted = fc
      .array(fc.tuple(fc.constantFrom("a", "[a-z]", "(?:ab|c)", "\\s", "."), count), {
        minLength: 1,
        maxLength: 3,
      })
      .map((parts) =>
        parts.reduce(
          (inner, [atom, [x, y]]) => `(?:${inner}${atom}){${Math.min(x, y)},${Math.max(x, y)}}`,
          "",
        ),
      );
    fc.assert(
      fc.property(counted, (pattern) => {
        const checked = checkPattern(pattern);
        const compiled = compilePattern(pattern);
        expect(checked).toEqual(compiled.ok ? undefined : compiled.problem);
      }),
      { seed: 20261205, numRuns: 200 },
    );
  });

  it("never throws, whatever the text", () => {
    for (const pattern of [
      "\\",
      "[",
      "(?",
      "a{2,1}",
      "\u0000",
      "\ud800",
      "(?<",
      "\\u{110000}",
      "x{1000}{2}",
    ]) {
      expect(() => compilePattern(pattern)).not.toThrow();
    }
  });
});
