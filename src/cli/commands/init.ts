import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { kinds, kindOfFolder } from "../../config/kinds.js";
import type { ImportedFile } from "../../deploy/import-files.js";
import { safeTerminalText } from "../../util/terminal-text.js";
import { parseCommandLine } from "../command-line.js";
import { exitCodes, UsageError } from "../errors.js";
import { initFiles, modeline, PACKAGE_NAME, type TemplateFile } from "../init-templates.js";
import type { GlobalOptions } from "../main.js";
import { version } from "../version.js";
import { importEnvironment } from "./import.js";

export const usage = `Usage: clue init [DIR] [--empty | --from-env ENV]

Scaffolds a config repository in DIR (default: the current folder; created if missing): config/ with one small
example of every kind, a sample data file and a golden test that passes on it; env/local.yaml (the embedded local
target: no server, no credentials) and env/test.yaml and env/prod.yaml, whose URLs and credentials are read from
environment variables; GitHub workflows for pull requests and deploys (the clue-mdm/clue action); VS Code settings
mapping every folder onto its schema; .gitignore; package.json with ${PACKAGE_NAME} as a dev dependency (only when
there is none); and a README with the daily loop. An existing file is never overwritten: it is listed as skipped.

Options:
  --empty          the layout only, without the example config (empty config/ folders keep a .gitkeep)
  --from-env ENV   the layout, then the config imported from environment ENV's target (as clue import does); ENV
                   is a file under DIR/env/, e.g. one written before (init never replaces it)
  -h, --help       show this help

Exit codes: 0 written (existing files skipped), 1 a file could not be written or the import failed, 64 bad usage.

Example:
  clue init my-mdm-config && cd my-mdm-config && npm install && npx clue validate && npx clue test`;

export async function run(args: string[], global: GlobalOptions): Promise<number> {
  const parsed = parseCommandLine(
    args,
    usage,
    {
      empty: { type: "boolean" },
      "from-env": { type: "string" },
    },
    { positionals: true },
  );
  if (!parsed) return exitCodes.ok;
  const { values, positionals } = parsed;
  if (positionals.length > 1)
    throw new UsageError(`init takes one folder, not ${positionals.length}: clue init [DIR]`);
  const fromEnv = values["from-env"];
  if (fromEnv !== undefined && values.empty)
    throw new UsageError("--empty and --from-env exclude each other (--from-env writes no example either)");
  if (fromEnv === "") throw new UsageError("--from-env needs an environment's name");
  const given = positionals[0];
  const root = resolve(given ?? ".");
  if (existsSync(root) && !statSync(root).isDirectory())
    throw new UsageError(`${given ?? "."} exists and is not a folder`);

  const out = (text: string) => process.stdout.write(`${text}\n`);
  const files = initFiles({ example: !values.empty && fromEnv === undefined, version: version() }).filter(
    (f) => f.keep !== true || isBare(dirname(join(root, f.path))),
  );
  const outcomes: Outcome[] = [];
  for (const file of files) {
    const outcome = writeMissing(root, file);
    outcomes.push(outcome);
    const path = safeTerminalText(file.path, { midLine: true });
    if (outcome === "written") out(`wrote ${path}`);
    else if (outcome === "exists") out(`skipped ${path}: exists${hintFor(root, file)}`);
    else process.stderr.write(`clue: could not write ${path}: ${safeTerminalText(outcome.error)}\n`);
  }
  // Every file that could be written was; what could not is listed above.
  if (outcomes.some((o) => typeof o === "object")) return exitCodes.problems;

  if (fromEnv !== undefined) {
    const code = await importEnvironment({
      project: root,
      env: fromEnv,
      out: undefined,
      force: false,
      color: global.color,
      edit: pointAtPackage,
      refusal: "move them away, or init into another folder",
    });
    if (code !== exitCodes.ok) return code;
  }

  const written = outcomes.filter((o) => o === "written").length;
  out("");
  out(`${written} file${written === 1 ? "" : "s"} written, ${files.length - written} skipped. Next steps:`);
  if (given !== undefined && root !== process.cwd()) out(`  cd ${shellWord(given)}`);
  // Installed first (npm install --save-dev clue-mdm, then npx clue init): nothing more to install.
  if (!existsSync(join(root, "node_modules", PACKAGE_NAME, "package.json"))) out("  npm install");
  out("  npx clue validate");
  // Only the example has golden tests (clue test fails on a project without any) and something worth applying.
  if (fromEnv !== undefined) {
    out(`  npx clue plan --env ${shellWord(fromEnv)}`);
    out(
      "What no target holds is yours to write: samples and golden tests (and on CluedIn, mappings, contracts and webhooks); clue validate names what the imported config refers to and lacks.",
    );
  } else if (!values.empty) {
    out("  npx clue test");
    out("  npx clue apply --env local --yes");
  }
  return exitCodes.ok;
}

