import {
  REST_KINDS,
  TargetError,
  type ConfigStore,
  type RemoteResource,
  type RestKind,
} from "../target/contract.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { canonicalJson } from "../util/canonical-json.js";
import { MAX_BODY_DEPTH, tooDeep } from "../util/json-values.js";
import { safeTerminalText } from "../util/terminal-text.js";
import {
  MANAGED_LABEL,
  MANAGED_VALUE,
  SPEC_HASH_LABEL,
  specHash,
  type DesiredResource,
  type DesiredState,
} from "./desired.js";

export const PLAN_FORMAT_VERSION = 1;

export type Action = "create" | "update" | "delete";

export interface FieldChange {
  /** Dotted path into the spec (`options.schema`, `rules[1].when`), or `labels.NAME`. */
  path: string;
  op: "add" | "remove" | "change";
  before?: unknown;
  after?: unknown;
}

export interface Change {
  action: Action;
  kind: RestKind;
  name: string;
  /** Field by field; values are redacted for display when they look like secrets. */
  fields: FieldChange[];
  /** The remote version the change was planned against (update, delete). */
  remote?: { version: number; etag: string };
  /** The desired resource (create, update): not saved in plan files, recomputed from the config when applied. */
  desired?: DesiredResource;
  /** What the change makes the target redo, when it says (a CluedIn rule's affected records). */
  cost?: { affected_records: number };
}

export interface Drift {
  kind: RestKind;
  name: string;
  version: number;
  updated_by: string;
  updated_at: string;
}

export interface Plan {
  format_version: number;
  env: string;
  target: string;
  created_at: string;
  config_hash: string;
  desired_hash: string;
  /** The version and etag of every remote resource the plan read: a plan is stale once any of them moved. */
  remote_versions: Record<string, { version: number; etag: string }>;
  changes: Change[];
  drift: Drift[];
  /** Remote resources without clue's label: never changed or deleted by clue. */
  unmanaged: string[];
  /** What the target cannot hold of the config (a `cluedin` target's `cluedin/unsupported`...): left out of the plan. */
  diagnostics?: Diagnostic[];
  /** One line about the target's guarantees (a platform without locks). */
  notice?: string;
}

export const address = (kind: string, name: string) => `${kind}/${name}`;

/** Every remote resource of every kind, read page by page (one call per page, not per resource). */
export async function readRemote(store: ConfigStore): Promise<Map<string, RemoteResource>> {
  const remote = new Map<string, RemoteResource>();
  await Promise.all(
    REST_KINDS.map(async (kind) => {
      let cursor: string | null = null;
      const seen = new Set<string>();
      do {
        const page = await store.list(kind, { limit: 500, cursor });
        if (
          !page ||
          !Array.isArray(page.items) ||
          (page.next_cursor !== null && typeof page.next_cursor !== "string")
        )
          throw new TargetError(
            0,
            "bad_response",
            `GET /api/config/${kind} did not answer with a page of resources ({items, next_cursor}); is the target URL the platform's API?`,
          );
        for (const item of page.items) {
          if (
            item === null ||
            typeof item !== "object" ||
            typeof item.name !== "string" ||
            typeof item.version !== "number"
          )
            throw new TargetError(
              0,
              "bad_response",
              `GET /api/config/${kind} answered an item that is not a resource`,
            );
          // Comparing and hashing walk a spec recursively; a resource written before targets limited nesting
          // (clue serve refuses deeper bodies) is refused here by name rather than crashing the plan.
          const deep = tooDeep(item, MAX_BODY_DEPTH);
          if (deep !== undefined)
            throw new TargetError(
              0,
              "bad_response",
              `${kind}/${safeTerminalText(item.name)} on the target nests deeper than ${MAX_BODY_DEPTH} levels (under \`${safeTerminalText(deep)}\`), so clue cannot compare it with the config; delete it on the target (or remove its file from a local store) and plan again`,
            );
          remote.set(address(kind, item.name), item);
        }
        cursor = page.next_cursor;
        if (cursor !== null && seen.has(cursor))
          throw new TargetError(
            0,
            "bad_response",
            `GET /api/config/${kind} repeated the cursor ${cursor}: the target's paging loops`,
          );
        if (cursor !== null) seen.add(cursor);
      } while (cursor !== null);
    }),
  );
  return remote;
}

