/** A data file as a stream of decoded text chunks: the only part of the readers that touches the file system. */
import { open } from "node:fs/promises";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { InputError } from "./input-error.js";
import { utf8Decoder } from "./utf8.js";

/**
 * Node's default read size. Larger reads were measured slower (CSV 1.4 s vs 2.5 s for a million rows): each
 * chunk's records are handed out as one batch, and a batch of thousands outlives the young generation, so its
 * records get copied into the old one before they are dropped.
 */
const CHUNK_BYTES = 64 * 1024;

/** Yields the file's text; gzip (by its magic bytes 1f 8b, whatever the name) is inflated on the way. */
export async function* textChunks(path: string, chunkBytes = CHUNK_BYTES): AsyncGenerator<string> {
  const raw = await openStream(path, chunkBytes);
  // zlib will not go below 64-byte output chunks.
  const source: Readable = raw.gzip
    ? raw.stream.pipe(createGunzip({ chunkSize: Math.max(64, chunkBytes) }))
    : raw.stream;
  if (raw.gzip) {
    // pipe() does not forward errors; a read error must still end the iteration below.
    raw.stream.once("error", (e) => source.destroy(e));
  }
  // A multi-byte character split across two reads is kept whole. Bytes that are not UTF-8 become a marker the
  // parsers turn into a dead letter for the record holding them (see utf8.ts), not a silent U+FFFD. A leading BOM
  // is left for the parsers, which drop it.
  const decoder = utf8Decoder();
  try {
    for await (const bytes of source) {
      const text = decoder.decode(bytes as Buffer);
      if (text.length > 0) yield text;
    }
    const last = decoder.end();
    if (last.length > 0) yield last;
  } catch (e) {
    throw readError(path, e, raw.gzip);
  } finally {
    // Reached early when the consumer stops iterating: release the file now, not at garbage collection.
    source.destroy();
    raw.stream.destroy();
  }
}

async function openStream(path: string, chunkBytes: number): Promise<{ stream: Readable; gzip: boolean }> {
  let handle;
  try {
    handle = await open(path, "r");
  } catch (e) {
    throw openError(path, e);
  }
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    const gzip = bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
    return { stream: handle.createReadStream({ start: 0, highWaterMark: chunkBytes }), gzip };
  } catch (e) {
    await handle.close().catch(() => undefined);
    throw openError(path, e);
  }
}

/** The InputError for a file that cannot be opened or read, in words a person acts on. */
export function openError(path: string, e: unknown): InputError {
  const code = errorCode(e);
  const why =
    code === "ENOENT"
      ? "no such file"
      : code === "EACCES" || code === "EPERM"
        ? "permission denied"
        : code === "EISDIR"
          ? "it is a directory"
          : message(e);
  return new InputError(`cannot read ${path}: ${why}`, path, 0, { cause: e });
}

function readError(path: string, e: unknown, gzip: boolean): InputError {
  if (gzip && errorCode(e)?.startsWith("Z_")) {
    return new InputError(`cannot read ${path}: corrupt gzip data (${message(e)})`, path, 0, { cause: e });
  }
  return openError(path, e);
}

function errorCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
