import type { Project, Resource } from "../config/project.js";
import { kinds } from "../config/kinds.js";
import { diffValues, type FieldChange } from "../deploy/plan.js";
import type { Contract, Export } from "../types/index.js";
import { canonicalJson } from "../util/canonical-json.js";
import type { Explanation } from "../matching/model.js";
import type { PairOutcome, SampleOutcome } from "./samples.js";

export const DIFF_FORMAT_VERSION = 1;

export type Severity = "error" | "warning" | "info";

export interface ResourceChange {
  /** `exports/warehouse-contacts-v1`: the REST kind, or the config kind for tests and environments. */
  resource: string;
  status: "added" | "removed" | "changed";
  file: string;
  fields: FieldChange[];
  /** Changed expressions (when, value, expr, blocking keys), before and after. */
  expressions: { path: string; before: string; after: string }[];
  owners: string[];
}

export interface Finding {
  code: string;
  severity: Severity;
  resource: string;
  message: string;
  /** Set when the ignore file accepts the change: the reason given there. */
  accepted?: string;
}

export interface DataDelta {
  export: string;
  kind: "rows" | "events";
  added: string[];
  removed: string[];
  changed: { key: string; fields: string[] }[];
  before: number;
  after: number;
}

/** A pair whose match changed on the samples: found, lost, or decided otherwise; with the waterfall of why. */
export interface MatchDelta {
  pair: string;
  status: "added" | "removed" | "changed";
  before?: { score: number; decision: "merge" | "queue"; rules: string[] };
  after?: { score: number; decision: "merge" | "queue"; rules: string[] };
  /** The comparisons' weights at the head (at the base for a pair that is gone). */
  explain?: Explanation;
  /** The same at the base, for a changed pair. */
  explainBefore?: Explanation;
}

export interface DqDelta {
  rule: string;
  before: number | null;
  after: number | null;
  worse: boolean;
}

export interface DiffReport {
  format_version: number;
  base: { ref: string; sha: string | null; config_hash: string };
  head: { ref: string; sha: string | null; config_hash: string };
  resources: ResourceChange[];
  findings: Finding[];
  data: DataDelta[];
  /** Pairs of the samples whose match changed (added in format 1 without a version bump: an added field). */
  matches: MatchDelta[];
  dq: DqDelta[];
  problems: string[];
}

const EXPRESSION_KEYS = /(^|\.|\])(when|value|expr)$|(^|\.)blocking\[\d+\]$/;

export function resourceKey(r: Resource): string {
  const kind = kinds[r.kind].restKind ?? `${r.kind}s`;
  return `${kind}/${r.name}`;
}

function specOf(r: Resource): Record<string, unknown> {
  const { kind: _kind, ...spec } = r.spec as unknown as Record<string, unknown>;
  return spec;
}

/** Resources added, removed and changed between two loaded projects, field by field. */
export function compareResources(base: Project, head: Project): ResourceChange[] {
  const index = (p: Project) => {
    const m = new Map<string, Resource>();
    for (const r of p.resources) m.set(resourceKey(r), r);
    for (const e of p.environments)
      m.set(`environments/${e.name}`, { ...e, kind: "environment" } as unknown as Resource);
    return m;
  };
  const before = index(base);
  const after = index(head);
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort();
  const changes: ResourceChange[] = [];
  for (const key of keys) {
    const b = before.get(key);
    const a = after.get(key);
    const bs = b ? specOf(b) : undefined;
    const as = a ? specOf(a) : undefined;
    if (canonicalJson(bs) === canonicalJson(as)) continue;
    // Test records are sample data, often personal: a diff says they changed, not what they hold.
    const testData = key.startsWith("tests/");
    const fields = diffValues(bs, as, "", (path, v) =>
      testData && /^(given|also|expect\.rows)/.test(path) && v !== undefined
        ? `(test data, ${JSON.stringify(v).length} characters)`
        : v,
    );
    const expressions = fields
      .filter(
        (f) =>
          f.op === "change" &&
          EXPRESSION_KEYS.test(f.path) &&
          typeof f.before === "string" &&
          typeof f.after === "string",
      )
      .map((f) => ({ path: f.path, before: f.before as string, after: f.after as string }));
    const owners = [...new Set([...(((as ?? bs)?.owners as string[] | undefined) ?? [])])];
    changes.push({
      resource: key,
      status: !b ? "added" : !a ? "removed" : "changed",
      file: (a ?? b)?.doc.file.path ?? "",
      fields,
      expressions,
      owners,
    });
  }
  return changes;
}