/**
 * Compares the desired state with the target (SPEC section 6). Only spec and labels count: version, etag,
 * updated_at and updated_by are the server's and never show as a diff. A managed resource whose spec no longer
 * hashes to the label clue wrote was edited on the target outside git: that is drift, and the plan puts it back.
 */
export function computePlan(
  env: string,
  target: string,
  desired: DesiredState,
  remote: ReadonlyMap<string, RemoteResource>,
  redact: (path: string, value: unknown) => unknown,
): Plan {
  const changes: Change[] = [];
  const drift: Drift[] = [];
  const unmanaged: string[] = [];
  const wanted = new Set<string>();
  for (const d of desired.resources) {
    const key = address(d.kind, d.name);
    wanted.add(key);
    const r = remote.get(key);
    if (!r) {
      changes.push({
        action: "create",
        kind: d.kind,
        name: d.name,
        fields: diffValues(undefined, d.spec, "", redact),
        desired: d,
      });
      continue;
    }
    const fields = [
      ...diffValues(r.spec, d.spec, "", redact),
      ...diffValues(r.labels ?? {}, d.labels, "labels", redact).filter(
        (f) => f.path !== `labels.${SPEC_HASH_LABEL}`,
      ),
    ];
    // Edited outside git, then the config changed to match: the spec agrees but the hash label is stale, and would
    // show as drift for ever. Rewriting the labels settles it.
    if (fields.length === 0 && r.labels?.[SPEC_HASH_LABEL] !== d.labels[SPEC_HASH_LABEL])
      fields.push({
        path: `labels.${SPEC_HASH_LABEL}`,
        op: "change",
        before: r.labels?.[SPEC_HASH_LABEL] ?? null,
        after: d.labels[SPEC_HASH_LABEL],
      });
    if (fields.length > 0)
      changes.push({
        action: "update",
        kind: d.kind,
        name: d.name,
        fields,
        remote: { version: r.version, etag: r.etag },
        desired: d,
      });
  }
  for (const [key, r] of remote) {
    const managed = r.labels?.[MANAGED_LABEL] === MANAGED_VALUE;
    if (managed && r.labels[SPEC_HASH_LABEL] !== undefined && r.labels[SPEC_HASH_LABEL] !== specHash(r.spec))
      drift.push({
        kind: r.kind,
        name: r.name,
        version: r.version,
        updated_by: r.updated_by,
        updated_at: r.updated_at,
      });
    if (wanted.has(key)) continue;
    if (!managed) {
      unmanaged.push(key);
      continue;
    }
    changes.push({
      action: "delete",
      kind: r.kind,
      name: r.name,
      fields: diffValues(r.spec, undefined, "", redact),
      remote: { version: r.version, etag: r.etag },
    });
  }
  const order = (c: Change) => REST_KINDS.indexOf(c.kind);
  // Creates and updates in dependency order, then deletes in reverse (SPEC section 6).
  changes.sort((a, b) => {
    const ad = a.action === "delete";
    const bd = b.action === "delete";
    if (ad !== bd) return ad ? 1 : -1;
    return (
      (ad ? order(b) - order(a) : order(a) - order(b)) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
    );
  });
  return {
    format_version: PLAN_FORMAT_VERSION,
    env,
    target,
    created_at: new Date().toISOString(),
    config_hash: desired.configHash,
    desired_hash: desired.desiredHash,
    remote_versions: Object.fromEntries(
      [...remote]
        .map(([key, r]): [string, { version: number; etag: string }] => [
          key,
          { version: r.version, etag: r.etag },
        ])
        .sort(([a], [b]) => (a < b ? -1 : 1)),
    ),
    changes,
    drift: drift.sort((a, b) => address(a.kind, a.name).localeCompare(address(b.kind, b.name))),
    unmanaged: unmanaged.sort(),
  };
}

