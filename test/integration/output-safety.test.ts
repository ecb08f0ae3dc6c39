/**
 * Outputs never destroy inputs (issue 10, point 3), through the real CLI: an output option that names an input or a
 * config file, by any name (the same path, another spelling of it, a symlink, a hard link, a symlinked folder), is
 * a usage error that writes nothing and leaves the file as it was; and outputs appear whole or not at all, so a run
 * that fails or is stopped midway leaves no partial file and no temporary one.
 */
import { spawn, spawnSync } from "node:child_process";
import {
  cpSync,
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
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const repo = join(dirname(fileURLToPath(import.meta.url)), "../..");
const bin = join(repo, "bin/clue.js");
const INPUT = '{"id": "1"}\n{"id": "2"}\n{"id": "3"}\n';
const MAPPING = "entity: Person\nsource: crm\nfields: { id: $.id }\n";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "clue-outputs-"));
  cpSync(join(repo, "test/fixtures/minimal"), dir, { recursive: true });
  mkdirSync(join(dir, "config/mappings"), { recursive: true });
  writeFileSync(join(dir, "config/mappings/crm.yaml"), MAPPING);
  mkdirSync(join(dir, "data"));
  writeFileSync(join(dir, "data/crm.jsonl"), INPUT);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function clue(...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: dir,
    encoding: "utf8",
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: "1" },
    timeout: 20_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Every file under the project with its bytes, so a test can show nothing was written or changed. */
function snapshot(): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const entry of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const path = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else files[path] = entry.isSymbolicLink() ? "(symlink)" : readFileSync(join(dir, path), "base64");
    }
  };
  walk("");
  return files;
}

function temporaryFiles(): string[] {
  const found: string[] = [];
  const walk = (path: string) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(path, entry.name));
      else if (entry.name.includes(".clue-tmp")) found.push(join(path, entry.name));
    }
  };
  walk(dir);
  return found;
}

const run = ["run", "--source", "crm", "--input", "data/crm.jsonl", "--stage", "mapped"];

describe("an output that is an input or a config file is refused", () => {
  const cases: [string, () => string[], RegExp][] = [
    ["the same path", () => [...run, "--out", "data/crm.jsonl"], /--out data\/crm\.jsonl is also an --input/],
    [
      "another spelling of it",
      () => [...run, "--out", "./data/../data//crm.jsonl"],
      /--out \.\/data\/\.\.\/data\/\/crm\.jsonl is also an --input/,
    ],
    [
      "a symlink to it",
      () => (symlinkSync("data/crm.jsonl", join(dir, "link.jsonl")), [...run, "--out", "link.jsonl"]),
      /--out link\.jsonl is the same file as data\/crm\.jsonl, an --input \(through a symlink, a hard link/,
    ],
    [
      "a hard link to it",
      () => (linkSync(join(dir, "data/crm.jsonl"), join(dir, "hard.jsonl")), [...run, "--out", "hard.jsonl"]),
      /--out hard\.jsonl is the same file as data\/crm\.jsonl, an --input/,
    ],
    [
      "a path through a symlinked folder",
      () => (symlinkSync("data", join(dir, "linked")), [...run, "--out", "linked/crm.jsonl"]),
      /--out linked\/crm\.jsonl is the same file as data\/crm\.jsonl, an --input/,
    ],
    [
      "a file that does not exist yet, in a folder that is a symlink to the input's",
      () => {
        symlinkSync("data", join(dir, "linked"));
        return ["run", "--source", "crm", "--input", "data/new.jsonl", "--out", "linked/new.jsonl"];
      },
      /--out linked\/new\.jsonl is the same file as data\/new\.jsonl, an --input/,
    ],
    [
      "a config file",
      () => [...run, "--out", "config/mappings/crm.yaml"],
      /--out config\/mappings\/crm\.yaml is also a config file; write elsewhere/,
    ],
    [
      "a hard link to a config file",
      () => (
        linkSync(join(dir, "config/entities/person.yaml"), join(dir, "report.json")),
        [...run, "--out", "report.json"]
      ),
      /--out report\.json is the same file as config\/entities\/person\.yaml, a config file/,
    ],
    [
      "--dead-letter naming the input",
      () => [...run, "--dead-letter", "./data/crm.jsonl"],
      /--dead-letter \.\/data\/crm\.jsonl is also an --input/,
    ],
    [
      "--dead-letter naming a config file through a symlink",
      () => (symlinkSync("env/local.yaml", join(dir, "dl.jsonl")), [...run, "--dead-letter", "dl.jsonl"]),
      /--dead-letter dl\.jsonl is the same file as env\/local\.yaml, a config file/,
    ],
    [
      "--dead-letter naming the --out file",
      () => [...run, "--out", "out.jsonl", "--dead-letter", "out.jsonl"],
      /--dead-letter out\.jsonl is also the --out file/,
    ],
    [
      "clue validate --output naming a config file",
      () => ["validate", "--output", "config/entities/person.yaml"],
      /--output config\/entities\/person\.yaml is also a config file/,
    ],
    [
      "clue validate --output through a symlink to a config file",
      () => (symlinkSync("env/local.yaml", join(dir, "report.txt")), ["validate", "--output", "report.txt"]),
      /--output report\.txt is the same file as env\/local\.yaml, a config file/,
    ],
    [
      "clue plan --out naming a config file",
      () => ["plan", "--env", "local", "--out", "./env/local.yaml"],
      /--out \.\/env\/local\.yaml is also a config file/,
    ],
    [
      "clue release-notes --out naming a config file",
      () => ["release-notes", "--base", "HEAD", "--out", "config/mappings/crm.yaml"],
      /--out config\/mappings\/crm\.yaml is also a config file/,
    ],
  ];
  for (const [name, setUp, message] of cases) {
    it(`${name}: exit 64, a clear message, nothing written, nothing changed`, () => {
      const args = setUp();
      const before = snapshot();
      const result = clue(...args);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).toMatch(/write elsewhere\nRun `clue --help` for usage\.\n$/);
      expect(result.status).toBe(64);
      expect(result.stdout).toBe("");
      expect(snapshot()).toEqual(before);
      expect(temporaryFiles()).toEqual([]);
    });
  }

  it("while an output elsewhere, even through a symlinked folder, is written (and a symlinked file written through)", () => {
    symlinkSync("data", join(dir, "linked"));
    expect(clue(...run, "--out", "linked/out.jsonl").status).toBe(0);
    expect(readFileSync(join(dir, "data/out.jsonl"), "utf8").split("\n")).toHaveLength(4);
    writeFileSync(join(dir, "target.jsonl"), "old\n");
    symlinkSync("target.jsonl", join(dir, "via-link.jsonl"));
    expect(clue(...run, "--out", "via-link.jsonl").status).toBe(0);
    expect(readFileSync(join(dir, "target.jsonl"), "utf8").split("\n")).toHaveLength(4);
    expect(statSync(join(dir, "via-link.jsonl")).isFile()).toBe(true);
    expect(readFileSync(join(dir, "data/crm.jsonl"), "utf8")).toBe(INPUT);
  });
});

