/* Generated from schemas/mapping.schema.json by `npm run types`. Do not edit by hand. */

/**
 * How the records of one source map onto an entity: each entity field takes a JSONPath into the source record.
 */
export interface Mapping {
  /**
   * Optional: the kind is otherwise taken from the folder (config/mappings/).
   */
  kind?: "mapping";
  /**
   * The mapping's name, unique among mappings. Defaults to the source's name; set it when one source maps onto several entities.
   */
  name?: string;
  /**
   * The entity type the source's records become.
   */
  entity: string;
  /**
   * The source system's name, as `clue run --source` and survivorship's source_priority refer to it.
   */
  source: string;
  /**
   * The format of the source's files; by default taken from the file's extension. `parquet` also reads a folder of Parquet files (hive-partitioned folders too).
   */
  format?: "jsonl" | "json" | "csv" | "parquet";
  /**
   * How the source's CSV files are written, when they depart from RFC 4180's defaults.
   */
  csv?: {
    /**
     * The field separator: one character other than a quote or a line end. Default `,`.
     */
    delimiter?: string;
    /**
     * Skip spaces after a delimiter, so `a, "b"` reads as `a` and `b` (Python's skipinitialspace). Default false.
     */
    skip_initial_space?: boolean;
  };
  /**
   * What this mapping does, for people reading the config.
   */
  description?: string;
  /**
   * Who owns this resource (teams or people); used by release notes.
   */
  owners?: string[];
  /**
   * Entity field → JSONPath into the source record (jsonpath-plus syntax). A path that finds nothing gives null.
   */
  fields: {
    /**
     * A JSONPath starting with `$`, e.g. `$.email` or `$.address.city`.
     */
    [k: string]: string;
  };
}