/** Field-level differences: objects key by key, anything else (arrays included) compared whole. */
export function diffValues(
  before: unknown,
  after: unknown,
  path: string,
  redact: (path: string, value: unknown) => unknown,
): FieldChange[] {
  if (canonicalJson(before) === canonicalJson(after)) return [];
  const isObject = (v: unknown): v is Record<string, unknown> =>
    v !== null && typeof v === "object" && !Array.isArray(v);
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => diffValues(before[k], after[k], path === "" ? k : `${path}.${k}`, redact));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const elements = keyedElements(before, after);
    if (elements) return elements.flatMap(([key, b, a]) => diffValues(b, a, `${path}[${key}]`, redact));
  }
  if (before === undefined && isObject(after) && path === "")
    return Object.keys(after)
      .sort()
      .flatMap((k) => diffValues(undefined, after[k], k, redact));
  if (after === undefined && isObject(before) && path === "")
    return Object.keys(before)
      .sort()
      .flatMap((k) => diffValues(before[k], undefined, k, redact));
  // A compiled platform resource's objects are added or removed one per line, by type and natural key.
  const side = before === undefined ? after : after === undefined ? before : undefined;
  if (Array.isArray(side) && side.length > 0 && side.every(isPlatformObject))
    return side.flatMap((o) =>
      diffValues(
        before === undefined ? undefined : o,
        before === undefined ? o : undefined,
        `${path}[${o.type}:${o.key}]`,
        redact,
      ),
    );
  if (before === undefined) return [{ path, op: "add", after: redact(path, after) }];
  if (after === undefined) return [{ path, op: "remove", before: redact(path, before) }];
  return [{ path, op: "change", before: redact(path, before), after: redact(path, after) }];
}

const isPlatformObject = (v: unknown): v is { type: string; key: string } =>
  v !== null &&
  typeof v === "object" &&
  typeof (v as { type?: unknown }).type === "string" &&
  typeof (v as { key?: unknown }).key === "string";

/**
 * Pairs up two arrays' elements for a field-level diff: by their `name` (or `rule`) when every element has a unique
 * one — cleaning steps, dedup rules — so an inserted step does not make every later one "changed"; by position when
 * the lengths match; otherwise undefined, and the array is compared whole.
 */
function keyedElements(before: unknown[], after: unknown[]): [string, unknown, unknown][] | undefined {
  const nameOf = (v: unknown): string | undefined => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return undefined;
    const o = v as Record<string, unknown>;
    // A compiled platform object is keyed by its type and natural key (`rule:Entity/email_format`).
    const name =
      o.name ??
      o.rule ??
      (typeof o.type === "string" && typeof o.key === "string" ? `${o.type}:${o.key}` : undefined);
    return typeof name === "string" ? name : undefined;
  };
  const names = (xs: unknown[]) => xs.map(nameOf);
  const b = names(before);
  const a = names(after);
  const unique = (ns: (string | undefined)[]) =>
    ns.every((n) => n !== undefined) && new Set(ns).size === ns.length;
  if (before.length > 0 && after.length > 0 && unique(b) && unique(a)) {
    const keys = [...(b as string[]), ...(a as string[]).filter((n) => !b.includes(n))];
    return keys.map((k) => [k, before[b.indexOf(k)], after[a.indexOf(k)]]);
  }
  if (before.length === after.length) return before.map((v, i) => [String(i), v, after[i]]);
  return undefined;
}

/**
 * The plan with what each change costs on the target (fetched by the caller: planning stays pure), by
 * `kind/name`; changes with no figure are left as they are.
 */
