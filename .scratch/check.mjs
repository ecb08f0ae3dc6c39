import { DuckDBInstance } from "@duckdb/node-api";
const db = await DuckDBInstance.create(":memory:"); const c = await db.connect();
for (const f of process.argv.slice(2)) {
  console.log(f, (await c.runAndReadAll(`DESCRIBE SELECT * FROM ${f}`)).getRowObjectsJson().map(r=>r.column_name+" "+r.column_type).join("; "));
  console.log((await c.runAndReadAll(`SELECT * FROM ${f} LIMIT 2`)).getRowObjectsJson());
}
