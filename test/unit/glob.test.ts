import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileGlob } from "../../src/diagnostics/glob.js";

/** The regular expression `.clueignore.yaml` globs used to compile to: the reference for their meaning. */
function formerGlob(glob: string): RegExp {
  const escaped = glob
    .replace(/[.+?^${}()|[\]\\]/g, "\\$&")
    .replaceAll("**", "\u0000")
    .replaceAll("*", "[^/]*");
  return new RegExp(`^${escaped.replaceAll("\u0000", ".*")}$`);
}

describe("ignore-file globs", () => {
  it.each([
    ["config/validations/*.yaml", "config/validations/v.yaml", true],
    ["config/validations/*.yaml", "config/validations/sub/v.yaml", false],
    ["config/**", "config/a/b/c.yaml", true],
    ["config/**/x.yaml", "config/a/b/x.yaml", true],
    ["config/**/x.yaml", "config/x.yaml", false],
    ["config/*", "config/", true],
    ["config/?.yaml", "config/a.yaml", false],
    ["config/?.yaml", "config/?.yaml", true],
    ["config/[ab].yaml", "config/[ab].yaml", true],
    ["config/x.yaml", "config/xxyaml", false],
    ["***", "a/b", true],
    ["config/x.yaml", "config/x.yaml/", false],
  ])("%s against %s: %s", (glob, path, expected) => {
    expect(compileGlob(glob)(path)).toBe(expected);
    expect(formerGlob(glob).test(path)).toBe(expected);
  });

  it("means what the former regular expression meant", () => {
    const glob = fc
      .array(fc.constantFrom("a", "b", "/", "*", "**", ".", "?", "[", "\\"), { maxLength: 8 })
      .map((parts) => parts.join(""));
    const path = fc
      .array(fc.constantFrom("a", "b", "/", ".", "?", "*", "\n", "\u2028"), { maxLength: 12 })
      .map((parts) => parts.join(""));
    fc.assert(
      fc.property(glob, path, (g, p) => {
        expect(compileGlob(g)(p)).toBe(formerGlob(g).test(p));
      }),
      { numRuns: 5000 },
    );
  });

  it("matches globs that make a backtracking matcher take hours, in time linear in the path", () => {
    // Each of these takes the former regular expression longer than the universe is old on these paths.
    const globs = [
      "config/entities/*a*a*a*a*a*a*a*a*a*a*a*a*b",
      "**a**a**a**a**a**a**a**a**a**a**b",
      "*/*a*/**a*a**/*a*a*a*b",
      `${"*".repeat(200)}b`,
    ];
    const paths = [`config/entities/${"a".repeat(4000)}.yaml`, "a/".repeat(2000), "a".repeat(8000)];
    const started = Date.now();
    for (const g of globs) {
      const match = compileGlob(g);
      for (const p of paths) expect(match(p)).toBe(false);
    }
    // A few milliseconds; generous for a busy machine.
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
