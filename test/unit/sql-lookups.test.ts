import { describe, expect, it } from "vitest";
import { functions } from "../../src/expr/functions/index.js";
import { parse } from "../../src/expr/parser.js";
import { PlanBuilder } from "../../src/engine/sql/builder.js";
import { dialects } from "../../src/engine/sql/dialects/index.js";
import { compileExpr, UdfSet } from "../../src/engine/sql/expr.js";

/** Compiles expressions over `records r` (text fields) into one set of bindings, as Parts does. */
function compiled(exprs: readonly string[], lookUpUdfs: boolean) {
  const d = dialects.duckdb;
  const context = { lookup: () => null };
  const b = new PlanBuilder(d, { d, functions, context, udfs: new UdfSet() });
  const bindings = b.bindings("r", { lookUpUdfs });
  const fields = (name: string) => ({ sql: `r.${d.ident(name)}`, type: "text" as const });
  const values = exprs.map((text) => {
    const result = parse(text);
    if (!result.ok) throw new Error(result.error.message);
    return compileExpr(result.node, fields, b.cx, "test", bindings);
  });
  return { values, from: bindings.from("records r") };
}

const lookups = (from: string) => [...from.matchAll(/SELECT DISTINCT (.*?) AS _v/g)].map((m) => m[1]);

describe("UDFs looked up by distinct value (Bindings lookUpUdfs)", () => {
  it("computes a UDF of one field once per distinct value, constants kept in the call, each call once", () => {
    const { from } = compiled(
      [
        "soundex(last_name)",
        'e164(phone, default_country="AU")',
        "soundex(last_name)",
        "soundex(first_name)",
      ],
      true,
    );
    expect(lookups(from)).toEqual(['r."last_name"', 'r."phone"', 'r."first_name"']);
    expect(from).toContain("clue_e164(_v, 'AU')");
    expect(from).toContain('ON _lookup0._v = r."last_name"');
  });

  it("leaves alone calls on computed values, on two fields, guarded forms' UDFs, and other bindings", () => {
    const { from } = compiled(
      // soundex of a computed value; jaro_winkler of two fields; lower() is native on ASCII and a UDF for the rest
      ["soundex(concat(first_name, last_name))", "jaro_winkler(first_name, last_name)", "lower(email)"],
      true,
    );
    expect(lookups(from)).toEqual([]);
    expect(from).toContain("clue_soundex(");
    expect(lookups(compiled(["soundex(last_name)"], false).from)).toEqual([]);
  });
});
