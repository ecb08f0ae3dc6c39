import { describe, expect, it } from "vitest";
import type { FunctionDef } from "../../src/expr/function-def.js";
import { compileExpression, holds } from "../../src/expr/expression.js";
import { parse } from "../../src/expr/parser.js";
import { textOf, type ExprType, type Value } from "../../src/expr/types.js";

// A small library of its own keeps these tests about the language, not about the function library.
const fn = (
  name: string,
  params: FunctionDef["params"],
  returns: ExprType,
  call: FunctionDef["call"],
  extra: Partial<FunctionDef> = {},
): [string, FunctionDef] => [
  name,
  { name, description: name, params, returns, examples: [], call, ...extra },
];
const functions = new Map<string, FunctionDef>([
  fn("lower", [{ name: "text", type: "string" }], "string", ([t]) => textOf(t).toLowerCase()),
  fn("trim", [{ name: "text", type: "string" }], "string", ([t]) => textOf(t).trim()),
  fn(
    "pad",
    [
      { name: "text", type: "string" },
      { name: "width", type: "number", optional: true },
      { name: "fill", type: "string", optional: true },
    ],
    "string",
    ([t, w, f]) => textOf(t).padStart(typeof w === "number" ? w : 4, typeof f === "string" ? f : "0"),
  ),
  fn(
    "coalesce",
    [{ name: "value", type: "any" }],
    "any",
    (args) => args.find((a) => a !== null && a !== undefined) ?? null,
    { variadic: true, acceptsNull: true },
  ),
]);
const fields = new Map<string, ExprType>([
  ["email", "string"],
  ["phone", "string"],
  ["age", "number"],
  ["active", "boolean"],
  ["born", "date"],
]);
const scope = { fields, functions, context: { lookup: () => null } };

function run(source: string, record: Record<string, unknown> = {}, other?: Record<string, unknown>): Value {
  const result = compileExpression(source, { ...scope, other: true });
  if (!result.ok) throw new Error(`${source}: ${result.errors.map((e) => e.message).join("; ")}`);
  return result.expression.evaluate(record, other);
}

function errors(source: string, options: { other?: boolean } = {}) {
  const result = compileExpression(source, { ...scope, ...options });
  return result.ok
    ? []
    : result.errors.map((e) => ({
        code: e.code,
        message: e.message,
        at: source.slice(e.span.start, e.span.end),
      }));
}

describe("parser", () => {
  it("gives every node a span", () => {
    const parsed = parse("lower(email) == 'a@b.c'");
    expect(parsed.ok && parsed.node).toMatchObject({
      kind: "binary",
      op: "==",
      span: { start: 0, end: 23 },
      left: { kind: "call", nameSpan: { start: 0, end: 5 } },
    });
  });

  it("binds and tighter than or, not looser than comparison, * tighter than +", () => {
    expect(run("true or false and false")).toBe(true);
    expect(run("not 1 == 2")).toBe(true);
    expect(run("1 + 2 * 3")).toBe(7);
    expect(run("(1 + 2) * 3")).toBe(9);
    expect(run("-2 * 3 % 4")).toBe(-2);
  });

  it("reports syntax errors at their position, with a hint where one helps", () => {
    expect(errors("email = 'x'")).toEqual([
      { code: "expr/syntax", message: "Unexpected `=` after the expression.", at: "=" },
    ]);
    expect(errors("lower(email")).toEqual([
      { code: "expr/syntax", message: "Expected `,` or `)`, found the end of the expression.", at: "" },
    ]);
    expect(errors("'open")).toEqual([{ code: "expr/syntax", message: "String is not closed.", at: "'open" }]);
    expect(errors("a < b < c")).toEqual([
      { code: "expr/syntax", message: "Comparisons do not chain.", at: "<" },
    ]);
    expect(errors("email && phone")[0]?.message).toBe('Unexpected character "&".');
  });

  it("refuses overlong and overdeep expressions", () => {
    expect(errors("1 + ".repeat(2000) + "1")[0]?.code).toBe("expr/too-complex");
    expect(errors("(".repeat(100) + "1" + ")".repeat(100))[0]?.code).toBe("expr/too-complex");
    expect(errors("lower(".repeat(80) + "email" + ")".repeat(80))[0]?.code).toBe("expr/too-complex");
  });

  it("decodes string escapes and both quote styles", () => {
    expect(run(`"it's" + 'say "hi"' + '\\n\\u00e9'`)).toBe(`it'ssay "hi"\né`);
  });
});

