import { open, type FileHandle } from "node:fs/promises";
import { jsonText } from "../util/json-values.js";

/**
 * An append-only JSON Lines file whose every append is durable before it resolves. A process killed mid-append
 * leaves at most one torn line at the end; opening drops it (the write it held was never acknowledged), so the next
 * append does not glue a good line onto half of a bad one.
 */
export interface Journal<T> {
  append(line: T): Promise<void>;
  close(): Promise<void>;
}

export class JournalCorruptError extends Error {
  override name = "JournalCorruptError";
}

export async function openJournal<T>(path: string): Promise<{ lines: T[]; journal: Journal<T> }> {
  // r+ rather than a: appends go at a position we track, so a failed append can be cut back off.
  const handle = await open(path, "a+").then(async (h) => {
    await h.close();
    return open(path, "r+");
  });
  try {
    const text = (await handle.readFile()).toString("utf8");
    const { lines, goodBytes } = parseLines<T>(text, path);
    let size = goodBytes;
    if (goodBytes < Buffer.byteLength(text)) {
      await handle.truncate(goodBytes);
      await handle.sync();
    }
    let closed = false;
    const journal: Journal<T> = {
      async append(line) {
        if (closed) throw new Error(`${path} is closed`);
        // jsonText: opening a store re-appends the journal line a resource file carries, which for a resource an
        // older version stored may hold it nested deeper than JSON.stringify's stack allows.
        const bytes = Buffer.from(`${jsonText(line)}\n`, "utf8");
        try {
          await writeAll(handle, bytes, size);
          await handle.datasync();
          size += bytes.length;
        } catch (error) {
          // Leave no torn line behind for the next append to follow.
          await handle.truncate(size).catch(() => undefined);
          throw error;
        }
      },
      async close() {
        if (closed) return;
        closed = true;
        await handle.close();
      },
    };
    return { lines, journal };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/**
 * The complete, parseable lines, and how many bytes they span. An unparseable line is accepted only as the torn
 * tail (nothing parseable after it); anywhere else it is corruption nobody should silently paper over.
 */
function parseLines<T>(text: string, path: string): { lines: T[]; goodBytes: number } {
  const lines: T[] = [];
  let offset = 0;
  let goodBytes = 0;
  const parts = text.split("\n");
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    const last = i === parts.length - 1;
    // The text after the final newline is an append that never finished.
    if (last) break;
    const parsed = tryParse<T>(part);
    if (parsed === undefined) {
      const rest = parts.slice(i + 1);
      if (rest.some((later) => tryParse(later) !== undefined))
        throw new JournalCorruptError(`${path}: line ${i + 1} is not valid JSON and later lines are`);
      break;
    }
    lines.push(parsed);
    offset += Buffer.byteLength(part) + 1;
    goodBytes = offset;
  }
  return { lines, goodBytes };
}

function tryParse<T>(line: string): T | undefined {
  if (line.trim() === "") return undefined;
  try {
    const value = JSON.parse(line) as unknown;
    return value !== null && typeof value === "object" ? (value as T) : undefined;
  } catch {
    return undefined;
  }
}

async function writeAll(handle: FileHandle, bytes: Buffer, position: number): Promise<void> {
  let written = 0;
  while (written < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, written, bytes.length - written, position + written);
    written += bytesWritten;
  }
}
