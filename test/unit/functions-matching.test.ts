import { describe, expect, it } from "vitest";
import { compileExpression } from "../../src/expr/expression.js";
import type { CallContext } from "../../src/expr/function-def.js";
import { doubleMetaphone } from "../../src/expr/functions/double-metaphone.js";
import { functions } from "../../src/expr/functions/index.js";
import { sift4Distance } from "../../src/expr/functions/matching.js";
import { caller, caseTable } from "./function-helpers.js";

const ctx: CallContext = { lookup: () => null };

const call = caller(ctx);
const table = caseTable(call);

const long = "a".repeat(10_001);
const atCap = "a".repeat(10_000);
// 10,000 emoji are 20,000 UTF-16 units but only 10,000 code points: within the cap.
const emojiAtCap = "🙂".repeat(10_000);

table("levenshtein_similarity", [
  ["levenshtein_similarity", ["", ""], 1],
  ["levenshtein_similarity", ["abc", "abc"], 1],
  ["levenshtein_similarity", ["abc", ""], 0],
  ["levenshtein_similarity", ["", "abc"], 0],
  ["levenshtein_similarity", ["abc", "xyz"], 0],
  ["levenshtein_similarity", ["Ann", "ann"], 1 - 1 / 3],
  ["levenshtein_similarity", ["🙂👍", "🙂"], 0.5],
  // Precomposed é is one code point; decomposed e + ◌́ is two.
  ["levenshtein_similarity", ["\u00e9", "e\u0301"], 0],
  ["levenshtein_similarity", [12, "12"], 1],
  ["levenshtein_similarity", [["a"], "a"], null],
  ["levenshtein_similarity", [long, "a"], null],
  ["levenshtein_similarity", [atCap, atCap], 1],
]);

table("sift4", [
  ["sift4", ["", ""], 0],
  ["sift4", ["", "abc"], 3],
  ["sift4", ["abc", ""], 3],
  ["sift4", ["abc", "abc"], 0],
  ["sift4", ["kitten", "sitting"], 3],
  ["sift4", ["Ann", "ann"], 1],
  ["sift4", ["abcdef", "xabcdef"], 1],
  ["sift4", ["abcdef", "xabcdef", 0], 7],
  ["sift4", ["abcdef", "xabcdef", "2"], 1],
  ["sift4", ["🙂a", "a"], 1],
  ["sift4", ["abc", "abc", -1], null],
  ["sift4", ["abc", "abc", 1.5], null],
  ["sift4", ["abc", "abc", "x"], null],
  ["sift4", [long, "a"], null],
  ["sift4", [emojiAtCap, emojiAtCap], 0],
  ["sift4", ["abc", "abc", 1e9], 0],
]);

describe("sift4Distance", () => {
  const cp = (s: string) => Array.from(s, (c) => c.codePointAt(0) ?? 0);
  it("is symmetric on a few pairs and never more than the longer length", () => {
    const pairs = [
      ["martha", "marhta"],
      ["dixon", "dicksonx"],
      ["jellyfish", "smellyfish"],
      ["", "x"],
    ] as const;
    for (const [a, b] of pairs) {
      const d = sift4Distance(cp(a), cp(b), 5);
      expect(d).toBe(sift4Distance(cp(b), cp(a), 5));
      expect(d).toBeLessThanOrEqual(Math.max(a.length, b.length));
    }
  });
});

table("double_metaphone", [
  ["double_metaphone", ["Smith"], "SM0"],
  ["double_metaphone", ["smith"], "SM0"],
  ["double_metaphone", ["Schmidt"], "XMT"],
  ["double_metaphone", ["Schneider"], "XNTR"],
  ["double_metaphone", ["Snider"], "SNTR"],
  // The primary code keeps the P; the original rules have no silent-P exception for "mps".
  ["double_metaphone", ["Thompson"], "TMPS"],
  ["double_metaphone", ["Thomas"], "TMS"],
  ["double_metaphone", ["Nguyen"], "NKN"],
  ["double_metaphone", ["Knight"], "NT"],
  ["double_metaphone", ["Wright"], "RT"],
  ["double_metaphone", ["Xavier"], "SF"],
  ["double_metaphone", ["Michael"], "MKL"],
  ["double_metaphone", ["Chemistry"], "KMST"],
  ["double_metaphone", ["Caesar"], "SSR"],
  ["double_metaphone", ["Czerny"], "SRN"],
  ["double_metaphone", ["Bacci"], "PX"],
  ["double_metaphone", ["Accident"], "AKST"],
  ["double_metaphone", ["Edge"], "AJ"],
  ["double_metaphone", ["Edgar"], "ATKR"],
  ["double_metaphone", ["Hugh"], "H"],
  ["double_metaphone", ["Laugh"], "LF"],
  ["double_metaphone", ["Gallegos"], "KLKS"],
  ["double_metaphone", ["Jose"], "HS"],
  ["double_metaphone", ["Sugar"], "XKR"],
  ["double_metaphone", ["Schooner"], "SKNR"],
  ["double_metaphone", ["Breaux"], "PR"],
  ["double_metaphone", ["Zhao"], "J"],
  ["double_metaphone", ["Filipowicz"], "FLPT"],
  ["double_metaphone", ["Campbell"], "KMPL"],
  ["double_metaphone", ["Jankelowicz"], "JNKL"],
  ["double_metaphone", ["Psychology"], "SXLJ"],
  ["double_metaphone", ["Mac Gregor"], "MKRK"],
  // Accents are removed, except on Ç and Ñ which the algorithm encodes itself; ß is SS.
  ["double_metaphone", ["Zoë"], "S"],
  ["double_metaphone", ["Müller"], "MLR"],
  ["double_metaphone", ["Façade"], "FST"],
  ["double_metaphone", ["Peña"], "PN"],
  ["double_metaphone", ["Straße"], "STRS"],
  ["double_metaphone", ["  Smith  "], "SM0"],
  ["double_metaphone", [""], null],
  ["double_metaphone", ["42"], null],
  ["double_metaphone", ["H"], null],
  ["double_metaphone", ["Nguyễn"], "NKN"],
  ["double_metaphone", ["🙂"], null],
  ["double_metaphone", [long], null],
]);

