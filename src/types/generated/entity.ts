/* Generated from schemas/entity.schema.json by `npm run types`. Do not edit by hand. */

/**
 * An entity type and its fields. Mappings, cleaning projects, validations, dedup rules and exports refer to it by name.
 */
export interface Entity {
  /**
   * Optional: the kind is otherwise taken from the folder (config/entities/).
   */
  kind?: "entity";
  /**
   * The entity type's name, unique among entities (PascalCase by convention).
   */
  entity: string;
  /**
   * What this entity is, for people reading the config.
   */
  description?: string;
  /**
   * Who owns this resource (teams or people); used by release notes.
   */
  owners?: string[];
  /**
   * The entity's fields, by name.
   */
  fields: {
    [k: string]: EntityField;
  };
}
/**
 * One field of an entity.
 *
 * This interface was referenced by `Entity`'s JSON-Schema
 * via the `definition` "field".
 */
export interface EntityField {
  /**
   * The field's type.
   */
  type: "string" | "number" | "integer" | "boolean" | "date" | "datetime";
  /**
   * Every record must have a value for this field; mappings must map it.
   */
  required?: boolean;
  /**
   * Personally identifiable: masked in exports and in anything clue prints.
   */
  pii?: boolean;
  /**
   * What the field holds.
   */
  description?: string;
}
