import { describe, expect, it } from "vitest";
import { checks } from "../../src/pipeline/checks.js";
import { createSeenSet } from "../../src/pipeline/seen-set.js";

describe("createSeenSet", () => {
  it("reports a value as seen only from its second occurrence, across growth", () => {
    const seen = createSeenSet();
    for (let i = 0; i < 50_000; i++) expect(seen.addAndCheck(`id-${i}`)).toBe(false);
    for (let i = 0; i < 50_000; i += 997) expect(seen.addAndCheck(`id-${i}`)).toBe(true);
    expect(seen.addAndCheck("id-50000")).toBe(false);
  });

  it("tells apart values that differ in one character, case or length", () => {
    const seen = createSeenSet();
    for (const v of ["", "a", "A", "aa", "ab", "ba", "Zoë", "Zoe\u0308", "🙂"])
      expect(seen.addAndCheck(v)).toBe(false);
    expect(seen.addAndCheck("Zoë")).toBe(true);
  });
});

describe("the unique check's keys", () => {
  it("tells text from the number, boolean or list it looks like, and text starting with U+0000 from both", () => {
    const unique = checks.unique.compile({ unique: true }, { referenceValues: () => undefined });
    const values = ["1", 1, "true", true, "[1]", [1], "\u0000o1", "\u0000s1", "\u0000", "", null];
    for (const v of values) expect(unique(v as never, {})).toBe(true);
    for (const v of values) expect(unique(v as never, {})).toBe(false);
  });
});