const VERSIONED = /^(.*?)[-_]v(\d+)$/;

/** A newer `_vN` of the same export (bound to a contract) that the head adds: a breaking change shipped properly. */
function successor(
  name: string,
  base: Project,
  head: Project,
  kind: "export" | "contract" = "export",
): string | undefined {
  const m = VERSIONED.exec(name);
  if (!m) return undefined;
  const [, stem = "", version = "0"] = m;
  const had = new Set(base.resources.filter((r) => r.kind === kind).map((r) => r.name));
  return head.resources
    .filter((r) => r.kind === kind && r.valid && !had.has(r.name))
    .find((r) => {
      const n = VERSIONED.exec(r.name);
      const bound = kind === "contract" || (r as Resource<"export">).spec.contract !== undefined;
      return n?.[1] === stem && Number(n[2]) > Number(version) && bound;
    })?.name;
}

/** The export a new `_vN` export supersedes, for comparing what it publishes with what was published before. */
function predecessor(name: string, base: Project): string | undefined {
  const m = VERSIONED.exec(name);
  if (!m) return undefined;
  const [, stem = "", version = "0"] = m;
  return base.resources
    .filter((r) => r.kind === "export" && r.valid)
    .map((r) => r.name)
    .filter((n) => {
      const p = VERSIONED.exec(n);
      return p?.[1] === stem && Number(p[2]) < Number(version);
    })
    .sort()
    .at(-1);
}

/**
 * Classifies what a change breaks (SPEC section 8), in the spirit of datacontract-cli's and dbt's contract checks.
 * Under a contract with `compatibility: additive_only`, removing or retyping a column, changing the primary key or
 * changing an event's shape is an error; warnings are lowered match thresholds, new unmasked PII in an export,
 * removed validations and worse data quality on the samples; the rest is information.
 */
