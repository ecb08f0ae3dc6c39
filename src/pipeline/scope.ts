import type { EntityField } from "../types/index.js";
import { fieldType, type ExprType } from "../expr/types.js";

/** The expression types of an entity's fields, for the checker. */
export function fieldScope(
  fields: Record<string, EntityField> | undefined,
): Map<string, ExprType> | undefined {
  if (!fields) return undefined;
  return new Map(Object.entries(fields).map(([name, def]) => [name, fieldType(def.type)]));
}
