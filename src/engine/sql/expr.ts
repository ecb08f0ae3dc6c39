/**
 * clue expressions (src/expr) compiled to SQL through a dialect, with the JS evaluator's semantics
 * (src/expr/compile.ts): null in, null out; `and`/`or` three-valued; `==` between a number and text by value;
 * text ordered as JavaScript orders it; a `when` holds only when true. The parse tree is the one the checker typed.
 *
 * Values in SQL have one of three types (text, DOUBLE, BOOLEAN: a field's declared type, see stages/mapping.ts).
 * A part of an expression that reads no field has one value for every record: it is computed here, once, by clue's
 * own evaluator, and written as a literal. Functions run natively where the dialect has an exact form
 * (functions.ts), else as UDFs running clue's implementation.
 */
import type { Node } from "../../expr/ast.js";
import { bindArguments } from "../../expr/checker.js";
import { compile, isConstant } from "../../expr/compile.js";
import type { CallContext, FunctionDef } from "../../expr/function-def.js";
import type { ExprType, Value } from "../../expr/types.js";
import type { Dialect, Sql } from "./dialect.js";
import type { SqlType, UdfSignature } from "./plan.js";
import { asBoolean, equalsSql, finiteSql, orderSql, sql, textOf } from "./semantics.js";

/** What an expression cannot be compiled to SQL for (yet): a usage error naming the expression. */
export class SqlUnsupported extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SqlUnsupported";
  }
}

/** A compiled value: SQL of a type, the null literal (of no type yet), or a list (for `in`). */
export type SqlValue = Sql | { type: "null" } | { type: "list"; items: SqlValue[] };

export interface FieldResolver {
  /** The SQL of a field of the record (or of `other`, the record it is compared with); undefined when unknown. */
  (name: string, other: boolean): Sql | undefined;
}

/** The UDFs a plan uses, by name, with their signatures. */
export class UdfSet {
  readonly signatures = new Map<string, UdfSignature>();

  /** The UDF's name for a call of `fn` with these arguments (registered on first use). */
  use(fn: string, args: UdfSignature["args"], returns: SqlType, nulls: UdfSignature["nulls"]): string {
    const natural = args.every((a) => a === "text");
    const name = natural ? `clue_${fn}` : `clue_${fn}__${args.map((a) => LETTER[a]).join("")}`;
    if (!this.signatures.has(name))
      this.signatures.set(name, { function: fn, args: [...args], returns, nulls });
    return name;
  }

  /** A helper of the compiler's own (semantics.ts HELPERS), always named as it is. */
  helper(name: string, args: SqlType[], returns: SqlType): void {
    if (!this.signatures.has(name))
      this.signatures.set(name, { function: name, args: [...args], returns, nulls: "propagate" });
  }
}

const LETTER: Record<UdfSignature["args"][number], string> = {
  text: "t",
  number: "n",
  boolean: "b",
  omitted: "",
};

export interface ExprContext {
  d: Dialect;
  functions: ReadonlyMap<string, FunctionDef>;
  context: CallContext;
  udfs: UdfSet;
}

/** The SQL type of a function's result, when the function always returns one type. */
export function sqlTypeOf(type: ExprType): SqlType | undefined {
  if (type === "string" || type === "date" || type === "datetime") return "text";
  if (type === "number") return "number";
  if (type === "boolean") return "boolean";
  return undefined;
}

/**
 * Columns computed once per row under the SELECT that needs them: every call or operator of an expression is
 * bound to a column of its own, so a form that reads its argument several times (a guarded form, JavaScript's order
 * of texts) reads a column, and nested expressions stay linear in size instead of growing with each level. Equal
 * expressions share one column. `from` wraps the FROM item in one projection per level of nesting.
 */
