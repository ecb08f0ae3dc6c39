import { createHash } from "node:crypto";
import type { Value } from "../expr/types.js";
import { textOf } from "../expr/types.js";
import type { GoldenRecord } from "../golden/golden.js";
import type { Contract, Export } from "../types/index.js";
import { EVENT_STATE_FORMAT, type EventState, type PublishedEntity } from "./event-state.js";
import { maskValue, type MaskAction } from "./masking.js";
import { checkContractRow } from "./table-rows.js";
import { canonicalJson } from "../util/canonical-json.js";

export const SPEC_VERSION = "cluedin-1.0";

/** How far review has got with a golden record; export filters select on it. */
export interface Stewardship {
  /** `candidate` while one of its members waits in the review queue; `golden` otherwise. */
  goldenStatus: "golden" | "candidate";
  /** `pending` while a member waits in the review queue; `rejected` when a steward kept a member apart (never_merge); else `approved`. */
  state: "approved" | "pending" | "rejected";
}

export interface EventAttribute {
  value: Value;
  provenance: string;
  confidence: number;
}

export interface EntityEvent {
  specVersion: string;
  eventType: "EntityChanged" | "EntityDeleted";
  entityType: string;
  entityId: string;
  version: number;
  timestamp: string;
  externalIds: { system: string; id: string }[];
  changes: { attributes: Record<string, EventAttribute>; edges: unknown[] };
  hash: string;
  previousHash: string | null;
}

/** One line of the `events:NAME` stage: the message headers, the partition key and the event body. */
export interface EventMessage {
  headers: { messageId: string; correlationId: string; contentType: "application/json"; subject: string };
  partitionKey: string;
  event: EntityEvent;
}

export interface EventOptions {
  /** The clock of the run: tombstones and records without a recency value are stamped with it. */
  now: Date;
  /** One id per run, on every message of the run. */
  correlationId: string;
  /** The golden attribute that says when the entity last changed (the dedup's recency_field). */
  recencyField: string;
  /** Fields marked `pii: true`: a partition key on one that is not masked is hashed, never published raw. */
  piiFields?: ReadonlySet<string>;
}

export interface RenderedEvents {
  messages: EventMessage[];
  /** Events that break the export's contract: an error, like a table row that does. */
  problems: string[];
  /** The state to keep for the next run (only written with --state). */
  state: EventState;
  counts: { created: number; changed: number; unchanged: number; deleted: number; filteredOut: number };
}

/**
 * The `events:NAME` stage (SPEC section 3): an EntityChanged event for each golden record the export publishes
 * (its entity types, filter and mask), numbered and hash-chained against what the previous run published. Only
 * new or changed entities are emitted. An entity published before that is gone (its records are gone, or its
 * cluster changed, which gives it a new entityId) gets an EntityDeleted tombstone; one that still exists but no
 * longer passes the filter (a member waiting in the review queue, say) is held back: no event, and its last
 * published version stands until it passes again.
 */
