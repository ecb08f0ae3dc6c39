import fc from "fast-check";
import { RE2JS } from "re2js";
import { describe, expect, it } from "vitest";
import { compilePattern } from "../../src/regex/compile.js";
import { translate } from "../../src/regex/translate.js";

// A pattern that is a plain sequence of characters and classes runs, on ASCII text, on a small automaton of its own
// (src/regex/ascii-sequence.ts) once it has been tested often: it must answer as RE2 does, on any text.
function re2(pattern: string): RE2JS {
  const translated = translate(pattern);
  if (!translated.ok) throw new Error(translated.problem.message);
  return RE2JS.compile(translated.source);
}

describe("the ASCII sequence fast path of regex tests", () => {
  const atom = fc.constantFrom(
    ..."ab@.-é".split("").map((c) => (c === "." ? "\\." : c)),
    "\\d", "\\D", "\\s", "\\S", "\\w", "\\W", ".", "[^@\\s]", "[a-c]", "[^a]", "[\\d-]", "\\p{L}", "\\n", "[A-Z]",
  ); // prettier-ignore
  const quantifier = fc.constantFrom("", "", "*", "+", "?", "{2}", "{1,3}", "{2,}", "{0}", "*?", "+?");
  const pattern = fc
    .tuple(fc.boolean(), fc.array(fc.tuple(atom, quantifier), { maxLength: 6 }), fc.boolean())
    .map(
      ([start, items, end]) => `${start ? "^" : ""}${items.map(([a, q]) => a + q).join("")}${end ? "$" : ""}`,
    );
  const text = fc.oneof(
    fc.array(fc.constantFrom(..."ab@.-1 AZ\n\t_é€"), { maxLength: 12 }).map((cs) => cs.join("")),
    fc.string({ maxLength: 12 }),
    fc.string({ unit: "binary", maxLength: 6 }),
  );

  it("answers as RE2 does, for any such pattern and any text", () => {
    fc.assert(
      fc.property(pattern, fc.array(text, { minLength: 40, maxLength: 60 }), (p, texts) => {
        const compiled = compilePattern(p);
        if (!compiled.ok) return;
        const reference = re2(p);
        // The first tests go to RE2, the later ones to the fast path (when the pattern has its shape).
        for (const t of texts)
          expect(compiled.regex.test(t), `${p} on ${JSON.stringify(t)}`).toBe(reference.test(t));
      }),
      { numRuns: 2000 },
    );
  });

  it("answers for the example project's email pattern as RE2 does", () => {
    const p = "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$";
    const compiled = compilePattern(p);
    if (!compiled.ok) throw new Error("does not compile");
    const reference = re2(p);
    const emails = [
      "ann@example.com",
      "ann@example",
      "a b@c.d",
      "@c.d",
      "a@@c.d",
      "a@c.d.",
      "zoë@example.com",
      "",
    ];
    for (let round = 0; round < 10; round++)
      for (const e of emails) expect(compiled.regex.test(e), e).toBe(reference.test(e));
  });

  it("answers as RE2 does when its automaton outgrows the states it keeps", () => {
    // "an a nine characters before the end" needs 2^10 states to read without looking back.
    const p = "a[ab]{9}$";
    const compiled = compilePattern(p);
    if (!compiled.ok) throw new Error("does not compile");
    const reference = re2(p);
    fc.assert(
      fc.property(fc.array(fc.constantFrom("a", "b"), { minLength: 200, maxLength: 400 }), (cs) => {
        const t = cs.join("");
        expect(compiled.regex.test(t)).toBe(reference.test(t));
        expect(compiled.regex.test(`${t}b`)).toBe(reference.test(`${t}b`));
      }),
      { numRuns: 300 },
    );
  });
});
