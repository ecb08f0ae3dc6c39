import type { ImportedFile } from "../deploy/import-files.js";
import type { CluedinDeploy } from "../target/open-target.js";

/** TEMPORARY until c11-compiler's importFromCluedin lands: nothing is translated back yet. */
export async function importCluedin(
  platform: CluedinDeploy,
): Promise<{ files: ImportedFile[]; unsupported: string[] }> {
  await platform.entityTypes();
  return { files: [], unsupported: [] };
}
