import type { CluedinObject, CompiledResource } from "../cluedin/model.js";
import { canonicalJson } from "../util/canonical-json.js";
import {
  MANAGED_LABEL,
  MANAGED_VALUE,
  SPEC_HASH_LABEL,
  sha256,
  specHash,
  type DesiredState,
} from "./desired.js";

/** The order objects are written in: what others refer to first (an entity type before its vocabulary...). */
export const WRITE_ORDER: readonly CluedinObject["type"][] = [
  "entity-type",
  "vocabulary",
  "vocabulary-key",
  "rule",
  "dedup-project",
  "stream",
];

/**
 * Objects in one stable order (write order, then natural key): the platform lists them in creation order, the
 * compiler in its own, and neither may show as a change or move the spec's hash.
 */
export function canonicalObjects(objects: readonly CluedinObject[]): CluedinObject[] {
  const rank = (o: CluedinObject) => WRITE_ORDER.indexOf(o.type);
  return [...objects].sort((a, b) => rank(a) - rank(b) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * An entity type is only ever created, never changed: once its code exists on the platform, what the platform holds
 * is what the resource has (a plan must not promise an update apply will never make).
 */
export function settleEntityTypes(
  spec: CompiledResource,
  entityTypes: ReadonlyMap<string, CluedinObject>,
): CompiledResource {
  return {
    objects: canonicalObjects(
      spec.objects.map((o) => (o.type === "entity-type" ? (entityTypes.get(o.key) ?? o) : o)),
    ),
  };
}

/**
 * The desired state of a `cluedin` target: each resource's spec is what it compiles to in platform terms (so a
 * plan's diff shows platform fields); a resource that compiles to nothing is left out (its diagnostics say why).
 * The config hash stays the config's, so a release is the same release on every target type.
 */
export function compiledState(
  base: DesiredState,
  compiled: ReadonlyMap<string, CompiledResource>,
  entityTypes: ReadonlyMap<string, CluedinObject>,
): DesiredState {
  const resources = base.resources.flatMap((r) => {
    const c = compiled.get(`${r.kind}/${r.name}`);
    if (!c || c.objects.length === 0) return [];
    const spec = settleEntityTypes(c, entityTypes) as unknown as Record<string, unknown>;
    return [
      {
        kind: r.kind,
        name: r.name,
        spec,
        labels: { [MANAGED_LABEL]: MANAGED_VALUE, [SPEC_HASH_LABEL]: specHash(spec) },
      },
    ];
  });
  return { resources, configHash: base.configHash, desiredHash: sha256(canonicalJson(resources)) };
}
