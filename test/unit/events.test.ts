import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { describe, expect, it, onTestFinished } from "vitest";
import {
  EventStateError,
  readEventState,
  writeEventState,
  type EventState,
} from "../../src/exports/event-state.js";
import { renderEvents, type Stewardship } from "../../src/exports/events.js";
import type { GoldenRecord } from "../../src/golden/golden.js";
import type { Contract, Export } from "../../src/types/index.js";

const attr = (value: string | null, confidence = 1) => ({
  value,
  provenance: "crm",
  record: "1",
  confidence,
});

function person(id: string, fields: Record<string, string | null>, confidence = 1): GoldenRecord {
  return {
    entityType: "Person",
    entityId: `cluedin:entity:${id}`,
    members: [{ source: "crm", id }],
    attributes: Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, attr(v, confidence)])),
  };
}

const spec: Export = {
  name: "person-changes",
  type: "event-hub",
  options: {},
  mapping: { person_id: "Person.id", email: "Person.email", updated_at: "Person.updated_at" },
};
const approved = (): Stewardship => ({ goldenStatus: "golden", state: "approved" });
const empty = (): EventState => ({ format_version: 1, export: "person-changes", entities: {} });
const options = {
  now: new Date("2026-01-02T03:04:05.678Z"),
  correlationId: "run-1",
  recencyField: "updated_at",
};

const ann = person("a", { id: "a", email: "ann@x.io", updated_at: "2025-08-24T03:15:21Z" });
const bob = person("b", { id: "b", email: "bob@x.io", updated_at: null });