export function classify(
  base: Project,
  head: Project,
  samples?: { base: SampleOutcome; head: SampleOutcome },
): Finding[] {
  const findings: Finding[] = [];
  const byName = <K extends "export" | "contract" | "dedup" | "validation" | "entity">(p: Project, kind: K) =>
    new Map(p.resources.filter((r): r is Resource<K> => r.kind === kind && r.valid).map((r) => [r.name, r]));
  const contracts = { base: byName(base, "contract"), head: byName(head, "contract") };
  const exports = { base: byName(base, "export"), head: byName(head, "export") };
  const add = (code: string, severity: Severity, resource: string, message: string) =>
    findings.push({ code, severity, resource, message });
  const strict = (c: Contract | undefined) => c?.compatibility === "additive_only";

  for (const [name, c] of contracts.base) {
    const after = contracts.head.get(name);
    const where = `contracts/${name}`;
    if (!strict(c.spec)) continue;
    if (!after) {
      const next = successor(name, base, head, "contract");
      add(
        "breaking/contract-removed",
        next ? "warning" : "error",
        where,
        `Contract ${name} (additive_only) is removed${next ? `; ${next} supersedes it` : "; its consumers lose their guarantee"}.`,
      );
      continue;
    }
    const pkBefore = [c.spec.primary_key].flat().join(", ");
    const pkAfter = [after.spec.primary_key].flat().join(", ");
    if (pkBefore !== pkAfter)
      add(
        "breaking/primary-key-changed",
        "error",
        where,
        `Contract ${name} (additive_only) changes its primary key from ${pkBefore} to ${pkAfter}; ship it as a new _v2 contract and export.`,
      );
    for (const [column, def] of Object.entries(c.spec.columns ?? {})) {
      const now = after.spec.columns?.[column];
      if (!now)
        add(
          "breaking/column-removed",
          "error",
          where,
          `Contract ${name} (additive_only) removes column ${column}; ship it as a new _v2 contract and export.`,
        );
      else if (now.type !== def.type)
        add(
          "breaking/column-retyped",
          "error",
          where,
          `Contract ${name} (additive_only) changes column ${column} from ${def.type} to ${now.type}; ship it as a new _v2 contract and export.`,
        );
    }
  }

  for (const [name, e] of exports.base) {
    const after = exports.head.get(name);
    const where = `exports/${name}`;
    const contract = e.spec.contract === undefined ? undefined : contracts.base.get(e.spec.contract)?.spec;
    const bound = strict(contract);
    const next = successor(name, base, head);
    if (!after) {
      const severity: Severity = bound && !next ? "error" : "warning";
      add(
        "breaking/export-removed",
        severity,
        where,
        `Export ${name} is removed${bound ? ` (contract ${contract?.name ?? ""} is additive_only)` : ""}${next ? `; ${next} supersedes it` : ""}.`,
      );
      continue;
    }
    const isEvents = !["sql-table", "file"].includes(e.spec.type);
    // An event's shape is what its consumers parse: a change to it breaks them, contract or not (SPEC section 8).
    const sev: Severity = bound || isEvents ? "error" : "warning";
    const columnsBefore = Object.keys(e.spec.mapping ?? {});
    const columnsAfter = new Set(Object.keys(after.spec.mapping ?? {}));
    for (const column of columnsBefore.filter((c) => !columnsAfter.has(c)))
      add(
        isEvents ? "breaking/event-shape-changed" : "breaking/column-removed",
        sev,
        where,
        `Export ${name} no longer delivers ${isEvents ? "attribute" : "column"} ${column}${bound ? ` (contract ${contract?.name ?? ""} is additive_only)` : ""}; ship the change as a new _v2 export${bound ? " and contract" : ""}.`,
      );
    for (const column of columnsBefore.filter((c) => columnsAfter.has(c))) {
      const was = e.spec.mapping?.[column];
      const now = after.spec.mapping?.[column];
      if (was !== now)
        add(
          isEvents ? "breaking/event-shape-changed" : "breaking/column-remapped",
          sev,
          where,
          `Export ${name} now fills ${column} from ${now ?? "?"} instead of ${was ?? "?"}.`,
        );
      const field = (was ?? "").split(".")[1] ?? "";
      const maskBefore = e.spec.mask?.[field];
      const maskAfter = after.spec.mask?.[(now ?? "").split(".")[1] ?? ""];
      if (isEvents && maskBefore !== maskAfter)
        add(
          "breaking/event-shape-changed",
          sev,
          where,
          maskAfter === undefined
            ? `Export ${name} no longer masks ${column}: consumers get the raw value instead of ${maskBefore === "hash" ? "a hash" : "null"}.`
            : `Export ${name} now ${maskAfter === "hash" ? "hashes" : "redacts"} ${column}: consumers get ${maskAfter === "hash" ? "a sha256 hash" : "null"} instead of ${maskBefore === undefined ? "the value" : maskBefore === "hash" ? "a hash" : "null"}.`,
        );
    }
    const pkBefore = (e.spec.options as { primary_key?: string[] }).primary_key?.join(", ");
    const pkAfter = (after.spec.options as { primary_key?: string[] }).primary_key?.join(", ");
    if (pkBefore !== pkAfter && pkBefore !== undefined)
      add(
        "breaking/primary-key-changed",
        sev,
        where,
        `Export ${name} changes its primary key from ${pkBefore} to ${pkAfter ?? "none"}.`,
      );
    if (isEvents && (e.spec.partition_key ?? "entityId") !== (after.spec.partition_key ?? "entityId"))
      add(
        "breaking/event-shape-changed",
        sev,
        where,
        `Export ${name} changes its partition key from ${e.spec.partition_key ?? "entityId"} to ${after.spec.partition_key ?? "entityId"}: per-entity ordering moves between partitions.`,
      );
  }

  // New personal data leaving the platform: a column of a pii field that is not masked, where the base had none.
  const piiFields = (p: Project) => {
    const set = new Set<string>();
    for (const [entity, r] of byName(p, "entity"))
      for (const [field, def] of Object.entries(r.spec.fields ?? {}))
        if (def.pii) set.add(`${entity}.${field}`);
    return set;
  };
  const piiHead = piiFields(head);
  // What an export publishes: its mapping's columns, or, for an event export without one, every field of its
  // entity types. Table columns of pii fields, unmasked; events hash a pii partition key themselves.
  const exposed = (e: Export | undefined, pii: Set<string>): Map<string, string> => {
    if (!e) return new Map();
    const columns: [string, string][] =
      e.mapping !== undefined
        ? Object.entries(e.mapping)
        : [...pii]
            .filter((ref) => ((e.entity_types ?? []) as readonly string[]).includes(ref.split(".")[0] ?? ""))
            .map((ref) => [ref.split(".")[1] ?? ref, ref]);
    return new Map(
      columns.filter(([, ref]) => pii.has(ref) && e.mask?.[ref.split(".")[1] ?? ""] === undefined),
    );
  };
  const piiBase = piiFields(base);
  for (const [name, e] of exports.head) {
    // A new _vN is compared with the version it supersedes: what v1 already published is not news.
    const was = exports.base.get(name)?.spec ?? exports.base.get(predecessor(name, base) ?? "")?.spec;
    const before = exposed(was, piiBase);
    for (const [column, ref] of exposed(e.spec, piiHead))
      if (!before.has(column))
        add(
          "breaking/new-pii-column",
          "warning",
          `exports/${name}`,
          `Export ${name} now publishes personal data in ${column} (${ref}, pii: true) unmasked; mask it (hash or redact) or confirm consumers may hold it.`,
        );
    if (!exports.base.has(name))
      add("change/export-added", "info", `exports/${name}`, `New export ${name} (${e.spec.type}).`);
  }

  const dedup = { base: byName(base, "dedup"), head: byName(head, "dedup") };
  for (const [name, d] of dedup.base) {
    const after = dedup.head.get(name);
    if (!after) continue;
    for (const key of ["auto_approve_threshold", "queue_threshold"] as const) {
      const was = d.spec[key];
      const now = after.spec[key];
      if (now < was)
        add(
          "breaking/threshold-lowered",
          "warning",
          `dedup-rules/${name}`,
          `${key} of ${name} is lowered from ${was} to ${now}: more pairs ${key === "auto_approve_threshold" ? "merge without review" : "reach the review queue"}.`,
        );
      else if (now > was)
        add(
          "change/threshold-raised",
          "info",
          `dedup-rules/${name}`,
          `${key} of ${name} is raised from ${was} to ${now}.`,
        );
    }
  }

  // A rule whose confidence crosses a threshold changes what merges as surely as a lowered threshold does.
  for (const [name, d] of dedup.base) {
    const after = dedup.head.get(name);
    if (!after) continue;
    for (const rule of after.spec.rules ?? []) {
      const was = (d.spec.rules ?? []).find((r) => r.name === rule.name)?.confidence;
      if (was === undefined || was === rule.confidence) continue;
      for (const key of ["auto_approve_threshold", "queue_threshold"] as const) {
        const threshold = after.spec[key];
        if (was < threshold && rule.confidence >= threshold)
          add(
            "breaking/threshold-lowered",
            "warning",
            `dedup-rules/${name}`,
            `Rule ${rule.name} of ${name} rises from confidence ${was} to ${rule.confidence}, reaching ${key} ${threshold}: its pairs now ${key === "auto_approve_threshold" ? "merge without review" : "reach the review queue"}.`,
          );
      }
    }
  }

  const validations = { base: byName(base, "validation"), head: byName(head, "validation") };
  for (const name of validations.base.keys())
    if (!validations.head.has(name))
      add(
        "breaking/validation-removed",
        "warning",
        `validations/${name}`,
        `Validation ${name} is removed: records it caught now pass unchecked.`,
      );
  for (const name of validations.head.keys())
    if (!validations.base.has(name))
      add("change/validation-added", "info", `validations/${name}`, `New validation ${name}.`);

  if (samples)
    for (const delta of dqDeltas(samples.base, samples.head))
      if (delta.worse)
        add(
          "breaking/dq-worse",
          "warning",
          `validations/${delta.rule.split(".")[1] ?? delta.rule}`,
          `Pass rate of ${delta.rule} on the samples drops from ${pct(delta.before)} to ${pct(delta.after)}.`,
        );

  return findings.sort(
    (a, b) =>
      rank(a.severity) - rank(b.severity) ||
      (a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0) ||
      (a.message < b.message ? -1 : 1),
  );
}