export function renderEvents(
  spec: Export,
  golden: readonly GoldenRecord[],
  stewardship: (entityId: string) => Stewardship,
  contract: Contract | undefined,
  previous: EventState,
  options: EventOptions,
): RenderedEvents {
  const kinds = new Set(spec.events ?? ["upsert", "delete"]);
  const columns = Object.entries(spec.mapping ?? {}).map(([column, ref]) => {
    const [entity = "", field = ""] = ref.split(".");
    return { column, entity, field };
  });
  const types = new Set(spec.entity_types ?? columns.map((c) => c.entity));
  const mask = (spec.mask ?? {}) as Record<string, MaskAction>;
  const entities: Record<string, PublishedEntity> = { ...previous.entities };
  const messages: EventMessage[] = [];
  const problems: string[] = [];
  const counts = { created: 0, changed: 0, unchanged: 0, deleted: 0, filteredOut: 0 };
  /** Every golden record of the exported types, published or held back by the filter. */
  const existing = new Set<string>();
  const now = isoSeconds(options.now);

  for (const record of golden) {
    if (types.size > 0 && !types.has(record.entityType)) continue;
    existing.add(record.entityId);
    if (!passes(spec.filter, record, stewardship(record.entityId))) {
      counts.filteredOut++;
      continue;
    }
    const attributes: Record<string, EventAttribute> = {};
    const picked = columns.length > 0 ? columns.filter((c) => c.entity === record.entityType) : undefined;
    const pairs = picked
      ? picked.map((c) => [c.column, c.field] as const)
      : Object.keys(record.attributes).map((f) => [f, f] as const);
    for (const [name, field] of pairs) {
      const attribute = record.attributes[field];
      if (!attribute) continue;
      attributes[name] = {
        value: maskValue(attribute.value, mask[field]),
        provenance: attribute.provenance,
        confidence: attribute.confidence,
      };
    }
    const externalIds = record.members.map((m) => ({ system: m.source, id: m.id }));
    const changes = { attributes, edges: [] };
    const hash = contentHash({
      entityType: record.entityType,
      entityId: record.entityId,
      externalIds,
      changes,
    });
    const before = entities[record.entityId];
    if (before && !before.deleted && before.hash === hash) {
      counts.unchanged++;
      continue;
    }
    if (!kinds.has("upsert")) {
      // Known (so a later delete can be sent) but never published: no version is spent, and enabling upserts later
      // publishes it.
      entities[record.entityId] = {
        entityType: record.entityType,
        version: before?.version ?? 0,
        hash: "",
        externalIds,
      };
      continue;
    }
    const version = (before?.version ?? 0) + 1;
    const partition = partitionOf(spec.partition_key, record, mask, options.piiFields);
    entities[record.entityId] = {
      entityType: record.entityType,
      version,
      hash,
      externalIds,
      partitionKey: partition,
    };
    if (before && !before.deleted) counts.changed++;
    else counts.created++;
    const where = `event of ${record.entityId}`;
    if (contract)
      checkContractRow(
        Object.fromEntries(Object.entries(attributes).map(([k, a]) => [k, a.value])),
        contract,
        where,
        problems,
      );
    const recency = record.attributes[options.recencyField]?.value ?? null;
    const event: EntityEvent = {
      specVersion: SPEC_VERSION,
      eventType: "EntityChanged",
      entityType: record.entityType,
      entityId: record.entityId,
      version,
      timestamp: timestampOf(recency) ?? now,
      externalIds,
      changes,
      hash,
      previousHash: before?.hash ?? null,
    };
    messages.push(message(event, partition, options.correlationId));
  }

  for (const [entityId, before] of Object.entries(previous.entities).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (before.deleted || existing.has(entityId)) continue;
    if (types.size > 0 && !types.has(before.entityType)) continue;
    // Unpublished deletes wait in the state until deletes are published; a never-published entity just goes.
    if (!kinds.has("delete")) continue;
    if (before.hash === "") {
      delete entities[entityId];
      continue;
    }
    const version = before.version + 1;
    const changes = { attributes: {}, edges: [] };
    const hash = contentHash({ entityType: before.entityType, entityId, deleted: true, version });
    entities[entityId] = { ...before, version, hash, deleted: true };
    counts.deleted++;
    const event: EntityEvent = {
      specVersion: SPEC_VERSION,
      eventType: "EntityDeleted",
      entityType: before.entityType,
      entityId,
      version,
      timestamp: now,
      externalIds: before.externalIds,
      changes,
      hash,
      previousHash: before.hash,
    };
    // Same partition as the entity's upserts, so consumers see its tombstone after them.
    messages.push(message(event, before.partitionKey ?? entityId, options.correlationId));
  }
  return {
    messages,
    problems,
    state: { format_version: EVENT_STATE_FORMAT, export: spec.name, entities },
    counts,
  };
}

function message(event: EntityEvent, partitionKey: string, correlationId: string): EventMessage {
  return {
    headers: {
      messageId: `${event.entityType}:${event.entityId}:${event.version}`,
      correlationId,
      contentType: "application/json",
      subject: `${event.entityType}.${event.eventType}`,
    },
    partitionKey,
    event,
  };
}

/** A record's confidence is its weakest attribute's (every attribute carries its cluster's confidence). */
function confidenceOf(record: GoldenRecord): number {
  const values = Object.values(record.attributes).map((a) => a.confidence);
  return values.length === 0 ? 1 : Math.min(...values);
}

function passes(filter: Export["filter"], record: GoldenRecord, review: Stewardship): boolean {
  if (!filter) return true;
  if (filter.min_confidence !== undefined && confidenceOf(record) < filter.min_confidence) return false;
  if (filter.golden_status && !filter.golden_status.includes(review.goldenStatus)) return false;
  if (filter.stewardship_state && !filter.stewardship_state.includes(review.state)) return false;
  return true;
}

/**
 * The partition key: the entityId by default (every version of an entity lands in one partition, in order), or a
 * field's published value — masked as it is published, so a hashed email still partitions without leaking. A
 * record with no value for the field falls back to its entityId.
 */
function partitionOf(
  key: string | undefined,
  record: GoldenRecord,
  mask: Record<string, MaskAction>,
  pii: ReadonlySet<string> | undefined,
): string {
  if (key === undefined || key === "entityId") return record.entityId;
  if (key === "entityType") return record.entityType;
  const action = mask[key] ?? (pii?.has(key) ? "hash" : undefined);
  const value = maskValue(record.attributes[key]?.value ?? null, action);
  return value === null ? record.entityId : textOf(value);
}

/** An ISO 8601 UTC timestamp from a date or date-time value, or undefined when the value is not one. */
function timestampOf(value: Value): string | undefined {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}/.test(value)) return undefined;
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  return Number.isNaN(date.getTime()) ? undefined : isoSeconds(date);
}

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** `sha256:` of the canonical JSON (keys sorted) of what an event publishes, so equal content gives an equal hash. */
function contentHash(content: unknown): string {
  return `sha256:${createHash("sha256").update(canonicalJson(content)).digest("hex")}`;
}
