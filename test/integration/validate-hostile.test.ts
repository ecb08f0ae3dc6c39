import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * `clue validate` on files built to hang it, crash it or make it print what it must not: each gives located
 * findings within a generous time bound (the CI machine is busy; these take a second or two) and exits 1, never 70
 * (an unexpected error: stack overflow, out of memory) and never hangs. Each case hung, crashed, took minutes or
 * reported the wrong thing before clue read YAML in linear time and looked at paths before opening them.
 */
const repo = new URL("../../", import.meta.url);
const bin = new URL("bin/clue.js", repo).pathname;
const minimal = new URL("test/fixtures/minimal/", repo).pathname;
const BOUND_MS = 20_000;
const TEST_TIMEOUT = 60_000;
const isWindows = process.platform === "win32";

interface Finding {
  code: string;
  severity: string;
  message: string;
  file: string;
  line: number;
  column: number;
  path: (string | number)[];
}

interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  ms: number;
  stdout: string;
  findings: Finding[];
}

let root = "";
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "clue-hostile-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

let count = 0;
/** A copy of the minimal project with `files` added (text, or a function that makes the path itself). */
function project(files: Record<string, string | ((path: string) => void)>): string {
  const dir = join(root, `p${count++}`);
  cpSync(minimal, dir, { recursive: true });
  for (const [rel, content] of Object.entries(files)) {
    const path = join(dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    if (typeof content === "string") writeFileSync(path, content);
    else content(path);
  }
  return dir;
}

function validate(dir: string, ...args: string[]): Run {
  const started = Date.now();
  const result = spawnSync(process.execPath, [bin, "validate", "--format", "json", ...args], {
    cwd: dir,
    encoding: "utf8",
    timeout: BOUND_MS,
    maxBuffer: 256 * 1024 * 1024,
    env: { PATH: process.env.PATH, NO_COLOR: "1" },
  });
  const ms = Date.now() - started;
  const findings =
    result.status === 0 || result.status === 1
      ? (JSON.parse(result.stdout) as { diagnostics: Finding[] }).diagnostics
      : [];
  return { status: result.status, signal: result.signal, ms, stdout: result.stdout, findings };
}

/** Exit 1 within the bound, and a finding with this code at this place. */
function expectFinding(run: Run, want: Pick<Finding, "code" | "file" | "line" | "column">): Finding {
  expect(run.signal, `killed after ${run.ms} ms (hung)`).toBeNull();
  expect(run.status).toBe(1);
  expect(run.ms).toBeLessThan(BOUND_MS);
  const found = run.findings.find((f) => f.code === want.code && f.file === want.file);
  expect(found, `no ${want.code} in ${want.file}: ${JSON.stringify(run.findings.slice(0, 3))}`).toBeDefined();
  expect({ line: found?.line, column: found?.column }).toEqual({ line: want.line, column: want.column });
  return found as Finding;
}

describe("findings: at most 100 per file, then one that counts the rest", () => {
  it("200,000 duplicate keys", { timeout: TEST_TIMEOUT }, () => {
    const run = validate(project({ "config/validations/dup.yaml": `rule: r\n${"k: 1\n".repeat(200_000)}` }));
    expectFinding(run, {
      code: "yaml/duplicate-key",
      file: "config/validations/dup.yaml",
      line: 3,
      column: 1,
    });
    const summary = expectFinding(run, {
      code: "file/too-many-findings",
      file: "config/validations/dup.yaml",
      line: 1,
      column: 1,
    });
    expect(summary.message).toContain("199,899 more findings");
    expect(summary.severity).toBe("error");
    expect(run.findings.filter((f) => f.file === "config/validations/dup.yaml")).toHaveLength(101);
  });

  it("100,000 empty documents", { timeout: TEST_TIMEOUT }, () => {
    const run = validate(project({ "config/empty.yaml": "---\n".repeat(100_000) }));
    expectFinding(run, { code: "config/not-a-mapping", file: "config/empty.yaml", line: 1, column: 4 });
    const summary = expectFinding(run, {
      code: "file/too-many-findings",
      file: "config/empty.yaml",
      line: 1,
      column: 1,
    });
    expect(summary.message).toContain("99,900 more findings");
  });

  it("100,000 unknown properties", { timeout: TEST_TIMEOUT }, () => {
    const keys = Array.from({ length: 100_000 }, (_, i) => `x${i}: 1\n`).join("");
    const run = validate(
      project({ "config/entities/wide.yaml": `entity: Wide\nfields: { id: { type: string } }\n${keys}` }),
    );
    expectFinding(run, {
      code: "schema/unknown-property",
      file: "config/entities/wide.yaml",
      line: 3,
      column: 1,
    });
    expectFinding(run, {
      code: "file/too-many-findings",
      file: "config/entities/wide.yaml",
      line: 1,
      column: 1,
    });
  });

  it("--max-findings-per-file 0 shows them all", { timeout: TEST_TIMEOUT }, () => {
    const dir = project({ "config/validations/dup.yaml": `rule: r\n${"k: 1\n".repeat(500)}` });
    expect(validate(dir).findings).toHaveLength(101);
    expect(validate(dir, "--max-findings-per-file", "0").findings).toHaveLength(499);
    expect(validate(dir, "--max-findings-per-file", "10").findings).toHaveLength(11);
  });

  it(
    "50,000 suppression comments before one line are looked up, not scanned",
    { timeout: TEST_TIMEOUT },
    () => {
      const comments = "# clue-disable-next-line schema/unknown-property\n".repeat(50_000);
      const run = validate(
        project({
          "config/entities/p.yaml": `entity: P\nfields: { id: { type: string } }\n${comments}extra: 1\nmore: 2\n`,
        }),
      );
      expectFinding(run, {
        code: "schema/unknown-property",
        file: "config/entities/p.yaml",
        line: 50_004,
        column: 1,
      });
      expect(run.findings.filter((f) => f.code === "schema/unknown-property")).toHaveLength(1);
    },
  );
});

describe("aliases and nesting", () => {
  it("a cyclic alias is a finding, not a crash", { timeout: TEST_TIMEOUT }, () => {
    const run = validate(
      project({
        "config/entities/person.yaml": "entity: Person\nfields: &f\n  id: { type: string }\n  more: *f\n",
      }),
    );
    expectFinding(run, { code: "yaml/alias-cycle", file: "config/entities/person.yaml", line: 4, column: 9 });
  });

  it("a cyclic alias at the top of a document", { timeout: TEST_TIMEOUT }, () => {
    const run = validate(project({ "config/c.yaml": "&a [*a]\n" }));
    expectFinding(run, { code: "yaml/alias-cycle", file: "config/c.yaml", line: 1, column: 5 });
  });

  it("a block sequence a million deep on one line", { timeout: TEST_TIMEOUT }, () => {
    const run = validate(project({ "config/deep.yaml": `${"- ".repeat(1_000_000)}x\n` }));
    expectFinding(run, { code: "yaml/too-deep", file: "config/deep.yaml", line: 1, column: 129 });
  });

  it("block mappings 3,000 deep by indentation", { timeout: TEST_TIMEOUT }, () => {
    const text = Array.from({ length: 3000 }, (_, i) => `${" ".repeat(i)}a:\n`).join("");
    const run = validate(project({ "config/deep.yaml": text }));
    expectFinding(run, { code: "yaml/too-deep", file: "config/deep.yaml", line: 65, column: 65 });
  });

  it("block and flow nesting together, 1,000 deep", { timeout: TEST_TIMEOUT }, () => {
    // Each kind alone stays under the flow bracket limit (512); together they overflowed yaml's composer.
    const run = validate(
      project({ "config/deep.yaml": `${"- ".repeat(500)}${"[".repeat(500)}${"]".repeat(500)}\n` }),
    );
    expectFinding(run, { code: "yaml/too-deep", file: "config/deep.yaml", line: 1, column: 129 });
  });

  it("flow collections a million deep (refused before the lexer recurses)", { timeout: TEST_TIMEOUT }, () => {
    const run = validate(project({ "config/deep.yaml": `${"[".repeat(1_000_000)}\n` }));
    expectFinding(run, { code: "yaml/too-deep", file: "config/deep.yaml", line: 1, column: 513 });
  });
});

describe("big files", () => {
  it("a 5 MiB JSON file on one line stops at the token budget", { timeout: TEST_TIMEOUT }, () => {
    const head = '{"entity": "Big", "fields": {"id": {"type": "string"}}, "tags": [';
    const items = Math.floor((5 * 1024 * 1024 - head.length - 10) / 2);
    const run = validate(project({ "config/entities/big.json": `${head}${"1,".repeat(items)}1]}` }));
    const found = expectFinding(run, {
      code: "file/too-large",
      file: "config/entities/big.json",
      line: 1,
      // The head is 20 tokens; from there each character is one (`1`, `,`): token 1,000,001 starts at 1,000,045.
      column: 1_000_046,
    });
    expect(found.message).toContain("1,000,000 YAML tokens");
  });

  it("a multi-megabyte string and key: bounded output", { timeout: TEST_TIMEOUT }, () => {
    const dir = project({
      "config/entities/long.yaml": `entity: Long\nfields: { id: { type: string } }\n? ${"b".repeat(3 * 1024 * 1024)}\n: 1\nnotes: "${"a".repeat(1024 * 1024)}"\n`,
    });
    const run = validate(dir);
    const found = expectFinding(run, {
      code: "schema/unknown-property",
      file: "config/entities/long.yaml",
      line: 3,
      column: 3,
    });
    expect(found.message.length).toBeLessThanOrEqual(500);
    expect(run.stdout.length).toBeLessThan(16 * 1024);
    const human = spawnSync(process.execPath, [bin, "validate"], {
      cwd: dir,
      encoding: "utf8",
      timeout: BOUND_MS,
    });
    expect(human.status).toBe(1);
    expect(human.stdout.length).toBeLessThan(16 * 1024);
  });
});

describe.skipIf(isWindows)("paths that are not regular files in the project", () => {
  const outside = () => {
    const dir = mkdtempSync(join(root, "outside-"));
    writeFileSync(join(dir, "leak.yaml"), "entity: Leak\nmarker: OUTSIDE-CONTENT-7f3a\n");
    return dir;
  };
  const mkfifo = (path: string) => {
    const made = spawnSync("mkfifo", [path]);
    if (made.status !== 0) throw new Error(`mkfifo failed: ${made.stderr.toString()}`);
  };

  it("a FIFO is reported, not skipped", { timeout: TEST_TIMEOUT }, () => {
    const run = validate(project({ "config/x.yaml": mkfifo }));
    expectFinding(run, { code: "file/not-regular", file: "config/x.yaml", line: 1, column: 1 });
  });

  it("a link to a FIFO is never opened (opening it would block forever)", { timeout: TEST_TIMEOUT }, () => {
    const dir = project({ pipe: mkfifo, "config/x.yaml": (p) => symlinkSync("../pipe", p) });
    expectFinding(validate(dir), { code: "file/not-regular", file: "config/x.yaml", line: 1, column: 1 });
  });

  it("a FIFO among the samples, scanned for secrets", { timeout: TEST_TIMEOUT }, () => {
    const dir = project({ pipe: mkfifo, "config/samples/s.jsonl": (p) => symlinkSync("../../pipe", p) });
    expectFinding(validate(dir), {
      code: "file/not-regular",
      file: "config/samples/s.jsonl",
      line: 1,
      column: 1,
    });
  });

  it("a socket is reported", { timeout: TEST_TIMEOUT }, async () => {
    const dir = project({});
    mkdirSync(join(dir, "config"), { recursive: true });
    const path = join(dir, "config/s.yaml");
    const server: Server = createServer();
    await new Promise<void>((done) => server.listen(path, done));
    try {
      expectFinding(validate(dir), { code: "file/not-regular", file: "config/s.yaml", line: 1, column: 1 });
    } finally {
      await new Promise((done) => server.close(done));
      rmSync(path, { force: true });
    }
  });

  it("a link to a file outside the project is reported and never echoed", { timeout: TEST_TIMEOUT }, () => {
    const target = join(outside(), "leak.yaml");
    const dir = project({ "config/a.yaml": (p) => symlinkSync(target, p) });
    const run = validate(dir);
    expectFinding(run, { code: "file/outside-project", file: "config/a.yaml", line: 1, column: 1 });
    const human = spawnSync(process.execPath, [bin, "validate"], {
      cwd: dir,
      encoding: "utf8",
      timeout: BOUND_MS,
    });
    for (const text of [run.stdout, human.stdout, human.stderr]) {
      expect(text).not.toContain("OUTSIDE-CONTENT");
      expect(text).not.toContain(target);
    }
  });

  it("a link to a device outside the project is not opened", { timeout: TEST_TIMEOUT }, () => {
    const dir = project({ "config/z.yaml": (p) => symlinkSync("/dev/zero", p) });
    expectFinding(validate(dir), { code: "file/outside-project", file: "config/z.yaml", line: 1, column: 1 });
  });

  it(
    "a linked folder outside the project is reported, not silently skipped",
    { timeout: TEST_TIMEOUT },
    () => {
      const target = outside();
      const run = validate(project({ "config/shared": (p) => symlinkSync(target, p) }));
      expectFinding(run, { code: "file/outside-project", file: "config/shared", line: 1, column: 1 });
      expect(run.stdout).not.toContain("OUTSIDE-CONTENT");
    },
  );

  it("config/ itself linked outside the project", { timeout: TEST_TIMEOUT }, () => {
    const target = outside();
    const dir = project({});
    rmSync(join(dir, "config"), { recursive: true });
    symlinkSync(target, join(dir, "config"));
    const run = validate(dir);
    expectFinding(run, { code: "file/outside-project", file: "config", line: 1, column: 1 });
    expect(run.stdout).not.toContain("OUTSIDE-CONTENT");
  });

  it("a link loop", { timeout: TEST_TIMEOUT }, () => {
    const dir = project({
      "config/a.yaml": (p) => symlinkSync("b.yaml", p),
      "config/b.yaml": (p) => symlinkSync("a.yaml", p),
    });
    const run = validate(dir);
    expectFinding(run, { code: "file/not-regular", file: "config/a.yaml", line: 1, column: 1 });
    expectFinding(run, { code: "file/not-regular", file: "config/b.yaml", line: 1, column: 1 });
  });

  it("links that stay inside the project keep working", { timeout: TEST_TIMEOUT }, () => {
    const dir = project({
      "shared/person.yaml": "entity: Person\nfields:\n  id: { type: string, required: true }\n",
      "config/entities/person.yaml": (p) => {
        unlinkSync(p);
        symlinkSync("../../shared/person.yaml", p);
      },
      "config/entities/more": (p) => symlinkSync("../../shared", p),
    });
    const run = validate(dir);
    expect(run.status).toBe(0);
    expect(run.findings).toEqual([]);
  });
});

describe(".clueignore.yaml globs", () => {
  it(
    "a glob that would backtrack on a long file name matches in linear time",
    { timeout: TEST_TIMEOUT },
    () => {
      const name = `config/entities/${"a".repeat(200)}.yaml`;
      const run = validate(
        project({
          [name]: "entity: A\nfields: { id: { type: string } }\nextra: 1\n",
          ".clueignore.yaml": `findings:\n  - code: schema/unknown-property\n    file: "config/entities/*a*a*a*a*a*a*a*a*a*a*a*a*b"\n    reason: adversarial glob\n`,
        }),
      );
      expectFinding(run, { code: "schema/unknown-property", file: name, line: 3, column: 1 });
      expectFinding(run, { code: "suppress/unused", file: ".clueignore.yaml", line: 2, column: 5 });
    },
  );
});