describe("renderEvents", () => {
  it("publishes version 1 of every record in the SPEC shape, with headers and the default partition key", () => {
    const { messages, counts } = renderEvents(spec, [ann, bob], approved, undefined, empty(), options);
    expect(counts).toMatchObject({ created: 2, changed: 0, deleted: 0 });
    const [first, second] = messages;
    expect(first?.headers).toEqual({
      messageId: "Person:cluedin:entity:a:1",
      correlationId: "run-1",
      contentType: "application/json",
      subject: "Person.EntityChanged",
    });
    expect(first?.partitionKey).toBe("cluedin:entity:a");
    expect(Object.keys(first?.event ?? {})).toEqual([
      "specVersion",
      "eventType",
      "entityType",
      "entityId",
      "version",
      "timestamp",
      "externalIds",
      "changes",
      "hash",
      "previousHash",
    ]);
    expect(first?.event).toMatchObject({
      specVersion: "cluedin-1.0",
      eventType: "EntityChanged",
      version: 1,
      timestamp: "2025-08-24T03:15:21Z",
      externalIds: [{ system: "crm", id: "a" }],
      changes: { attributes: { person_id: { value: "a", provenance: "crm", confidence: 1 } }, edges: [] },
      previousHash: null,
    });
    expect(first?.event.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    // No recency value: stamped with the run's clock, to the second.
    expect(second?.event.timestamp).toBe("2026-01-02T03:04:05Z");
  });

  it("emits only changes against the state: version + 1 with previousHash, tombstones for entities that are gone", () => {
    const first = renderEvents(spec, [ann, bob], approved, undefined, empty(), options);
    const again = renderEvents(spec, [ann, bob], approved, undefined, first.state, options);
    expect(again.messages).toEqual([]);
    expect(again.counts.unchanged).toBe(2);

    const annMoved = person("a", { id: "a", email: "ann@new.io", updated_at: "2025-09-01T00:00:00Z" });
    const next = renderEvents(spec, [annMoved], approved, undefined, first.state, options);
    expect(next.messages.map((m) => [m.event.eventType, m.event.entityId, m.event.version])).toEqual([
      ["EntityChanged", "cluedin:entity:a", 2],
      ["EntityDeleted", "cluedin:entity:b", 2],
    ]);
    const [changed, deleted] = next.messages;
    expect(changed?.event.previousHash).toBe(first.state.entities["cluedin:entity:a"]?.hash);
    expect(changed?.event.hash).not.toBe(changed?.event.previousHash);
    expect(deleted?.headers.subject).toBe("Person.EntityDeleted");
    expect(deleted?.event).toMatchObject({
      timestamp: "2026-01-02T03:04:05Z",
      externalIds: [{ system: "crm", id: "b" }],
      changes: { attributes: {}, edges: [] },
      previousHash: first.state.entities["cluedin:entity:b"]?.hash,
    });
    // A tombstoned entity stays tombstoned, and one that comes back goes on from its last version.
    const later = renderEvents(spec, [annMoved], approved, undefined, next.state, options);
    expect(later.messages).toEqual([]);
    const back = renderEvents(spec, [annMoved, bob], approved, undefined, next.state, options);
    expect(back.messages.map((m) => m.headers.messageId)).toEqual(["Person:cluedin:entity:b:3"]);
  });

  it("holds back a record the filter leaves out instead of tombstoning it", () => {
    const filtered: Export = { ...spec, filter: { golden_status: ["golden"] } };
    const first = renderEvents(filtered, [ann, bob], approved, undefined, empty(), options);
    const pending = (id: string): Stewardship =>
      id === "cluedin:entity:a" ? { goldenStatus: "candidate", state: "pending" } : approved();
    const next = renderEvents(filtered, [ann, bob], pending, undefined, first.state, options);
    expect(next.messages).toEqual([]);
    expect(next.counts).toMatchObject({ filteredOut: 1, unchanged: 1, deleted: 0 });
    expect(next.state.entities["cluedin:entity:a"]).toEqual(first.state.entities["cluedin:entity:a"]);
  });

  it("filters on minimum confidence and stewardship state", () => {
    const unsure = person("u", { id: "u" }, 0.9);
    const byConfidence = renderEvents(
      { ...spec, filter: { min_confidence: 0.95 } },
      [ann, unsure],
      approved,
      undefined,
      empty(),
      options,
    );
    expect(byConfidence.messages.map((m) => m.event.entityId)).toEqual(["cluedin:entity:a"]);
    const rejected = (): Stewardship => ({ goldenStatus: "golden", state: "rejected" });
    const byState = renderEvents(
      { ...spec, filter: { stewardship_state: ["approved"] } },
      [ann],
      rejected,
      undefined,
      empty(),
      options,
    );
    expect(byState.messages).toEqual([]);
  });

  it("masks: redact publishes null, hash publishes sha256 of the value, and a masked partition key stays masked", () => {
    const masked: Export = { ...spec, mask: { email: "hash", id: "redact" }, partition_key: "email" };
    const [m] = renderEvents(masked, [ann], approved, undefined, empty(), options).messages;
    const hashed = `sha256:${createHash("sha256").update("ann@x.io").digest("hex")}`;
    expect(m?.event.changes.attributes.email?.value).toBe(hashed);
    expect(m?.event.changes.attributes.person_id?.value).toBeNull();
    expect(m?.partitionKey).toBe(hashed);
    expect(JSON.stringify(m)).not.toContain("ann@x.io");
    // No value for the partition field: the entityId partitions.
    const [n] = renderEvents(
      { ...spec, partition_key: "phone" },
      [ann],
      approved,
      undefined,
      empty(),
      options,
    ).messages;
    expect(n?.partitionKey).toBe("cluedin:entity:a");
  });

  it("publishes only the event kinds asked for, and only the entity types asked for", () => {
    const first = renderEvents(spec, [ann, bob], approved, undefined, empty(), options);
    const upsertsOnly = renderEvents(
      { ...spec, events: ["upsert"] },
      [ann],
      approved,
      undefined,
      first.state,
      options,
    );
    expect(upsertsOnly.messages).toEqual([]);
    // The delete was not sent, so it waits: once deletes are published, the tombstone goes out.
    expect(upsertsOnly.state.entities["cluedin:entity:b"]?.deleted).toBeUndefined();
    const later = renderEvents(spec, [ann], approved, undefined, upsertsOnly.state, options);
    expect(later.messages.map((m) => m.headers.messageId)).toEqual(["Person:cluedin:entity:b:2"]);
    // Upserts not published spend no version: enabling them later publishes version 1.
    const deletesOnly = renderEvents(
      { ...spec, events: ["delete"] },
      [ann],
      approved,
      undefined,
      empty(),
      options,
    );
    expect(deletesOnly.messages).toEqual([]);
    const enabled = renderEvents(spec, [ann], approved, undefined, deletesOnly.state, options);
    expect(enabled.messages.map((m) => m.headers.messageId)).toEqual(["Person:cluedin:entity:a:1"]);
    const org = { ...person("o", { id: "o" }), entityType: "Organization" };
    const people = renderEvents(spec, [ann, org], approved, undefined, empty(), options);
    expect(people.messages.map((m) => m.event.entityType)).toEqual(["Person"]);
  });

  it("reports an event that breaks its bound contract", () => {
    const contract: Contract = {
      name: "person_events_v1",
      primary_key: "person_id",
      columns: { person_id: { type: "string", nullable: false }, email: { type: "string" } },
    };
    const nameless = person("n", { id: null, email: "n@x.io" });
    const { problems } = renderEvents(spec, [ann, nameless], approved, contract, empty(), options);
    expect(problems).toEqual([
      "event of cluedin:entity:n: column person_id is null, but contract person_events_v1 says it is not nullable",
    ]);
  });
});

describe("event state", () => {
  it("round-trips through an atomic write and leaves no temporary file", () => {
    const dir = mkdtempSync(join(tmpdir(), "clue-state-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, "nested", "person-changes.events.json");
    expect(readEventState(path, "person-changes").entities).toEqual({});
    const { state } = renderEvents(spec, [ann], approved, undefined, empty(), options);
    writeEventState(path, state);
    expect(readEventState(path, "person-changes")).toEqual(state);
    expect(readdirSync(join(dir, "nested"))).toEqual(["person-changes.events.json"]);
  });

  it("refuses a state that is corrupt, of another format or of another export, and says what to do", () => {
    const dir = mkdtempSync(join(tmpdir(), "clue-state-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, "s.json");
    writeFileSync(path, "{ not json");
    expect(() => readEventState(path, "person-changes")).toThrow(/not valid JSON.*restore it from a backup/);
    writeFileSync(path, JSON.stringify({ format_version: 9, export: "person-changes", entities: {} }));
    expect(() => readEventState(path, "person-changes")).toThrow(EventStateError);
    writeFileSync(path, JSON.stringify({ format_version: 1, export: "other", entities: {} }));
    expect(() => readEventState(path, "person-changes")).toThrow(/belongs to export other/);
    writeFileSync(
      path,
      JSON.stringify({ format_version: 1, export: "person-changes", entities: { x: { version: "2" } } }),
    );
    expect(() => readEventState(path, "person-changes")).toThrow(/entry of x is malformed/);
    expect(existsSync(path)).toBe(true);
  });
});
