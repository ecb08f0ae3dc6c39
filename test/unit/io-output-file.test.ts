/** Output files appear whole or not at all, and an output is never a file that is read (issue 10, point 3). */
import {
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openOutputFile, TEMP_SUFFIX, writeOutputFile } from "../../src/io/output-file.js";
import { clashingFile } from "../../src/io/output-path.js";

const dir = mkdtempSync(join(tmpdir(), "clue-output-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const temps = () => readdirSync(dir).filter((name) => name.endsWith(TEMP_SUFFIX));

describe("openOutputFile", () => {
  it("shows nothing at the path until commit, then the whole text", () => {
    const path = join(dir, "sub", "out.jsonl");
    const file = openOutputFile(path);
    file.write("a\n");
    file.write("b".repeat(300_000));
    expect(existsSync(path)).toBe(false);
    file.commit();
    expect(readFileSync(path, "utf8")).toBe(`a\n${"b".repeat(300_000)}`);
    expect(readdirSync(join(dir, "sub"))).toEqual(["out.jsonl"]);
  });

  it("writes every text's UTF-8 in order across its buffer's edges, large texts and bytes among them", () => {
    const path = join(dir, "utf8.jsonl");
    const file = openOutputFile(path);
    const pieces: string[] = [];
    // Many small texts of 1- to 4-byte characters (and a lone surrogate) overrun the 1 MiB buffer several times;
    // a text larger than the buffer and a binary write come in between.
    const alphabet = ["a", "é", "€", "😀", "\ud800", "\n"];
    for (let k = 0; k < 200_000; k++) pieces.push(alphabet.slice(0, 1 + (k % 6)).join("") + k);
    pieces.splice(100_000, 0, "😀".repeat(400_000));
    pieces.forEach((text) => file.write(text));
    file.writeBytes(new Uint8Array([0x7b, 0x7d]));
    file.write("end");
    file.commit();
    expect(readFileSync(path).equals(Buffer.from(`${pieces.join("")}{}end`, "utf8"))).toBe(true);
  });

  it("leaves the earlier file as it was on abort, and no temporary file", () => {
    const path = join(dir, "kept.jsonl");
    writeFileSync(path, "earlier\n");
    const file = openOutputFile(path);
    file.write("x".repeat(1_000_000));
    expect(temps()).toHaveLength(1);
    file.abort();
    file.abort();
    expect(readFileSync(path, "utf8")).toBe("earlier\n");
    expect(temps()).toEqual([]);
    expect(() => file.write("late")).toThrow(/after commit or abort/);
  });

  it("keeps the permissions of the file it replaces, and writes through a symlink", () => {
    const path = join(dir, "private.json");
    writeFileSync(path, "old", { mode: 0o600 });
    writeOutputFile(path, "new");
    expect(statSync(path).mode & 0o777).toBe(0o600);
    symlinkSync(path, join(dir, "link.json"));
    writeOutputFile(join(dir, "link.json"), "through");
    expect(readFileSync(path, "utf8")).toBe("through");
    expect(readdirSync(dir)).toContain("link.json");
  });

  it("writes a device as it is instead of renaming a file over it", () => {
    const file = openOutputFile("/dev/null");
    file.write("discarded");
    file.commit();
    expect(statSync("/dev/null").isCharacterDevice()).toBe(true);
  });
});

describe("clashingFile", () => {
  const input = join(dir, "data", "in.jsonl");
  mkdirSync(join(dir, "data"), { recursive: true });
  writeFileSync(input, "{}\n");
  const files = [{ path: input, what: "an --input" }];

  it("finds the input by every name it has", () => {
    linkSync(input, join(dir, "hard.jsonl"));
    symlinkSync(join(dir, "data"), join(dir, "folder-link"));
    symlinkSync(input, join(dir, "file-link.jsonl"));
    for (const name of [
      input,
      join(dir, "data", ".", "in.jsonl"),
      join(dir, "data", "..", "data", "in.jsonl"),
      join(dir, "hard.jsonl"),
      join(dir, "folder-link", "in.jsonl"),
      join(dir, "file-link.jsonl"),
    ])
      expect(clashingFile(name, files), name).toEqual(files[0]);
  });

  it("compares a file that does not exist yet through its folder's real path", () => {
    const missing = [{ path: join(dir, "data", "later.jsonl"), what: "an --input" }];
    expect(clashingFile(join(dir, "folder-link", "later.jsonl"), missing)).toEqual(missing[0]);
    expect(clashingFile(join(dir, "folder-link", "nope", "deeper.jsonl"), missing)).toBeUndefined();
  });

  it("lets anything else through", () => {
    expect(clashingFile(join(dir, "other.jsonl"), files)).toBeUndefined();
    expect(clashingFile(join(dir, "folder-link", "other.jsonl"), files)).toBeUndefined();
  });
});
