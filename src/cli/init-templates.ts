import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { kinds, kindNames } from "../config/kinds.js";
import { DATA_FOLDERS } from "../config/read-project.js";
import type { SchemaName } from "../schema/schema-files.js";

/** The templates `clue init` copies: `layout/` always, `example/` (the example config) unless asked not to. */
export const templatesDir = fileURLToPath(new URL("../../templates/init/", import.meta.url));

/** The npm package clue is installed as; the modelines and the editor settings point into it. */
export const PACKAGE_NAME = "clue-mdm";

export interface TemplateFile {
  /** Relative to the new repository's root, with `/`. */
  path: string;
  text: string;
  /** A `.gitkeep`: written only where the folder has nothing else (an empty folder is what git would lose). */
  keep?: true;
}

/**
 * Template names that npm would not ship as they are: `npm publish` drops (or renames) a `.gitignore`, so the
 * template is kept as `gitignore` and written under its real name.
 */
const renames: Record<string, string> = { gitignore: ".gitignore" };

/**
 * The files of a new repository, sorted by path. `{{version}}` becomes clue's version. Every folder of a config kind
 * (and of sample data and reference tables) that no template fills gets a `.gitkeep`, so git keeps the layout.
 */
export function initFiles(options: { example: boolean; version: string }): TemplateFile[] {
  const files = readTree(join(templatesDir, "layout"));
  if (options.example) files.push(...readTree(join(templatesDir, "example")));
  const rendered: TemplateFile[] = files.map((f) => ({
    path: f.path,
    text: f.text.replaceAll("{{version}}", options.version),
  }));
  const folders = [...kindNames.map((k) => kinds[k].folder), ...DATA_FOLDERS];
  for (const folder of folders)
    if (!rendered.some((f) => f.path.startsWith(`config/${folder}/`)))
      rendered.push({ path: `config/${folder}/.gitkeep`, text: "", keep: true });
  return rendered.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The schema comment of a YAML file at `path` (relative to the repository's root) of the given schema. */
export function modeline(path: string, schema: SchemaName): string {
  const up = "../".repeat(path.split("/").length - 1);
  return `# yaml-language-server: $schema=${up}node_modules/${PACKAGE_NAME}/schemas/${schema}.schema.json`;
}

function readTree(root: string, prefix = ""): TemplateFile[] {
  const files: TemplateFile[] = [];
  for (const entry of readdirSync(join(root, prefix), { withFileTypes: true })) {
    const rel = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) files.push(...readTree(root, rel));
    else if (entry.isFile()) {
      const name = renames[entry.name];
      const path = name === undefined ? rel : `${prefix === "" ? "" : `${prefix}/`}${name}`;
      files.push({ path, text: readFileSync(join(root, rel), "utf8") });
    }
  }
  return files;
}
