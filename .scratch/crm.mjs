import { DuckDBInstance } from "@duckdb/node-api";
const db = await DuckDBInstance.create(":memory:"); const c = await db.connect();
await c.run("SET TimeZone='UTC'");
await c.run(`COPY (SELECT * REPLACE (created_at::TIMESTAMPTZ AS created_at, updated_at::TIMESTAMPTZ AS updated_at) FROM read_json('config/samples/crm-contacts.jsonl')) TO '/tmp/pq/crm.parquet' (FORMAT parquet)`);
