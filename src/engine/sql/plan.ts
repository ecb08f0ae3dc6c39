/**
 * The SQL plan: what the compiler (compile.ts) makes of a project and a run request, and what an engine's runner
 * executes (src/engine/duckdb/run.ts; the Spark runner). Pure, JSON-serialisable data: no I/O, no functions.
 *
 * The shape is a contract shared by every runner (docs/pending/sql.md describes it for users); fields marked
 * optional were added after the first version and a runner may ignore them, as each says.
 */
export type EngineName = "js" | "duckdb" | "spark";

/** The engines that run SQL plans, and so the dialects a plan can be written in. */
export type SqlEngine = Exclude<EngineName, "js">;

export interface SqlPlan {
  /** The dialect the SQL text is written in. */
  engine: SqlEngine;
  /** Each input registered as a view before the steps run. */
  inputs: SqlInput[];
  /**
   * Statements the dialect needs before any step (DuckDB: the helper macros `clue_js_number_text` and friends, see
   * dialects/duckdb.ts). Optional: a dialect without helpers emits none.
   */
  prelude?: string[];
  /** Run in order. */
  steps: SqlStep[];
  /**
   * The rows `clue run` writes, in this order: the view has a column `json`, each row's JSON text. With
   * `render: "events"` (optional; stage events:NAME) the rows are golden records that the runner renders as events
   * with clue's own event renderer (src/exports/events.ts), using the `stewardship` report.
   */
  output: {
    view: string;
    stage: string;
    orderBy: string[];
    render?: "events";
    /**
     * The view reads, row by row, a table stored in orderBy's order (an `ordered` step): its rows come in that order
     * without sorting. Optional: only a dialect that keepsTableOrder sets it.
     */
    presorted?: boolean;
  };
  /** Names of the UDFs the runner must register (each a clue function, or one of the helpers in `udfSignatures`). */
  udfs: string[];
  /** Each UDF's argument and result types, and what it computes. Optional: present whenever `udfs` is not empty. */
  udfSignatures?: Record<string, UdfSignature>;
  /** Views the runner reads besides the output, for what `clue run` reports. Optional: see SqlReports. */
  reports?: SqlReports;
}

export interface SqlInput {
  /** e.g. "input_0" */
  view: string;
  /** The mapping's source name. */
  source: string;
  entity: string;
  /** File or folder, absolute; empty for records given inline (a test's `given:`), which the runner is handed. */
  path: string;
  format: "jsonl" | "json" | "csv" | "parquet";
  /** A CSV file's dialect, as the mapping's `csv:` names it (runners that read the file themselves apply it). */
  csv?: { delimiter?: string; skipInitialSpace?: boolean };
  /**
   * How the raw record is presented to SQL: ONE column `record` holding the record as JSON text (JSON Lines: the
   * line; JSON array: each element re-serialised; CSV: an object of header → text; Parquet: the row as JSON), plus
   * `_line` (BIGINT: 1-based line / row index, as clue's JS readers number records) and `_file` (text).
   * The mapping step extracts fields with JSONPath from `record`. Runners may read differently as long as they
   * present this shape.
   */
}

export type SqlStep =
  /** CREATE OR REPLACE TEMP VIEW name AS <sql> */
  | { kind: "view"; name: string; sql: string; note?: string }
  /** Materialised: CREATE OR REPLACE TABLE (DuckDB) / a cached or checkpointed temp view (Spark). */
  | {
      kind: "table";
      name: string;
      sql: string;
      note?: string;
      /**
       * The SQL ends in ORDER BY, and the table is to be stored in that order: from this step on the runner keeps
       * insertion order (DuckDB's preserve_insertion_order). Optional: see Dialect.keepsTableOrder.
       */
      ordered?: boolean;
    }
  /**
   * Repeat `steps` until `until` (a SELECT returning exactly one row, one boolean column) is true, at most
   * `maxIterations` times (exceeding it is an error naming the loop): iterated connected components.
   */
  | { kind: "loop"; steps: SqlStep[]; until: string; maxIterations: number; note?: string };

/** The SQL types values take: text, DOUBLE and BOOLEAN (each dialect names them). */
export type SqlType = "text" | "number" | "boolean";

/**
 * A UDF. `function` names a clue function (src/expr/functions) called with the arguments in `args` order; an
 * `omitted` argument is a trailing optional parameter the call leaves out (no SQL argument is passed for it).
 * Names starting `clue__` are helpers of the compiler rather than clue functions (see HELPER_UDFS in udfs.ts).
 * `nulls: "propagate"` means a null argument gives null without calling the function (SQL's default handling);
 * `"function"` means the function handles nulls itself.
 */
export interface UdfSignature {
  function: string;
  args: (SqlType | "omitted")[];
  returns: SqlType;
  nulls: "propagate" | "function";
}

/**
 * Views a runner reads to report on a run (all optional; a runner that ignores them writes the same output but
 * less of a summary, except `invalid`, which it must check):
 * - `invalid`: records whose value is not of its field's declared type (after the mapping's conversion of text to
 *   numbers and booleans). SQL engines keep a field to one type, so a run with such a record stops with an error
 *   naming it. Columns: input (index into `inputs`), line, field, type (the field's), found (what the record holds).
 * - `rejected`: records the pipeline rejects (a number it cannot hold as written): they go to the dead letters.
 *   Columns: input, line, reason.
 * - `removed`: records cleaning removed, in run order. Columns: input, line, id (text or null), step, reason.
 * - `counts`: one row per input: input, read, written (rows at the stage), removed, rejected.
 * - `rules`: per validation rule: entity, rule, checked, failed (in rule order).
 * - `matches`: one row: records, compared, merged, queued (at the later stages).
 * - `unknownIds`: ids the dedup decisions name that no record has (or several do): name, k (0 never_merge, 1
 *   merge), d (the decision's position), pos (the id's).
 * - `chained`: merges cluster_guard.max_size stopped (or only reported): i, j, score, size, a and b (source:id),
 *   why (the pair's rules and the levels that added weight).
 * - `problems`: export rows that break the export's contract or primary key: _row, _seq, message. A runner that
 *   finds any writes no row and stops with them (the first 20), as the JS engine does.
 * - `stewardship`: per golden record (entity_id): pending, rejected (booleans), for event filters.
 */
export interface SqlReports {
  invalid?: string;
  rejected?: string;
  removed?: string;
  counts?: string;
  rules?: string;
  matches?: string;
  unknownIds?: string;
  chained?: string;
  problems?: string;
  stewardship?: string;
}