const rank = (s: Severity) => (s === "error" ? 0 : s === "warning" ? 1 : 2);

export function pct(rate: number | null): string {
  return rate === null ? "n/a" : `${(rate * 100).toFixed(1)}%`;
}

/** Marks the findings the ignore file accepts (`breaking_changes: [{resource, change?, reason}]`). */
export function applyAccepted(findings: Finding[], head: Project): Finding[] {
  const accepted = head.ignore?.spec.breaking_changes ?? [];
  return findings.map((f) => {
    const entry = accepted.find(
      (a) => a.resource === f.resource && (a.change === undefined || a.change === f.code),
    );
    return entry ? { ...f, accepted: entry.reason } : f;
  });
}

export function dqDeltas(base: SampleOutcome, head: SampleOutcome): DqDelta[] {
  const rate = (s: { checked: number; failed: number } | undefined) =>
    s === undefined || s.checked === 0 ? null : (s.checked - s.failed) / s.checked;
  return [...new Set([...base.dq.keys(), ...head.dq.keys()])].sort().map((rule) => {
    const before = rate(base.dq.get(rule));
    const after = rate(head.dq.get(rule));
    // Worse by what a reader can see: rates are printed to 0.1%, and "98.1% to 98.1%" is not worse.
    const shown = (rate: number) => Math.round(rate * 1000);
    return { rule, before, after, worse: before !== null && after !== null && shown(after) < shown(before) };
  });
}