export class Bindings {
  private readonly list: { name: string; sql: string; depth: number }[] = [];
  private readonly byText = new Map<string, string>();
  /** UDF calls on one field, computed once per distinct value in a table of their own (see `lookup`, `lookupTables`). */
  private readonly lookups: { name: string; table: string; input: string; call: string; shown: string }[] =
    [];
  /** Each looked-up call's column, by the call's SQL on its field. */
  private readonly byCall = new Map<string, string>();

  constructor(
    private readonly d: Dialect,
    /** A fresh column name each call (unique in the plan). */
    private readonly fresh: () => string,
    /** The alias the expressions read their columns through, if any. */
    private readonly alias?: string,
    /**
     * Whether a UDF of one field (other arguments constant) is called once per distinct value and joined back,
     * instead of once per row: worth it over a table of many rows that repeat values (names for soundex), where
     * the rows are read once anyway. Needs `alias`.
     */
    readonly lookUpUdfs = false,
  ) {
    if (lookUpUdfs && alias === undefined)
      throw new Error("Bindings: lookUpUdfs needs an alias to join through");
  }

  /**
   * The column holding `call(input)` for each row, where `input` is a field of the FROM item: `call` is the UDF
   * call's SQL for an input written `_v`. The UDF must give null for null (it is not called for it). The table of
   * results is one of `lookupTables`.
   */
  lookup(input: string, call: (value: string) => string): string {
    const shown = call(input);
    let name = this.byCall.get(shown);
    if (name === undefined) {
      name = this.fresh();
      this.lookups.push({ name, table: `lookup${name}`, input, call: call("_v"), shown });
      this.byCall.set(shown, name);
    }
    return this.ref(name);
  }

  bind(v: Sql): Sql {
    let name = this.byText.get(v.sql);
    if (name === undefined) {
      name = this.fresh();
      const depth =
        1 + Math.max(0, ...this.list.filter((b) => v.sql.includes(this.ref(b.name))).map((b) => b.depth));
      this.list.push({ name, sql: v.sql, depth });
      this.byText.set(v.sql, name);
    }
    return { sql: this.ref(name), type: v.type };
  }

  /**
   * The tables of looked-up results (`_v`, `_out`) that `from(base)` joins: each a UDF's results for the distinct
   * values of its field in `base`. They are steps of the plan's own, made before the statement that reads `from`.
   */
  lookupTables(base: string): { name: string; sql: string; note: string }[] {
    return this.lookups.map((l) => ({
      name: l.table,
      sql: `SELECT _v, ${l.call} AS _out FROM (SELECT DISTINCT ${l.input} AS _v FROM ${base}) _distinct`,
      note: `${l.shown}, once per distinct value`,
    }));
  }

  /** The FROM item `base` (a table, view or aliased subquery) with the bound columns added, level by level. */
  from(base: string): string {
    let from = base;
    if (this.lookups.length > 0) {
      const joins = this.lookups.map((l, k) => ({ ...l, as: `_lookup${k}` }));
      from =
        `(SELECT ${this.alias}.*, ${joins.map((j) => `${j.as}._out AS ${this.d.ident(j.name)}`).join(", ")}\n` +
        `FROM ${base}` +
        joins
          .map((j) => `\n  LEFT JOIN ${this.d.ident(j.table)} ${j.as} ON ${j.as}._v = ${j.input}`)
          .join("") +
        `) ${this.alias}`;
    }
    const deepest = Math.max(0, ...this.list.map((b) => b.depth));
    for (let depth = 1; depth <= deepest; depth++) {
      const columns = this.list
        .filter((b) => b.depth === depth)
        .map((b) => `${b.sql} AS ${this.d.ident(b.name)}`);
      from = `(SELECT *, ${columns.join(", ")} FROM ${from}) ${this.alias ?? `_level${depth}`}`;
    }
    return from;
  }

  private ref(name: string): string {
    return this.alias === undefined ? this.d.ident(name) : `${this.alias}.${this.d.ident(name)}`;
  }
}

