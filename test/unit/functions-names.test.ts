import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CallContext, ReferenceTable } from "../../src/expr/function-def.js";
import { functions } from "../../src/expr/functions/index.js";
import {
  buildNameIndex,
  bundledNames,
  foldName,
  parseNicknameList,
} from "../../src/expr/functions/nicknames.js";
import { caller, evaluator } from "./function-helpers.js";

const tables: Record<string, ReferenceTable> = {
  // A user's own list: Spanish forms, and a name the user wants kept apart from the bundled list's links.
  given: {
    columns: ["name", "canonical"],
    rows: [
      { name: "Guillermo", canonical: "William" },
      { name: "Memo", canonical: "Guillermo" },
      { name: "Bob", canonical: "Bob" },
    ],
  },
  loop: {
    columns: ["name", "canonical"],
    rows: [
      { name: "Yann", canonical: "Xavi" },
      { name: "Xavi", canonical: "Yann" },
      { name: "Zed", canonical: "Yann" },
    ],
  },
  messy: {
    columns: ["name", "canonical"],
    rows: [
      { name: "", canonical: "Ann" },
      { name: "Nan", canonical: "" },
      { name: "NANCY", canonical: "Anne" },
      { name: "nancy", canonical: "Ann" },
    ],
  },
};
const ctx: CallContext = {
  lookup: () => null,
  table: (name) => tables[name],
};
const noTables: CallContext = { lookup: () => null };

const call = caller(ctx);

describe("the bundled nickname list", () => {
  const pairs = parseNicknameList(
    readFileSync(new URL("../../data/nicknames/names.csv", import.meta.url), "utf8"),
  );

  it("is the release the NOTICE names, read whole (rows pinned from the file)", () => {
    expect(pairs).toHaveLength(2691);
    expect(pairs).toEqual(
      expect.arrayContaining([
        ["william", "bill"],
        ["bill", "william"],
        ["robert", "bill"],
        ["robert", "bob"],
        ["alexander", "alex"],
        ["alexandra", "alex"],
        ["elizabeth", "liz"],
      ]),
    );
  });

  it("ships in the npm package with its licence and notice", () => {
    const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
      cwd: new URL("../..", import.meta.url),
      encoding: "utf8",
    });
    const [pack] = JSON.parse(out) as { files: { path: string }[] }[];
    const paths = pack!.files.map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining(["data/nicknames/names.csv", "data/nicknames/LICENSE", "data/nicknames/NOTICE"]),
    );
  });

  it("rejects a file that is not the list instead of matching on part of it", () => {
    expect(() => parseNicknameList("first,second\n")).toThrow(/header/);
    expect(() => parseNicknameList("name1,relationship,name2\na,has_nickname\n")).toThrow(/malformed/);
    // Other relationships may come in later releases: skipped, not misread as nicknames.
    expect(
      parseNicknameList("name1,relationship,name2\nalexander,is_translation_of:en-sp,alejandro\n"),
    ).toEqual([]);
  });
});

describe("keys of a nickname list", () => {
  it("follow each nickname to a full name: the longer of the pair, whichever way the row is written", () => {
    const index = buildNameIndex([
      ["william", "bill"],
      ["bill", "william"],
      ["william", "will"],
    ]);
    expect(index.key.get("bill")).toBe("william");
    expect(index.key.get("will")).toBe("william");
    expect(index.key.get("william")).toBe("william");
  });

  it("take, of several full names, the one whose other names the nickname shares most", () => {
    const index = buildNameIndex([
      ["robert", "bob"],
      ["robert", "bill"],
      ["william", "bill"],
      ["william", "willy"],
      ["bill", "willy"],
    ]);
    // bill and william share willy; bill and robert share nothing.
    expect(index.key.get("bill")).toBe("william");
  });

  it("prefer a full name that is nobody's nickname, so a key does not wander through a chain", () => {
    const index = buildNameIndex([
      ["wilfred", "fred"],
      ["willie", "fred"],
      ["willie", "bill"],
      ["william", "willie"],
    ]);
    expect(index.key.get("willie")).toBe("william");
    expect(index.key.get("fred")).toBe("wilfred");
  });
});

