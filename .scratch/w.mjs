import { ParquetWriter, ByteWriter } from "hyparquet-writer";
import { writeFileSync } from "node:fs";
import { DuckDBInstance } from "@duckdb/node-api";
const w = new ByteWriter();
const schema = [
  { name: "root", num_children: 4 },
  { name: "id", type: "BYTE_ARRAY", converted_type: "UTF8", logical_type: { type: "STRING" }, repetition_type: "OPTIONAL" },
  { name: "n", type: "INT64", repetition_type: "OPTIONAL" },
  { name: "issues", repetition_type: "OPTIONAL", converted_type: "LIST", logical_type: { type: "LIST" }, num_children: 1 },
  { name: "list", repetition_type: "REPEATED", num_children: 1 },
  { name: "element", repetition_type: "OPTIONAL", num_children: 2 },
  { name: "rule", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "OPTIONAL" },
  { name: "sev", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "OPTIONAL" },
  { name: "d", type: "INT32", converted_type: "DATE", logical_type: { type: "DATE" }, repetition_type: "OPTIONAL" },
];
const pw = new ParquetWriter({ writer: w, schema, codec: "SNAPPY" });
pw.write({ columnData: [
  { name: "id", data: ["a", null, "c"] },
  { name: "n", data: [1n, null, 9007199254740993n] },
  { name: "issues", data: [[{rule:"r1",sev:"low"}], null, []] },
  { name: "d", data: [19000, null, 0] },
], rowGroupSize: 2 });
pw.write({ columnData: [
  { name: "id", data: ["x"] }, { name: "n", data: [5n] }, { name: "issues", data: [[{rule:"r2", sev: null}, null]] }, { name: "d", data: [1] } ] });
pw.finish();
writeFileSync("/tmp/pq/w.parquet", w.getBytes());
const db = await DuckDBInstance.create(":memory:"); const c = await db.connect();
console.log((await c.runAndReadAll("SELECT * FROM '/tmp/pq/w.parquet'")).getRowObjectsJson());
console.log((await c.runAndReadAll("DESCRIBE SELECT * FROM '/tmp/pq/w.parquet'")).getRowObjectsJson().map(r=>r.column_name+" "+r.column_type));
console.log((await c.runAndReadAll("SELECT row_group_id, row_group_num_rows FROM parquet_metadata('/tmp/pq/w.parquet') GROUP BY ALL")).getRowObjectsJson());