/** Compiles a checked expression. `where` names it in errors (a cleaning step, a rule). */
export function compileExpr(
  node: Node,
  fields: FieldResolver,
  cx: ExprContext,
  where: string,
  bindings?: Bindings,
): SqlValue {
  return new Compiler(fields, cx, where, bindings).value(node);
}

/** A compiled value as SQL of a given type: the null literal becomes a typed NULL. */
export function typed(v: SqlValue, type: SqlType, cx: ExprContext, where: string): Sql {
  if (v.type === "null") return sql(cx.d.nullOf(type), type);
  if (v.type === "list") throw new SqlUnsupported(`${where}: a list value is not supported on SQL engines`);
  if (v.type !== type)
    throw new SqlUnsupported(
      `${where}: gives ${describe(v.type)} where ${describe(type)} is wanted, which SQL engines cannot hold in one column`,
    );
  return v;
}

/** A compiled condition as SQL BOOLEAN (a non-boolean value is unknown, as `holds` treats it). */
export function condition(v: SqlValue, cx: ExprContext): string {
  if (v.type === "null" || v.type === "list") return cx.d.nullOf("boolean");
  return asBoolean(cx.d, v);
}

function describe(type: SqlType): string {
  return type === "text" ? "text" : type === "number" ? "a number" : "a boolean";
}

class Compiler {
  constructor(
    private readonly fields: FieldResolver,
    private readonly cx: ExprContext,
    private readonly where: string,
    private readonly bindings: Bindings | undefined,
  ) {}

  /** A call's or an operator's result, as a column of its own when there is somewhere to put it. */
  private bound(v: SqlValue): SqlValue {
    return this.bindings === undefined || v.type === "null" || v.type === "list" ? v : this.bindings.bind(v);
  }

  private get d(): Dialect {
    return this.cx.d;
  }

  value(node: Node): SqlValue {
    if (node.kind !== "field" && isConstant(node, this.cx)) return this.literal(this.evaluate(node));
    switch (node.kind) {
      case "literal":
        return this.literal(node.value);
      case "list":
        return { type: "list", items: node.items.map((item) => this.value(item)) };
      case "field":
        return this.field(node.path);
      case "is-null": {
        const v = this.value(node.operand);
        if (v.type === "null") return this.boolean(!node.negated);
        if (v.type === "list") return this.boolean(node.negated);
        return sql(`(${v.sql} IS ${node.negated ? "NOT " : ""}NULL)`, "boolean");
      }
      case "in":
        return this.bound(this.in(node.left, node.right, node.negated));
      case "unary": {
        const v = this.value(node.operand);
        if (node.op === "not")
          return v.type === "boolean" ? sql(`(NOT ${v.sql})`, "boolean") : this.nullOf("boolean");
        return v.type === "number" ? sql(`(-${v.sql})`, "number") : this.nullOf("number");
      }
      case "binary":
        return node.op === "and" || node.op === "or" ? this.binary(node) : this.bound(this.binary(node));
      case "call":
        return this.bound(this.call(node));
    }
  }

  private evaluate(node: Node): Value {
    return compile(node, { functions: this.cx.functions, context: this.cx.context })({});
  }

  private literal(value: Value): SqlValue {
    if (value === null) return { type: "null" };
    if (typeof value === "string") return { ...sql(this.d.string(value), "text"), origin: "constant" };
    if (typeof value === "number") return { ...sql(this.d.number(value), "number"), origin: "constant" };
    if (typeof value === "boolean") return { ...sql(this.d.boolean(value), "boolean"), origin: "constant" };
    if (Array.isArray(value)) return { type: "list", items: value.map((v) => this.literal(v)) };
    throw new SqlUnsupported(`${this.where}: a record value is not supported on SQL engines`);
  }

  private boolean(b: boolean): Sql {
    return sql(this.d.boolean(b), "boolean");
  }

  private nullOf(type: SqlType): Sql {
    return sql(this.d.nullOf(type), type);
  }

