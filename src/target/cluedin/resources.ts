import { objectAddress } from "../../cluedin/model.js";
import { canonicalObjects } from "../../deploy/compiled.js";
import { MANAGED_LABEL, MANAGED_VALUE, SPEC_HASH_LABEL, sha256 } from "../../deploy/desired.js";
import { canonicalJson } from "../../util/canonical-json.js";
import { REST_KINDS, TargetError, type RemoteResource, type RestKind } from "../contract.js";
import type { Placed, Snapshot } from "./snapshot.js";

/** One clue resource's objects on the platform. */
export interface Group {
  kind: RestKind;
  name: string;
  placed: Placed[];
}

/**
 * Marked objects grouped by the resource their marker names, each with the entity types its vocabularies belong to.
 * Two marked objects of one resource with the same natural key are refused by name: clue would not know which to
 * keep (names of rules, streams and projects are not unique on the platform).
 */
export function groupResources(snapshot: Snapshot): Map<string, Group> {
  const groups = new Map<string, Group>();
  for (const p of snapshot.objects) {
    if (!p.marker) continue;
    const slash = p.marker.resource.indexOf("/");
    const kind = p.marker.resource.slice(0, slash) as RestKind;
    if (slash < 0 || !REST_KINDS.includes(kind)) continue;
    let group = groups.get(p.marker.resource);
    if (!group)
      groups.set(p.marker.resource, (group = { kind, name: p.marker.resource.slice(slash + 1), placed: [] }));
    const twin = group.placed.find((q) => objectAddress(q.object) === objectAddress(p.object));
    if (twin)
      throw new TargetError(
        0,
        "duplicate_object",
        `the platform holds two ${p.object.type}s "${p.object.key}" (ids ${twin.id} and ${p.id}) both marked as clue's ${p.marker.resource}; delete the one that should not be there (in the platform's UI) and plan again`,
      );
    group.placed.push(p);
  }
  for (const group of groups.values()) {
    const codes = new Set(
      group.placed.flatMap((p) => (p.object.type === "vocabulary" ? [p.object.body.grouping] : [])),
    );
    for (const code of codes) {
      const type = snapshot.entityTypes.get(code);
      if (type) group.placed.push(type);
    }
  }
  return groups;
}

/** What changes whenever any object of the group is written: ids and modification times (else the bodies). */
export function etagOf(placed: readonly Placed[]): string {
  const parts = placed
    .flatMap((p) =>
      [p.raw, ...(p.children ?? [])].map((raw) => [
        raw.id ?? p.object.key,
        raw.modifiedAt ?? canonicalJson(p.object),
      ]),
    )
    .sort((a, b) => canonicalJson(a).localeCompare(canonicalJson(b)));
  return `"${sha256(canonicalJson(parts)).slice(0, 32)}"`;
}

/** A group as the store contract's resource; the spec-hash label only when every marker agrees on it. */
export function remoteResource(group: Group): RemoteResource {
  const hashes = new Set(group.placed.flatMap((p) => (p.marker ? [p.marker.specHash] : [])));
  const latest = group.placed
    .map((p) => ({ at: typeof p.raw.modifiedAt === "string" ? p.raw.modifiedAt : "", by: p.raw.modifiedBy }))
    .sort((a, b) => a.at.localeCompare(b.at))
    .at(-1);
  return {
    kind: group.kind,
    name: group.name,
    spec: { objects: canonicalObjects(group.placed.map((p) => p.object)) },
    version: 1,
    etag: etagOf(group.placed),
    labels: {
      [MANAGED_LABEL]: MANAGED_VALUE,
      ...(hashes.size === 1 ? { [SPEC_HASH_LABEL]: [...hashes][0] as string } : {}),
    },
    updated_at: latest?.at ?? "",
    updated_by: typeof latest?.by === "string" ? latest.by : "",
  };
}
