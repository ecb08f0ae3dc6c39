import { readdir, readFile, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { DurableDir } from "./atomic-file.js";
import { processAlive } from "../util/process-alive.js";

/** Marks a folder as a store, so `--data .` on a project never scatters store files among the project's own. */
const MARKER = "store.json";
const FORMAT = 1;
/** The process that has the store open: two writers on one folder would each trust a stale in-memory index. */
const OWNER = "owner.pid";

export class StoreOpenError extends Error {
  override name = "StoreOpenError";
}

/** Which store a folder holds: `clue serve`'s own, or another (the CluedIn stand-in's), told apart by marker. */
export interface FolderKind {
  marker: string;
  format: number;
  /** What the stand-in calls itself in errors. */
  label: string;
  /** Files a user may put in the folder before its first open (the stand-in's golden records). */
  inputs: string[];
}

const CLUE_STORE: FolderKind = { marker: MARKER, format: FORMAT, label: "clue store", inputs: [] };

/** Checks that `dir` is a store (or empty, and makes it one). */
export async function claimFolder(root: DurableDir, kind: FolderKind = CLUE_STORE): Promise<void> {
  const { marker: name, format } = kind;
  // A temp file of the marker itself means a first open was killed before the folder became a store.
  const names = (await readdir(root.path)).filter((n) => !n.startsWith(`.${name}.`));
  if (names.includes(name)) {
    const marker = JSON.parse(await readFile(join(root.path, name), "utf8")) as { format?: unknown };
    if (marker.format !== format)
      throw new StoreOpenError(
        `${root.path} holds a ${kind.label} of format ${String(marker.format)}; this clue reads format ${format}`,
      );
  } else if (names.some((n) => !kind.inputs.includes(n))) {
    throw new StoreOpenError(
      `${root.path} is not empty and is not a ${kind.label}; point the store at an empty or new folder`,
    );
  } else {
    await root.writeFile(name, `${JSON.stringify({ format })}\n`);
  }
  await claimOwner(root.path);
}

async function claimOwner(dir: string): Promise<void> {
  const path = join(dir, OWNER);
  const text = await readFile(path, "utf8").catch(() => "");
  const pid = Number.parseInt(text, 10);
  // A process killed with -9 leaves its pid behind; only a live one other than us holds the store.
  if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid))
    throw new StoreOpenError(
      `${dir} is in use by process ${pid}; stop it first (two writers would corrupt it)`,
    );
  await writeFile(path, `${process.pid}\n`);
}

export async function releaseOwner(dir: string): Promise<void> {
  const path = join(dir, OWNER);
  const text = await readFile(path, "utf8").catch(() => "");
  if (Number.parseInt(text, 10) === process.pid) await unlink(path).catch(() => undefined);
}
