import { describe, expect, it } from "vitest";
import { didYouMean, editDistance, listOf } from "../../src/util/did-you-mean.js";

describe("didYouMean", () => {
  it("suggests the closest candidate for a plausible typo", () => {
    expect(didYouMean("emial", ["email", "phone", "id"])).toBe("email");
    expect(didYouMean("chek", ["check", "rule", "entity"])).toBe("check");
    expect(didYouMean("Persn", ["Person", "Organization"])).toBe("Person");
  });

  it("suggests nothing when no candidate is close", () => {
    expect(didYouMean("xyz", ["email", "phone"])).toBeUndefined();
    expect(didYouMean("id", ["name"])).toBeUndefined();
    expect(didYouMean("anything", [])).toBeUndefined();
  });

  it("counts an adjacent transposition as one edit", () => {
    expect(editDistance("emial", "email")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
  });

  it("lists values for messages", () => {
    expect(listOf(["a", "b", "c"])).toBe('"a", "b" or "c"');
    expect(listOf(["a"])).toBe('"a"');
  });
});
