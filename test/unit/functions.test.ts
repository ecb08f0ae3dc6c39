import { describe, expect, it } from "vitest";
import type { CallContext, FunctionDef } from "../../src/expr/function-def.js";
import { functions } from "../../src/expr/functions/index.js";
import type { Value } from "../../src/expr/types.js";
import { caller, caseTable } from "./function-helpers.js";

const tables: Record<string, Record<string, Record<string, Value>>> = {
  countries: { AU: { name: "Australia", region: "Oceania" }, "42": { name: "Answer", region: "Nowhere" } },
};
const ctx: CallContext = {
  lookup: (table, key, column) => {
    const row = tables[table]?.[key];
    return row === undefined ? null : (row[column ?? "name"] ?? null);
  },
};

function def(name: string): FunctionDef {
  const fn = functions.get(name);
  if (fn === undefined) throw new Error(`no function ${name}`);
  return fn;
}
const call = caller(ctx);
const table = caseTable(call);

const SPEC_FUNCTIONS = [
  "lower", "upper", "trim", "collapse_whitespace", "title_case", "replace", "regex_replace", "regex_extract",
  "substring", "length", "concat", "coalesce", "nullif", "digits_only", "strip_accents", "to_e164", "e164",
  "phone_country", "is_email", "email_domain", "to_date", "to_datetime", "to_number", "round", "sha256",
  "levenshtein", "jaro_winkler", "jaccard", "soundex", "lookup",
]; // prettier-ignore

describe("the registry", () => {
  it("has every function SPEC section 4 names", () => {
    expect(SPEC_FUNCTIONS.filter((name) => !functions.has(name))).toEqual([]);
  });

  it("is sorted by name, and each entry is filed under its own name", () => {
    const names = [...functions.keys()];
    expect(names).toEqual([...names].sort());
    for (const [name, fn] of functions) expect(fn.name).toBe(name);
  });

  it.each([...functions.values()])("$name is documented and well-formed", (fn) => {
    expect(fn.description).not.toMatch(/\n/);
    expect(fn.description).toMatch(/\.$/);
    expect(fn.examples.length).toBeGreaterThanOrEqual(2);
    const firstOptional = fn.params.findIndex((p) => p.optional === true);
    if (firstOptional >= 0) expect(fn.params.slice(firstOptional).every((p) => p.optional)).toBe(true);
    if (fn.variadic) expect(fn.params.some((p) => p.optional)).toBe(false);
    for (const example of fn.examples) expect(example.expr).toContain(`${fn.name}(`);
  });

  it("lets only the functions whose job is null handle null themselves", () => {
    const handling = [...functions.values()].filter((fn) => fn.acceptsNull).map((fn) => fn.name);
    expect(handling).toEqual(["coalesce", "concat", "equal_or_null", "is_blank", "nullif"]);
  });
});

table("text", [
  ["lower", ["ZOË José"], "zoë josé"],
  ["lower", [""], ""],
  ["lower", [42], "42"],
  ["upper", ["straße 🙂"], "STRASSE 🙂"],
  ["upper", [true], "TRUE"],
  ["upper", [["a"]], null],
  ["trim", ["\u00a0\t Ann \n"], "Ann"],
  ["trim", [" 🙂 "], "🙂"],
  ["collapse_whitespace", [" a \t\n b\u00a0\u00a0c "], "a b c"],
  ["collapse_whitespace", ["\n\n"], ""],
  ["title_case", ["o'brien-smith"], "O'Brien-Smith"],
  ["title_case", ["ZOË  d’ARCY\tjean-luc"], "Zoë  D’Arcy\tJean-Luc"],
  ["title_case", ["nguyễn văn an"], "Nguyễn Văn An"],
  ["title_case", ["émile 2nd"], "Émile 2nd"],
  ["title_case", [""], ""],
  ["strip_accents", ["Nguyễn Thị Ánh"], "Nguyen Thi Anh"],
  ["strip_accents", ["Zoë Ærøskøbing Đorđe Łódź Straße"], "Zoe AEroskobing Dorde Lodz Strasse"],
  ["strip_accents", ["e\u0301"], "e"],
  ["strip_accents", ["한국 🙂"], "한국 🙂"],
  ["digits_only", ["+61 (0)4-12"], "610412"],
  ["digits_only", ["٤٢"], ""],
  ["digits_only", [412345678], "412345678"],
  ["to_string", [-0], "0"],
  ["to_string", [1e21], "1e+21"],
  ["to_string", [NaN], null],
  ["is_blank", [null], true],
  ["is_blank", ["\u00a0\n"], true],
  ["is_blank", [[]], true],
  ["is_blank", [0], false],
  ["is_blank", [false], false],
  ["is_blank", ["🙂"], false],
]);