  private field(path: readonly string[]): SqlValue {
    const other = path[0] === "other";
    const names = other ? path.slice(1) : path;
    const found = this.fields(names[0] as string, other);
    if (found === undefined)
      throw new SqlUnsupported(`${this.where}: the field ${path.join(".")} is not known here`);
    // Fields hold text, numbers or booleans: a path into one finds nothing.
    return names.length > 1 ? { type: "null" } : { ...found, origin: "field" };
  }

  private in(leftNode: Node, rightNode: Node, negated: boolean): SqlValue {
    const needle = this.value(leftNode);
    const list = this.value(rightNode);
    if (needle.type === "null" || list.type !== "list") return this.nullOf("boolean");
    if (needle.type === "list")
      throw new SqlUnsupported(
        `${this.where}: \`in\` with a list on its left is not supported on SQL engines`,
      );
    const items = list.items.filter((i): i is Sql => i.type !== "null" && i.type !== "list");
    const same = items.filter((i) => i.type === needle.type);
    const tests: string[] = [];
    if (same.length > 0) tests.push(`${needle.sql} IN (${same.map((i) => i.sql).join(", ")})`);
    for (const item of items.filter((i) => i.type !== needle.type))
      tests.push(`coalesce(${equalsSql(this.d, needle, item)}, false)`);
    const found = tests.length === 0 ? "false" : tests.join(" OR ");
    return sql(
      `CASE WHEN ${needle.sql} IS NULL THEN NULL ELSE ${negated ? "NOT " : ""}(${found}) END`,
      "boolean",
    );
  }

  private binary(node: Extract<Node, { kind: "binary" }>): SqlValue {
    const left = this.value(node.left);
    const right = this.value(node.right);
    if (left.type === "list" || right.type === "list")
      throw new SqlUnsupported(`${this.where}: \`${node.op}\` on a list is not supported on SQL engines`);
    const d = this.d;
    switch (node.op) {
      case "and":
      case "or": {
        const a = left.type === "null" ? d.nullOf("boolean") : asBoolean(d, left);
        const b = right.type === "null" ? d.nullOf("boolean") : asBoolean(d, right);
        return sql(`(${a} ${node.op.toUpperCase()} ${b})`, "boolean");
      }
      case "==":
      case "!=": {
        if (left.type === "null" || right.type === "null") return this.nullOf("boolean");
        const eq = equalsSql(d, left, right);
        return sql(node.op === "==" ? eq : `(NOT ${eq})`, "boolean");
      }
      case "<":
      case "<=":
      case ">":
      case ">=":
        if (left.type === "null" || right.type === "null") return this.nullOf("boolean");
        this.cx.udfs.helper("clue__compare_text", ["text", "text"], "number");
        return sql(orderSql(d, left, right, node.op), "boolean");
      case "+": {
        if (left.type === "null" || right.type === "null")
          return this.nullOf(left.type === "text" || right.type === "text" ? "text" : "number");
        if (left.type === "number" && right.type === "number")
          return sql(finiteSql(d, `(${left.sql} + ${right.sql})`), "number");
        if (
          (left.type === "text" && (right.type === "text" || right.type === "number")) ||
          (left.type === "number" && right.type === "text")
        )
          return sql(d.concat([textOf(d, left), textOf(d, right)]), "text");
        return this.nullOf("text");
      }
      default: {
        if (left.type !== "number" || right.type !== "number") return this.nullOf("number");
        const [a, b] = [left.sql, right.sql];
        if (node.op === "-") return sql(finiteSql(d, `(${a} - ${b})`), "number");
        if (node.op === "*") return sql(finiteSql(d, `(${a} * ${b})`), "number");
        // Division by zero has no value, like any other undefined result.
        const result = node.op === "/" ? `(${a} / ${b})` : d.remainder(a, b);
        return sql(`CASE WHEN ${b} <> 0 THEN ${finiteSql(d, result)} END`, "number");
      }
    }
  }

