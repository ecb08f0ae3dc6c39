import { DuckDBInstance } from "@duckdb/node-api";
const db = await DuckDBInstance.create(":memory:");
const c = await db.connect();
for (const codec of ["snappy","gzip","zstd","uncompressed","brotli","lz4"]) {
await c.run(`COPY (SELECT i::INTEGER AS i, (i*1000000000000)::BIGINT AS big, 9007199254740993::BIGINT AS huge, 'name '||i AS s,
 DATE '2024-01-01' + i::INTEGER AS d, TIMESTAMP '2024-01-01 10:00:00.123456' + INTERVAL (i) SECOND AS ts,
 TIMESTAMPTZ '2024-01-01 10:00:00.5+00' AS tstz, 12.34::DECIMAL(10,2) AS dec, 123456789012345678.12::DECIMAL(38,2) AS dec38,
 {'a': i, 'b': {'c': 'x'}} AS st, [1,2,3] AS li, MAP {'k': 1} AS m, i % 2 = 0 AS bo, 1.5::FLOAT AS f, 2.5::DOUBLE AS db,
 CASE WHEN i%3=0 THEN NULL ELSE 'v' END AS n, TIME '12:34:56.789' AS t, gen_random_uuid() AS u, 'abc'::BLOB AS bl, '{"x":1}'::JSON AS js,
 (1)::UTINYINT as ut, 18446744073709551615::UBIGINT as ub, 'a'::ENUM('a','b') as en
 FROM range(5) t(i)) TO '/tmp/pq/t_${codec}.parquet' (FORMAT parquet, COMPRESSION ${codec}, ROW_GROUP_SIZE 2)`);
}
const r = await c.runAndReadAll(`SELECT * FROM parquet_schema('/tmp/pq/t_snappy.parquet')`);
console.log(r.getRowObjectsJson().map(x=>[x.name,x.type,x.converted_type,x.logical_type].join(" ")).join("\n"));
const m = await c.runAndReadAll(`SELECT row_group_id, row_group_num_rows FROM parquet_metadata('/tmp/pq/t_snappy.parquet') GROUP BY ALL`);
console.log(m.getRowObjectsJson());