table("substrings", [
  ["length", ["Zoë"], 3],
  ["length", ["🙂👍🏽"], 3],
  ["length", [""], 0],
  ["length", [12345], 5],
  ["length", [[1, [2, 3]]], 2],
  ["substring", ["🙂abc", 2, 2], "ab"],
  ["substring", ["abc", -1, 3], "a"],
  ["substring", ["abc", 4], ""],
  ["substring", ["abc", 2, 0], ""],
  ["substring", ["abc", 1, -1], null],
  ["substring", ["abc", 1.5], null],
  ["substring", [20240501, 5, 2], "05"],
  ["left", ["Zoë", 3], "Zoë"],
  ["left", ["abc", 0], ""],
  ["left", ["abc", -1], null],
  ["right", ["a🙂", 1], "🙂"],
  ["pad_left", [7, 3, "0"], "007"],
  ["pad_left", ["x", 4, "ab"], "abax"],
  ["pad_left", ["x", 3, ""], null],
  ["pad_left", ["x", 1e9], null],
  ["pad_right", ["é", 2, "🙂"], "é🙂"],
  ["split_part", ["a,,b", ",", 2], ""],
  ["split_part", ["a,b", "", 1], "a,b"],
  ["split_part", ["a,b", ",", 0], null],
  ["split_part", ["a,b,c", ",", -3], "a"],
  ["split_part", ["a,b,c", ",", -4], ""],
  ["starts_with", ["Zoë", ""], true],
  ["starts_with", [6141, 61], true],
  ["ends_with", ["Zoë", "ë"], true],
  ["contains", ["José", "sé"], true],
  ["contains", ["José", "SE"], false],
  ["replace", ["a$b", "$", "$&$&"], "a$&$&b"],
  ["replace", ["aaa", "a", "aa"], "aaaaaa"],
  ["replace", ["abc", "", "x"], "abc"],
  ["concat", [], ""],
  ["concat", [null, null], ""],
  ["concat", ["a", 1, false, null], "a1false"],
  ["concat", ["a", ["b"]], null],
]);

table("regular expressions", [
  ["regex_replace", ["a1b22", "\\d", "#"], "a#b##"],
  ["regex_replace", ["Zoë Zoë", "ë", "e"], "Zoe Zoe"],
  ["regex_replace", ["🙂🙂", "^.", "x"], "x🙂"],
  ["regex_replace", ["abc", "(", "x"], null],
  ["regex_replace", ["aaaa", "^(a+)+$", "x"], "x"],
  ["regex_replace", ["abc", "", "-"], "-a-b-c-"],
  ["regex_extract", ["ref: AB-12", "([A-Z]+)-(\\d+)"], "AB"],
  ["regex_extract", ["ref: AB-12", "([A-Z]+)-(\\d+)", 0], "AB-12"],
  ["regex_extract", ["ref: AB-12", "([A-Z]+)-(\\d+)", 3], null],
  ["regex_extract", ["ab", "a(x)?b"], null],
  ["regex_extract", ["Nguyễn", "\\p{L}+$"], "Nguyễn"],
  ["regex_matches", ["12345", "^\\d{5}$"], true],
  ["regex_matches", ["1234", "^\\d{5}$"], false],
  ["regex_matches", [12345, "^\\d{5}$"], true],
]);

describe("regex patterns", () => {
  it("are compiled once per pattern, and matching state does not leak between calls", () => {
    for (let i = 0; i < 3; i++) expect(call("regex_replace", "a-a", "a", "b")).toBe("b-b");
    expect(call("regex_matches", "xay", "a")).toBe(true);
    expect(call("regex_matches", "xay", "a")).toBe(true);
  });
});

table("e-mail", [
  ["is_email", ["ann@example.com"], true],
  ["is_email", ["Ann.O'Brien+x@mail.example.co.uk"], true],
  ["is_email", ["ann@example"], false],
  ["is_email", ["ann..lee@example.com"], false],
  ["is_email", ["ann@-example.com"], false],
  ["is_email", ["zoë@example.com"], false],
  ["is_email", [""], false],
  ["is_email", [`${"a".repeat(65)}@example.com`], false],
  ["is_email", [`a@${"b".repeat(300)}.com`], false],
  ["is_email", [42], false],
  ["email_domain", ["ann@Mail.Example.com"], "mail.example.com"],
  ["email_domain", ["@example.com"], null],
]);

