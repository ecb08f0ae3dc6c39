/**
 * The records that meet in dedup, and the parts of the rules computed once per record (as src/matching/split.ts
 * does for the JS engine): every largest piece of a rule, level or key that reads one record's fields becomes a
 * column of the `parts` table, and the pair conditions read those columns on both sides.
 */
import type { Node } from "../../../expr/ast.js";
import { readsOther, shape } from "../../../matching/blocking.js";
import { dropOther, mapChildren } from "../../../matching/split.js";
import { SOURCE_FIELD } from "../../../pipeline/scope.js";
import type { PlanBuilder } from "../builder.js";
import type { CompiledInput } from "../compile.js";
import type { Sql } from "../dialect.js";
import { compileExpr, type Bindings, type FieldResolver, type SqlValue } from "../expr.js";
import { textOf } from "../semantics.js";
import type { Column } from "./mapping.js";

export interface MatchRecords {
  /** `records`: _rid (0-based, in the JS engine's order), _source, _id, and the entity's columns. */
  table: string;
  columns: Column[];
  /** Whether the entity lacks a field named `source`, so that expressions reading `source` read the record's source. */
  sourceField: boolean;
}

/** The validated records of every input, less those validation rejects or quarantines, numbered in run order. */
export function matchRecords(b: PlanBuilder, inputs: readonly CompiledInput[]): MatchRecords {
  const { d } = b;
  const columns = inputs[0]?.columns ?? [];
  const names = columns.map((c) => d.ident(c.name));
  const union = inputs
    .map((c) => {
      const id = columns.find((col) => col.name === c.idField);
      const idText =
        id === undefined ? d.nullOf("text") : textOf(d, { sql: d.ident(id.name), type: id.type });
      return (
        `SELECT _input, _line, ${d.string(c.source)} AS _source, ${idText} AS _idtext${names.map((n) => `, ${n}`).join("")}\n` +
        `FROM ${d.ident(c.validated as string)} WHERE NOT _excluded`
      );
    })
    .join("\nUNION ALL\n");
  b.table(
    "records",
    `SELECT _rid, _source, coalesce(_idtext, ${d.concat(["'#'", `CAST(_rid + 1 AS ${d.types.text})`])}) AS _id${names.map((n) => `, ${n}`).join("")}\n` +
      `FROM (SELECT row_number() OVER (ORDER BY _input, _line) - 1 AS _rid, * FROM (\n${union}\n))`,
    "the records that meet in dedup (validation's reject and quarantine keep theirs out), numbered in run order; a record without an id is #n",
  );
  return { table: "records", columns, sourceField: !columns.some((c) => c.name === SOURCE_FIELD) };
}

/** The fields of a record of `records` (alias a or b), `source` included where the entity has no such field. */
export function recordFields(
  b: PlanBuilder,
  records: MatchRecords,
  alias: string,
  otherAlias?: string,
): FieldResolver {
  const byName = new Map(records.columns.map((c) => [c.name, c]));
  return (name, other) => {
    const table = other ? otherAlias : alias;
    if (table === undefined) return undefined;
    if (name === SOURCE_FIELD && records.sourceField) return { sql: `${table}._source`, type: "text" };
    const c = byName.get(name);
    return c === undefined ? undefined : { sql: `${table}.${b.d.ident(c.name)}`, type: c.type };
  };
}

/** The record-side parts of a rule set, each compiled once, and the pair conditions rewritten to read them. */
export class Parts {
  readonly list: { name: string; value: SqlValue; node: Node }[] = [];
  private readonly byShape = new Map<string, string>();
  /** The columns the parts' expressions compute on the way (see Bindings), over `records r`. */
  readonly bindings: Bindings;

  constructor(
    private readonly b: PlanBuilder,
    private readonly records: MatchRecords,
  ) {
    // part_values reads every record once: a UDF of one field runs once per distinct value (soundex of names).
    this.bindings = b.bindings("r", { lookUpUdfs: true });
  }

  /** The part computing `node` (which reads one record's fields), added when new: its column name. */
  partOf(node: Node, where: string): string {
    const key = shape(node);
    let name = this.byShape.get(key);
    if (name === undefined) {
      name = `__p${this.list.length}`;
      const value = compileExpr(
        node,
        recordFields(this.b, this.records, "r"),
        this.b.cx,
        where,
        this.bindings,
      );
      this.list.push({ name, value, node });
      this.byShape.set(key, name);
    }
    return name;
  }

  /** The condition with every one-record piece replaced by a read of its part (`__pK`, `other.__pK`). */
  rewrite(node: Node, where: string): Node {
    switch (readsOther(node)) {
      case "constant":
        return node;
      case "none":
        return { kind: "field", path: [this.partOf(node, where)], span: node.span };
      case "only":
        return { kind: "field", path: ["other", this.partOf(dropOther(node), where)], span: node.span };
      case "mixed":
        return mapChildren(node, (n) => this.rewrite(n, where));
    }
  }

  /** A part's SQL type (a null literal part reads as text). */
  typeOf(name: string): Sql["type"] {
    const v = this.list.find((p) => p.name === name)?.value;
    return v === undefined || v.type === "null" || v.type === "list" ? "text" : v.type;
  }

  /** Fields of a pair (a row of `pairRows`, through `alias`): `__pK` is the first record's part, `other.__pK` the second's. */
  pairFields(alias: string): FieldResolver {
    return (name, isOther) => {
      if (!name.startsWith("__p")) return undefined;
      return { sql: `${alias}.${this.b.d.ident(`${isOther ? "b" : "a"}${name}`)}`, type: this.typeOf(name) };
    };
  }

  /** Each candidate pair (i, j) with both records' parts, `a__pK` and `b__pK`. */
  pairRows(candidates: string): string {
    const { d } = this.b;
    const columns = this.list.flatMap((p) => [
      `a.${d.ident(p.name)} AS ${d.ident(`a${p.name}`)}`,
      `b.${d.ident(p.name)} AS ${d.ident(`b${p.name}`)}`,
    ]);
    return (
      `SELECT c.i, c.j${columns.map((c) => `, ${c}`).join("")}\n` +
      `FROM ${d.ident(candidates)} c JOIN parts a ON a._rid = c.i JOIN parts b ON b._rid = c.j`
    );
  }

  /** Each part as SQL of its type (the null literal typed as text). */
  columns(): { name: string; sql: string; type: Sql["type"] }[] {
    return this.list.map((p) => ({
      name: p.name,
      type: this.typeOf(p.name),
      sql: p.value.type === "null" || p.value.type === "list" ? this.b.d.nullOf("text") : p.value.sql,
    }));
  }
}
