import type { KindName } from "../config/kinds.js";
import { resourcesOf, type Project, type Resource } from "../config/project.js";
import type { EntityField } from "../types/index.js";

/** Lookups the rules share, built once per run. */
export interface ProjectIndex {
  /** Resources by kind, then name; the first of duplicates wins (duplicates are reported separately). */
  byName: { [K in KindName]: Map<string, Resource<K>> };
  /** Source name → the mappings that read it. */
  sources: Map<string, Resource<"mapping">[]>;
  fieldsOf(entity: string): Record<string, EntityField> | undefined;
}

export function indexProject(project: Project): ProjectIndex {
  const byName = {} as { [K in KindName]: Map<string, Resource<K>> };
  const add = <K extends KindName>(kind: K) => {
    const map = new Map<string, Resource<K>>();
    for (const r of resourcesOf(project, kind)) if (!map.has(r.name)) map.set(r.name, r);
    byName[kind] = map as (typeof byName)[K];
  };
  add("entity");
  add("mapping");
  add("cleaning");
  add("validation");
  add("dedup");
  add("contract");
  add("export");
  add("webhook");
  add("test");
  const sources = new Map<string, Resource<"mapping">[]>();
  for (const m of resourcesOf(project, "mapping")) {
    if (typeof m.spec.source !== "string") continue;
    sources.set(m.spec.source, [...(sources.get(m.spec.source) ?? []), m]);
  }
  return {
    byName,
    sources,
    fieldsOf(entity) {
      // Only a schema-valid entity's fields are trusted in shape; an invalid one is reported in its own file.
      const resource = byName.entity.get(entity);
      return resource?.valid ? resource.spec.fields : undefined;
    },
  };
}
