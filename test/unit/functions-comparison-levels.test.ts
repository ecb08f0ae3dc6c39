import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CallContext } from "../../src/expr/function-def.js";
import { qgramSet, toCodePoints } from "../../src/expr/functions/similarity-algorithms.js";
import type { Value } from "../../src/expr/types.js";
import { caller, caseTable, evaluator } from "./function-helpers.js";

const ctx: CallContext = { lookup: () => null };
const call = caller(ctx);
const table = caseTable(call);
const evaluate = evaluator(ctx);

table("days_apart", [
  ["days_apart", ["2024-02-28", "2024-03-01"], 2],
  ["days_apart", ["2024-03-01", "2024-02-28"], 2],
  // 1900 was not a leap year, 2000 was.
  ["days_apart", ["1900-02-28", "1900-03-01"], 1],
  ["days_apart", ["2000-02-28", "2000-03-01"], 2],
  ["days_apart", ["1999-12-31", "2000-12-31"], 366],
  ["days_apart", ["1990-05-01", "1990-05-01T23:59:59+14:00"], 0],
  ["days_apart", ["3/4/1990", "1990-04-03"], 0],
  ["days_apart", ["2023-02-29", "2023-03-01"], null],
  ["days_apart", ["soon", "2023-03-01"], null],
  ["days_apart", [null, "2023-03-01"], null],
]);

table("dates_swapped", [
  ["dates_swapped", ["1990-03-04", "1990-04-03"], true],
  ["dates_swapped", ["1990-04-03", "1990-03-04"], true],
  ["dates_swapped", ["1990-03-04T08:00:00Z", "04/03/1990"], false],
  ["dates_swapped", ["1990-03-04T08:00:00Z", "4/3/1990"], false],
  ["dates_swapped", ["1990-03-04T08:00:00Z", "3/4/1990"], true],
  ["dates_swapped", ["1990-03-04", "1990-03-04"], false],
  ["dates_swapped", ["1990-12-12", "1990-12-12"], false],
  ["dates_swapped", ["1990-03-04", "1989-04-03"], false],
  ["dates_swapped", ["1990-03-04", "1990-03-05"], false],
  ["dates_swapped", ["1990-01-31", "1990-31-01"], null],
  ["dates_swapped", ["1990-03-04", null], null],
]);

table("equal_or_null", [
  ["equal_or_null", [null, null], true],
  ["equal_or_null", [null, "x"], true],
  ["equal_or_null", ["x", null], true],
  ["equal_or_null", ["x", "x"], true],
  ["equal_or_null", ["x", "X"], false],
  ["equal_or_null", ["", null], true],
  ["equal_or_null", ["", " "], false],
  ["equal_or_null", [12, "12"], true],
  ["equal_or_null", ["1.50", 1.5], true],
  ["equal_or_null", ["0x10", 16], false],
  ["equal_or_null", [true, "true"], false],
  [
    "equal_or_null",
    [
      [1, "2"],
      ["1", 2],
    ],
    true,
  ],
  ["equal_or_null", [[1], [1, 2]], false],
]);

// py_stringmatching's Jaccard documentation scores these token sets 0.5 and 1/3.
table("token_set_similarity", [
  ["token_set_similarity", ["data science", "data"], 0.5],
  ["token_set_similarity", ["data management", "data data science"], 1 / 3],
  ["token_set_similarity", ["John Smith", "smith john"], 1],
  ["token_set_similarity", ["JOHN  SMITH", "Smith, John."], 1],
  ["token_set_similarity", ["ÅSA Öberg", "åsa öberg"], 1],
  ["token_set_similarity", ["Ann Lee", "Bob"], 0],
  ["token_set_similarity", ["Ann Ann Lee", "Ann Lee"], 1],
  ["token_set_similarity", ["", ""], 1],
  ["token_set_similarity", ["", "Ann"], 0],
  ["token_set_similarity", ["Flat 3/12", "flat 12 3"], 1],
  ["token_set_similarity", ["東京 タワー", "タワー"], 0.5],
  ["token_set_similarity", [12, "12"], 1],
  ["token_set_similarity", [["Ann"], "Ann"], null],
  ["token_set_similarity", [null, "Ann"], null],
]);

