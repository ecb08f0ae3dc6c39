import { randomBytes } from "node:crypto";
import { mkdir, open, readdir, rename, unlink, type FileHandle } from "node:fs/promises";
import { join } from "node:path";

/** Temp files end in this, so a folder scan can tell a write that never finished from a committed file. */
export const TEMP_SUFFIX = ".tmp";

/**
 * A folder kept open, so that a rename into it can be made durable: on Linux a rename survives a power cut only
 * once the directory itself is fsynced.
 */
export interface DurableDir {
  path: string;
  /** Writes the whole file next to its final name, fsyncs it, renames it over, fsyncs the folder. */
  writeFile(name: string, data: string): Promise<void>;
  /** Makes files created or removed in the folder durable. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

export async function openDurableDir(path: string): Promise<DurableDir> {
  await mkdir(path, { recursive: true });
  const handle: FileHandle = await open(path, "r");
  return {
    path,
    async writeFile(name, data) {
      const temp = join(path, `.${name}.${randomBytes(6).toString("hex")}${TEMP_SUFFIX}`);
      const file = await open(temp, "w");
      try {
        await file.writeFile(data, "utf8");
        await file.datasync();
      } finally {
        await file.close();
      }
      try {
        await rename(temp, join(path, name));
      } catch (error) {
        await unlink(temp).catch(() => undefined);
        throw error;
      }
      await handle.sync();
    },
    sync: () => handle.sync(),
    close: () => handle.close(),
  };
}

/** Removes temp files left by a process killed mid-write: their write was never acknowledged. */
export async function removeTempFiles(path: string): Promise<string[]> {
  const names = await readdir(path).catch(() => [] as string[]);
  const temps = names.filter((name) => name.endsWith(TEMP_SUFFIX));
  await Promise.all(temps.map((name) => unlink(join(path, name)).catch(() => undefined)));
  return names.filter((name) => !name.endsWith(TEMP_SUFFIX));
}
