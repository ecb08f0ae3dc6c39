/** Writes dead letters as JSON Lines `{line, reason, text}`, the file SPEC §9 asks for. */
import { closeSync, openSync, writeSync } from "node:fs";
import { InputError } from "./input-error.js";
import type { DeadLetter } from "./record-parser.js";

export interface DeadLetterWriter {
  /** Detached-safe: pass it as `onDeadLetter` directly. */
  readonly write: (d: DeadLetter) => void;
  /** Flushes and closes; the writer cannot be used afterwards. Safe to call when nothing was written. */
  readonly close: () => void;
  readonly count: () => number;
}

export interface DeadLetterWriterOptions {
  /** Add to an existing file instead of replacing it when the first dead letter arrives. */
  append?: boolean;
}

/** Buffered so a file full of bad lines costs few system calls; small enough that a crash loses little. */
const FLUSH_CHARS = 64 * 1024;

/**
 * The file is created when the first dead letter arrives, not before, so a clean run leaves no empty file behind
 * to puzzle the next reader. Writes are synchronous: `onDeadLetter` is a plain callback called from inside the
 * parsers, and an asynchronous stream would buffer without limit if a whole file turned out bad.
 */
export function deadLetterWriter(path: string, options: DeadLetterWriterOptions = {}): DeadLetterWriter {
  let fd: number | undefined;
  let buffer = "";
  let written = 0;
  let closed = false;

  function attempt<T>(action: () => T): T {
    try {
      return action();
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new InputError(`cannot write dead letters to ${path}: ${why}`, path, 0, { cause: e });
    }
  }

  function flush(): void {
    if (buffer === "" || fd === undefined) return;
    const target = fd;
    attempt(() => writeSync(target, buffer));
    buffer = "";
  }

  return {
    write(d) {
      if (closed) throw new Error("dead-letter writer used after close");
      fd ??= attempt(() => openSync(path, options.append === true ? "a" : "w"));
      // Keys in a fixed order, so files from two runs diff cleanly.
      buffer += JSON.stringify({ line: d.line, reason: d.reason, text: d.text }) + "\n";
      written++;
      if (buffer.length >= FLUSH_CHARS) flush();
    },
    close() {
      if (closed) return;
      closed = true;
      try {
        flush();
      } finally {
        if (fd !== undefined) closeSync(fd);
      }
    },
    count: () => written,
  };
}
