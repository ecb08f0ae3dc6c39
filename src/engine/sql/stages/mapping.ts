/**
 * The mapping stage in SQL (src/pipeline/mapping.ts): each entity field read from the record's JSON text by its
 * JSONPath, and text converted to a number or boolean where the field is one and the conversion loses nothing.
 *
 * A field's values have its declared type in SQL (text, DOUBLE, BOOLEAN). A record whose value is of another type
 * (a JSON number in a string field, text that is no number in a number field: the JS engine keeps such a value as
 * it is) is marked `_invalid`: the runner stops with an error naming it, rather than write something else. A number
 * no DOUBLE holds as written (text past 2^53 in a number field) rejects the record as the JS engine does (`_reject`).
 */
import type { EntityField, Mapping } from "../../../types/index.js";
import type { Sql } from "../dialect.js";
import { SqlUnsupported } from "../expr.js";
import type { SqlType } from "../plan.js";
import type { PlanBuilder } from "../builder.js";

/** A column of an entity's records in SQL. */
export interface Column {
  name: string;
  type: SqlType;
  /** The entity's type name for it (string, integer, date, ...), for messages. */
  declared: string;
}

/** The SQL type of an entity field type. */
export function columnType(type: EntityField["type"]): SqlType {
  if (type === "number" || type === "integer") return "number";
  if (type === "boolean") return "boolean";
  return "text";
}

export function entityColumns(fields: Record<string, EntityField>): Column[] {
  return Object.entries(fields).map(([name, f]) => ({ name, type: columnType(f.type), declared: f.type }));
}

/** Helper UDF: why a number field's text cannot become a number unchanged (io/exact-number.ts), or NULL. */
export const NUMBER_PROBLEM = "clue__number_problem";

/**
 * `$.a.b`, `$['a b']`, `$.list[0]`: a path to one node, as segments. Paths that can match several nodes (wildcards,
 * filters, slices, recursive descent) are not supported on SQL engines.
 */
export function pathSegments(path: string, where: string): (string | number)[] {
  const segments: (string | number)[] = [];
  const re = /\.([A-Za-z_$][A-Za-z0-9_$]*)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\]/y;
  if (!path.startsWith("$"))
    throw new SqlUnsupported(`${where}: the path ${path} does not start at $; SQL engines read paths from $`);
  re.lastIndex = 1;
  while (re.lastIndex < path.length) {
    const at = re.lastIndex;
    const m = re.exec(path);
    if (!m || m.index !== at)
      throw new SqlUnsupported(
        `${where}: the path ${path} is not supported on SQL engines (only names and [n] indexes: no wildcards, filters or ..); map it with --engine js`,
      );
    if (m[1] !== undefined) segments.push(m[1]);
    else if (m[2] !== undefined) segments.push(Number(m[2]));
    else segments.push((m[3] ?? m[4] ?? "").replace(/\\(.)/g, "$1"));
  }
  return segments;
}

export interface MappedInput {
  /** The table of typed records: `_input`, `_line`, the columns, `_reject`, `_invalid`, `_found`. */
  table: string;
  columns: Column[];
}

