/**
 * TEMPORARY in c11-target until c11-compiler's marker.ts is merged (same interface as the shared design):
 * the last line of a description, `[clue] managed resource=<rest-kind>/<name> spec-hash=<32 hex>`.
 */
export interface Marker {
  resource: string;
  specHash: string;
}

const LINE = /\n?\[clue\] managed resource=(\S+) spec-hash=([0-9a-f]{32})\s*$/;

export function withMarker(description: string, marker: Marker): string {
  const text = stripMarker(description);
  const line = `[clue] managed resource=${marker.resource} spec-hash=${marker.specHash}`;
  return text === "" ? line : `${text}\n${line}`;
}

export function readMarker(description: string | null | undefined): Marker | undefined {
  const found = LINE.exec(description ?? "");
  return found ? { resource: found[1] as string, specHash: found[2] as string } : undefined;
}

export function stripMarker(description: string | null | undefined): string {
  return (description ?? "").replace(LINE, "");
}
