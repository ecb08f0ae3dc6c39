/**
 * TEMPORARY in c11-target until c11-compiler's compile.ts is merged: compiles entities only (entity type, vocabulary,
 * one key per field), so the target's plumbing can be tested; every other resource compiles to nothing.
 */
import type { Project } from "../config/project.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { CluedinObject, CompiledResource } from "./model.js";

export interface CompileInput {
  kind: string;
  name: string;
  spec: Record<string, unknown>;
}

export function compileForCluedin(
  _project: Project,
  resources: readonly CompileInput[],
): { resources: Map<string, CompiledResource>; diagnostics: Diagnostic[] } {
  const out = new Map<string, CompiledResource>();
  for (const r of resources) {
    if (r.kind !== "entities") continue;
    const entity = String(r.spec.entity);
    const prefix = entity.toLowerCase();
    const fields = (r.spec.fields ?? {}) as Record<
      string,
      { type?: string; required?: boolean; description?: string }
    >;
    const objects: CluedinObject[] = [
      {
        type: "entity-type",
        key: `/${entity}`,
        body: { type: `/${entity}`, displayName: entity, icon: "", route: prefix, active: true },
      },
      {
        type: "vocabulary",
        key: prefix,
        body: {
          vocabularyName: entity,
          keyPrefix: prefix,
          grouping: `/${entity}`,
          description: typeof r.spec.description === "string" ? r.spec.description : "",
        },
      },
      ...Object.entries(fields).map(([name, f]): CluedinObject => ({
        type: "vocabulary-key",
        key: `${prefix}.${name}`,
        vocabulary: prefix,
        body: {
          name,
          displayName: name,
          groupName: entity,
          dataType: f.type === "datetime" || f.type === "date" ? "DateTime" : "Text",
          storage: f.type === "datetime" || f.type === "date" ? "Typed" : "Keyword",
          dataAnnotationsIsRequired: f.required === true,
          dataClassificationCode: null,
          description: f.description ?? "",
        },
      })),
    ];
    out.set(`entities/${r.name}`, { objects });
  }
  return { resources: out, diagnostics: [] };
}
