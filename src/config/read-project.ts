import { closeSync, openSync, readSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { IGNORE_FILE, type ProjectInput } from "./project.js";
import { MAX_FILE_BYTES } from "./source-file.js";

/** Folders under config/ that hold data for the evaluator, not resources. */
export const DATA_FOLDERS = new Set(["samples", "reference"]);
const CONFIG_EXTENSIONS = /\.(ya?ml|json)$/i;

export interface ProjectFiles {
  inputs: ProjectInput[];
  /** Every other file under config/ (samples, reference tables), for checks that a referenced file exists. */
  dataFiles: Set<string>;
  /** Those other files, and stray files under env/, read for the secret scan. */
  otherInputs: ProjectInput[];
}

/**
 * Finds and reads the config files of a project: config/**, env/*, and the ignore file. Oversized files are not
 * read whole (their size is enough to report them). Paths are sorted, so runs are deterministic.
 */
export function readProjectFiles(root: string): ProjectFiles {
  const files: ProjectFiles = { inputs: [], dataFiles: new Set(), otherInputs: [] };
  const paths: string[] = [];
  const others: string[] = [];
  walk(root, "config", (rel, isData) => {
    if (!isData && CONFIG_EXTENSIONS.test(rel)) paths.push(rel);
    else {
      files.dataFiles.add(rel);
      others.push(rel);
    }
  });
  walk(root, "env", (rel, isData) => (!isData && CONFIG_EXTENSIONS.test(rel) ? paths.push(rel) : others.push(rel)));
  if (isFile(join(root, IGNORE_FILE))) paths.push(IGNORE_FILE);
  for (const rel of paths.sort()) files.inputs.push(readInput(root, rel));
  for (const rel of others.sort()) files.otherInputs.push(readInput(root, rel));
  return files;
}

function walk(
  root: string,
  rel: string,
  visit: (rel: string, isData: boolean) => void,
  isData = false,
): void {
  let entries;
  try {
    entries = readdirSync(join(root, rel), { withFileTypes: true });
  } catch {
    return; // a missing config/ or env/ folder is reported by the lint rules that need it
  }
  for (const entry of entries) {
    if (entry.name === ".git") continue;
    const child = `${rel}/${entry.name}`;
    // Dotfiles are never config, but a stray `.env` is exactly where a secret hides: they are scanned as data.
    const hidden = entry.name.startsWith(".");
    // Symbolic links to folders are not followed: a link cycle would never end.
    if (entry.isDirectory())
      walk(root, child, visit, isData || hidden || (rel === "config" && DATA_FOLDERS.has(entry.name)));
    else if (entry.isFile() || entry.isSymbolicLink()) visit(child, isData || hidden);
  }
}

function readInput(root: string, rel: string): ProjectInput {
  const path = join(root, rel);
  try {
    const size = statSync(path).size;
    if (size > MAX_FILE_BYTES) return { path: rel, bytes: new Uint8Array(0), size };
    const bytes = new Uint8Array(size);
    const fd = openSync(path, "r");
    try {
      let read = 0;
      while (read < size) {
        const n = readSync(fd, bytes, read, size - read, null);
        if (n === 0) break;
        read += n;
      }
      return { path: rel, bytes: bytes.subarray(0, read) };
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    return {
      path: rel,
      bytes: new Uint8Array(0),
      unreadable: error instanceof Error ? error.message : String(error),
    };
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