table("phone numbers", [
  ["to_e164", ["0412 345 678", "AU"], "+61412345678"],
  ["to_e164", ["0412 345 678", "au"], "+61412345678"],
  ["to_e164", ["+61 2 9374 4000"], "+61293744000"],
  ["to_e164", ["(02) 9374 4000", "AU"], "+61293744000"],
  ["to_e164", ["123", "AU"], null],
  ["to_e164", ["0412 345 678"], null],
  ["to_e164", ["0412 345 678", "UK"], null],
  ["to_e164", ["020 7946 0958", "GB"], "+442079460958"],
  ["to_e164", ["+44 20 7946 0958", "AU"], "+442079460958"],
  ["to_e164", ["+49 10 12345678"], null],
  ["to_e164", [412345678, "AU"], "+61412345678"],
  ["to_e164", ["", "AU"], null],
  ["to_e164", ["not a phone 🙂", "AU"], null],
  ["e164", ["0412 345 678", "AU"], "+61412345678"],
  ["phone_country", ["+1 212 555 0100"], "US"],
  ["phone_country", ["+61 2 9374 4000", "GB"], "AU"],
  ["phone_country", ["123"], null],
]);

table("dates", [
  ["to_date", ["2024-02-29"], "2024-02-29"],
  ["to_date", ["2023-02-29"], null],
  ["to_date", ["2023-02-30"], null],
  ["to_date", ["1900-02-29"], null],
  ["to_date", ["2000-02-29"], "2000-02-29"],
  ["to_date", ["2024-13-01"], null],
  ["to_date", [" 1/5/2024 "], "2024-05-01"],
  ["to_date", ["01.05.2024"], "2024-05-01"],
  ["to_date", ["01-05/2024"], null],
  ["to_date", ["0001-01-01"], "0001-01-01"],
  ["to_date", ["0000-01-01"], null],
  ["to_date", ["2024-05-01T10:00:00Z"], "2024-05-01"],
  ["to_date", ["2024-05-01 nonsense"], null],
  ["to_date", ["20240501"], null],
  ["to_date", ["20240501", "YYYYMMDD"], "2024-05-01"],
  ["to_date", ["2024051", "YYYYMMDD"], null],
  ["to_date", ["12/31/2024", "MM/DD/YYYY"], "2024-12-31"],
  ["to_date", ["31/12/2024", "MM/DD/YYYY"], null],
  ["to_date", ["2024-05-01", "DD/MM/YY"], null],
  ["to_date", ["May 1, 2024"], null],
  ["to_date", [""], null],
  ["to_datetime", ["2024-05-01T10:00:00Z"], "2024-05-01T10:00:00Z"],
  ["to_datetime", ["2024-05-01T10:00:00.987654+05:30"], "2024-05-01T04:30:00Z"],
  ["to_datetime", ["2024-05-01t10:00z"], "2024-05-01T10:00:00Z"],
  ["to_datetime", ["2024-03-01T01:00:00+0200"], "2024-02-29T23:00:00Z"],
  ["to_datetime", ["2024-12-31T23:00:00-02"], "2025-01-01T01:00:00Z"],
  ["to_datetime", ["31/12/2024 23:59:59"], "2024-12-31T23:59:59Z"],
  ["to_datetime", ["2024-05-01T10:60:00Z"], null],
  ["to_datetime", ["2024-05-01T10:00:00+24:00"], null],
  ["to_datetime", ["0001-01-01T00:30:00+01:00"], null],
  ["to_datetime", ["9999-12-31T23:00:00-01:00"], null],
  ["year", ["2024-05-01T23:30:00-05:00"], 2024],
  ["year", ["1/5/0999"], 999],
  ["month", ["2024-02-30"], null],
  ["day", ["2024-05-07"], 7],
  ["age_years", ["2000-02-29", "2024-02-28"], 23],
  ["age_years", ["2000-02-29", "2024-02-29"], 24],
  ["age_years", ["2000-02-29", "2023-03-01"], 23],
  ["age_years", ["2024-05-02", "2024-05-01"], 0],
  ["age_years", ["2024-05-01", "1990-05-02"], -33],
  ["age_years", ["1990-05-01", "not a date"], null],
  ["days_between", ["2023-12-31", "2024-12-31"], 366],
  ["days_between", ["0001-01-01", "9999-12-31"], 3652058],
  ["days_between", ["2024-05-01T23:59:00Z", "2024-05-02T00:01:00Z"], 1],
]);

