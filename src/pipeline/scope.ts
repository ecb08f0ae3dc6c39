import type { EntityField } from "../types/index.js";
import { fieldType, type ExprType } from "../expr/types.js";

/** The expression types of an entity's fields, for the checker. */
export function fieldScope(
  fields: Record<string, EntityField> | undefined,
): Map<string, ExprType> | undefined {
  if (!fields) return undefined;
  return new Map(Object.entries(fields).map(([name, def]) => [name, fieldType(def.type)]));
}

/**
 * The scope of a dedup expression: the entity's fields, and `source`, the name of the source a record came from
 * (`source != other.source` links across sources), unless the entity has a field of that name.
 */
export function dedupScope(
  fields: Record<string, EntityField> | undefined,
): Map<string, ExprType> | undefined {
  const scope = fieldScope(fields);
  if (scope && !scope.has(SOURCE_FIELD)) scope.set(SOURCE_FIELD, "string");
  return scope;
}

export const SOURCE_FIELD = "source";
