/**
 * An output file that appears whole or not at all. Text goes to a temporary file in the target's folder (so the
 * final rename stays on one file system and is atomic); `commit` renames it over the target, `abort` deletes it.
 * A run that fails, or is stopped, leaves the earlier file (if any) as it was and no partial one. Writes are
 * synchronous and buffered: the dead-letter writer is called from inside the parsers, where nothing can be awaited.
 */
import { keepOutOfGit } from "./work-dir.js";
import { randomBytes } from "node:crypto";
import {
  closeSync,
  fchmodSync,
  fdatasyncSync,
  mkdirSync,
  openSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
  type Stats,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

export interface OutputFile {
  /** Where the file lands: the path given, or the file a symlink there points to. */
  readonly path: string;
  write(text: string): void;
  /** Binary output (a Parquet file): written after any text still buffered. */
  writeBytes(bytes: Uint8Array): void;
  /**
   * The temporary file's path while nothing has been written to it (a regular file only; undefined otherwise):
   * another writer (DuckDB's COPY) may fill that file in place instead of `write`; `commit` then syncs and renames
   * it as usual.
   */
  emptyPath(): string | undefined;
  /** Flushes, syncs and renames the file into place. */
  commit(): void;
  /** Deletes the temporary file; the target is left untouched. Safe to call at any time, and more than once. */
  abort(): void;
}

/**
 * Text is encoded into one reused buffer of this many bytes, so a million small rows cost a few hundred system
 * calls, not a million, and no long string is built only to be encoded.
 */
const BUFFER_BYTES = 1024 * 1024;

/** Temporary files are hidden and end in this, so a file left by a killed process is recognisable. */
export const TEMP_SUFFIX = ".clue-tmp";

/** Opens the temporary file now, so a path that cannot be written fails before any work is done. */
export function openOutputFile(path: string): OutputFile {
  const target = landingPath(path);
  const existing = statOrUndefined(target);
  // A device or a pipe (`--out /dev/null`) is written as it is: it has no contents to replace, and a rename over it
  // would put a plain file in its place.
  if (existing !== undefined && !existing.isFile()) return directOutput(target);
  mkdirSync(dirname(target), { recursive: true });
  keepOutOfGit(dirname(target));
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString("hex")}${TEMP_SUFFIX}`);
  let fd: number | undefined = openSync(temp, "wx");
  const buffer = byteBuffer();
  let written = false;
  // The new file keeps the permissions of the one it replaces (a 0600 report stays 0600).
  if (existing !== undefined) fchmodSync(fd, existing.mode & 0o7777);

  function flush(): void {
    if (fd !== undefined) buffer.flush(fd);
  }

  function abort(): void {
    buffer.clear();
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // Already unusable; the file is deleted below all the same.
      }
      fd = undefined;
    }
    rmSync(temp, { force: true });
  }

  return {
    path: target,
    write(text) {
      if (fd === undefined) throw new Error(`${target}: written after commit or abort`);
      written = true;
      buffer.write(fd, text);
    },
    writeBytes(bytes) {
      if (fd === undefined) throw new Error(`${target}: written after commit or abort`);
      written = true;
      flush();
      writeAll(fd, bytes);
    },
    emptyPath: () => (fd === undefined || written ? undefined : temp),
    commit() {
      if (fd === undefined) throw new Error(`${target}: committed after commit or abort`);
      try {
        flush();
        // Durable before it is visible: a crash just after the rename must not leave an empty file in place.
        fdatasyncSync(fd);
        closeSync(fd);
        fd = undefined;
        renameSync(temp, target);
      } catch (error) {
        abort();
        throw error;
      }
    },
    abort,
  };
}

/** Writes a whole file at once, atomically. */
export function writeOutputFile(path: string, text: string): void {
  const file = openOutputFile(path);
  try {
    file.write(text);
  } catch (error) {
    file.abort();
    throw error;
  }
  file.commit();
}

/** Writes straight to a file that is not a regular one; commit and abort both just close it. */
function directOutput(target: string): OutputFile {
  let fd: number | undefined = openSync(target, "w");
  const buffer = byteBuffer();
  const close = (write: boolean) => {
    if (fd === undefined) return;
    const open = fd;
    fd = undefined;
    try {
      if (write) buffer.flush(open);
    } finally {
      buffer.clear();
      closeSync(open);
    }
  };
  return {
    path: target,
    write(text) {
      if (fd === undefined) throw new Error(`${target}: written after commit or abort`);
      buffer.write(fd, text);
    },
    writeBytes(bytes) {
      if (fd === undefined) throw new Error(`${target}: written after commit or abort`);
      buffer.flush(fd);
      writeAll(fd, bytes);
    },
    emptyPath: () => undefined,
    commit: () => close(true),
    abort: () => close(false),
  };
}

/** Text encoded as UTF-8 into one reused buffer, written out when the next text might not fit. */
function byteBuffer(): { write(fd: number, text: string): void; flush(fd: number): void; clear(): void } {
  const bytes = Buffer.allocUnsafe(BUFFER_BYTES);
  let used = 0;
  const flush = (fd: number): void => {
    if (used > 0) writeAll(fd, bytes.subarray(0, used));
    used = 0;
  };
  return {
    write(fd, text) {
      // A UTF-16 unit takes at most 3 bytes of UTF-8 (a surrogate pair, two units, takes 4).
      if (used + text.length * 3 > BUFFER_BYTES) {
        flush(fd);
        if (text.length * 3 > BUFFER_BYTES) {
          writeAll(fd, Buffer.from(text, "utf8"));
          return;
        }
      }
      used += bytes.write(text, used, "utf8");
    },
    flush,
    clear: () => {
      used = 0;
    },
  };
}

/** writeSync may write less than it is given (a pipe, a full disk's last blocks): the rest follows. */
function writeAll(fd: number, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** A symlink is written through (the link stays a link); any other path is taken as it is. */
function landingPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}