describe("names_equivalent", () => {
  it.each([
    ["Bill", "William", true],
    ["Bill", "Billy", true],
    ["Bill", "Bob", false],
    ["William", "bill", true],
    ["Liz", "Elizabeth", true],
    // Both nicknames of Elizabeth, not of each other in the list: equal keys.
    ["Liz", "Beth", true],
    ["Alex", "Alexander", true],
    ["Alex", "Alexandra", true],
    ["Alexander", "Alexandra", false],
    // Billy is listed under Robert and William and keys to robert, Will to william: no link, no shared key.
    ["Billy", "Will", false],
    ["Fred", "William", false],
    ["JOSÉ", "jose", true],
    ["  Zoë ", "zoe", true],
    ["Mary Ann", "mary  ann", true],
    ["Xanthippe", "Xanthippe", true],
    ["Xanthippe", "Bill", false],
    ["", "", true],
    ["", "Ann", false],
    [12, "12", true],
  ] as const)("%j and %j: %j", (a, b, expected) => {
    expect(call("names_equivalent", a, b)).toBe(expected);
    expect(call("names_equivalent", b, a)).toBe(expected);
  });

  it.each([
    [null, "Ann"],
    ["Ann", null],
    [["Ann"], "Ann"],
  ])("is null for %j and %j", (a, b) => {
    expect(call("names_equivalent", a, b)).toBeNull();
  });

  it("adds a user's table to the list, and lets it overrule the list for the names it mentions", () => {
    expect(call("names_equivalent", "Guillermo", "William", "given")).toBe(true);
    // Through the list: bill's key is william, the table's key for william too.
    expect(call("names_equivalent", "GUILLERMO", "Bill", "given")).toBe(true);
    // A chain in the table is followed: memo → guillermo → william.
    expect(call("names_equivalent", "memo", "Billy", "given")).toBe(false);
    expect(call("names_equivalent", "memo", "Will", "given")).toBe(true);
    // The table keeps Bob to itself: the list's robert → bob no longer applies.
    expect(call("names_equivalent", "Bob", "Robert", "given")).toBe(false);
    expect(call("names_equivalent", "Bob", "Robert")).toBe(true);
    // Names the table does not mention keep the list's links.
    expect(call("names_equivalent", "Bill", "Billy", "given")).toBe(true);
  });

  it("is null when the table does not exist or the context has no tables", () => {
    expect(call("names_equivalent", "Bill", "William", "nope")).toBeNull();
    expect(functions.get("names_equivalent")!.call(["Bill", "William", "given"], noTables)).toBeNull();
    expect(functions.get("names_equivalent")!.call(["Bill", "William"], noTables)).toBe(true);
  });
});

describe("canonical_name", () => {
  it.each([
    ["Bill", "william"],
    ["WILLIAM", "william"],
    ["Will", "william"],
    ["Bob", "robert"],
    ["Robert", "robert"],
    ["Liz", "elizabeth"],
    ["Beth", "elizabeth"],
    ["Peggy", "margaret"],
    ["Jim", "james"],
    ["Fred", "wilfred"],
    // Listed under Robert and William alike: keyed to one of them only.
    ["Billy", "robert"],
    ["Xanthippe", "xanthippe"],
    [" José  María ", "jose maria"],
    ["", ""],
  ])("%j → %j", (name, key) => {
    expect(call("canonical_name", name)).toBe(key);
  });

  it("reads a user's table: a mentioned name takes the table's key, chains followed, cycles closed", () => {
    expect(call("canonical_name", "memo", "given")).toBe("william");
    expect(call("canonical_name", "Bill", "given")).toBe("william");
    expect(call("canonical_name", "Bob", "given")).toBe("bob");
    // A cycle keys every name on it, and names leading into it, to its alphabetically first name.
    expect(call("canonical_name", "Yann", "loop")).toBe("xavi");
    expect(call("canonical_name", "xavi", "loop")).toBe("xavi");
    expect(call("canonical_name", "Zed", "loop")).toBe("xavi");
    // Blank cells are skipped; of two rows for one name (after folding) the last wins, as in lookup().
    expect(call("canonical_name", "nan", "messy")).toBe("ann");
    expect(call("canonical_name", "Nancy", "messy")).toBe("ann");
    expect(call("canonical_name", "Bill", "nope")).toBeNull();
    expect(call("canonical_name", null)).toBeNull();
  });
});

