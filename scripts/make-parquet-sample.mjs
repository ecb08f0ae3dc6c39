// Writes config/samples/crm-contacts.parquet: the records of config/samples/crm-contacts.jsonl as Parquet, written by
// DuckDB (the devDependency @duckdb/node-api), so the README's Parquet examples have a file to read. Timestamps are
// TIMESTAMPTZ (instants in UTC) and dates DATE, so clue reads the same records from both files; the test
// "the example project's Parquet sample" in test/integration/parquet.test.ts checks it.
// Run: node scripts/make-parquet-sample.mjs
import { DuckDBInstance } from "@duckdb/node-api";
import { fileURLToPath } from "node:url";

const samples = fileURLToPath(new URL("../config/samples/", import.meta.url));
const db = await DuckDBInstance.create(":memory:");
const duck = await db.connect();
await duck.run("SET TimeZone = 'UTC'");
await duck.run(
  `COPY (SELECT * REPLACE (created_at::TIMESTAMPTZ AS created_at, updated_at::TIMESTAMPTZ AS updated_at)
   FROM read_json('${samples}crm-contacts.jsonl', format = 'newline_delimited'))
   TO '${samples}crm-contacts.parquet' (FORMAT parquet, COMPRESSION zstd)`,
);
duck.closeSync();
