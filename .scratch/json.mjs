import { DuckDBInstance } from "@duckdb/node-api";
import { writeFileSync } from "node:fs";
writeFileSync("/tmp/pq/in.jsonl", [
 {id:"a", attrs:{"k":1,"j":2}, js:{"x":[1,2]}, t:"12:34:56.5", seen:"2024-01-02T03:04:05.123456Z", loc:"2024-01-02T03:04:05", amount: 12.3, big: 9007199254740993},
 {id:"b", attrs:null, js:null, t:null, seen:null, loc:null, amount:null, big:null},
].map(r=>JSON.stringify(r).replace('9007199254740992','9007199254740993')).join("\n")+"\n");
const db = await DuckDBInstance.create(":memory:"); const c = await db.connect();
await c.run("SET TimeZone='UTC'");
await c.run(`COPY (SELECT * FROM read_json('/tmp/pq/in.jsonl', columns={id:'VARCHAR', attrs:'MAP(VARCHAR, INTEGER)', js:'JSON', t:'TIME', seen:'TIMESTAMPTZ', loc:'TIMESTAMP', amount:'DECIMAL(12,2)', big:'BIGINT'})) TO '/tmp/pq/in.parquet' (FORMAT parquet)`);
console.log((await c.runAndReadAll("SELECT * FROM '/tmp/pq/in.parquet'")).getRowObjectsJson());