describe("names_equivalent and canonical_name together", () => {
  const listed = [...bundledNames().linked.keys()].sort();
  const name = fc.oneof(
    fc.constantFrom(...listed),
    fc.constantFrom(...listed).map((n) => n.toUpperCase()),
    fc.string({ maxLength: 12 }),
  );
  const table = fc.constantFrom(undefined, "given", "loop", "messy");

  it("is symmetric and reflexive; equal keys always mean equivalent names; keys are their own keys", () => {
    fc.assert(
      fc.property(name, name, table, (a, b, t) => {
        const same = call("names_equivalent", a, b, t);
        expect(call("names_equivalent", b, a, t)).toBe(same);
        expect(call("names_equivalent", a, a, t)).toBe(true);
        const key = call("canonical_name", a, t) as string;
        if (key === call("canonical_name", b, t)) expect(same).toBe(true);
        expect(call("canonical_name", key, t)).toBe(key);
        expect(call("names_equivalent", a, key, t)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("keys a name that is the nickname of exactly one, longer, name with that name; and shares keys as documented", () => {
    const pairs = parseNicknameList(
      readFileSync(new URL("../../data/nicknames/names.csv", import.meta.url), "utf8"),
    );
    const fullNames = new Map<string, string[]>();
    for (const [full, nickname] of pairs) fullNames.set(nickname, [...(fullNames.get(nickname) ?? []), full]);
    let checked = 0;
    for (const [nickname, [full, ...more]] of fullNames) {
      if (more.length > 0 || [...full!].length <= [...nickname].length) continue;
      expect(call("canonical_name", nickname), nickname).toBe(call("canonical_name", full));
      checked++;
    }
    expect(checked).toBeGreaterThan(500);
    // The figures docs/functions.md gives for canonical_name.
    const linked = new Set(pairs.map(([a, b]) => (a < b ? `${a},${b}` : `${b},${a}`)));
    const sharing = [...linked].filter((pair) => {
      const [a, b] = pair.split(",");
      return call("canonical_name", a) === call("canonical_name", b);
    });
    expect([linked.size, sharing.length]).toEqual([2553, 1432]);
    expect(bundledNames().linked.size).toBe(2164);
    expect([call("canonical_name", "Alex"), call("canonical_name", "Alexander")]).toEqual([
      "alexandria",
      "alexandria",
    ]);
  });

  it("keys every listed name to a name of the list, ignoring case", () => {
    for (const n of listed) {
      const key = call("canonical_name", n);
      expect(bundledNames().linked.has(key as string)).toBe(true);
      expect(call("canonical_name", n.toUpperCase())).toBe(key);
    }
  });

  it("folds as strip_accents and lower do", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 20 }), (text) => {
        const folded = call("strip_accents", call("lower", text));
        expect(foldName(text)).toBe((folded as string).replace(/\s+/gu, " ").trim());
      }),
    );
  });
});

describe("long names", () => {
  const evaluate = evaluator(ctx);

  it("gives null past the 1,000,000-character text cap, like every text function", () => {
    const long = "a".repeat(1_000_001);
    expect(evaluate("names_equivalent(x, 'Ann')", { x: long })).toBeNull();
    expect(evaluate("canonical_name(x)", { x: long })).toBeNull();
    expect(evaluate("canonical_name(x)", { x: "A".repeat(1_000_000) })).toBe("a".repeat(1_000_000));
  });
});
