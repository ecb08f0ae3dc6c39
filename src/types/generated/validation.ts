/* Generated from schemas/validation.schema.json by `npm run types`. Do not edit by hand. */

/**
 * A validation rule: one check on one field of an entity's records, with a severity and what happens to failing records.
 */
export interface Validation {
  /**
   * Optional: the kind is otherwise taken from the folder (config/validations/).
   */
  kind?: "validation";
  /**
   * The rule's name, unique among validations.
   */
  rule: string;
  /**
   * The entity type whose records are checked.
   */
  entity: string;
  /**
   * The field checked. Every check but `expr` needs one.
   */
  field?: string;
  /**
   * What the rule protects, for people reading the config.
   */
  description?: string;
  /**
   * Who owns this resource (teams or people); used by release notes.
   */
  owners?: string[];
  check: Check;
  /**
   * How bad a failure is.
   */
  severity?: "low" | "medium" | "high" | "critical";
  /**
   * What happens to a failing record.
   */
  on_fail?: {
    /**
     * flag: keep the record and note the issue; reject: keep it out of golden records and exports; quarantine: hold it for a steward.
     */
    action: "flag" | "reject" | "quarantine";
  };
  /**
   * Makes a test run fail when too many records fail the rule.
   */
  threshold?: {
    /**
     * The largest acceptable share of failing records, from 0 to 1.
     */
    max_fail_ratio: number;
  };
}
/**
 * The check: exactly one of regex, required, not_blank, enum, range, length, format, unique, reference, expr.
 */
export interface Check {
  /**
   * The value must match this regular expression: JavaScript syntax with the u flag, run on RE2 in time linear in the value (no back-references or look-arounds).
   */
  regex?: string;
  /**
   * The value must not be null.
   */
  required?: true;
  /**
   * The value must not be null, empty or only whitespace.
   */
  not_blank?: true;
  /**
   * The accepted values.
   *
   * @minItems 1
   */
  enum?: [string | number | boolean, ...(string | number | boolean)[]];
  range?: Bounds;
  length?: Bounds1;
  /**
   * The value must have this format.
   */
  format?: "email" | "e164" | "uuid" | "date" | "datetime" | "url";
  /**
   * The value must be unique within the data set.
   */
  unique?: true;
  /**
   * The value must exist in another entity's field, or in a reference table under config/reference/.
   */
  reference?: {
    /**
     * The entity whose field holds the accepted values.
     */
    entity?: string;
    /**
     * That entity's field.
     */
    field?: string;
    /**
     * A reference table's name (config/reference/NAME.csv).
     */
    table?: string;
    /**
     * The reference table's column; the first column by default.
     */
    column?: string;
  };
  /**
   * Any boolean expression over the record; the record fails when it is false.
   */
  expr?: string;
}
/**
 * The value must be a number within these bounds.
 */
export interface Bounds {
  /**
   * The smallest accepted value (inclusive).
   */
  min?: number;
  /**
   * The largest accepted value (inclusive).
   */
  max?: number;
}
/**
 * The value's length in characters must be within these bounds.
 */
export interface Bounds1 {
  /**
   * The smallest accepted value (inclusive).
   */
  min?: number;
  /**
   * The largest accepted value (inclusive).
   */
  max?: number;
}
/**
 * Inclusive bounds; give min, max or both.
 *
 * This interface was referenced by `Validation`'s JSON-Schema
 * via the `definition` "bounds".
 */
export interface Bounds2 {
  /**
   * The smallest accepted value (inclusive).
   */
  min?: number;
  /**
   * The largest accepted value (inclusive).
   */
  max?: number;
}
/**
 * Exactly one check. A null value passes every check except `required` and `not_blank`.
 *
 * This interface was referenced by `Validation`'s JSON-Schema
 * via the `definition` "check".
 */
export interface Check1 {
  /**
   * The value must match this regular expression: JavaScript syntax with the u flag, run on RE2 in time linear in the value (no back-references or look-arounds).
   */
  regex?: string;
  /**
   * The value must not be null.
   */
  required?: true;
  /**
   * The value must not be null, empty or only whitespace.
   */
  not_blank?: true;
  /**
   * The accepted values.
   *
   * @minItems 1
   */
  enum?: [string | number | boolean, ...(string | number | boolean)[]];
  range?: Bounds;
  length?: Bounds1;
  /**
   * The value must have this format.
   */
  format?: "email" | "e164" | "uuid" | "date" | "datetime" | "url";
  /**
   * The value must be unique within the data set.
   */
  unique?: true;
  /**
   * The value must exist in another entity's field, or in a reference table under config/reference/.
   */
  reference?: {
    /**
     * The entity whose field holds the accepted values.
     */
    entity?: string;
    /**
     * That entity's field.
     */
    field?: string;
    /**
     * A reference table's name (config/reference/NAME.csv).
     */
    table?: string;
    /**
     * The reference table's column; the first column by default.
     */
    column?: string;
  };
  /**
   * Any boolean expression over the record; the record fails when it is false.
   */
  expr?: string;
}
