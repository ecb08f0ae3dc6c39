/**
 * The files of a folder of Parquet files, with the values of its hive-style partition folders (`country=AU/`), the
 * layout Spark, DuckDB, Hive and Fabric write. Names starting with `.` or `_` are skipped, as those tools skip them:
 * Spark's `_SUCCESS` and `_committed_*` markers, `.crc` checksum files, clue's own temporary files. Every other file
 * is read as Parquet, and one that is not is an error, never skipped.
 */
import { readdirSync, realpathSync, statSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../input-error.js";

/** The value Hive, Spark and DuckDB give a partition whose value is null. */
export const NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__";

export interface PartFile {
  path: string;
  /** The partition folders above it, outermost first: `{country: "AU"}`; null for {@link NULL_PARTITION}. */
  partitions: Record<string, string | null>;
}

/** Whether a file or folder name is a marker or a hidden file the readers skip. */
export function isSkipped(name: string): boolean {
  return name.startsWith(".") || name.startsWith("_");
}

/** The folder's files in path order (code points, each level sorted), so every run reads them in the same order. */
export function partFiles(folder: string): PartFile[] {
  const found: PartFile[] = [];
  walk(folder, {}, found, new Set());
  if (found.length === 0)
    throw new InputError(
      `${folder} holds no Parquet files (names starting with . or _ are skipped); name a folder of Parquet files`,
      folder,
    );
  return found;
}

function walk(
  dir: string,
  partitions: Record<string, string | null>,
  found: PartFile[],
  /** The real paths of the folders walked so far: a symlink back to one of them is not walked again. */
  seen: Set<string>,
): void {
  let entries;
  try {
    const real = realpathSync(dir);
    if (seen.has(real)) return;
    seen.add(real);
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new InputError(`cannot read the folder ${dir}: ${why}`, dir, 0, { cause: e });
  }
  const names = entries.filter((e) => !isSkipped(e.name)).sort((a, b) => compare(a.name, b.name));
  for (const entry of names) {
    const path = join(dir, entry.name);
    // A symlink is followed: to a folder it is walked, to a file read.
    const folder = entry.isSymbolicLink() ? isFolder(path) : entry.isDirectory();
    if (folder) {
      const partition = partitionOf(entry.name);
      walk(path, partition ? { ...partitions, [partition.key]: partition.value } : partitions, found, seen);
    } else if (entry.isFile() || entry.isSymbolicLink()) found.push({ path, partitions });
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * `key=value` with the value unescaped as Hive escapes it (`%2F` for `/`), or undefined for a plain folder name.
 * A value that is not valid escaping is kept as written.
 */
export function partitionOf(name: string): { key: string; value: string | null } | undefined {
  const eq = name.indexOf("=");
  if (eq <= 0) return undefined;
  const key = unescape(name.slice(0, eq));
  const raw = name.slice(eq + 1);
  if (key === "__proto__") return undefined;
  return { key, value: raw === NULL_PARTITION ? null : unescape(raw) };
}

function unescape(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
