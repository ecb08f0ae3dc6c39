import { describe, expect, it } from "vitest";
import { checks } from "../../src/pipeline/checks.js";
import { clean, type CompiledStep } from "../../src/pipeline/cleaning.js";
import { compileMapping, compilePath } from "../../src/pipeline/mapping.js";
import { canonical, compareRows } from "../../src/testing/compare.js";
import type { Check } from "../../src/types/generated/validation.js";

const noReferences = { referenceValues: () => undefined };
const check = (spec: Check) => {
  const name = Object.keys(spec)[0] as Exclude<keyof Check, "expr">;
  return checks[name].compile(spec, noReferences);
};

describe("mapping", () => {
  const fields = {
    id: { type: "string" as const },
    age: { type: "integer" as const },
    score: { type: "number" as const },
    active: { type: "boolean" as const },
    city: { type: "string" as const },
  };
  it("gives every entity field, in the entity's order, null when the path finds nothing", () => {
    const map = compileMapping(
      { entity: "P", source: "s", fields: { id: "$.id", city: "$.address.city" } },
      fields,
    );
    expect(Object.entries(map({ id: "1" }))).toEqual([
      ["id", "1"],
      ["age", null],
      ["score", null],
      ["active", null],
      ["city", null],
    ]);
  });

  it("converts text for number and boolean fields only when nothing is lost", () => {
    const map = compileMapping(
      { entity: "P", source: "s", fields: { age: "$.a", score: "$.s", active: "$.b" } },
      fields,
    );
    expect(map({ a: "42", s: "1.5", b: "true" })).toMatchObject({ age: 42, score: 1.5, active: true });
    expect(map({ a: "4.2", s: "0x10", b: "yes" })).toMatchObject({
      age: "4.2",
      score: "0x10",
      active: "yes",
    });
  });

  it("reads own properties only, and runs JSONPath filters safely", () => {
    expect(compilePath("$.constructor")({})).toBeUndefined();
    const given = compilePath("$.names[?(@.type=='given')].value");
    expect(
      given({
        names: [
          { type: "family", value: "Lee" },
          { type: "given", value: "Ann" },
        ],
      }),
    ).toEqual(["Ann"]);
    expect(compilePath("$['first name']")({ "first name": "Zoë" })).toBe("Zoë");
  });
});

describe("cleaning", () => {
  const step = (s: Partial<CompiledStep>): CompiledStep => ({
    project: "p",
    name: "s",
    action: "set",
    field: "x",
    when: undefined,
    value: undefined,
    reason: undefined,
    ...s,
  });
  it("runs steps in order, each seeing the last one's result; a null `when` is false", () => {
    const record: Record<string, never> & Record<string, unknown> = { x: "a" } as never;
    const removed = clean(record, [
      step({ value: (r) => `${String(r.x)}b` }),
      step({ when: () => null, value: () => "never" }),
      step({ value: (r) => `${String(r.x)}c` }),
    ]);
    expect(removed).toBeUndefined();
    expect(record).toEqual({ x: "abc" });
  });

  it("clears fields and removes records with the step and reason", () => {
    const record = { x: "a" };
    expect(clean(record, [step({ action: "clear" })])).toBeUndefined();
    expect(record.x).toBeNull();
    expect(
      clean({ x: "a" }, [step({ action: "remove_record", reason: "test account", name: "drop" })]),
    ).toEqual({ step: "p.drop", reason: "test account" });
  });
});

describe("validation checks", () => {
  it("format checks are strict about ranges", () => {
    const datetime = check({ format: "datetime" });
    expect(datetime("2024-01-01T10:00:00Z", {})).toBe(true);
    expect(datetime("2024-01-01T99:99:99Z", {})).toBe(false);
    expect(datetime("2024-02-30T10:00:00Z", {})).toBe(false);
    expect(check({ format: "date" })("0050-01-01", {})).toBe(true);
    expect(check({ format: "e164" })("+61412345678", {})).toBe(true);
    expect(check({ format: "url" })("javascript:alert(1)", {})).toBe(false);
  });

  it("range takes strict decimals, length counts code points, not_blank rejects blank text and empty lists", () => {
    expect(check({ range: { min: 1, max: 20 } })("0x10", {})).toBe(false);
    expect(check({ range: { min: 1, max: 20 } })(" 16 ", {})).toBe(true);
    expect(check({ length: { max: 3 } })("Zoë", {})).toBe(true);
    expect(check({ length: { max: 1 } })("🙂", {})).toBe(true);
    expect(check({ not_blank: true })("  ", {})).toBe(false);
    expect(check({ not_blank: true })([], {})).toBe(false);
  });

  it("unique fails from the second occurrence; a regex check fails values too long to check safely", () => {
    const unique = check({ unique: true });
    expect([unique("a", {}), unique("b", {}), unique("a", {}), unique(1, {}), unique("1", {})]).toEqual([
      true,
      true,
      false,
      true,
      true,
    ]);
    const regex = check({ regex: "^a+$" });
    expect(regex("aaa", {})).toBe(true);
    expect(regex("a".repeat(20_000), {})).toBe(false);
  });
});

describe("row comparison", () => {
  const options = { idField: "id", pii: new Set(["email"]) };
  it("aligns rows, so one missing record does not make the later ones differ", () => {
    const expected = [{ id: "1" }, { id: "2" }, { id: "3" }];
    const actual = [{ id: "1" }, { id: "3" }];
    expect(compareRows(expected, actual, options)).toEqual([
      { kind: "missing", index: 2, id: "2", fields: [] },
    ]);
  });

  it("compares fields whatever their order, and never shows personal data", () => {
    const diff = compareRows(
      [{ id: "1", email: "a@b.io", n: 1 }],
      [{ n: 2, email: "x@y.io", id: "1" }],
      options,
    );
    const [email, n] = diff[0]?.fields ?? [];
    expect(diff).toMatchObject([{ kind: "changed", index: 1, id: "1" }]);
    expect(n).toEqual({ field: "n", expected: 1, actual: 2 });
    // Personal data: a keyed hash and the length, never the value; different values, different hashes.
    expect(email?.expected).toMatch(/^<pii [0-9a-f]{8}, 8 characters>$/);
    expect(email?.actual).toMatch(/^<pii [0-9a-f]{8}, 8 characters>$/);
    expect(email?.expected).not.toBe(email?.actual);
    expect(JSON.stringify(diff)).not.toMatch(/a@b|x@y/);
    // The same value gives the same hash within a run, so an unchanged field never shows as changed.
    const again = compareRows(
      [{ id: "1", email: "a@b.io", n: 1 }],
      [{ id: "1", email: "x@y.io", n: 1 }],
      options,
    );
    expect(again[0]?.fields[0]?.expected).toBe(email?.expected);
    expect(canonical({ b: 1, a: [{ d: 1, c: 2 }] })).toBe('{"a":[{"c":2,"d":1}],"b":1}');
  });
});
