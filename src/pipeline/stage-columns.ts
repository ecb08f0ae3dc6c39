/**
 * The typed columns of a stage's rows, for outputs that need them up front (a Parquet file): entity records at
 * mapped, cleaned and validated (plus `_issues`), golden records, and export rows. Each type comes from the config:
 * the entity's field types; for an export, its contract's column type where it is bound to one, else the mapped
 * field's type (text where the export hashes the field). Matches and events have no fixed columns: asking for them
 * is an error that says to write JSON Lines.
 */
import type { Project } from "../config/project.js";
import { exportName } from "../exports/export-stage.js";
import type { Column, ColumnType } from "../io/parquet/columns.js";
import { indexProject } from "../lint/project-index.js";
import type { EntityField } from "../types/index.js";

export type StageColumns = { ok: true; columns: Column[] } | { ok: false; error: string };

const ISSUE: ColumnType = {
  struct: [
    { name: "rule", type: "string" },
    { name: "severity", type: "string" },
    { name: "action", type: "string" },
  ],
};

/** The columns of `stage` for records of `entities` (the entities of the run's inputs). */
export function stageColumns(project: Project, stage: string, entities: readonly string[]): StageColumns {
  const index = indexProject(project);
  const exported = exportName(stage);
  if (exported !== undefined && stage.startsWith("export:")) {
    const spec = index.byName.export.get(exported)?.spec;
    // An unknown export is reported by the run itself, with the names it knows.
    if (spec === undefined) return { ok: true, columns: [] };
    const contract = spec.contract === undefined ? undefined : index.byName.contract.get(spec.contract)?.spec;
    const mask = (spec.mask ?? {}) as Record<string, string>;
    const columns = Object.entries(spec.mapping ?? {}).map(([name, ref]): Column => {
      const [entity = "", field = ""] = ref.split(".");
      const type =
        contract?.columns?.[name]?.type ??
        (mask[field] === "hash" ? "string" : index.fieldsOf(entity)?.[field]?.type);
      return { name, type: type ?? "string" };
    });
    return { ok: true, columns };
  }
  const kinds = [...new Set(entities)];
  if (stage === "matches" || stage.startsWith("events:"))
    return {
      ok: false,
      error: `--stage ${stage} has no fixed columns to write as Parquet; write it as JSON Lines`,
    };
  if (kinds.length !== 1)
    return {
      ok: false,
      error: `a Parquet file holds one entity's records; these inputs are ${kinds.join(" and ")}: run each entity on its own`,
    };
  const fields = index.fieldsOf(kinds[0] as string) ?? {};
  const fieldColumns = Object.entries(fields).map(([name, f]) => ({ name, type: f.type }));
  if (stage === "golden") return { ok: true, columns: goldenColumns(fields) };
  if (stage === "validated")
    return { ok: true, columns: [...fieldColumns, { name: "_issues", type: { list: ISSUE } }] };
  return { ok: true, columns: fieldColumns };
}

/** A golden record: its ids, its members, and each field's surviving value with where it came from. */
function goldenColumns(fields: Record<string, EntityField>): Column[] {
  return [
    { name: "entityType", type: "string" },
    { name: "entityId", type: "string" },
    {
      name: "members",
      type: {
        list: {
          struct: [
            { name: "source", type: "string" },
            { name: "id", type: "string" },
          ],
        },
      },
    },
    {
      name: "attributes",
      type: {
        struct: Object.entries(fields).map(([name, f]) => ({
          name,
          type: {
            struct: [
              { name: "value", type: f.type },
              { name: "provenance", type: "string" },
              { name: "record", type: "string" },
              { name: "confidence", type: "number" },
            ],
          },
        })),
      },
    },
  ];
}
