/**
 * The ownership marker: the last line of the description of every object clue writes, so that a list of the
 * platform's objects tells clue's own (and which resource and spec each came from) from everyone else's. The
 * platform has no labels; descriptions are the one free-text field rules, streams, projects and vocabularies share.
 */

export interface Marker {
  /** `<rest-kind>/<name>`, e.g. `validations/email_regex`. */
  resource: string;
  /** The first 32 hex digits of the spec's sha256 (src/deploy/desired.ts specHash). */
  specHash: string;
}

const PREFIX = "[clue] managed";
const LINE = /^\[clue\] managed resource=(\S+) spec-hash=([0-9a-f]{32})$/;

export function markerLine(marker: Marker): string {
  return `${PREFIX} resource=${marker.resource} spec-hash=${marker.specHash}`;
}

/** The description with the marker as its last line (replacing an old marker, never stacking two). */
export function withMarker(description: string, marker: Marker): string {
  const body = stripMarker(description);
  return body === "" ? markerLine(marker) : `${body}\n${markerLine(marker)}`;
}

/** The marker on the description's last line, or undefined for an object clue does not manage. */
export function readMarker(description: string | null | undefined): Marker | undefined {
  if (!description) return undefined;
  const last = description.slice(description.lastIndexOf("\n") + 1).trimEnd();
  const match = LINE.exec(last);
  return match ? { resource: match[1]!, specHash: match[2]! } : undefined;
}

/** The description as the user wrote it: without the marker line. */
export function stripMarker(description: string | null | undefined): string {
  if (!description) return "";
  if (readMarker(description) === undefined) return description;
  const cut = description.lastIndexOf("\n");
  return cut < 0 ? "" : description.slice(0, cut);
}