describe("checker", () => {
  it("reports unknown fields and functions with suggestions, at their own span", () => {
    expect(errors("lower(emial) == lowr(email)")).toEqual([
      { code: "expr/unknown-field", message: 'Unknown field "emial".', at: "emial" },
      { code: "expr/unknown-function", message: 'Unknown function "lowr".', at: "lowr" },
    ]);
  });

  it("checks argument counts, names and types", () => {
    expect(errors("lower()")).toEqual([
      { code: "expr/arguments", message: "lower() needs 1 argument: text; none was given.", at: "lower()" },
    ]);
    expect(errors("lower(email, phone)")).toEqual([
      { code: "expr/arguments", message: "lower() takes at most 1 argument.", at: "phone" },
    ]);
    expect(errors("pad(email, wdth=3)")).toEqual([
      { code: "expr/arguments", message: 'pad() has no parameter "wdth".', at: "wdth=3" },
    ]);
    expect(errors("lower(age)")).toEqual([
      { code: "expr/type", message: 'Argument "text" of lower() must be string, not number.', at: "age" },
    ]);
    expect(errors("age + active")).toEqual([
      { code: "expr/type", message: "`+` needs number, not boolean.", at: "active" },
    ]);
    expect(errors("email and active")).toEqual([
      { code: "expr/type", message: "`and` needs boolean, not string.", at: "email" },
    ]);
  });

  it("rejects comparisons with null, which are never true", () => {
    expect(errors("email == null")).toEqual([
      { code: "expr/type", message: "`== null` is always null, never true.", at: "email == null" },
    ]);
    expect(errors("email is null")).toEqual([]);
  });

  it("counts nesting once per level, calls included", () => {
    expect(errors("lower(".repeat(60) + "email" + ")".repeat(60))).toEqual([]);
  });

  it("allows `other` only where records are compared", () => {
    expect(errors("email == other.email")).toEqual([
      {
        code: "expr/unknown-field",
        message: "`other` exists only in dedup rules, where it is the record compared with.",
        at: "other.email",
      },
    ]);
    expect(errors("email == other.email", { other: true })).toEqual([]);
  });
});

describe("evaluation", () => {
  it("reads fields, nested paths and other", () => {
    expect(run("email", { email: "a@b.c" })).toBe("a@b.c");
    expect(run("email", {})).toBe(null);
    expect(run("born.year", { born: { year: 1990 } })).toBe(1990);
    expect(run("lower(email) == lower(other.email)", { email: "A@x.io" }, { email: "a@X.io" })).toBe(true);
  });

  it("never reaches Object.prototype through a field name", () => {
    const result = compileExpression("constructor", { ...scope, fields: undefined });
    expect(result.ok && result.expression.evaluate({})).toBe(null);
  });

  it("follows SPEC section 4 on null", () => {
    expect(run("lower(email)", {})).toBe(null);
    expect(run("email == other.email", {}, {})).toBe(null);
    expect(holds(run("lower(email) == lower(other.email)", {}, {}))).toBe(false);
    expect(run("email is null", {})).toBe(true);
    expect(run("email is not null", { email: "" })).toBe(true);
    expect(run("null and false")).toBe(false);
    expect(run("null or true")).toBe(true);
    expect(run("null and true")).toBe(null);
    expect(run("not null")).toBe(null);
    expect(run("age + 1", {})).toBe(null);
    expect(run("coalesce(email, phone, 'none')", { phone: "1" })).toBe("1");
    expect(run("email in ['a', null]", {})).toBe(null);
  });

  it("compares numbers with numeric strings, as CSV data needs", () => {
    expect(run("age == '42'", { age: 42 })).toBe(true);
    // Statically a number field against a string is a mistake; untyped data meets it at run time.
    expect(errors("age > '9'")[0]?.code).toBe("expr/type");
    const untyped = compileExpression("count > '9'", { ...scope, fields: undefined });
    expect(untyped.ok && untyped.expression.evaluate({ count: 10 })).toBe(true);
    expect(run("'b' > 'a'")).toBe(true);
    expect(run("1 == 'x'")).toBe(false);
  });

  it("handles in, arithmetic edge cases and string joins", () => {
    expect(run("phone in ['1', '2']", { phone: "2" })).toBe(true);
    expect(run("phone not in ['1', '2']", { phone: "3" })).toBe(true);
    expect(run("1 / 0")).toBe(null);
    expect(run("7 % 0")).toBe(null);
    expect(run("'a' + 1")).toBe("a1");
    expect(run("pad('7', fill='x', width=3)")).toBe("xx7");
  });
});
