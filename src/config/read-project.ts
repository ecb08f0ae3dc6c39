import { readdirSync } from "node:fs";
import { join } from "node:path";
import { IGNORE_FILE, type ProjectInput } from "./project.js";
import { inspectPath, readRegularFile, realRoot } from "./safe-read.js";

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
 * read whole (their size is enough to report them). Paths are sorted, so runs are deterministic. Only regular files
 * inside the project are opened: FIFOs, devices, sockets, link loops and links that lead out of the project are
 * reported by path, never opened (opening a FIFO blocks forever) nor echoed.
 */
export function readProjectFiles(root: string): ProjectFiles {
  const real = realRoot(root);
  const files: ProjectFiles = {
    inputs: [],
    dataFiles: new DataFiles((rel) => inspectPath(real, rel).kind === "file"),
    otherInputs: [],
  };
  const paths: string[] = [];
  const others: string[] = [];
  const walkTop = (top: string, visit: (rel: string, isData: boolean) => void) => {
    // config/ and env/ themselves may be links into the project; one out of it is reported, and not walked.
    const found = inspectPath(real, top);
    if (found.kind === "directory") walk(real, top, visit);
    else if (found.kind === "rejected") paths.push(top);
  };
  walkTop("config", (rel, isData) => {
    if (!isData && CONFIG_EXTENSIONS.test(rel)) paths.push(rel);
    else {
      files.dataFiles.add(rel);
      others.push(rel);
    }
  });
  walkTop("env", (rel, isData) => (!isData && CONFIG_EXTENSIONS.test(rel) ? paths.push(rel) : others.push(rel)));
  const ignore = inspectPath(real, IGNORE_FILE).kind;
  if (ignore !== "missing" && ignore !== "directory") paths.push(IGNORE_FILE);
  for (const rel of paths.sort()) files.inputs.push(readInput(real, rel));
  for (const rel of others.sort()) files.otherInputs.push(readInput(real, rel));
  return files;
}

/**
 * The data files under config/, as the walk found them; a path elsewhere in the project is looked up on disk when a
 * check asks (a test's input may live outside config/, in a data/ folder of the repository), through the same
 * inspection that never follows a link out of the project.
 */
class DataFiles extends Set<string> {
  constructor(private readonly lookup: (rel: string) => boolean) {
    super();
  }

  override has(rel: string): boolean {
    return super.has(rel) || (!rel.startsWith("config/") && this.lookup(rel));
  }
}

function walk(root: string, rel: string, visit: (rel: string, isData: boolean) => void, isData = false): void {
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
    if (entry.isDirectory())
      walk(root, child, visit, isData || hidden || (rel === "config" && DATA_FOLDERS.has(entry.name)));
    // Everything else (files, links, FIFOs, devices) is looked at by readInput, which opens only regular files.
    // Links to folders inside the project are not followed (a link cycle would never end); out of it, reported.
    else if (!entry.isSymbolicLink() || inspectPath(root, child).kind !== "directory") visit(child, isData || hidden);
  }
}

function readInput(root: string, rel: string): ProjectInput {
  const found = inspectPath(root, rel);
  switch (found.kind) {
    case "rejected":
      return { path: rel, bytes: new Uint8Array(0), rejected: { code: found.code, message: found.message } };
    case "unreadable":
      return { path: rel, bytes: new Uint8Array(0), unreadable: found.message };
    case "missing":
    case "directory":
      return { path: rel, bytes: new Uint8Array(0), unreadable: "it changed while clue was reading the project" };
    case "file":
      return { path: rel, ...readRegularFile(found) };
  }
}
