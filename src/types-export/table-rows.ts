import type { Resource } from "../config/project.js";
import type { MaskAction } from "../exports/masking.js";
import type { ProjectIndex } from "../lint/project-index.js";
import type { EntityField } from "../types/index.js";
import {
  described,
  fieldValueSchema,
  maskedValueSchema,
  nullable,
  objectSchema,
  type JsonSchema,
} from "./json-schema.js";
import { pascalCase, sortedFiles, type TypeTarget } from "./target.js";

/**
 * A table or file export's rows as `clue run --stage export:NAME` writes them (src/exports/table-rows.ts): exactly
 * the mapped columns, a golden record without a value giving null. A column is typed by the bound contract when it
 * names it (else by the mapped entity field) and published as masked. Only what the export stage enforces is typed
 * without null: the primary key (a null one fails the run), a contract's `nullable: false` column (so does that),
 * and, with no contract column to say otherwise, a `required: true` field as the entity declares it.
 */
export function tableRowTarget(spec: Resource<"export">, index: ProjectIndex): TypeTarget {
  const exported = spec.spec;
  const contract = exported.contract === undefined ? undefined : index.byName.contract.get(exported.contract);
  const primaryKey = new Set(
    contract
      ? [contract.spec.primary_key].flat()
      : ((exported.options as { primary_key?: string[] }).primary_key ?? []),
  );
  const mask = (exported.mask ?? {}) as Record<string, MaskAction>;
  const columns = Object.entries(exported.mapping ?? {}).map(([column, ref]) => {
    const [entity = "", field = ""] = ref.split(".");
    return { column, entity, field };
  });
  // A row is made for each mapped entity's golden record; the columns of another entity are null in it.
  const severalEntities = new Set(columns.map((c) => c.entity)).size > 1;
  const properties = Object.fromEntries(
    columns.map(({ column, entity, field }): [string, JsonSchema] => {
      const def: EntityField | undefined = index.fieldsOf(entity)?.[field];
      const declared = contract?.spec.columns?.[column];
      const action = mask[field];
      const value: JsonSchema =
        action !== undefined
          ? maskedValueSchema(action)
          : declared !== undefined
            ? fieldValueSchema(declared.type)
            : def !== undefined
              ? fieldValueSchema(def.type)
              : {};
      const notNull =
        primaryKey.has(column) ||
        (!severalEntities && (declared !== undefined ? declared.nullable === false : def?.required === true));
      return [
        column,
        described(notNull ? value : nullable(value), declared?.description ?? def?.description),
      ];
    }),
  );
  const typeName = `${pascalCase(exported.name)}Row`;
  const entityFiles = columns.flatMap((c) => {
    const file = index.byName.entity.get(c.entity)?.doc.file.path;
    return file === undefined ? [] : [file];
  });
  return {
    folder: "exports",
    name: exported.name,
    typeName,
    schema: objectSchema(
      properties,
      columns.map((c) => c.column),
      { title: typeName, description: exported.description },
    ),
    from: sortedFiles([spec.doc.file.path, ...(contract ? [contract.doc.file.path] : []), ...entityFiles]),
  };
}
