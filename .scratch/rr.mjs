import { readRecords } from "../dist/io/records.js";
for (const p of process.argv.slice(2)) {
  let n = 0;
  for await (const r of readRecords(p, { onDeadLetter: (d) => console.log("DL", d) })) { if (n++ < 2) console.log(r); }
  console.log(p, n);
}
