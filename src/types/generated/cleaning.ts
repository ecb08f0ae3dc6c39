/* Generated from schemas/cleaning.schema.json by `npm run types`. Do not edit by hand. */

/**
 * A cleaning project: ordered steps that set, clear or drop values of an entity's records. A later step sees earlier steps' results.
 */
export interface CleaningProject {
  /**
   * Optional: the kind is otherwise taken from the folder (config/cleaning/).
   */
  kind?: "cleaning";
  /**
   * The project's name, unique among cleaning projects.
   */
  project: string;
  /**
   * The entity type whose records this project cleans.
   */
  entity: string;
  /**
   * When the project runs on the platform: a 5-field cron expression (minute hour day-of-month month day-of-week) or a macro such as @hourly.
   */
  schedule?: string;
  /**
   * What this project does, for people reading the config.
   */
  description?: string;
  /**
   * Who owns this resource (teams or people); used by release notes.
   */
  owners?: string[];
  /**
   * The steps, run in order on every record.
   *
   * @minItems 1
   */
  steps: [CleaningStep, ...CleaningStep[]];
}
/**
 * One cleaning step.
 *
 * This interface was referenced by `CleaningProject`'s JSON-Schema
 * via the `definition` "step".
 */
export interface CleaningStep {
  /**
   * The step's name, unique within the project.
   */
  name: string;
  /**
   * What the step does.
   */
  description?: string;
  /**
   * Optional condition (an expression); the step runs only on records where it is true. Null counts as false.
   */
  when?: string;
  /**
   * set: write `value` into `field`; clear: set `field` to null; remove_record: drop the record, with `reason`.
   */
  action: "set" | "clear" | "remove_record";
  /**
   * The entity field the step writes (set, clear).
   */
  field?: string;
  /**
   * The expression whose result `set` writes.
   */
  value?: string;
  /**
   * Why remove_record drops a record; recorded with the dropped record.
   */
  reason?: string;
}