describe("doubleMetaphone", () => {
  it("never exceeds four characters, even on long text", () => {
    expect(doubleMetaphone("Bartholomew Featherstonehaugh")).toHaveLength(4);
    expect(doubleMetaphone(atCap)).toBe("A");
  });
});

table("first_token", [
  ["first_token", ["Ann Lee"], "ann"],
  ["first_token", ["\t\u00a0ANN\nLee"], "ann"],
  ["first_token", ["Dr. Ann"], "dr"],
  ["first_token", ["«Zoë»"], "zoë"],
  ["first_token", ["... Ann"], "ann"],
  ["first_token", ["O'Brien-Smith Jr"], "o'brien-smith"],
  ["first_token", ["İstanbul"], "i̇stanbul"],
  ["first_token", ["🙂 Ann"], "ann"],
  ["first_token", [""], null],
  ["first_token", ["  "], null],
  ["first_token", [42], "42"],
  ["first_token", [long], null],
]);

table("normalize_name", [
  ["normalize_name", ["Zoë O'Brien-Smith"], "zoe obrien-smith"],
  ["normalize_name", ["  JOSÉ   MARÍA\tNGUYỄN\n"], "jose maria nguyen"],
  ["normalize_name", ["Søren Łukasz"], "soren lukasz"],
  ["normalize_name", ["ẞtraße"], "sstrasse"],
  ["normalize_name", ["J.R.R. Tolkien"], "jrr tolkien"],
  ["normalize_name", ["Ann & Lee (Pty) Ltd."], "ann lee pty ltd"],
  ["normalize_name", ["İpek"], "ipek"],
  ["normalize_name", [""], ""],
  ["normalize_name", ["  "], ""],
  ["normalize_name", [7], "7"],
  ["normalize_name", [long], null],
]);

table("normalize_email", [
  ["normalize_email", ["Ann@Example.COM"], "ann@example.com"],
  ["normalize_email", ["  ann.lee+promo@example.com\n"], "ann.lee@example.com"],
  ["normalize_email", ["A.n.N+x+y@gmail.com"], "ann@gmail.com"],
  ["normalize_email", ["ann.lee@GoogleMail.com"], "annlee@googlemail.com"],
  ["normalize_email", ["ann.lee@mail.gmail.com"], "ann.lee@mail.gmail.com"],
  ["normalize_email", ["ann"], null],
  ["normalize_email", ["a@b@c.com"], null],
  ["normalize_email", ["@example.com"], null],
  ["normalize_email", ["+tag@example.com"], null],
  ["normalize_email", ["ann@"], null],
  ["normalize_email", [""], null],
  ["normalize_email", [long], null],
]);

table("normalize_phone", [
  ["normalize_phone", ["0412 345 678", "AU"], "+61412345678"],
  ["normalize_phone", ["+61 2 9374 4000"], "+61293744000"],
  ["normalize_phone", ["0412 345 678"], null],
  ["normalize_phone", ["0412 345 678", "UK"], null],
  ["normalize_phone", ["not a number"], null],
]);

describe("normalize_phone", () => {
  it("agrees with to_e164", () => {
    for (const [text, country] of [
      ["0412 345 678", "AU"],
      ["020 7946 0958", "GB"],
      ["123", undefined],
    ] as const) {
      expect(call("normalize_phone", text, country)).toBe(call("to_e164", text, country));
    }
  });
});

describe("in expressions", () => {
  it.each([
    ["normalize_name(null)", null],
    ['sift4("abc", null)', null],
    ['double_metaphone(lower("SMITH")) == double_metaphone("Smyth")', true],
    ['levenshtein_similarity(normalize_name("Zoë"), normalize_name("ZOE"))', 1],
    ['normalize_phone("0412 345 678", default_country="AU")', "+61412345678"],
  ] as const)("%s = %j", (expr, result) => {
    const compiled = compileExpression(expr, { fields: new Map(), functions, context: ctx });
    if (!compiled.ok) throw new Error(compiled.errors.map((e) => e.message).join("; "));
    expect(compiled.expression.evaluate({})).toEqual(result);
  });
});
