// The published package, as a user gets it: `npm pack` of a copy of this checkout (so its `prepack` build runs, and
// never rewrites the dist/ that the other tests are running from), installed from the tarball into a fresh project
// (dependencies from npm's cache, filled by `npm ci`: --prefer-offline), then used there through `npx clue`.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packCheckout, type PackedTarball } from "../../scripts/pack-checkout.mjs";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const pkg = JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as {
  name: string;
  version: string;
  files: string[];
};
/** npm and tsc on a busy two-core machine: generous. */
const SLOW = 600_000;

let root = "";
let consumer = "";
let packed: PackedTarball | undefined;

function sh(command: string, args: string[], cwd: string, timeout = SLOW) {
  const done = spawnSync(command, args, {
    cwd,
    encoding: "utf8",
    timeout,
    env: { ...process.env, NO_COLOR: "1" },
  });
  if (done.error) throw done.error;
  return { code: done.status, stdout: done.stdout, stderr: done.stderr };
}

function npx(args: string[], cwd = consumer) {
  return sh("npx", ["--no-install", "clue", ...args], cwd);
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "clue-package-"));
  const pack = packCheckout(root);
  packed = pack.packed;

  consumer = join(root, "consumer");
  mkdirSync(consumer);
  expect(sh("git", ["init", "-q"], consumer).code).toBe(0);
  writeFileSync(join(consumer, "package.json"), '{ "name": "consumer", "private": true }\n');
  const install = sh(
    "npm",
    ["install", "--no-audit", "--no-fund", "--prefer-offline", pack.tarball],
    consumer,
  );
  expect(install.code, install.stderr).toBe(0);
}, SLOW * 2);

// A copy of the checkout and two node_modules: removing them takes a while on a busy machine.
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
}, SLOW);

describe("the clue-mdm package", () => {
  it("ships the build, the runtime files and the licence; no sources, tests or source maps", () => {
    const files = packed?.files.map((f) => f.path) ?? [];
    expect(packed?.filename).toBe(`clue-mdm-${pkg.version}.tgz`);
    for (const file of [
      "bin/clue.js",
      "dist/cli/main.js",
      "dist/schema/compiled.cjs",
      "dist/index.d.ts",
      "schemas/entity.schema.json",
      "data/nicknames/names.csv",
      "openapi/clue-target.openapi.yaml",
      "LICENSE",
      "package.json",
    ])
      expect(files).toContain(file);
    expect(files.filter((f) => /^(src|test|scripts|config|env|tools|bench)\//.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith(".map"))).toEqual([]);
    const installed = JSON.parse(
      readFileSync(join(consumer, "node_modules/clue-mdm/package.json"), "utf8"),
    ) as Record<string, unknown>;
    expect(installed.scripts).not.toHaveProperty("prepare");
    expect(installed.license).toBe("MIT");
  });

  it("npx clue --version works in the project it was installed into", () => {
    const result = npx(["--version"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`${pkg.version}\n`);
  });

  it("the schemas are where editors' modelines resolve them", () => {
    const schema = join(consumer, "node_modules/clue-mdm/schemas/entity.schema.json");
    expect(JSON.parse(readFileSync(schema, "utf8"))).toHaveProperty("$schema");
  });

  it(
    "runs the example project from the installed package: validate, test, plan and apply on local",
    () => {
      const project = join(root, "example");
      mkdirSync(project);
      cpSync(join(repo, "config"), join(project, "config"), { recursive: true });
      cpSync(join(repo, "env"), join(project, "env"), { recursive: true });
      // npx from the consumer (where clue-mdm is installed), the project by --project.
      const run = (...args: string[]) => npx([...args, "--project", project]);
      expect(run("validate").code).toBe(0);
      const tests = run("test"); // reads data/nicknames/ through the name functions
      expect(tests.code, tests.stdout).toBe(0);
      expect(run("plan", "--env", "local", "--detailed-exitcode").code).toBe(2);
      expect(run("apply", "--env", "local", "--yes").code).toBe(0);
      expect(run("plan", "--env", "local", "--detailed-exitcode").code).toBe(0);
    },
    SLOW,
  );

  it(
    "clue serve finds its OpenAPI document in the installed package",
    async () => {
      // The installed bin itself (npx would put npm between the test and the server it stops).
      const bin = join(consumer, "node_modules/.bin/clue");
      const child = spawn(bin, ["serve", "--port", "0", "--data", join(root, "serve")], {
        cwd: consumer,
        env: { ...process.env, CLUE_SERVE_CLIENTS: "ci:package-test-secret-1234" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      try {
        const line = await new Promise<string>((resolve, reject) => {
          let out = "";
          let err = "";
          child.stdout.on("data", (d: Buffer) => {
            out += d.toString();
            if (/listening on http:\/\/127\.0\.0\.1:\d+/.test(out)) resolve(out);
          });
          child.stderr.on("data", (d: Buffer) => (err += d.toString()));
          child.on("exit", (code) => reject(new Error(`clue serve exited ${String(code)}: ${err}`)));
        });
        expect(line).toContain("clue serve listening on");
      } finally {
        child.kill("SIGTERM");
        await new Promise((resolve) => child.once("close", resolve));
      }
    },
    SLOW,
  );

  it(
    "clue init, then validate, test, plan, apply on local",
    () => {
      const project = join(root, "fresh");
      mkdirSync(project);
      // Beside the installed package, as a user would: node_modules/ one level up is found by npx from here.
      const inProject = (...args: string[]) =>
        sh("npx", ["--no-install", "--prefix", consumer, "clue", ...args], project);
      const init = inProject("init");
      expect(init.code, init.stderr).toBe(0);
      expect(inProject("validate").code).toBe(0);
      expect(inProject("test").code).toBe(0);
      expect(inProject("plan", "--env", "local", "--detailed-exitcode").code).toBe(2);
      expect(inProject("apply", "--env", "local", "--yes").code).toBe(0);
    },
    SLOW,
  );
});
