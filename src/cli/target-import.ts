import { importFromCluedin } from "../cluedin/import.js";
import type { ImportedFile } from "../deploy/import-files.js";
import type { CluedinDeploy } from "../target/open-target.js";

/**
 * What clue manages on the platform, back as YAML: the objects carrying clue's marker (with the entity types of their
 * vocabularies) through the compiler's reverse, paths made relative to the output folder (the project's config/ by
 * default). Objects without the marker are not clue's: they are counted, never imported.
 */
export async function importCluedin(
  platform: CluedinDeploy,
): Promise<{ files: ImportedFile[]; unsupported: string[]; unmanaged: number }> {
  const { managed, unmanaged } = await platform.objects();
  const imported = importFromCluedin(managed);
  return {
    files: imported.files.map((f) => ({ ...f, path: f.path.replace(/^config\//, "") })),
    unsupported: imported.unsupported,
    unmanaged,
  };
}
