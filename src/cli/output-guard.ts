/**
 * Outputs never destroy inputs: an output option (`--out`, `--dead-letter`, `--output`) naming a file the command
 * reads, by whatever name, is a usage error before anything is read or written; and an output written in place of
 * an older file is removed again (the older file kept) when the process is stopped by a signal.
 */
import { join, relative, resolve, sep } from "node:path";
import type { Project } from "../config/project.js";
import { readProjectFiles } from "../config/read-project.js";
import { clashingFile, fileInside, realPathOf, type ProtectedFile } from "../io/output-path.js";
import { UsageError } from "./errors.js";

/** Every file of the project clue reads: config files under config/ and env/, the ignore file, the data beside them. */
export function projectFiles(root: string, project: Project): ProtectedFile[] {
  return configFiles(root, [
    ...project.files.map((f) => f.path),
    ...project.otherFiles.map((f) => f.path),
    ...project.dataFiles,
  ]);
}

/**
 * For a command that does not load the project: throws a UsageError when the output named by `option`, if given, is
 * one of the files found under `root`.
 */
export function refuseClobberAt(option: string, output: string | undefined, root: string): void {
  if (output === undefined) return;
  const { inputs, otherInputs, dataFiles } = readProjectFiles(root);
  const paths = [...inputs.map((i) => i.path), ...otherInputs.map((i) => i.path), ...dataFiles];
  refuseClobber(option, output, configFiles(root, paths));
}

function configFiles(root: string, paths: readonly string[]): ProtectedFile[] {
  return [...new Set(paths)].map((path) => ({ path: join(root, path), what: "a config file" }));
}

/** Throws a UsageError when the output named by `option` is one of `files` (see io/output-path.ts). */
export function refuseClobber(option: string, output: string, files: readonly ProtectedFile[]): void {
  const clash = clashingFile(output, files);
  if (clash === undefined) return;
  if (resolve(output) === resolve(clash.path))
    throw new UsageError(`${option} ${output} is also ${clash.what}; write elsewhere`);
  const name = relative(process.cwd(), clash.path) || clash.path;
  throw new UsageError(
    `${option} ${output} is the same file as ${name}, ${clash.what} (through a symlink, a hard link or another ` +
      `spelling of its path); write elsewhere`,
  );
}

/**
 * Throws a UsageError when the output folder named by `option` lies inside the project's config/ or env/: every file
 * there is read as config, so a generated `Person.schema.json` would be loaded as a resource on the next run. Real
 * paths are compared, so a symlink or another spelling does not get past.
 */
export function refuseConfigFolder(option: string, out: string, root: string): void {
  const target = realPathOf(resolve(out));
  for (const folder of ["config", "env"]) {
    const real = realPathOf(join(root, folder));
    if (target === real || target.startsWith(real + sep))
      throw new UsageError(
        `${option} ${out} is inside the project's ${folder}/ folder, which clue reads as config; write elsewhere`,
      );
  }
}

/**
 * Throws a UsageError when the output folder named by `option` holds one of `files`: a folder output replaces the
 * folder whole (a partitioned Parquet folder).
 */
export function refuseFolderClobber(option: string, output: string, files: readonly ProtectedFile[]): void {
  const inside = fileInside(output, files);
  if (inside === undefined) return;
  const name = relative(process.cwd(), inside.path) || inside.path;
  throw new UsageError(
    `${option} ${output} is replaced whole, and it holds ${name}, ${inside.what}; write elsewhere`,
  );
}

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/**
 * Until the returned function is called, a SIGINT, SIGTERM or SIGHUP runs `cleanUp` (deleting temporary outputs)
 * before the process ends. Node's default would end it at once, leaving them behind. The signal is then raised
 * again with the handlers gone, so the process ends by it as it would have (exit status 128 + signal): not through
 * process.exit, which waits for a file-system call that may never return (opening a FIFO nobody writes to).
 */
export function cleanUpOnSignal(cleanUp: () => void): () => void {
  const remove = () => SIGNALS.forEach((signal) => process.off(signal, handler));
  function handler(signal: NodeJS.Signals): void {
    remove();
    cleanUp();
    process.kill(process.pid, signal);
  }
  SIGNALS.forEach((signal) => process.on(signal, handler));
  return remove;
}
