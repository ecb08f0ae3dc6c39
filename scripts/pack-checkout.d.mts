/** What `npm pack --json` reports of one tarball (the fields clue's tests and benches read). */
export interface PackedTarball {
  filename: string;
  entryCount: number;
  unpackedSize: number;
  files: { path: string; size: number }[];
}

/**
 * Packs a copy of this checkout into `dir` (an existing folder), its `prepack` build included, leaving the checkout's
 * own dist/ alone; throws when npm pack fails.
 */
export function packCheckout(dir: string): { tarball: string; packed: PackedTarball };
