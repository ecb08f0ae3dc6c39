import { asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema } from "hyparquet";
import { compressors } from "hyparquet-compressors";
for (const codec of process.argv.slice(2)) {
const file = await asyncBufferFromFile(`/tmp/pq/t_${codec}.parquet`);
const md = await parquetMetadataAsync(file);
try {
await parquetRead({ file, metadata: md, rowFormat: "object", utf8: false, compressors: codec==="snappy"?undefined:compressors, onComplete: (rows) => console.log(codec, rows[1]) });
} catch (e) { console.log(codec, "ERR", e.message); }
}
