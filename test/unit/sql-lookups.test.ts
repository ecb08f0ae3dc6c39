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
  return { values, from: bindings.from("records r"), tables: bindings.lookupTables("records r") };
}

const lookups = (tables: readonly { sql: string }[]) =>
  tables.map((t) => /SELECT DISTINCT (.*?) AS _v FROM records r/.exec(t.sql)?.[1]);

describe("UDFs looked up by distinct value (Bindings lookUpUdfs)", () => {
  it("computes a UDF of one field once per distinct value, constants kept in the call, each call once", () => {
    const { from, tables } = compiled(
      [
        "soundex(last_name)",
        'e164(phone, default_country="AU")',
        "soundex(last_name)",
        "soundex(first_name)",
      ],
      true,
    );
    expect(lookups(tables)).toEqual(['r."last_name"', 'r."phone"', 'r."first_name"']);
    expect(tables[1]?.sql).toContain("clue_e164(_v, 'AU') AS _out");
    for (const [k, t] of tables.entries())
      expect(from).toContain(`LEFT JOIN "${t.name}" _lookup${k} ON _lookup${k}._v = ${lookups([t])[0]}`);
  });

  it("leaves alone calls on computed values, on two fields, guarded forms' UDFs, and other bindings", () => {
    const { from, tables } = compiled(
      // soundex of a computed value; jaro_winkler of two fields; lower() is native on ASCII and a UDF for the rest
      ["soundex(concat(first_name, last_name))", "jaro_winkler(first_name, last_name)", "lower(email)"],
      true,
    );
    expect(tables).toEqual([]);
    expect(from).toContain("clue_soundex(");
    expect(compiled(["soundex(last_name)"], false).tables).toEqual([]);
  });
});
