/* Generated from schemas/export.schema.json by `npm run types`. Do not edit by hand. */

/**
 * An export of golden records to a table, an event stream or a file.
 */
export interface Export {
  /**
   * Optional: the kind is otherwise taken from the folder (config/exports/).
   */
  kind?: "export";
  /**
   * The export's name, unique among exports; versioned with a `-vN` or `_vN` suffix.
   */
  name: string;
  /**
   * Where the rows or events go.
   */
  type: "sql-table" | "event-hub" | "service-bus" | "power-automate" | "file";
  /**
   * What this export delivers, for people reading the config.
   */
  description?: string;
  /**
   * Who owns this resource (teams or people); used by release notes.
   */
  owners?: string[];
  /**
   * Options of the export's type.
   */
  options: {};
  /**
   * Output column → `Entity.field`. Table and file exports need it; event exports use it to pick attributes.
   */
  mapping?: {
    /**
     * `Entity.field`, e.g. `Person.email`.
     */
    [k: string]: string;
  };
  /**
   * When the export runs: a 5-field cron expression or a macro such as @hourly. Event exports publish continuously without one.
   */
  schedule?: string;
  /**
   * The contract this export delivers; its columns and primary key must be in `mapping`.
   */
  contract?: string;
  /**
   * Event exports: the entity types to publish.
   *
   * @minItems 1
   */
  entity_types?: [string, ...string[]];
  /**
   * Event exports: the event kinds to publish.
   *
   * @minItems 1
   */
  events?: ["upsert" | "delete", ...("upsert" | "delete")[]];
  /**
   * Event exports: the attribute that partitions the stream.
   */
  partition_key?: string;
  /**
   * Event exports: which golden records are published.
   */
  filter?: {
    /**
     * Publish only records whose confidence is at least this.
     */
    min_confidence?: number;
    /**
     * Publish only records with these golden statuses.
     */
    golden_status?: ("golden" | "candidate")[];
    /**
     * Publish only records in these stewardship states.
     */
    stewardship_state?: ("approved" | "pending" | "rejected")[];
  };
  /**
   * Fields to redact or hash in what is published.
   */
  mask?: {
    [k: string]: "redact" | "hash";
  };
}
/**
 * A reference to a secret: `{ from_env: NAME }` reads an environment variable; `{ vault: "path#key" }` reads a vault entry.
 *
 * This interface was referenced by `Export`'s JSON-Schema
 * via the `definition` "secretRef".
 */
export interface SecretRef {
  /**
   * The environment variable holding the secret.
   */
  from_env?: string;
  /**
   * A vault reference, `path#key`.
   */
  vault?: string;
}
/**
 * Options of a sql-table export.
 *
 * This interface was referenced by `Export`'s JSON-Schema
 * via the `definition` "sqlTableOptions".
 */
export interface SqlTableOptions {
  /**
   * The name of the platform connection to the database (not a connection string).
   */
  connection: string;
  /**
   * The database schema.
   */
  schema?: string;
  /**
   * The table's name.
   */
  table: string;
  /**
   * insert: append rows; upsert: insert or update by primary key; replace: rewrite the table.
   */
  mode?: "insert" | "upsert" | "replace";
  /**
   * The table's primary key columns; required for upsert.
   *
   * @minItems 1
   */
  primary_key?: [string, ...string[]];
}
/**
 * Options of a file export.
 *
 * This interface was referenced by `Export`'s JSON-Schema
 * via the `definition` "fileOptions".
 */
export interface FileOptions {
  /**
   * Where the file is written on the platform's storage.
   */
  path: string;
  /**
   * The file's format.
   */
  format?: "csv" | "jsonl";
}
/**
 * Options of an event-hub export.
 *
 * This interface was referenced by `Export`'s JSON-Schema
 * via the `definition` "eventHubOptions".
 */
export interface EventHubOptions {
  /**
   * The name of the platform connection to the namespace.
   */
  connection: string;
  /**
   * The event hub's name.
   */
  hub: string;
}
/**
 * Options of a service-bus export: a topic or a queue.
 *
 * This interface was referenced by `Export`'s JSON-Schema
 * via the `definition` "serviceBusOptions".
 */
export interface ServiceBusOptions {
  /**
   * The name of the platform connection to the namespace.
   */
  connection: string;
  /**
   * The topic's name.
   */
  topic?: string;
  /**
   * The queue's name.
   */
  queue?: string;
}
/**
 * Options of a power-automate export.
 *
 * This interface was referenced by `Export`'s JSON-Schema
 * via the `definition` "powerAutomateOptions".
 */
export interface PowerAutomateOptions {
  url: SecretRef1;
}
/**
 * The flow's HTTP trigger URL; it carries a signature, so it is a secret reference.
 */
export interface SecretRef1 {
  /**
   * The environment variable holding the secret.
   */
  from_env?: string;
  /**
   * A vault reference, `path#key`.
   */
  vault?: string;
}
