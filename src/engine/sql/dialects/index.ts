/** The SQL dialects, by engine: a registry of plain values. */
import type { Dialect } from "../dialect.js";
import type { SqlEngine } from "../plan.js";
import { duckdb } from "./duckdb.js";
import { spark } from "./spark.js";

export const dialects: Readonly<Record<SqlEngine, Dialect>> = { duckdb, spark };
