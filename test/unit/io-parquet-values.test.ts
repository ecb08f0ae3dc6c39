/**
 * The value conversions of the Parquet reader and writer, checked against JavaScript's own Date and BigInt
 * arithmetic: decimals keep their digits, timestamps their microseconds, partition names read back as written.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dateDays, dateTimeMicros, encoderOf } from "../../src/io/parquet/encode.js";
import { NULL_PARTITION, partitionOf } from "../../src/io/parquet/folder.js";
import { partitionFolder } from "../../src/io/parquet/partitioned.js";
import { decimalText, isoDate, isoDateTime } from "../../src/io/parquet/temporal.js";

/** Milliseconds a Date can show with a four-digit year: 0001-01-01 to 9999-12-31. */
const MS = fc.integer({ min: -62_135_596_800_000, max: 253_402_300_799_999 });

describe("decimals", () => {
  it("keep their digits at every scale", () => {
    expect(decimalText(12345n, 2)).toBe("123.45");
    expect(decimalText(-5n, 3)).toBe("-0.005");
    expect(decimalText(1230n, 2)).toBe("12.3");
    expect(decimalText(100n, 2)).toBe("1");
    expect(decimalText(7n, 0)).toBe("7");
    expect(decimalText(7n, -2)).toBe("700");
    expect(decimalText(12345678901234567890123456789012345678n, 10)).toBe(
      "1234567890123456789012345678.9012345678",
    );
  });

  it("read back as the unscaled integer they came from", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 38n), max: 10n ** 38n }),
        fc.integer({ min: 0, max: 20 }),
        (v, scale) => {
          const [whole = "", fraction = ""] = decimalText(v, scale).replace("-", "").split(".");
          const digits = BigInt(whole + fraction.padEnd(scale, "0"));
          expect(v < 0n ? -digits : digits).toBe(v);
        },
      ),
    );
  });
});

describe("dates and timestamps", () => {
  it("a timestamp in any unit is the ISO text Date gives, with the fraction it needs", () => {
    fc.assert(
      fc.property(MS, (ms) => {
        const date = new Date(ms).toISOString();
        const expected = date.endsWith(".000Z") ? `${date.slice(0, -5)}Z` : date.replace(/0*Z$/, "Z");
        expect(isoDateTime(BigInt(ms), 1000n, 3, true)).toBe(expected);
        expect(isoDateTime(BigInt(ms) * 1000n, 1_000_000n, 6, true)).toBe(expected);
        expect(isoDateTime(BigInt(ms) * 1_000_000n, 1_000_000_000n, 9, false)).toBe(expected.slice(0, -1));
      }),
    );
  });

  it("keeps microseconds and nanoseconds", () => {
    expect(isoDateTime(1_700_000_000_123_456n, 1_000_000n, 6, true)).toBe("2023-11-14T22:13:20.123456Z");
    expect(isoDateTime(-1n, 1_000_000_000n, 9, false)).toBe("1969-12-31T23:59:59.999999999");
    expect(isoDateTime(10n ** 20n, 1000n, 3, true)).toBeUndefined();
  });

  it("dates are Date's, and read back through the writer's parser", () => {
    fc.assert(
      fc.property(fc.integer({ min: -719_162, max: 2_932_896 }), (days) => {
        const text = isoDate(days);
        expect(text).toBe(new Date(days * 86_400_000).toISOString().slice(0, 10));
        expect(dateDays(text)).toBe(days);
      }),
    );
    expect(dateDays("2023-02-29")).toBeUndefined();
    expect(dateDays("2024-02-29")).toBe(Date.UTC(2024, 1, 29) / 86_400_000);
  });

  it("datetimes the writer takes: microseconds since 1970 as Date counts them", () => {
    fc.assert(
      fc.property(MS, (ms) => {
        expect(dateTimeMicros(new Date(ms).toISOString())).toBe(BigInt(ms) * 1000n);
      }),
    );
    expect(dateTimeMicros("2024-05-01T10:00:00+10:00")).toBe(BigInt(Date.UTC(2024, 4, 1, 0)) * 1000n);
    expect(dateTimeMicros("2024-05-01 10:00")).toBe(BigInt(Date.UTC(2024, 4, 1, 10)) * 1000n);
    expect(dateTimeMicros("2024-05-01")).toBe(BigInt(Date.UTC(2024, 4, 1)) * 1000n);
    expect(dateTimeMicros("2024-05-01T10:00:00.1234567Z")).toBeUndefined(); // finer than a microsecond
    expect(dateTimeMicros("2024-05-01T10:00:00.123456000Z")).toBe(
      BigInt(Date.UTC(2024, 4, 1, 10)) * 1000n + 123_456n,
    );
    expect(dateTimeMicros("2024-02-30T10:00:00Z")).toBeUndefined();
    expect(dateTimeMicros("1/5/2024")).toBeUndefined();
  });
});

describe("encoders", () => {
  it("never show the value that does not fit (it may be personal data)", () => {
    const secret = "14/03/1985 Alice";
    expect(() => encoderOf("date")(secret)).toThrow(/holds text \(16 characters\), not a date/);
    try {
      encoderOf("date")(secret);
    } catch (e) {
      expect(String(e)).not.toContain("Alice");
    }
    expect(() => encoderOf("integer")(1.5)).toThrow(/a number with a fraction, not a integer/);
    expect(() => encoderOf({ list: "string" })("a")).toThrow(/not a list of string/);
    expect(() => encoderOf({ struct: [{ name: "a", type: "string" }] })({ a: "x", b: 1 })).toThrow(/field b/);
  });

  it("write numbers and booleans of a string field as their text, as JSON Lines shows them", () => {
    const string = encoderOf("string");
    expect([string(42), string(true), string(null), string(undefined), string("x")]).toEqual([
      "42",
      "true",
      null,
      null,
      "x",
    ]);
    expect(encoderOf("integer")(2 ** 60)).toBe(2n ** 60n);
  });
});

describe("partition folders", () => {
  it("any text reads back as itself; null and empty text are Hive's default partition", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", minLength: 1 }), (value) => {
        const parsed = partitionOf(partitionFolder("col", value));
        expect(parsed).toEqual({ key: "col", value });
      }),
    );
    expect(partitionFolder("country", null)).toBe(`country=${NULL_PARTITION}`);
    expect(partitionFolder("country", "")).toBe(`country=${NULL_PARTITION}`);
    expect(partitionFolder("path", "a/b=c%")).toBe("path=a%2Fb%3Dc%25");
    expect(partitionOf("plain-folder")).toBeUndefined();
  });
});