/** Adds the table of input `k`'s records as entity records. */
export function mapInput(
  b: PlanBuilder,
  k: number,
  inputView: string,
  mapping: { name: string; spec: Mapping },
  fields: Record<string, EntityField>,
): MappedInput {
  const { d } = b;
  const columns = entityColumns(fields);
  const where = `mapping ${mapping.name}`;
  for (const field of Object.keys(mapping.spec.fields))
    if (!Object.hasOwn(fields, field))
      throw new SqlUnsupported(`${where}: field ${field} is not a field of ${mapping.spec.entity}`);
  const mapped = columns.filter((c) => mapping.spec.fields[c.name] !== undefined);
  const paths = mapped.map((c) =>
    pathSegments(mapping.spec.fields[c.name] as string, `${where}, field ${c.name}`),
  );
  const source = `source_${k}`;
  const raw = (c: Column) => d.ident(`${c.name}__json`);
  b.view(
    source,
    `SELECT _line${mapped.map((c, i) => `, ${d.listItem("_v", i)} AS ${raw(c)}`).join("")}\n` +
      `FROM (SELECT _line, ${mapped.length === 0 ? "NULL" : d.jsonExtractMany("record", paths)} AS _v FROM ${d.ident(inputView)})`,
    `${where}: the JSON at each mapped path (the record is parsed once)`,
  );
  const select: string[] = [`${k} AS _input`, "_line"];
  const rejects: string[] = [];
  const invalid: { name: string; test: string; kind: string }[] = [];
  for (const c of columns) {
    const index = mapped.indexOf(c);
    if (index === -1) {
      select.push(`${d.nullOf(c.type)} AS ${d.ident(c.name)}`);
      continue;
    }
    const json = raw(c);
    const converted = convert(b, c, d.jsonKind(json), json, d.jsonString(json));
    select.push(`${converted.value.sql} AS ${d.ident(c.name)}`);
    if (converted.reject) rejects.push(converted.reject);
    invalid.push({ name: c.name, test: converted.invalid, kind: d.jsonKind(json) });
  }
  select.push(
    `${rejects.length === 0 ? d.nullOf("text") : `coalesce(${rejects.join(", ")})`} AS _reject`,
    `${caseOf(
      invalid.map((i) => [i.test, d.string(i.name)]),
      d.nullOf("text"),
    )} AS _invalid`,
    `${caseOf(
      invalid.map((i) => [i.test, i.kind]),
      d.nullOf("text"),
    )} AS _found`,
  );
  const table = `mapped_${k}`;
  b.table(
    table,
    `SELECT ${select.join(",\n  ")}\nFROM ${d.ident(source)}`,
    `${where}: entity records of input ${k}`,
  );
  return { table, columns };
}

function caseOf(cases: [string, string][], otherwise: string): string {
  if (cases.length === 0) return otherwise;
  return `CASE ${cases.map(([when, then]) => `WHEN ${when} THEN ${then}`).join(" ")} END`;
}

/** The value of a mapped field from its JSON, and the tests for a value of another type or a rejected number. */
function convert(
  b: PlanBuilder,
  c: Column,
  kind: string,
  raw: string,
  text: string,
): { value: Sql; invalid: string; reject?: string } {
  const { d } = b;
  const isKind = (k: string) => `${kind} = '${k}'`;
  if (c.type === "text")
    return {
      value: { sql: `CASE WHEN ${isKind("string")} THEN ${text} END`, type: "text" },
      invalid: `${kind} NOT IN ('string', 'null')`,
    };
  if (c.type === "boolean")
    return {
      value: {
        sql: `CASE WHEN ${isKind("boolean")} THEN ${d.jsonBoolean(raw)} WHEN ${isKind("string")} AND ${text} = 'true' THEN true WHEN ${isKind("string")} AND ${text} = 'false' THEN false END`,
        type: "boolean",
      },
      invalid: `(${kind} IN ('number', 'object', 'array') OR (${isKind("string")} AND ${text} NOT IN ('true', 'false')))`,
    };
  // number and integer: JSON numbers as they are; text when it is a strict decimal (a whole one for integers).
  const parsed = d.parseDecimal(text);
  const whole = c.declared === "integer" ? ` AND ${parsed} = floor(${parsed})` : "";
  b.cx.udfs.helper(NUMBER_PROBLEM, ["text"], "text");
  return {
    value: {
      sql: `CASE WHEN ${isKind("number")} THEN ${d.jsonNumber(raw)} WHEN ${isKind("string")}${whole} THEN ${parsed} END`,
      type: "number",
    },
    invalid: `(${kind} IN ('boolean', 'object', 'array') OR (${isKind("string")} AND NOT coalesce(${parsed} IS NOT NULL${whole}, false)))`,
    // Only text a number cannot hold as written (beyond 2^53, beyond range, too small) can be changed by the
    // conversion: the helper judges just those values, as mapping.ts does.
    reject:
      `CASE WHEN ${isKind("string")} AND coalesce(${parsed} = 0 OR abs(${parsed}) > 9007199254740991, true) ` +
      `THEN ${d.concat([d.string(`field ${c.name}: `), `${NUMBER_PROBLEM}(${d.jsTrim(text)})`, d.string(`; make ${c.name} a string field to keep such values as written`)])} END`,
  };
}
