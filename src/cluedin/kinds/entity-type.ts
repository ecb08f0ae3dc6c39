/**
 * entity ↔ entity type + vocabulary + one vocabulary key per field. The vocabulary's key prefix is the entity's
 * name in lower case; a field `email` of `Person` is the key `person.email`.
 */
import type { Entity, EntityField } from "../../types/index.js";
import type { CluedinObject, EntityTypeObject, VocabularyKeyObject, VocabularyObject } from "../model.js";
import { fileName, prefixOf, yamlText, type CompileContext, type ImportedFile } from "./context.js";

/** clue field type → CluedIn data type; storage follows: Text is Keyword, the others Typed. */
export const DATA_TYPES: Record<EntityField["type"], string> = {
  string: "Text",
  integer: "Integer",
  number: "Number",
  boolean: "Boolean",
  date: "DateTime",
  datetime: "DateTime",
};
const FROM_DATA_TYPE: Record<string, EntityField["type"]> = {
  Text: "string",
  Integer: "integer",
  Number: "number",
  Boolean: "boolean",
  DateTime: "datetime",
};

export function compileEntity(spec: Entity, ctx: CompileContext): CluedinObject[] {
  const code = `/${spec.entity}`;
  const prefix = prefixOf(spec.entity);
  const entityType: EntityTypeObject = {
    type: "entity-type",
    key: code,
    body: { type: code, displayName: spec.entity, icon: "Circle", route: prefix, active: true },
  };
  const vocabulary: VocabularyObject = {
    type: "vocabulary",
    key: prefix,
    body: {
      vocabularyName: spec.entity,
      keyPrefix: prefix,
      grouping: code,
      description: spec.description ?? "",
    },
  };
  const keys = Object.entries(spec.fields).map(([name, field]) => key(spec.entity, prefix, name, field, ctx));
  return [entityType, vocabulary, ...keys];
}

function key(
  entity: string,
  prefix: string,
  name: string,
  field: EntityField,
  ctx: CompileContext,
): VocabularyKeyObject {
  const dataType = DATA_TYPES[field.type];
  if (field.type === "date")
    ctx.approximated(
      ["fields", name, "type"],
      "CluedIn has no date-only type: the key is DateTime, so values gain a time part.",
    );
  if (field.pii)
    ctx.approximated(
      ["fields", name, "pii"],
      "The key gets no data classification (the platform's codes are per tenant) and nothing is masked because of it.",
      {
        hint: "Mask the field in each export with `mask:`; set a classification in the platform's UI if you need one.",
      },
    );
  if (field.required)
    ctx.approximated(
      ["fields", name, "required"],
      "The key is annotated as required; the platform does not reject records without it.",
      { hint: "Add a validation with `check: { required: true }` to flag records that lack it." },
    );
  return {
    type: "vocabulary-key",
    key: `${prefix}.${name}`,
    vocabulary: prefix,
    body: {
      name,
      displayName: name,
      groupName: entity,
      dataType,
      storage: dataType === "Text" ? "Keyword" : "Typed",
      dataAnnotationsIsRequired: field.required === true,
      dataClassificationCode: null,
      description: field.description ?? "",
    },
  };
}

/** A vocabulary and its keys (and its entity type, when listed) → `config/entities/<entity>.yaml`. */
export function importEntity(
  vocabulary: VocabularyObject,
  keys: VocabularyKeyObject[],
  unsupported: string[],
): ImportedFile {
  const entity = vocabulary.body.grouping.replace(/^\//, "") || vocabulary.body.vocabularyName;
  const fields: Record<string, EntityField> = {};
  for (const k of keys) {
    const type = FROM_DATA_TYPE[k.body.dataType];
    if (type === undefined)
      unsupported.push(`vocabulary key ${k.key}: data type ${k.body.dataType} is read as string`);
    fields[k.body.name] = {
      type: type ?? "string",
      ...(k.body.dataAnnotationsIsRequired ? { required: true as const } : {}),
      ...(k.body.description ? { description: k.body.description } : {}),
    };
  }
  const spec = {
    entity,
    ...(vocabulary.body.description ? { description: vocabulary.body.description } : {}),
    fields,
  };
  return { path: `config/entities/${fileName(entity.toLowerCase())}.yaml`, text: yamlText(spec) };
}

export { FROM_DATA_TYPE };