/** A folder that is missing, or holds nothing but a .gitkeep. */
function isBare(folder: string): boolean {
  try {
    return readdirSync(folder).every((name) => name === ".gitkeep");
  } catch {
    return true;
  }
}

type Outcome = "written" | "exists" | { error: string };

/** Writes the file unless something is at its path: `wx` fails on an existing file or link, so nothing is replaced. */
function writeMissing(root: string, file: TemplateFile): Outcome {
  const path = join(root, file.path);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.text, { flag: "wx" });
    return "written";
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return "exists";
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** What to add by hand to an existing file init would have written with clue's part in it. */
function hintFor(root: string, file: TemplateFile): string {
  if (file.path !== "package.json" && file.path !== ".gitignore") return "";
  let text: string;
  try {
    text = readFileSync(join(root, file.path), "utf8");
  } catch {
    return "";
  }
  if (file.path === ".gitignore") {
    const lines = new Set(text.split(/\r?\n/).map((l) => l.trim()));
    const missing = ["node_modules/", ".clue/"].filter((p) => !lines.has(p) && !lines.has(p.slice(0, -1)));
    return missing.length > 0 ? ` (add ${missing.join(" and ")} to it)` : "";
  }
  return packageJsonHint(text, file.text);
}

type PackageJson = {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  scripts?: Record<string, string>;
};

/**
 * What an existing package.json lacks of the template's: clue-mdm as a dependency, and the scripts that run clue
 * (`npm init -y` writes a "test" script that only fails).
 */
function packageJsonHint(text: string, templateText: string): string {
  const template = JSON.parse(templateText) as PackageJson;
  let pkg: PackageJson;
  try {
    pkg = JSON.parse(text) as PackageJson;
  } catch {
    return " (it is not valid JSON)";
  }
  if (typeof pkg !== "object" || pkg === null) return " (it is not a JSON object)";
  const add: string[] = [];
  if (pkg.devDependencies?.[PACKAGE_NAME] === undefined && pkg.dependencies?.[PACKAGE_NAME] === undefined)
    add.push(`"${PACKAGE_NAME}": "${template.devDependencies?.[PACKAGE_NAME]}" to its devDependencies`);
  const scripts = Object.entries(template.scripts ?? {}).filter(([name, run]) => pkg.scripts?.[name] !== run);
  if (scripts.length > 0)
    add.push(`the scripts ${scripts.map(([name, run]) => `"${name}": "${run}"`).join(" and ")}`);
  return add.length > 0 ? ` (add ${add.join(", and ")})` : "";
}

/** The folder as a word a shell reads back as it is (and a terminal shows as it is). */
function shellWord(text: string): string {
  const safe = safeTerminalText(text, { midLine: true });
  return /^[\w@%+=:,./-]+$/.test(safe) ? safe : `'${safe.replaceAll("'", "'\\''")}'`;
}

/** An imported file's schema comment points at the installed package, as the templates' do. */
function pointAtPackage(file: ImportedFile): string {
  const body = file.text.replace(/^# yaml-language-server:.*\n/, "");
  const kind = kindOfFolder(file.path.split("/")[0] ?? "");
  return kind === undefined ? body : `${modeline(`config/${file.path}`, kinds[kind].schema)}\n${body}`;
}
