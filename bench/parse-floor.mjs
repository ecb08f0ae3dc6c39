// The parse floor: `node bench/parse-floor.mjs INPUT.jsonl OUTPUT` reads JSON Lines a megabyte at a time, and for
// each line does JSON.parse then JSON.stringify and writes the text out, as `clue run --stage validated --out`
// reads, transforms and writes each record. Nothing can read and write JSON records faster in JavaScript; bench:eval
// times `clue run` against it on the same file, in the same way.
import { closeSync, openSync, readSync, writeSync } from "node:fs";

const [input, output] = process.argv.slice(2);
if (!input || !output) throw new Error("usage: node bench/parse-floor.mjs INPUT.jsonl OUTPUT");
const from = openSync(input, "r");
const to = openSync(output, "w");
const buffer = Buffer.alloc(1 << 20);
const decoder = new TextDecoder();
let rest = "";
let records = 0;
let out = "";
const take = (line) => {
  if (line === "") return;
  out += `${JSON.stringify(JSON.parse(line))}\n`;
  records++;
  if (out.length >= 1 << 20) {
    writeSync(to, out);
    out = "";
  }
};
for (let read; (read = readSync(from, buffer)) > 0;) {
  const lines = (rest + decoder.decode(buffer.subarray(0, read), { stream: true })).split("\n");
  rest = lines.pop();
  for (const line of lines) take(line);
}
take(rest + decoder.decode());
writeSync(to, out);
closeSync(from);
closeSync(to);
process.stderr.write(`parse floor: ${records} records\n`);