table("qgram_similarity", [
  // database → #d da at ta ab ba as se e$ (py_stringmatching's QgramTokenizer example); databases shares 8 of 11.
  ["qgram_similarity", ["database", "databases"], 8 / 11],
  // #M MA AR RT TH HA A$ against #M MA AR RH HT TA A$: 4 shared of 10.
  ["qgram_similarity", ["MARTHA", "MARHTA"], 0.4],
  ["qgram_similarity", ["Ann", "Anne"], 0.5],
  ["qgram_similarity", ["ann", "ANN"], 0],
  ["qgram_similarity", ["a", "a"], 1],
  ["qgram_similarity", ["a", "b"], 0],
  ["qgram_similarity", ["ab", "ba"], 0],
  ["qgram_similarity", ["ab", "ba", 1], 1],
  // Sets, not multisets: a repeated gram counts once.
  ["qgram_similarity", ["aaaa", "aa"], 1],
  ["qgram_similarity", ["abc", "abd", 3], 0.25],
  ["qgram_similarity", ["abc", "abc", "3"], 1],
  ["qgram_similarity", ["🙂a", "a", 1], 0.5],
  ["qgram_similarity", ["", ""], 1],
  ["qgram_similarity", ["", "a"], 0],
  ["qgram_similarity", ["abc", "abc", 0], null],
  ["qgram_similarity", ["abc", "abc", 11], null],
  ["qgram_similarity", ["abc", "abc", 1.5], null],
  ["qgram_similarity", ["abc", ["abc"]], null],
]);

describe("q-grams", () => {
  it("are padded with q - 1 markers no text can contain", () => {
    const grams = (text: string, q: number) => [...qgramSet(toCodePoints(text), q)];
    expect(grams("database", 2)).toHaveLength(9);
    expect(grams("abc", 3)).toEqual(["-1,-1,97", "-1,97,98", "97,98,99", "98,99,-2", "99,-2,-2"]);
    expect(grams("", 2)).toEqual([]);
  });
});

describe("the pair comparisons, on any texts", () => {
  const text = fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: "grapheme", maxLength: 30 }));

  it.each(["token_set_similarity", "qgram_similarity"])(
    "%s is symmetric, in [0, 1], and 1 on equal texts",
    (name) => {
      fc.assert(
        fc.property(text, text, fc.integer({ min: 1, max: 10 }), (a, b, q) => {
          const args = name === "qgram_similarity" ? [q] : [];
          const score = call(name, a, b, ...args) as number;
          expect(call(name, b, a, ...args)).toBe(score);
          expect(score).toBeGreaterThanOrEqual(0);
          expect(score).toBeLessThanOrEqual(1);
          expect(call(name, a, a, ...args)).toBe(1);
        }),
      );
    },
  );

  it("days_apart is symmetric and zero only on the same date; dates_swapped is symmetric", () => {
    const day = fc
      .date({
        min: new Date("1900-01-01T00:00:00Z"),
        max: new Date("2100-12-31T00:00:00Z"),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(day, day, (a, b) => {
        const apart = call("days_apart", a, b) as number;
        expect(call("days_apart", b, a)).toBe(apart);
        expect(apart === 0).toBe(a === b);
        // Against JavaScript's own calendar (proleptic Gregorian, UTC).
        expect(apart).toBe(Math.abs(Date.parse(a) - Date.parse(b)) / 86_400_000);
        expect(call("dates_swapped", a, b)).toBe(call("dates_swapped", b, a));
      }),
    );
  });

  it("equal_or_null agrees with == where == has an answer, and is true where it is null", () => {
    const value = fc.oneof(
      fc.constantFrom<Value>(null, "", "1", "1.0", "x", "X", 1, 1.5, true, "true"),
      fc.string({ maxLength: 4 }),
      fc.integer({ min: -3, max: 3 }),
    );
    fc.assert(
      fc.property(value, value, (a, b) => {
        const eq = evaluate("a == b", { a, b });
        expect(call("equal_or_null", a, b)).toBe(eq === null ? true : eq);
      }),
    );
  });
});

describe("in a dedup rule", () => {
  it("lets a missing value neither confirm nor refute", () => {
    const rule = "equal_or_null(dob, other.dob) and equal_or_null(email, other.email)";
    expect(evaluate(rule, { dob: "1990-03-04", email: null }, { dob: "1990-03-04", email: "a@x" })).toBe(
      true,
    );
    expect(evaluate(rule, { dob: "1990-03-04" }, { dob: "1990-04-03" })).toBe(false);
  });

  it("scores near-misses of a date of birth", () => {
    const level = "days_apart(dob, other.dob) <= 31 or dates_swapped(dob, other.dob)";
    expect(evaluate(level, { dob: "1990-03-04" }, { dob: "1990-04-03" })).toBe(true);
    expect(evaluate(level, { dob: "1990-03-04" }, { dob: "1990-06-04" })).toBe(false);
  });
});

describe("long texts", () => {
  it("give null past the 1,000,000-character cap and are scored up to it", () => {
    const long = "ab".repeat(500_000);
    expect(evaluate("qgram_similarity(x, 'ab')", { x: long + "a" })).toBeNull();
    expect(evaluate("token_set_similarity(x, 'ab')", { x: long + "a" })).toBeNull();
    expect(evaluate("qgram_similarity(x, 'ab')", { x: long })).toBe(0.75);
    expect(evaluate("token_set_similarity(x, 'AB')", { x: long.replace(/b/g, " ") })).toBe(0);
  });
});
