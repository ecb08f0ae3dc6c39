import type { Resource } from "../config/project.js";
import { described, fieldValueSchema, nullable, objectSchema, type JsonSchema } from "./json-schema.js";
import { pascalCase, sortedFiles, type TypeTarget } from "./target.js";

/** The `_issues` validation adds to each record at stage `validated` (src/pipeline/validation.ts `Issue`). */
function issueSchema(typeName: string): JsonSchema {
  return objectSchema(
    {
      rule: described({ type: "string" }, "The validation rule the record failed."),
      severity: { type: "string", enum: ["low", "medium", "high", "critical"] },
      action: described(
        { type: "string", enum: ["flag", "reject", "quarantine"] },
        "What the rule does to a failing record: reject and quarantine keep it out of matching.",
      ),
    },
    ["rule", "severity", "action"],
    { title: `${typeName}Issue` },
  );
}

/**
 * An entity's records as `clue run` writes them at stages mapped, cleaned and validated: every field of the entity,
 * in its order, a missing value as null. A `required: true` field is typed without null, as the entity declares
 * it: clue does not drop such a record before stage validated (a `required` validation flags or rejects it there),
 * so a consumer's check against this type is what catches one.
 */
export function entityRecordTarget(entity: Resource<"entity">): TypeTarget {
  const typeName = pascalCase(entity.name);
  const fields = Object.entries(entity.spec.fields);
  const properties = Object.fromEntries([
    ...fields.map(([name, field]): [string, JsonSchema] => {
      const value = fieldValueSchema(field.type);
      return [name, described(field.required === true ? value : nullable(value), field.description)];
    }),
    [
      "_issues",
      described(
        { type: "array", items: issueSchema(typeName) },
        "Stage validated only: the rules the record failed (empty when it passed them all).",
      ),
    ],
  ]);
  return {
    folder: "entities",
    name: entity.name,
    typeName,
    schema: objectSchema(
      properties,
      fields.map(([name]) => name),
      { title: typeName, description: entity.spec.description },
    ),
    from: sortedFiles([entity.doc.file.path]),
  };
}
