import { mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SMALL_INPUT_BYTES, threadsOption, workerThreads } from "../../src/parallel/threads.js";

const dir = mkdtempSync(join(tmpdir(), "clue-threads-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A file of `bytes` bytes (sparse: nothing is written but its length). */
function fileOf(name: string, bytes: number): string {
  const path = join(dir, name);
  writeFileSync(path, "");
  truncateSync(path, bytes);
  return path;
}

describe("how many worker threads a run starts", () => {
  const big = fileOf("big.jsonl", SMALL_INPUT_BYTES.streaming + 1);
  const small = fileOf("small.jsonl", 1024);
  const byDefault = { threads: 2, explicit: false };
  const asked = { threads: 2, explicit: true };

  it("streams a large input on every core by default, a small one in one thread", () => {
    expect(workerThreads(byDefault, [big], false)).toBe(2);
    expect(workerThreads(byDefault, [small], false)).toBe(0);
    // Several inputs count together.
    expect(workerThreads(byDefault, [small, big], false)).toBe(2);
  });

  it("matches and writes golden records in one thread unless threads are asked for", () => {
    expect(workerThreads(byDefault, [big], true)).toBe(0);
    expect(workerThreads(asked, [big], true)).toBe(2);
    expect(workerThreads(asked, [small], true)).toBe(2);
    expect(workerThreads({ threads: 1, explicit: true }, [big], false)).toBe(0);
  });

  it("reads --threads before CLUE_THREADS, and refuses what is not a number of threads", () => {
    expect(threadsOption("3", "5")).toEqual({ threads: 3, explicit: true });
    expect(threadsOption(undefined, "5")).toEqual({ threads: 5, explicit: true });
    expect(threadsOption(undefined, " ")).toMatchObject({ explicit: false });
    expect(threadsOption("0", undefined)).toMatch(/--threads takes a whole number of threads from 1 to 64/);
    expect(threadsOption(undefined, "two")).toMatch(/CLUE_THREADS takes/);
  });
});