  private call(node: Extract<Node, { kind: "call" }>): SqlValue {
    const fn = this.cx.functions.get(node.name);
    if (!fn) throw new SqlUnsupported(`${this.where}: unknown function ${node.name}()`);
    const slots = bindArguments(node, fn, []);
    const values = slots.map((slot) => (slot === undefined ? undefined : this.value(slot.value)));
    const returns = sqlTypeOf(fn.returns);
    const acceptsNull = fn.acceptsNull === true;
    // A null argument gives null without calling the function (SQL-null semantics: SPEC section 4).
    if (!acceptsNull && values.some((v) => v?.type === "null"))
      return returns === undefined ? { type: "null" } : this.nullOf(returns);
    if (values.some((v) => v?.type === "list"))
      throw new SqlUnsupported(`${this.where}: ${fn.name}() of a list is not supported on SQL engines`);
    // An omitted optional argument in the middle would shift the later ones: only trailing ones may be left out.
    const given = values.findLastIndex((v) => v !== undefined) + 1;
    if (values.slice(0, given).some((v) => v === undefined))
      throw new SqlUnsupported(
        `${this.where}: ${fn.name}() with a middle optional argument left out is not supported on SQL engines; pass it`,
      );
    // The null literal takes the type of the other arguments (for coalesce and nullif).
    const firstType = values.find(
      (v): v is Sql => v !== undefined && v.type !== "null" && v.type !== "list",
    )?.type;
    const args = values
      .slice(0, given)
      .map((v) =>
        v === undefined || v.type === "list"
          ? (v as undefined)
          : v.type === "null"
            ? this.nullOf(firstType ?? "text")
            : v,
      );
    const form = this.d.functions[fn.name];
    const udfCall = (udfArgs: readonly Sql[]): string => this.udf(fn, udfArgs, slots.length, returns);
    const native = form?.(args, { d: this.d, udf: udfCall });
    if (native !== undefined) return native;
    if (returns === undefined)
      throw new SqlUnsupported(
        `${this.where}: ${fn.name}() of these argument types (${args.map((a) => a?.type).join(", ")}) is not supported on SQL engines`,
      );
    return sql(this.lookedUp(fn, args as Sql[], udfCall) ?? udfCall(args as Sql[]), returns);
  }

  /** A UDF call on one field, as a column of results looked up by its distinct values (Bindings.lookup), if it can be. */
  private lookedUp(
    fn: FunctionDef,
    args: readonly Sql[],
    udfCall: (args: readonly Sql[]) => string,
  ): string | undefined {
    if (this.bindings?.lookUpUdfs !== true || fn.acceptsNull === true) return undefined;
    const varying = args.flatMap((a, k) => (a.origin === "constant" ? [] : [k]));
    const [k] = varying;
    const field = k === undefined ? undefined : args[k];
    if (varying.length !== 1 || field?.origin !== "field") return undefined;
    return this.bindings.lookup(field.sql, (v) =>
      udfCall(args.map((a, i) => (i === k ? { sql: v, type: a.type } : a))),
    );
  }

  private udf(fn: FunctionDef, args: readonly Sql[], slots: number, returns: SqlType | undefined): string {
    if (returns === undefined)
      throw new SqlUnsupported(
        `${this.where}: ${fn.name}() returns values of several types: not supported on SQL engines`,
      );
    const omitted = Math.max(fn.params.length, slots) - args.length;
    const types: UdfSignature["args"] = [
      ...args.map((a) => a.type),
      ...Array.from({ length: fn.variadic ? 0 : omitted }, () => "omitted" as const),
    ];
    const name = this.cx.udfs.use(fn.name, types, returns, fn.acceptsNull ? "function" : "propagate");
    return `${name}(${args.map((a) => a.sql).join(", ")})`;
  }
}
