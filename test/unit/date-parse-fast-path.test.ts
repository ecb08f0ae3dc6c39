import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseByPatterns, parseDateTime } from "../../src/expr/functions/date-parse.js";

// parseDateTime reads the commonest ISO shapes by hand before trying its regexes: it must give what the regexes give.
describe("parseDateTime's ISO fast path", () => {
  // ISO-like text with every character liable to be off: other digits, other separators, other lengths.
  const digit = fc.constantFrom(..."0123456789");
  /** The first choice (the well-formed one) half the time, any other the rest. */
  const pick = (usual: string, ...others: string[]) =>
    fc.oneof(fc.constant(usual), fc.constantFrom(usual, ...others));
  const text = fc
    .tuple(
      fc.array(digit, { minLength: 4, maxLength: 4 }).map((d) => d.join("")),
      pick("-", "/", "."),
      pick("01", "02", "12", "13", "00", "1", "09", "ab"),
      pick("-", "/"),
      pick("01", "28", "29", "30", "31", "32", "00", "7"),
      pick("", "T", "t", " "),
      pick("00", "09", "23", "24", "7", "99"),
      pick(":", "-"),
      pick("00", "59", "60", "5"),
      pick(":", ""),
      pick("00", "59", "60", "", "5"),
      pick("", "Z", "z", "+10:00", "-03:30", "+24:00", "+10:60", "+1000", "+10", " Z", ".5Z"),
    )
    .map((parts) => parts.join(""));

  it("gives the regexes' answer on ISO-shaped text, valid or not", () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(parseDateTime(t)).toEqual(parseByPatterns(t));
      }),
      { numRuns: 20_000 },
    );
  });

  it("reads the common shapes", () => {
    expect(parseDateTime("2024-02-29")).toEqual({
      date: { year: 2024, month: 2, day: 29 },
      seconds: 0,
      offsetMinutes: null,
    });
    expect(parseDateTime("2024-05-01T10:00:00+10:00")?.offsetMinutes).toBe(600);
    expect(parseDateTime("2023-02-29T10:00:00Z")).toBeNull();
  });
});