table("numbers", [
  ["to_number", ["12"], 12],
  ["to_number", ["+.5"], 0.5],
  ["to_number", ["-0"], 0],
  ["to_number", ["1e400"], null],
  ["to_number", ["Infinity"], null],
  ["to_number", ["0x1F"], null],
  ["to_number", ["12 kg"], null],
  ["to_number", [""], null],
  ["to_number", [true], null],
  ["to_number", [NaN], null],
  ["round", [-0.4], 0],
  ["round", [0.5], 1],
  ["round", [-0.5], -1],
  ["round", [2.675, 2], 2.68],
  ["round", [-1.005, 2], -1.01],
  ["round", ["3.14159", "3"], 3.142],
  ["round", [1.23, 16], null],
  ["round", [1.23, 1.5], null],
  ["round", [1e300, 10], 1e300],
  ["round", [1.5e-7, 6], 0],
  ["abs", [-0], 0],
  ["min", [2, "-1", 3], -1],
  ["min", [1, [0]], null],
  ["min", [], null],
  ["max", [-1e308, 1e308], 1e308],
]);

table("similarity", [
  ["levenshtein", ["", ""], 0],
  ["levenshtein", ["flaw", "lawn"], 2],
  ["levenshtein", ["🙂a", "a"], 1],
  ["levenshtein", ["Nguyễn", "Nguyen"], 1],
  ["levenshtein", [1234, 1243], 2],
  ["levenshtein", ["a".repeat(10_001), "a"], null],
  ["jaro_winkler", ["", ""], 1],
  ["jaro_winkler", ["", "a"], 0],
  ["jaro_winkler", ["CRATE", "TRACE"], 0.7333333333333334],
  ["jaro_winkler", ["DWAYNE", "DUANE"], 0.8400000000000001],
  ["jaro_winkler", ["a", "b"], 0],
  ["jaccard", ["", ""], 1],
  ["jaccard", ["Zoë Lee", "zoë lee"], 0],
  ["jaccard", ["a b", ""], 0],
  ["jaccard", ["O'Brien St.", "obrien st"], 0],
  [
    "jaccard",
    [
      ["a", 1],
      ["1", "a"],
    ],
    1,
  ],
  ["jaccard", [["a", ["b"]], ["a"]], null],
  ["soundex", ["Rupert"], "R163"],
  ["soundex", ["Rubin"], "R150"],
  ["soundex", ["Tymczak"], "T522"],
  ["soundex", ["Pfister"], "P236"],
  ["soundex", ["Honeyman"], "H555"],
  ["soundex", ["O'Brien"], "O165"],
  ["soundex", ["Łukasz"], "U220"],
  ["soundex", ["🙂"], null],
]);

describe("similarity at scale", () => {
  it("handles inputs at the cap quickly and with little memory", () => {
    const a = "ab".repeat(2500);
    const b = "ba".repeat(2500);
    const started = performance.now();
    expect(call("levenshtein", a, b)).toBe(2);
    expect(call("jaro_winkler", a, b)).toBeGreaterThan(0.8);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

table("nulls, lookups and hashing", [
  ["coalesce", [], null],
  ["coalesce", [null, 0, 1], 0],
  ["coalesce", [null, false], false],
  ["nullif", [null, null], null],
  ["nullif", ["", ""], null],
  [
    "nullif",
    [
      [1, 2],
      [1, 2],
    ],
    null,
  ],
  ["nullif", [0, false], 0],
  ["nullif", ["x", null], "x"],
  ["lookup", ["countries", "AU"], "Australia"],
  ["lookup", ["countries", "AU", "region"], "Oceania"],
  ["lookup", ["countries", 42], "Answer"],
  ["lookup", ["countries", "NZ"], null],
  ["lookup", ["countries", ["AU"]], null],
  ["sha256", ["Zoë"], "c6a12698582fc1104ea24107a2d7268145ff06ef859707729d01fd060897f067"],
  ["sha256", [42], "73475cb40a568e8da8a045ced110137e159f890ac4da883b6b17dc651b3a8049"],
]);

it("lookup turns a failing table into null", () => {
  const failing: CallContext = {
    lookup: () => {
      throw new Error("table not loaded");
    },
  };
  expect(def("lookup").call(["countries", "AU"], failing)).toBeNull();
});
