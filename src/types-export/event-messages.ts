import type { Resource } from "../config/project.js";
import { SPEC_VERSION } from "../exports/events.js";
import { HASHED_PATTERN, type MaskAction } from "../exports/masking.js";
import type { ProjectIndex } from "../lint/project-index.js";
import {
  described,
  fieldValueSchema,
  maskedValueSchema,
  nullable,
  objectSchema,
  type JsonSchema,
} from "./json-schema.js";
import { pascalCase, sortedFiles, type TypeTarget } from "./target.js";

const text: JsonSchema = { type: "string" };
/** renderEvents stamps events with whole seconds in UTC (`isoSeconds`). */
const TIMESTAMP = "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$";
const hashed: JsonSchema = { type: "string", pattern: HASHED_PATTERN.source };

/**
 * An event export's messages as `clue run --stage events:NAME` writes them (src/exports/events.ts): the headers,
 * the partition key and the cluedin-1.0 event. Closed sets (event types, entity types, subjects) are enums, so a
 * flow can branch on them. An attribute is present only when the golden record has a value for it, and a tombstone
 * has none, so no attribute is required; a present one is never null unless its mask is `redact`.
 */
export function eventMessageTarget(spec: Resource<"export">, index: ProjectIndex): TypeTarget {
  const exported = spec.spec;
  const typeName = `${pascalCase(exported.name)}Message`;
  const columns = Object.entries(exported.mapping ?? {}).map(([column, ref]) => {
    const [entity = "", field = ""] = ref.split(".");
    return { column, entity, field };
  });
  // As renderEvents picks them: entity_types, else the mapped entities, else every entity of the project.
  const named = exported.entity_types ?? [...new Set(columns.map((c) => c.entity))];
  const entityTypes = named.length > 0 ? named : [...index.byName.entity.keys()].sort();
  const published =
    columns.length > 0
      ? columns.filter((c) => entityTypes.includes(c.entity))
      : allFields(entityTypes, index);
  const mask = (exported.mask ?? {}) as Record<string, MaskAction>;
  const attributes = new Map<string, JsonSchema>();
  for (const { column, entity, field } of published) {
    const def = index.fieldsOf(entity)?.[field];
    const action = mask[field];
    const value = action ? maskedValueSchema(action) : def ? fieldValueSchema(def.type) : {};
    const before = attributes.get(column);
    // The same column from two entity types of different types: published as either, so typed as any value.
    const same = before === undefined || JSON.stringify(before.properties?.value) === JSON.stringify(value);
    attributes.set(
      column,
      objectSchema(
        { value: same ? value : {}, provenance: text, confidence: { type: "number" } },
        ["value", "provenance", "confidence"],
        { description: before?.description ?? describeAttribute(def?.description, action) },
      ),
    );
  }
  const eventTypes = [
    ...((exported.events ?? ["upsert", "delete"]).includes("upsert") ? ["EntityChanged"] : []),
    ...((exported.events ?? ["upsert", "delete"]).includes("delete") ? ["EntityDeleted"] : []),
  ];
  const event = objectSchema(
    {
      specVersion: { type: "string", enum: [SPEC_VERSION] },
      eventType: { type: "string", enum: eventTypes },
      entityType: { type: "string", enum: entityTypes },
      entityId: text,
      version: { type: "integer", minimum: 1 },
      timestamp: described({ type: "string", pattern: TIMESTAMP }, "ISO 8601 in UTC, to the second."),
      externalIds: { type: "array", items: objectSchema({ system: text, id: text }, ["system", "id"]) },
      changes: objectSchema(
        {
          attributes: objectSchema(Object.fromEntries([...attributes]), [], {
            title: `${pascalCase(exported.name)}Attributes`,
          }),
          edges: { type: "array" },
        },
        ["attributes", "edges"],
      ),
      hash: hashed,
      previousHash: described(nullable(hashed), "The hash last published for the entity; null at version 1."),
    },
    [
      "specVersion",
      "eventType",
      "entityType",
      "entityId",
      "version",
      "timestamp",
      "externalIds",
      "changes",
      "hash",
      "previousHash",
    ],
    { title: `${pascalCase(exported.name)}Event` },
  );
  const headers = objectSchema(
    {
      messageId: described(text, "entityType:entityId:version; consumers de-duplicate on it."),
      correlationId: described(text, "One id per clue run."),
      contentType: { type: "string", enum: ["application/json"] },
      subject: { type: "string", enum: entityTypes.flatMap((t) => eventTypes.map((e) => `${t}.${e}`)) },
    },
    ["messageId", "correlationId", "contentType", "subject"],
  );
  const from = [
    spec.doc.file.path,
    ...entityTypes.flatMap((t) => index.byName.entity.get(t)?.doc.file.path ?? []),
  ];
  return {
    folder: "events",
    name: exported.name,
    typeName,
    schema: objectSchema({ headers, partitionKey: text, event }, ["headers", "partitionKey", "event"], {
      title: typeName,
      description: exported.description,
    }),
    from: sortedFiles(from),
  };
}

/** The field's description, and what the mask publishes in its place. */
function describeAttribute(
  description: string | undefined,
  action: MaskAction | undefined,
): string | undefined {
  const masked =
    action === "redact"
      ? "Redacted: always null."
      : action === "hash"
        ? "Hashed: sha256:<hex> of the value, joinable but not readable."
        : undefined;
  return [description, masked].filter((s) => s !== undefined).join(" ") || undefined;
}

/** Without a mapping, an event publishes every golden attribute: each field of each entity type, by its name. */
function allFields(entityTypes: readonly string[], index: ProjectIndex) {
  return entityTypes.flatMap((entity) =>
    Object.keys(index.fieldsOf(entity) ?? {}).map((field) => ({ column: field, entity, field })),
  );
}
