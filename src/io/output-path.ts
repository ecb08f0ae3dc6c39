/**
 * Whether an output file would land on a file clue reads. Comparing the names as given misses most ways two paths
 * can be one file: `./a` and `a`, a symlink, a hard link, a folder that is a symlink into the inputs' folder, or a
 * name that differs only in case on a case-insensitive disk. Two tests together catch them all: the real path
 * (every symlink resolved) and, for a file that exists, its device and inode numbers.
 */
import { realpathSync, statSync } from "node:fs";
import { basename, dirname, join, resolve, sep } from "node:path";

/** A file an output must never overwrite, and how to name it in a message ("--input", "config file", ...). */
export interface ProtectedFile {
  path: string;
  what: string;
}

interface Identity {
  /** The path with every symlink resolved (for a file that does not exist yet: its folder's, plus its name). */
  real: string;
  /** `dev:ino` of a file that exists. */
  inode: string | undefined;
}

/** The first protected file that `output` is, by any name; undefined when it is none of them. */
export function clashingFile(output: string, files: readonly ProtectedFile[]): ProtectedFile | undefined {
  const out = identityOf(output);
  return files.find((file) => {
    const other = identityOf(file.path);
    return other.real === out.real || (out.inode !== undefined && other.inode === out.inode);
  });
}

/** The first protected file inside the folder `output` (at any depth, by real path); undefined when none is. */
export function fileInside(output: string, files: readonly ProtectedFile[]): ProtectedFile | undefined {
  const folder = identityOf(output).real;
  return files.find((file) => identityOf(file.path).real.startsWith(`${folder}${sep}`));
}

/** The path with every symlink resolved, also for a file or folder that does not exist yet. */
export function realPathOf(path: string): string {
  return identityOf(path).real;
}

function identityOf(path: string): Identity {
  const absolute = resolve(path);
  try {
    // stat and realpath both follow symlinks: a link to an input is the input.
    const stat = statSync(absolute);
    return { real: realpathSync(absolute), inode: `${stat.dev}:${stat.ino}` };
  } catch {
    return { real: realFolderOf(absolute), inode: undefined };
  }
}

/** The real path a file that does not exist (yet) would have: its nearest existing folder resolved, then the rest. */
function realFolderOf(absolute: string): string {
  const rest: string[] = [];
  let folder = absolute;
  for (;;) {
    rest.unshift(basename(folder));
    const parent = dirname(folder);
    if (parent === folder) return absolute;
    folder = parent;
    try {
      return join(realpathSync(folder), ...rest);
    } catch {
      // This folder does not exist either (or cannot be resolved): go one further up.
    }
  }
}
