/**
 * Reading must not hold the file: heap growth stays flat while a 200 MB JSON Lines file streams through. Takes
 * several seconds, so it runs only with CLUE_SLOW_TESTS=1; a 20 MB version always runs.
 */
import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { once } from "node:events";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, describe, expect, it } from "vitest";
import { readRecords } from "../../src/io/records.js";

const dir = mkdtempSync(join(tmpdir(), "clue-io-memory-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Without a forced collection, heapUsed mostly measures garbage not yet collected; this exposes gc() to a test.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

async function writeJsonl(path: string, bytes: number): Promise<number> {
  const out = createWriteStream(path);
  let written = 0;
  let count = 0;
  while (written < bytes) {
    let block = "";
    for (let k = 0; k < 1000; k++, count++) {
      block += `{"id":"rec-${count}","given_name":"michaela","surname":"neumann","street":"${count % 997} stanley st","postcode":"${2000 + (count % 7000)}"}\n`;
    }
    written += block.length;
    if (!out.write(block)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
  return count;
}

async function heapGrowthWhileReading(megabytes: number): Promise<{ records: number; growth: number }> {
  const path = join(dir, `big-${megabytes}.jsonl`);
  const expected = await writeJsonl(path, megabytes * 1024 * 1024);
  gc();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  let records = 0;
  for await (const _ of readRecords(path)) {
    if (++records % 100_000 === 0) {
      gc();
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
  }
  rmSync(path);
  expect(records).toBe(expected);
  return { records, growth: peak - before };
}

const MB = 1024 * 1024;

describe("readRecords memory", () => {
  it("keeps the heap flat on a 20 MB file", async () => {
    const { growth } = await heapGrowthWhileReading(20);
    expect(growth).toBeLessThan(50 * MB);
  });

  it.runIf(process.env.CLUE_SLOW_TESTS === "1")(
    "keeps the heap flat on a 200 MB file",
    async () => {
      const { records, growth } = await heapGrowthWhileReading(200);
      expect(records).toBeGreaterThan(1_000_000);
      expect(growth).toBeLessThan(50 * MB);
    },
    60_000,
  );
});
