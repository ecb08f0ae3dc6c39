import { createHash } from "node:crypto";
import type { EnvironmentFile, Project } from "../config/project.js";
import { kinds } from "../config/kinds.js";
import { deepMerge } from "../lint/environments.js";
import { REST_KINDS, type RestKind } from "../target/contract.js";
import { canonicalJson } from "../util/canonical-json.js";

/** The label every resource clue writes carries; only resources with it are ever deleted. */
export const MANAGED_LABEL = "managed-by";
export const MANAGED_VALUE = "clue";
/** The hash of the spec clue last wrote: a remote spec that no longer hashes to it was edited outside git. */
export const SPEC_HASH_LABEL = "clue/spec-hash";

export interface DesiredResource {
  kind: RestKind;
  name: string;
  spec: Record<string, unknown>;
  labels: Record<string, string>;
}

export interface DesiredState {
  resources: DesiredResource[];
  /** sha256 of the config alone (before variables and overrides): the same release has the same hash on every environment. */
  configHash: string;
  /** sha256 of what this environment gets (after variables and overrides): a saved plan is only applied to it. */
  desiredHash: string;
}

/**
 * What an environment should hold (SPEC section 5): every deployable resource, `${var.NAME}` replaced from the
 * environment's variables, the environment's overrides deep-merged on, labelled as managed by clue. In dependency
 * order (SPEC section 6), then by name.
 */
export function desiredState(project: Project, env: EnvironmentFile): DesiredState {
  const variables = env.spec.variables ?? {};
  const overrides = (env.spec.overrides ?? {}) as Record<string, unknown>;
  const plain: { kind: RestKind; name: string; spec: Record<string, unknown> }[] = [];
  for (const r of project.resources) {
    const kind = kinds[r.kind].restKind as RestKind | undefined;
    if (kind === undefined || !REST_KINDS.includes(kind)) continue;
    const { kind: _declared, ...spec } = r.spec as unknown as Record<string, unknown>;
    plain.push({ kind, name: r.name, spec });
  }
  plain.sort((a, b) => REST_KINDS.indexOf(a.kind) - REST_KINDS.indexOf(b.kind) || compare(a.name, b.name));
  const resources = plain.map(({ kind, name, spec }) => {
    const override = overrides[`${kind}/${name}`];
    const merged = interpolate(
      override === undefined ? spec : deepMerge(spec, override),
      variables,
    ) as Record<string, unknown>;
    return {
      kind,
      name,
      spec: merged,
      labels: { [MANAGED_LABEL]: MANAGED_VALUE, [SPEC_HASH_LABEL]: specHash(merged) },
    };
  });
  return {
    resources,
    configHash: sha256(canonicalJson(plain)),
    desiredHash: sha256(canonicalJson(resources)),
  };
}

/** `${var.NAME}` becomes the variable's value; `$${` is a literal `${`. Lint has checked every variable exists. */
function interpolate(value: unknown, variables: Record<string, string | number | boolean>): unknown {
  if (typeof value === "string") {
    if (!value.includes("${")) return value;
    return value.replace(/\$\$\{|\$\{\s*var\.([A-Za-z_][A-Za-z0-9_]*)\s*\}/g, (whole, name?: string) =>
      whole === "$${" ? "${" : String(variables[name ?? ""] ?? whole),
    );
  }
  if (Array.isArray(value)) return value.map((v) => interpolate(v, variables));
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, variables)]));
  return value;
}

export function specHash(spec: unknown): string {
  return sha256(canonicalJson(spec)).slice(0, 32);
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