export function withCosts(plan: Plan, affected: ReadonlyMap<string, number>): Plan {
  return {
    ...plan,
    changes: plan.changes.map((c) => {
      const n = affected.get(address(c.kind, c.name));
      return n === undefined ? c : { ...c, cost: { affected_records: n } };
    }),
  };
}

/** A plan as saved by `--out`: no desired specs (they are recomputed, and checked against desired_hash). */
export function planFile(plan: Plan): Plan {
  return { ...plan, changes: plan.changes.map(({ desired: _desired, ...rest }) => rest) };
}

export function summaryLine(plan: Plan): string {
  const count = (a: Action) => plan.changes.filter((c) => c.action === a).length;
  const head =
    plan.changes.length === 0
      ? `No changes: ${plan.env} matches the config.`
      : `Plan for ${plan.env}: ${count("create")} to create, ${count("update")} to update, ${count("delete")} to delete.`;
  return plan.drift.length > 0 ? `${head} ${plan.drift.length} drifted on the target outside git.` : head;
}

/**
 * Terraform-style text: a summary line first, then `+ ~ -` per resource and per field. Names, values and who changed
 * what come from the target: each is passed through `safeTerminalText` before clue adds its own colours.
 */
export function renderPlan(plan: Plan, color: boolean): string {
  const paint = (code: string, text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const sign = { create: paint("32", "+"), update: paint("33", "~"), delete: paint("31", "-") };
  // Every value is printed after a sign or a label: only its own later lines can start a line.
  const t = (v: unknown) => safeTerminalText(String(v), { midLine: true });
  const show = (v: unknown) => t(JSON.stringify(v) ?? "null");
  const lines = [summaryLine(plan), `Target: ${plan.target}`];
  if (plan.notice !== undefined) lines.push(`Note: ${t(plan.notice)}`);
  const drifted = new Set(plan.drift.map((d) => t(address(d.kind, d.name))));
  for (const d of plan.drift)
    lines.push(
      "",
      `${paint("35", "!")} drift: ${t(address(d.kind, d.name))} was changed on the target outside git (version ${t(d.version)}, by ${t(d.updated_by)} at ${t(d.updated_at)}); apply puts the config's version back`,
    );
  for (const c of plan.changes) {
    const where = t(address(c.kind, c.name));
    const note =
      c.action === "update"
        ? `  (version ${t(c.remote?.version ?? "?")}${drifted.has(where) ? ", drifted" : ""})`
        : c.action === "delete"
          ? "  (managed by clue, no longer in config)"
          : "";
    const cost =
      c.cost === undefined
        ? ""
        : `  (reprocesses ${c.cost.affected_records} record${c.cost.affected_records === 1 ? "" : "s"})`;
    lines.push("", `  ${sign[c.action]} ${where}${note}${cost}`);
    for (const f of c.fields) {
      if (f.op === "add") lines.push(`      ${sign.create} ${t(f.path)}: ${show(f.after)}`);
      else if (f.op === "remove") lines.push(`      ${sign.delete} ${t(f.path)}: ${show(f.before)}`);
      else if (
        typeof f.before === "string" &&
        typeof f.after === "string" &&
        (f.before.includes("\n") || f.after.includes("\n"))
      ) {
        lines.push(`      ${sign.update} ${t(f.path)}:`);
        for (const l of f.before.split("\n")) lines.push(`          ${sign.delete} ${t(l)}`);
        for (const l of f.after.split("\n")) lines.push(`          ${sign.create} ${t(l)}`);
      } else lines.push(`      ${sign.update} ${t(f.path)}: ${show(f.before)} → ${show(f.after)}`);
    }
  }
  if (plan.unmanaged.length > 0)
    lines.push(
      "",
      `${plan.unmanaged.length} resource${plan.unmanaged.length === 1 ? "" : "s"} on the target not managed by clue (left alone): ${t(plan.unmanaged.slice(0, 10).join(", "))}${plan.unmanaged.length > 10 ? ", ..." : ""}`,
    );
  return lines.join("\n");
}
