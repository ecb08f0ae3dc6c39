/**
 * The engines a run can use (`--engine js|duckdb|spark`): a registry of plain values. `js` is clue's own evaluator
 * in this process; the others run the SQL plan the compiler makes (src/engine/sql), each in its dialect.
 */
import type { EngineName, SqlEngine } from "./sql/plan.js";

export interface EngineInfo {
  name: EngineName;
  /** One line for help and errors. */
  description: string;
  /** The dialect of its SQL plans; undefined for the JS engine. */
  dialect: SqlEngine | undefined;
  /** Why the engine cannot run in this version, if it cannot (its plans can still be printed). */
  unavailable?: string;
}

export const engines: Readonly<Record<EngineName, EngineInfo>> = {
  js: { name: "js", description: "clue's own evaluator, in this process", dialect: undefined },
  duckdb: {
    name: "duckdb",
    description: "embedded DuckDB (@duckdb/node-api), spilling to disk",
    dialect: "duckdb",
  },
  spark: {
    name: "spark",
    description:
      "Spark SQL on a local Spark (scripts/spark-env.sh installs one); `clue compile` writes the job",
    dialect: "spark",
  },
};

export const ENGINE_NAMES = Object.keys(engines) as EngineName[];

export function isEngineName(name: string): name is EngineName {
  return Object.hasOwn(engines, name);
}

/** The engine cannot run here: its runner is not in this version, or its package is missing. */
export class EngineUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EngineUnavailable";
  }
}

/** A run the data or the plan stopped: a value of the wrong type for SQL, a loop that does not settle. */
export class SqlRunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SqlRunError";
  }
}

/** Export rows (or events) that break the export's contract or primary key: the run writes none. */
export class ExportProblems extends SqlRunError {
  override name = "ExportProblems";
}

/** Whether an error is the engine's to report (exit 1 with its message) rather than a bug. */
export function isEngineProblem(error: unknown): error is EngineUnavailable | SqlRunError {
  return error instanceof EngineUnavailable || error instanceof SqlRunError;
}
