import type {
  CleaningProject,
  Contract,
  DedupRules,
  Entity,
  Export,
  Mapping,
  TestCase,
  Validation,
  Webhook,
} from "../types/index.js";
import type { NodePath } from "../diagnostics/diagnostic.js";
import type { SchemaName } from "../schema/schema-files.js";

/** The spec type of each config kind, as generated from its JSON Schema. */
export interface KindSpecs {
  entity: Entity;
  mapping: Mapping;
  cleaning: CleaningProject;
  validation: Validation;
  dedup: DedupRules;
  contract: Contract;
  export: Export;
  webhook: Webhook;
  test: TestCase;
}

export type KindName = keyof KindSpecs;

export interface KindDef<K extends KindName = KindName> {
  kind: K;
  /** The folder under config/ whose files are of this kind when they carry no `kind:`. */
  folder: string;
  /** The kind's segment in REST paths and plan addresses; undefined for kinds that are never deployed. */
  restKind: string | undefined;
  /** How messages name a resource of this kind ("the cleaning project"). */
  label: string;
  /** The schema under schemas/. */
  schema: SchemaName;
  /** Where the resource's name comes from (the first path that holds a string). */
  namePaths: readonly NodePath[];
}

/**
 * The registry of config kinds, in dependency order: apply creates them top to bottom and deletes bottom to top
 * (SPEC section 6). Adding a kind is adding an entry here and its schema.
 */
export const kinds: { readonly [K in KindName]: KindDef<K> } = {
  entity: {
    kind: "entity",
    label: "entity",
    folder: "entities",
    restKind: "entities",
    schema: "entity",
    namePaths: [["entity"]],
  },
  mapping: {
    kind: "mapping",
    label: "mapping",
    folder: "mappings",
    restKind: "mappings",
    schema: "mapping",
    namePaths: [["name"], ["source"]],
  },
  cleaning: {
    kind: "cleaning",
    label: "cleaning project",
    folder: "cleaning",
    restKind: "cleaning-projects",
    schema: "cleaning",
    namePaths: [["project"]],
  },
  validation: {
    kind: "validation",
    label: "validation",
    folder: "validations",
    restKind: "validations",
    schema: "validation",
    namePaths: [["rule"]],
  },
  dedup: {
    kind: "dedup",
    label: "dedup rules",
    folder: "dedup",
    restKind: "dedup-rules",
    schema: "dedup",
    namePaths: [["name"], ["entity"]],
  },
  contract: {
    kind: "contract",
    label: "contract",
    folder: "contracts",
    restKind: "contracts",
    schema: "contract",
    namePaths: [["name"]],
  },
  export: {
    kind: "export",
    label: "export",
    folder: "exports",
    restKind: "exports",
    schema: "export",
    namePaths: [["name"]],
  },
  webhook: {
    kind: "webhook",
    label: "webhook",
    folder: "webhooks",
    restKind: "webhooks",
    schema: "webhook",
    namePaths: [["name"]],
  },
  test: {
    kind: "test",
    label: "test",
    folder: "tests",
    restKind: undefined,
    schema: "test",
    namePaths: [["test"]],
  },
};

export const kindNames = Object.keys(kinds) as KindName[];

export function isKindName(value: unknown): value is KindName {
  return typeof value === "string" && Object.hasOwn(kinds, value);
}

export function kindOfFolder(folder: string): KindName | undefined {
  return kindNames.find((k) => kinds[k].folder === folder);
}

export function kindOfRestKind(restKind: string): KindName | undefined {
  return kindNames.find((k) => kinds[k].restKind === restKind);
}

/** The resource's name and the path of the node it came from, or undefined when the document has none. */
export function nameOf(kind: KindName, spec: unknown): { name: string; path: NodePath } | undefined {
  if (typeof spec !== "object" || spec === null) return undefined;
  for (const path of kinds[kind].namePaths) {
    const value = (spec as Record<string, unknown>)[path[0] as string];
    if (typeof value === "string" && value !== "") return { name: value, path };
  }
  return undefined;
}
