import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, realpathSync, statSync } from "node:fs";
import type { Stats } from "node:fs";
import { join, resolve, sep } from "node:path";
import type { ProjectInput } from "./project.js";
import { MAX_FILE_BYTES } from "./source-file.js";

/** What is at a project path, found without opening it. */
export type Found =
  | { kind: "missing" }
  | { kind: "directory" }
  | { kind: "file"; path: string; size: number; dev: number; ino: number }
  | { kind: "rejected"; code: "file/not-regular" | "file/outside-project"; message: string }
  | { kind: "unreadable"; message: string };

/** The project root with links resolved, so that "inside the project" compares real paths. */
export function realRoot(root: string): string {
  try {
    return realpathSync(root);
  } catch {
    return resolve(root);
  }
}

/**
 * Looks at `rel` under the (real) root with lstat and realpath only. A link is followed only when it stays inside
 * the project; its target is never named in the message (it may be a path the author should not learn, and it says
 * nothing the author of the link does not know).
 */
export function inspectPath(root: string, rel: string): Found {
  const path = join(root, rel);
  let stats: Stats;
  let real = path;
  try {
    stats = lstatSync(path);
  } catch (error) {
    return errorCode(error) === "ENOENT" ? { kind: "missing" } : { kind: "unreadable", message: reason(error) };
  }
  if (stats.isSymbolicLink()) {
    try {
      real = realpathSync(path);
    } catch (error) {
      const code = errorCode(error);
      if (code === "ELOOP")
        return reject("file/not-regular", "A symbolic link that loops back on itself: clue does not read it.");
      if (code === "ENOENT")
        return { kind: "unreadable", message: "it is a symbolic link to a path that does not exist" };
      return { kind: "unreadable", message: reason(error) };
    }
    if (real !== root && !real.startsWith(root.endsWith(sep) ? root : root + sep))
      return reject(
        "file/outside-project",
        "A symbolic link to a path outside the project: clue does not read it.",
      );
    try {
      stats = statSync(real);
    } catch (error) {
      return { kind: "unreadable", message: reason(error) };
    }
  }
  if (stats.isDirectory()) return { kind: "directory" };
  if (!stats.isFile())
    return reject("file/not-regular", `${describe(stats)}, not a regular file: clue does not open it.`);
  return { kind: "file", path: real, size: stats.size, dev: stats.dev, ino: stats.ino };
}

// O_NONBLOCK: should the path have become a FIFO since it was looked at, opening it must not wait for a writer.
// O_NOFOLLOW: nor may it have become a link. Neither exists on Windows, which has no FIFOs of this kind.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);

/** Reads a file that inspectPath found regular, checking it is still the same regular file once open. */
export function readRegularFile(
  found: Extract<Found, { kind: "file" }>,
): Pick<ProjectInput, "bytes" | "size" | "unreadable" | "rejected"> {
  const empty = new Uint8Array(0);
  if (found.size > MAX_FILE_BYTES) return { bytes: empty, size: found.size };
  let fd: number;
  try {
    fd = openSync(found.path, OPEN_FLAGS);
  } catch (error) {
    return { bytes: empty, unreadable: reason(error) };
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile() || stats.dev !== found.dev || stats.ino !== found.ino)
      return { bytes: empty, unreadable: "it changed while clue was reading the project" };
    if (stats.size > MAX_FILE_BYTES) return { bytes: empty, size: stats.size };
    const bytes = new Uint8Array(stats.size);
    let read = 0;
    while (read < stats.size) {
      const n = readSync(fd, bytes, read, stats.size - read, null);
      if (n === 0) break;
      read += n;
    }
    return { bytes: bytes.subarray(0, read) };
  } catch (error) {
    return { bytes: empty, unreadable: reason(error) };
  } finally {
    closeSync(fd);
  }
}

function reject(code: "file/not-regular" | "file/outside-project", message: string): Found {
  return { kind: "rejected", code, message };
}

function describe(stats: Stats): string {
  if (stats.isFIFO()) return "A named pipe (FIFO)";
  if (stats.isSocket()) return "A socket";
  if (stats.isCharacterDevice()) return "A character device";
  if (stats.isBlockDevice()) return "A block device";
  return "A special file";
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** An error's message, as file/unreadable has always shown it. */
function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