export function dataDeltas(base: SampleOutcome, head: SampleOutcome): DataDelta[] {
  const names = [...new Set([...base.exports.keys(), ...head.exports.keys()])].sort();
  return names.map((name) => {
    const b = base.exports.get(name);
    const a = head.exports.get(name);
    const before = b?.rows ?? new Map<string, Record<string, unknown>>();
    const after = a?.rows ?? new Map<string, Record<string, unknown>>();
    const changed: DataDelta["changed"] = [];
    for (const [key, row] of after) {
      const old = before.get(key);
      if (!old) continue;
      const fields = [...new Set([...Object.keys(old), ...Object.keys(row)])]
        .filter((f) => canonicalJson(old[f]) !== canonicalJson(row[f]))
        .sort();
      if (fields.length > 0) changed.push({ key, fields });
    }
    return {
      export: name,
      kind: (a ?? b)?.kind ?? "rows",
      added: [...after.keys()].filter((k) => !before.has(k)).sort(),
      removed: [...before.keys()].filter((k) => !after.has(k)).sort(),
      changed: changed.sort((x, y) => (x.key < y.key ? -1 : 1)),
      before: before.size,
      after: after.size,
    };
  });
}

/**
 * The pairs of the samples whose match changed between two revisions: a pair found or lost, or one whose decision
 * (merge or queue) changed. A score that moves without changing the decision is not listed: the data does not change.
 */
export function matchDeltas(base: SampleOutcome, head: SampleOutcome): MatchDelta[] {
  const brief = (p: PairOutcome) => ({ score: p.score, decision: p.decision, rules: p.rules });
  const deltas: MatchDelta[] = [];
  for (const pair of [...new Set([...base.matches.keys(), ...head.matches.keys()])].sort()) {
    const b = base.matches.get(pair);
    const a = head.matches.get(pair);
    if (a && b && a.decision === b.decision) continue;
    const status = !b ? "added" : !a ? "removed" : "changed";
    const explain = (a ?? b)?.explain;
    deltas.push({
      pair,
      status,
      ...(b ? { before: brief(b) } : {}),
      ...(a ? { after: brief(a) } : {}),
      ...(explain ? { explain } : {}),
      // The base's waterfall too when the weights themselves changed (a retrained model, an edited level).
      ...(a && b?.explain && JSON.stringify(b.explain) !== JSON.stringify(a.explain)
        ? { explainBefore: b.explain }
        : {}),
    });
  }
  return deltas;
}
