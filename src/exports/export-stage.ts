import type { Project } from "../config/project.js";
import type { GoldenRecord } from "../golden/golden.js";
import { indexProject } from "../lint/project-index.js";
import { renderTableRows, type RenderedRows } from "./table-rows.js";

const TABLE_TYPES = new Set(["sql-table", "file"]);

/** The rows of `export:NAME`, or why the stage cannot be rendered (an unknown export, an event export). */
export function exportStage(
  project: Project,
  name: string,
  golden: readonly GoldenRecord[],
): RenderedRows | { error: string } {
  const index = indexProject(project);
  const resource = index.byName.export.get(name);
  if (!resource)
    return {
      error: `no export named "${name}" (exports: ${[...index.byName.export.keys()].join(", ") || "none"})`,
    };
  if (!TABLE_TYPES.has(resource.spec.type)) {
    return {
      error: `export ${name} is a ${resource.spec.type}: its stage is events:${name}, which is not available in this version`,
    };
  }
  const contract =
    resource.spec.contract === undefined
      ? undefined
      : index.byName.contract.get(resource.spec.contract)?.spec;
  return renderTableRows(resource.spec, golden, contract);
}

/** The export a stage names (`export:NAME`), or undefined for the other stages. */
export function exportName(stage: string): string | undefined {
  return stage.startsWith("export:") ? stage.slice("export:".length) : undefined;
}
