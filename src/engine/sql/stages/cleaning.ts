/**
 * The cleaning stage in SQL (src/pipeline/cleaning.ts): one view per step, in order, so that each step sees what
 * the earlier ones wrote. `remove_record` marks the record (`_removed`, `_reason`: the first step that removed it);
 * later steps still compute on a removed record, which changes nothing, as it is dropped.
 */
import type { Project } from "../../../config/project.js";
import { resourcesOf } from "../../../config/project.js";
import { parse } from "../../../expr/parser.js";
import type { Node } from "../../../expr/ast.js";
import type { PlanBuilder } from "../builder.js";
import { compileExpr, condition, SqlUnsupported, typed, type FieldResolver } from "../expr.js";
import type { Column } from "./mapping.js";

/** An expression of the project as a parse tree (the project validated, so it parses). */
export function parsed(text: string, where: string): Node {
  const result = parse(text);
  if (!result.ok) throw new SqlUnsupported(`${where}: ${result.error.message} (run clue validate)`);
  return result.node;
}

/** Fields of a record row, as columns of the view being read (other records have none here). */
export function rowFields(b: PlanBuilder, columns: readonly Column[], alias?: string): FieldResolver {
  const byName = new Map(columns.map((c) => [c.name, c]));
  return (name, other) => {
    const c = byName.get(name);
    if (other || c === undefined) return undefined;
    return { sql: alias === undefined ? b.d.ident(c.name) : `${alias}.${b.d.ident(c.name)}`, type: c.type };
  };
}

/** Adds the cleaning steps of input `k` over the table `from`; returns the view of cleaned records (removed ones marked). */
export function cleanInput(
  b: PlanBuilder,
  project: Project,
  k: number,
  entity: string,
  from: string,
  columns: readonly Column[],
): string {
  const { d } = b;
  const fields = rowFields(b, columns);
  const names = columns.map((c) => d.ident(c.name));
  let current = `clean_${k}_0`;
  b.view(
    current,
    `SELECT _input, _line, ${names.join(", ")}, ${d.nullOf("text")} AS _removed, ${d.nullOf("text")} AS _reason\n` +
      `FROM ${d.ident(from)} WHERE _reject IS NULL AND _invalid IS NULL`,
    `input ${k}: records as mapped, before cleaning`,
  );
  let n = 0;
  for (const resource of resourcesOf(project, "cleaning").filter((c) => c.spec.entity === entity)) {
    for (const step of resource.spec.steps) {
      const where = `cleaning ${resource.name}, step ${step.name}`;
      const bindings = b.bindings();
      const when =
        step.when === undefined
          ? undefined
          : condition(compileExpr(parsed(step.when, where), fields, b.cx, where, bindings), b.cx);
      const select = ["_input", "_line"];
      if (step.action === "remove_record") {
        const removes = when === undefined ? "true" : when;
        const key = d.string(`${resource.name}.${step.name}`);
        const reason = d.string(step.reason ?? "removed by cleaning");
        select.push(
          ...names,
          `CASE WHEN _removed IS NULL AND ${removes} THEN ${key} ELSE _removed END AS _removed`,
          `CASE WHEN _removed IS NULL AND ${removes} THEN ${reason} ELSE _reason END AS _reason`,
        );
      } else {
        const target = step.field === undefined ? undefined : columns.find((c) => c.name === step.field);
        if (step.field !== undefined && target === undefined)
          throw new SqlUnsupported(`${where}: ${step.field} is not a field of ${entity}`);
        for (const c of columns) {
          const name = d.ident(c.name);
          if (c !== target) {
            select.push(name);
            continue;
          }
          const value =
            step.action === "clear" || step.value === undefined
              ? d.nullOf(c.type)
              : typed(
                  compileExpr(parsed(step.value, where), fields, b.cx, where, bindings),
                  c.type,
                  b.cx,
                  where,
                ).sql;
          select.push(
            when === undefined
              ? `${value} AS ${name}`
              : `CASE WHEN ${when} THEN ${value} ELSE ${name} END AS ${name}`,
          );
        }
        select.push("_removed", "_reason");
      }
      const next = `clean_${k}_${++n}`;
      b.view(next, `SELECT ${select.join(", ")}\nFROM ${bindings.from(d.ident(current))}`, where);
      current = next;
    }
  }
  return current;
}
