import { resourcesOf, type Project } from "../config/project.js";
import { TABLE_TYPES } from "../exports/export-stage.js";
import { indexProject } from "../lint/project-index.js";
import { entityRecordTarget } from "./entity-records.js";
import { eventMessageTarget } from "./event-messages.js";
import { schemaText } from "./json-schema.js";
import { tableRowTarget } from "./table-rows.js";
import { generatedNote, type TypeTarget } from "./target.js";
import { headerComment, renderTypeScript } from "./typescript.js";

/** The formats `clue types` writes; the first is the default. */
export const TYPES_FORMATS = ["ts", "json-schema"] as const;
export type TypesFormat = (typeof TYPES_FORMATS)[number];

/** One file to write, relative to the output folder. */
export interface GeneratedFile {
  path: string;
  text: string;
}

/**
 * Every type of the project: one per entity, table export and event export, in a stable order (folder, then name).
 * Only resources that pass their schema are used; the caller refuses a project with errors first.
 */
export function typeTargets(project: Project): TypeTarget[] {
  const index = indexProject(project);
  const entities = [...index.byName.entity.values()].filter((r) => r.valid).map(entityRecordTarget);
  const exports = resourcesOf(project, "export")
    .filter((r) => r.valid && index.byName.export.get(r.name) === r)
    .map((r) => (TABLE_TYPES.has(r.spec.type) ? tableRowTarget(r, index) : eventMessageTarget(r, index)));
  const order = { entities: 0, exports: 1, events: 2 };
  return [...entities, ...exports].sort(
    (a, b) => order[a.folder] - order[b.folder] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
}

/** Type names two targets share (exports `a-b` and `a_b` are both `AB…`): one index.ts could not export both. */
export function clashingTypeNames(targets: readonly TypeTarget[]): string[] {
  const counts = new Map<string, number>();
  for (const name of targets.flatMap(typeNamesOf)) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts].filter(([, n]) => n > 1).map(([name]) => name);
}

/** The files of a format: one per target, and for TypeScript an index.ts re-exporting every type. */
export function renderTypeFiles(targets: readonly TypeTarget[], format: TypesFormat): GeneratedFile[] {
  if (format === "json-schema")
    return targets.map((t) => ({
      path: `${t.folder}/${t.name}.schema.json`,
      text: schemaText({
        $comment: generatedNote(t.from),
        ...t.schema,
      }),
    }));
  const files = targets.map((t) => ({ path: `${t.folder}/${t.name}.ts`, text: renderTypeScript(t) }));
  const from = [...new Set(targets.flatMap((t) => t.from))].sort();
  const index = [
    headerComment(from).trimEnd(),
    "",
    ...targets.map(
      (t) => `export type { ${typeNamesOf(t).sort().join(", ")} } from "./${t.folder}/${t.name}.js";`,
    ),
    ...(targets.length === 0 ? ["export {};"] : []),
  ];
  return [...files, { path: "index.ts", text: `${index.join("\n")}\n` }];
}

/** The interfaces a target's file exports: its type, and its titled nested objects. */
function typeNamesOf(target: TypeTarget): string[] {
  const titles = new Set<string>([target.typeName]);
  const walk = (schema: TypeTarget["schema"]): void => {
    if (schema.title !== undefined) titles.add(schema.title);
    for (const child of Object.values(schema.properties ?? {})) walk(child);
    if (schema.items) walk(schema.items);
  };
  walk(target.schema);
  return [...titles];
}
