import { describe, expect, it } from "vitest";
import { codeOwners } from "../../src/review/release-notes.js";

const FILE = `
# comment
*                       @everyone
config/mappings/        @integration
/config/validations/*.yaml @stewards
dedup                   @matching
docs/*.md               @docs
`;

describe("CODEOWNERS", () => {
  it.each([
    ["env/prod.yaml", ["@everyone"]],
    ["config/mappings/crm.yaml", ["@integration"]],
    ["config/mappings/sub/crm.yaml", ["@integration"]],
    ["nested/config/mappings/crm.yaml", ["@everyone"]], // anchored: a `/` inside the pattern
    ["config/validations/email.yaml", ["@stewards"]],
    ["config/validations/sub/email.yaml", ["@everyone"]], // `*` stays within a folder
    ["config/dedup/person.yaml", ["@matching"]], // unanchored: a folder at any depth
    ["config/dedup", ["@matching"]],
    ["config/dedupe/person.yaml", ["@everyone"]],
    ["docs/readme.md", ["@docs"]],
    ["docs/readmeXmd", ["@everyone"]], // `.` is itself
  ])("%s is owned by %j (the last matching line wins)", (path, owners) => {
    expect(codeOwners(FILE, path)).toEqual(owners);
  });

  it("matches a hostile pattern against a long path in linear time", () => {
    const path = `config/${"a".repeat(20_000)}`;
    const started = performance.now();
    expect(codeOwners(`*a*a*a*a*a*a*a*a*a*a*b @x\n`, path)).toEqual([]);
    // A backtracking matcher takes hours here; the glob matcher, a few milliseconds.
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
