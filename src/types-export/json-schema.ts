/**
 * The small JSON Schema dialect `clue types` writes: draft-07 `type`/`properties`/`required`/`items`/`enum`/
 * `pattern`, nothing else. Power Automate's "Parse JSON" step is one of the consumers, and it takes a plain schema
 * but no `$ref` to other files, no `$defs` and none of draft 2020's keywords; so every schema is self-contained and
 * nullable values are written as a `type` list (`["string", "null"]`), the one spelling it understands.
 */
import { HASHED_PATTERN, type MaskAction } from "../exports/masking.js";
import { DATE_PATTERN, DATETIME_PATTERN } from "../exports/table-rows.js";
import type { EntityField } from "../types/index.js";

export type JsonType = "string" | "number" | "integer" | "boolean" | "null" | "object" | "array";

export interface JsonSchema {
  /** Where the schema came from; draft-07's place for a comment, which validators ignore. */
  $comment?: string;
  /** On an object: the name of the TypeScript interface it becomes. */
  title?: string;
  description?: string;
  type?: JsonType | JsonType[];
  enum?: (string | number | boolean | null)[];
  pattern?: string;
  minimum?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
}

/**
 * Objects stay open (no `additionalProperties: false`): a contract's `additive_only` promise makes a new column a
 * compatible change, and a consumer whose schema refused unknown keys would break on it all the same.
 */
export function objectSchema(
  properties: Record<string, JsonSchema>,
  required: readonly string[],
  extra: Pick<JsonSchema, "title" | "description"> = {},
): JsonSchema {
  return { ...extra, type: "object", properties, required: [...required] };
}

/** The schema of a value of an entity field's type, as records hold it (dates are ISO 8601 text). */
export function fieldValueSchema(type: EntityField["type"]): JsonSchema {
  switch (type) {
    case "date":
      return { type: "string", pattern: DATE_PATTERN.source };
    case "datetime":
      return { type: "string", pattern: DATETIME_PATTERN.source };
    default:
      return { type };
  }
}

/** What a masked value is once published: `redact` publishes null, `hash` publishes `sha256:<hex>` text. */
export function maskedValueSchema(action: MaskAction): JsonSchema {
  return action === "redact" ? { type: "null" } : { type: "string", pattern: HASHED_PATTERN.source };
}

/** The same schema, also allowing null. */
export function nullable(schema: JsonSchema): JsonSchema {
  const types = [schema.type ?? []].flat();
  if (types.length === 0 || types.includes("null")) return schema;
  return { ...schema, type: [...types, "null"] };
}

/** With a description, when there is one to give. */
export function described(schema: JsonSchema, description: string | undefined): JsonSchema {
  return description === undefined ? schema : { ...schema, description };
}

/** Schema JSON with keys sorted at every level, so the same config always gives the same text. */
export function schemaText(schema: JsonSchema): string {
  return `${JSON.stringify(sortKeys(schema), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
}