describe("outputs appear whole or not at all", () => {
  /** A gzip file whose first records inflate fine and whose end is cut off: the run fails after writing some. */
  function truncatedGzip(): void {
    const lines = Array.from({ length: 20_000 }, (_, i) => `{"id": "${i}"}\n`).join("");
    const zipped = gzipSync(lines);
    writeFileSync(join(dir, "data/cut.jsonl.gz"), zipped.subarray(0, Math.floor(zipped.length * 0.8)));
  }

  it("a run that fails midway leaves no --out file, no dead-letter file and no temporary file", () => {
    truncatedGzip();
    const result = clue(
      "run",
      "--source",
      "crm",
      "--input",
      "data/cut.jsonl.gz",
      "--out",
      "out.jsonl",
      "--dead-letter",
      "dead.jsonl",
    );
    expect(result.stderr).toMatch(/corrupt gzip data/);
    expect(result.status).toBe(1);
    expect(existsSync(join(dir, "out.jsonl"))).toBe(false);
    expect(existsSync(join(dir, "dead.jsonl"))).toBe(false);
    expect(temporaryFiles()).toEqual([]);
  });

  it("and leaves the files of an earlier run as they were", () => {
    truncatedGzip();
    writeFileSync(join(dir, "out.jsonl"), "earlier run\n");
    writeFileSync(join(dir, "dead.jsonl"), "earlier letters\n");
    const result = clue(
      "run",
      "--source",
      "crm",
      "--input",
      "data/cut.jsonl.gz",
      "--out",
      "out.jsonl",
      "--dead-letter",
      "dead.jsonl",
    );
    expect(result.status).toBe(1);
    expect(readFileSync(join(dir, "out.jsonl"), "utf8")).toBe("earlier run\n");
    expect(readFileSync(join(dir, "dead.jsonl"), "utf8")).toBe("earlier letters\n");
    expect(temporaryFiles()).toEqual([]);
  });

  it("a run stopped by SIGTERM midway leaves no --out file and no temporary file", async () => {
    // The second input is a FIFO nobody writes to: the run blocks opening it, after the first input's rows, for as
    // long as the test likes, so the signal surely arrives midway. Nothing races.
    const fifo = join(dir, "data/never.jsonl");
    const made = spawnSync("mkfifo", [fifo]);
    if (made.status !== 0) return; // no mkfifo on this system: nothing to test
    const child = spawn(
      process.execPath,
      [
        bin,
        "run",
        "--source",
        "crm",
        "--input",
        "data/crm.jsonl",
        "--source",
        "crm",
        "--input",
        fifo,
        "--out",
        "out.jsonl",
      ],
      { cwd: dir, env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: "1" }, stdio: "ignore" },
    );
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on("exit", (_, signal) => resolve(signal)),
    );
    try {
      const deadline = Date.now() + 15_000;
      while (temporaryFiles().length === 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      expect(temporaryFiles()).toHaveLength(1);
      child.kill("SIGTERM");
      // It ends by the signal, as a process without handlers would (a shell shows status 143).
      expect(await exited).toBe("SIGTERM");
      expect(existsSync(join(dir, "out.jsonl"))).toBe(false);
      expect(temporaryFiles()).toEqual([]);
    } finally {
      child.kill("SIGKILL");
    }
  });
});
