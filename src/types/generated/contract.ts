/* Generated from schemas/contract.schema.json by `npm run types`. Do not edit by hand. */

/**
 * A data contract: what consumers of an export rely on. The export bound to it must deliver its columns and primary key.
 */
export interface Contract {
  /**
   * Optional: the kind is otherwise taken from the folder (config/contracts/).
   */
  kind?: "contract";
  /**
   * The contract's name, unique among contracts; versioned with a `_vN` suffix.
   */
  name: string;
  /**
   * What the contract promises, for consumers.
   */
  description?: string;
  /**
   * Who owns this resource (teams or people); used by release notes.
   */
  owners?: string[];
  /**
   * The column (or columns) that identify a row.
   */
  primary_key: string | [string, ...string[]];
  /**
   * The columns consumers rely on, with their types. The bound export must deliver each one, with the same type.
   */
  columns?: {
    [k: string]: ContractColumn;
  };
  /**
   * How and how often the data is delivered.
   */
  delivery?: {
    /**
     * The export type that delivers it.
     */
    type: "sql-table" | "event-hub" | "service-bus" | "power-automate" | "file";
    /**
     * hourly, daily, weekly, continuous, or a 5-field cron expression.
     */
    schedule?: string;
  };
  /**
   * Service levels consumers may rely on.
   */
  sla?: {
    /**
     * 95% of changes reach the consumer within this many minutes.
     */
    freshness_p95_minutes?: number;
    /**
     * The smallest share of golden records delivered, from 0 to 1.
     */
    completeness_min?: number;
  };
  /**
   * additive_only: removing or retyping a column, or changing the primary key, is breaking and needs a new _vN contract; none: no guarantees.
   */
  compatibility?: "additive_only" | "none";
}
/**
 * One column of the contract.
 */
export interface ContractColumn {
  /**
   * The column's type.
   */
  type: "string" | "number" | "integer" | "boolean" | "date" | "datetime";
  /**
   * Whether the column may be null.
   */
  nullable?: boolean;
  /**
   * What the column holds.
   */
  description?: string;
}
