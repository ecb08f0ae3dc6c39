import { DuckDBInstance } from "@duckdb/node-api";
const db = await DuckDBInstance.create(":memory:");
const c = await db.connect();
const q = process.argv[2];
const t = performance.now();
const r = await c.runAndReadAll(q);
console.log(r.getRowObjects().slice(0, 20), Math.round(performance.now() - t), "ms");
