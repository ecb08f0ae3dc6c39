import { readFile } from "node:fs/promises";
import { StoreOpenError } from "../store-folder.js";
import type { GoldenRecord } from "./conditions.js";

/**
 * The golden records of `DIR/entities.json` (optional): `[{id, entityType, name, properties: {"person.email": …}}]`.
 * They are read once at start and never written: affected-records counts come from them.
 */
export async function loadEntities(path: string): Promise<GoldenRecord[]> {
  const text = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw error;
  });
  if (text === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new StoreOpenError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed)) throw new StoreOpenError(`${path} must hold a list of golden records`);
  return parsed.map((item: unknown, i) => {
    const record = item as Partial<GoldenRecord> | null;
    if (
      record === null ||
      typeof record !== "object" ||
      typeof record.id !== "string" ||
      typeof record.entityType !== "string" ||
      typeof record.name !== "string" ||
      (record.properties !== undefined &&
        (typeof record.properties !== "object" || record.properties === null))
    )
      throw new StoreOpenError(
        `${path}: record ${i + 1} needs a string id, entityType and name, and properties as an object`,
      );
    return {
      id: record.id,
      entityType: record.entityType,
      name: record.name,
      properties: record.properties ?? {},
    };
  });
}
