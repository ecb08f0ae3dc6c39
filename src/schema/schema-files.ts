import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The package's schemas/ folder: beside src/ when run from source, beside dist/ when built. */
export const schemasDir = fileURLToPath(new URL("../../schemas/", import.meta.url));

export type SchemaName =
  | "entity"
  | "mapping"
  | "cleaning"
  | "validation"
  | "dedup"
  | "contract"
  | "export"
  | "webhook"
  | "test"
  | "environment"
  | "ignore";

export function readSchemas(): Record<string, object> {
  const schemas: Record<string, object> = {};
  for (const file of readdirSync(schemasDir).sort()) {
    if (!file.endsWith(".schema.json")) continue;
    schemas[file.slice(0, -".schema.json".length)] = JSON.parse(
      readFileSync(schemasDir + file, "utf8"),
    ) as object;
  }
  return schemas;
}
