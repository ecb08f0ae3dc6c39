/** Writes dead letters as JSON Lines `{line, reason, text}`, the file SPEC §9 asks for. */
import { InputError } from "./input-error.js";
import { openOutputFile, type OutputFile } from "./output-file.js";
import type { DeadLetter } from "./record-parser.js";

export interface DeadLetterWriter {
  /** Detached-safe: pass it as `onDeadLetter` directly. */
  readonly write: (d: DeadLetter) => void;
  /** Puts the file in place (see {@link DeadLetterWriterOptions.always}); the writer cannot be used afterwards. */
  readonly commit: () => void;
  /** Drops what was written: the file at the path stays as it was. Safe to call at any time. */
  readonly abort: () => void;
  readonly count: () => number;
}

export interface DeadLetterWriterOptions {
  /** Write the file even when no dead letter arrives, so an empty file replaces an older run's letters. */
  always?: boolean;
}

/**
 * The file appears when the run commits, whole, and (unless `always`) only if a dead letter arrived, so a clean run
 * leaves no empty file behind to puzzle the next reader. Until then the letters go to a temporary file beside it
 * (see output-file.ts): a run that fails leaves no half-written file. Writes are synchronous: `onDeadLetter` is a
 * plain callback called from inside the parsers, and an asynchronous stream would buffer without limit if a whole
 * file turned out bad.
 */
export function deadLetterWriter(path: string, options: DeadLetterWriterOptions = {}): DeadLetterWriter {
  let file: OutputFile | undefined;
  let written = 0;
  let done = false;

  function attempt<T>(action: () => T): T {
    try {
      return action();
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new InputError(`cannot write dead letters to ${path}: ${why}`, path, 0, { cause: e });
    }
  }

  return {
    write(d) {
      if (done) throw new Error("dead-letter writer used after commit or abort");
      file ??= attempt(() => openOutputFile(path));
      const opened = file;
      // Keys in a fixed order, so files from two runs diff cleanly.
      attempt(() => opened.write(`${JSON.stringify({ line: d.line, reason: d.reason, text: d.text })}\n`));
      written++;
    },
    commit() {
      if (done) return;
      done = true;
      if (file === undefined && options.always === true) file = attempt(() => openOutputFile(path));
      const opened = file;
      if (opened) attempt(() => opened.commit());
    },
    abort() {
      done = true;
      file?.abort();
    },
    count: () => written,
  };
}
