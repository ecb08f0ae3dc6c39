/**
 * Table export rows in SQL (src/exports/table-rows.ts): one row per golden record of the mapped entity, its mapped
 * columns in order, masked (`redact` publishes null, `hash` publishes sha256: and the hex of the value's text), and
 * the rows that break the bound contract's types and nullability or the primary key, as `problems` (a run that has
 * any writes no row).
 */
import type { Contract, Export } from "../../../types/index.js";
import type { PlanBuilder } from "../builder.js";
import type { Sql } from "../dialect.js";
import { jsonOf, textOf } from "../semantics.js";
import type { Golden } from "./golden.js";

/** Adds the rows of a table export over the golden records; returns the view of rows and the view of problems. */
export function tableRows(
  b: PlanBuilder,
  spec: Export,
  contract: Contract | undefined,
  entity: string,
  golden: Golden,
): { rows: string; problems: string } {
  const { d } = b;
  const mask = (spec.mask ?? {}) as Record<string, "redact" | "hash">;
  const columns = Object.entries(spec.mapping ?? {}).map(([column, ref]) => {
    const [refEntity = "", field = ""] = ref.split(".");
    const source = refEntity === entity ? golden.columns.find((c) => c.name === field) : undefined;
    let value: Sql | undefined =
      source === undefined ? undefined : { sql: d.ident(source.name), type: source.type };
    const action = mask[field];
    if (value !== undefined && action === "redact") value = undefined;
    else if (value !== undefined && action === "hash")
      value = {
        sql: `CASE WHEN ${value.sql} IS NOT NULL THEN ${d.concat(["'sha256:'", d.sha256(textOf(d, value))])} END`,
        type: "text",
      };
    return { column, entity: refEntity, value };
  });
  const published = new Set(columns.map((c) => c.entity));
  const select = columns.map(
    (c) => `${c.value === undefined ? d.nullOf("text") : c.value.sql} AS ${d.ident(`c_${c.column}`)}`,
  );
  b.table(
    "export_values",
    `SELECT row_number() OVER (ORDER BY _cluster) AS _row, _cluster, _entity_id${select.map((s) => `, ${s}`).join("")}\n` +
      `FROM ${d.ident(golden.values)}${published.has(entity) ? "" : " WHERE false"}`,
    `export ${spec.name}: each golden record's columns, masked`,
  );
  const json = columns.map(
    (c, i) =>
      `${d.string(`${i === 0 ? "{" : ","}${JSON.stringify(c.column)}:`)} || ${c.value === undefined ? "'null'" : jsonOf(d, { sql: d.ident(`c_${c.column}`), type: c.value.type })}`,
  );
  b.view(
    "export_rows",
    `SELECT _row, ${json.length === 0 ? "'{}'" : `${json.join(" || ")} || '}'`} AS json FROM export_values`,
    `export ${spec.name}: its rows as JSON`,
  );

  // Problems, in row order and, within a row, as table-rows.ts finds them: contract columns, then the primary key.
  const where = d.concat(["'row '", `CAST(_row AS ${d.types.text})`, "' ('", "_entity_id", "'): '"]);
  const typeOf = (column: string) => columns.find((c) => c.column === column)?.value;
  const problems: string[] = [];
  Object.entries(contract?.columns ?? {}).forEach(([column, def], k) => {
    const v = typeOf(column);
    const value = v === undefined ? undefined : { sql: d.ident(`c_${column}`), type: v.type };
    if (def.nullable === false)
      problems.push(
        `SELECT _row, ${k} AS _seq, ${d.concat([where, d.string(`column ${column} is null, but contract ${contract?.name ?? ""} says it is not nullable`)])} AS message FROM export_values` +
          (value === undefined ? "" : ` WHERE ${value.sql} IS NULL`),
      );
    if (value === undefined) return;
    const fits = fitsType(b, value, def.type);
    if (fits === "true") return;
    problems.push(
      `SELECT _row, ${k} AS _seq, ${d.concat([where, d.string(`column ${column} holds `), jsonOf(d, value), d.string(`, not a ${def.type} (contract ${contract?.name ?? ""})`)])} AS message\n` +
        `FROM export_values WHERE ${value.sql} IS NOT NULL AND NOT (${fits})`,
    );
  });
  const primaryKey = contract
    ? [contract.primary_key].flat()
    : ((spec.options as { primary_key?: string[] }).primary_key ?? []);
  if (primaryKey.length > 0) {
    const seq = Object.keys(contract?.columns ?? {}).length;
    const values = primaryKey.map((c) => {
      const v = typeOf(c);
      return v === undefined ? undefined : { sql: d.ident(`c_${c}`), type: v.type };
    });
    const anyNull = values.some((v) => v === undefined)
      ? "true"
      : values.map((v) => `${(v as Sql).sql} IS NULL`).join(" OR ");
    const keyText = values.some((v) => v === undefined)
      ? d.nullOf("text")
      : d.concat(
          values.flatMap((v, i) => (i === 0 ? [textOf(d, v as Sql)] : ["chr(0)", textOf(d, v as Sql)])),
        );
    const named = primaryKey.join(", ");
    problems.push(
      `SELECT _row, ${seq} AS _seq, ${d.concat([where, d.string(`primary key ${named} is null`)])} AS message FROM export_values WHERE ${anyNull}`,
      `SELECT _row, ${seq} AS _seq, ${d.concat([where, d.string(`primary key ${named} repeats row `), `CAST(_first AS ${d.types.text})`])} AS message\n` +
        `FROM (SELECT _row, _entity_id, min(_row) OVER (PARTITION BY _key) AS _first FROM (SELECT *, ${keyText} AS _key FROM export_values WHERE NOT (${anyNull}))) WHERE _row <> _first`,
    );
  }
  b.view(
    "export_problems",
    problems.length === 0
      ? `SELECT 0 AS _row, 0 AS _seq, ${d.nullOf("text")} AS message WHERE false`
      : problems.join("\nUNION ALL\n"),
    `export ${spec.name}: rows that break its contract or primary key`,
  );
  return { rows: "export_rows", problems: "export_problems" };
}

/** table-rows.ts fitsType, for a value that is not null. */
function fitsType(b: PlanBuilder, v: Sql, type: string): string {
  const { d } = b;
  switch (type) {
    case "string":
      return v.type === "text" ? "true" : "false";
    case "number":
      return v.type === "number" ? "true" : "false";
    case "integer":
      return v.type === "number" ? `${v.sql} = floor(${v.sql})` : "false";
    case "boolean":
      return v.type === "boolean" ? "true" : "false";
    case "date":
      return v.type === "text" ? d.regexMatches(v.sql, "^[0-9]{4}-[0-9]{2}-[0-9]{2}$") : "false";
    case "datetime":
      return v.type === "text"
        ? d.regexMatches(v.sql, "^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}")
        : "false";
    default:
      return "true";
  }
}
