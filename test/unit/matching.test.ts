import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compile } from "../../src/expr/compile.js";
import { functions } from "../../src/expr/functions/index.js";
import { parse } from "../../src/expr/parser.js";
import { parseCsv } from "../../src/io/csv.js";
import { blockingKeys } from "../../src/matching/blocking.js";
import { findMatches, type CompiledRule, type MatchRecord } from "../../src/matching/engine.js";

const options = { functions, context: { lookup: () => null } };
function rule(name: string, when: string, confidence: number, withKeys = true): CompiledRule {
  const parsed = parse(when);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return {
    name,
    confidence,
    when: compile(parsed.node, options),
    keys: withKeys ? blockingKeys(parsed.node).map((k) => compile(k, options)) : [],
  };
}

// FEBRL dataset 1 (see test/fixtures/data/README.md): every field after the first starts with a space.
const febrl: MatchRecord[] = [
  ...parseCsv([readFileSync(new URL("../fixtures/data/febrl1.csv", import.meta.url), "utf8")]),
].map(({ record }) => {
  const row = Object.fromEntries(
    Object.entries(record).map(([k, v]) => [k.trim(), typeof v === "string" ? v.trim() || null : v]),
  );
  return { source: "febrl", id: String(row.rec_id), row };
});
const rulesText: [string, string, number][] = [
  ["ssn", "soc_sec_id == other.soc_sec_id", 0.99],
  ["name_dob", "lower(surname) == lower(other.surname) and date_of_birth == other.date_of_birth", 0.95],
  [
    "fuzzy_name_postcode",
    "postcode == other.postcode and jaro_winkler(given_name, other.given_name) >= 0.85",
    0.9,
  ],
];

describe("blocking keys", () => {
  it("come from equality conjuncts of the same expression on both records", () => {
    const keys = (text: string) => {
      const p = parse(text);
      return p.ok ? blockingKeys(p.node).map((k) => JSON.stringify(k.span)) : [];
    };
    expect(keys("lower(email) == lower(other.email)")).toEqual(['{"start":0,"end":12}']);
    expect(keys("a == other.a and jaro_winkler(b, other.b) > 0.9")).toEqual(['{"start":0,"end":1}']);
    expect(keys("lower(email) == upper(other.email)")).toEqual([]);
    expect(keys("a == other.a or b == other.b")).toEqual([]);
    expect(keys("jaro_winkler(a, other.a) > 0.9")).toEqual([]);
  });
});

describe("findMatches", () => {
  it("finds on FEBRL exactly the pairs that comparing every pair finds, comparing far fewer", () => {
    const settings = { blocking: [], autoApprove: 0.97, queue: 0.85, merge: [], neverMerge: [] };
    const blocked = findMatches(febrl, { ...settings, rules: rulesText.map(([n, w, c]) => rule(n, w, c)) });
    const all = findMatches(febrl, {
      ...settings,
      rules: rulesText.map(([n, w, c]) => rule(n, w, c, false)),
    });
    expect(all.compared).toBe((febrl.length * (febrl.length - 1)) / 2);
    expect(blocked.matches).toEqual(all.matches);
    expect(blocked.compared).toBeLessThan(all.compared / 100);
    expect(blocked.matches.length).toBeGreaterThan(300);
  });

  it("never matches two records that both lack the value, and applies manual decisions", () => {
    const records: MatchRecord[] = [
      { source: "crm", id: "1", row: { email: null } },
      { source: "crm", id: "2", row: { email: null } },
      { source: "crm", id: "3", row: { email: "a@b.io" } },
      { source: "billing", id: "4", row: { email: "A@B.IO" } },
    ];
    const rules = [rule("email", "lower(email) == lower(other.email)", 0.98)];
    const base = { rules, blocking: [], autoApprove: 0.97, queue: 0.85, merge: [], neverMerge: [] };
    expect(findMatches(records, base).matches).toEqual([
      {
        a: { source: "crm", id: "3" },
        b: { source: "billing", id: "4" },
        score: 0.98,
        rules: ["email"],
        decision: "merge",
      },
    ]);
    const decided = findMatches(records, { ...base, merge: [[0, 1]], neverMerge: [[2, 3]] });
    expect(decided.matches).toEqual([
      {
        a: { source: "crm", id: "1" },
        b: { source: "crm", id: "2" },
        score: 1,
        rules: ["decision:merge"],
        decision: "merge",
      },
    ]);
  });

  it("blocks numbers and numeric text together, as == compares them", () => {
    const records: MatchRecord[] = [
      { source: "s", id: "1", row: { n: 42 } },
      { source: "s", id: "2", row: { n: "042" } },
    ];
    const result = findMatches(records, {
      rules: [rule("n", "n == other.n", 0.9)],
      blocking: [],
      autoApprove: 0.95,
      queue: 0.85,
      merge: [],
      neverMerge: [],
    });
    expect(result.matches.map((m) => m.decision)).toEqual(["queue"]);
  });
});
