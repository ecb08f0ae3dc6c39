import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openStore } from "../../src/serve/store.js";
import {
  TargetError,
  type CallMeta,
  type ConfigStore,
  type ReleaseInput,
} from "../../src/target/contract.js";

const dirs: string[] = [];
const stores: ConfigStore[] = [];

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "clue-store-"));
  dirs.push(dir);
  return dir;
}

async function open(dir: string, now?: () => Date): Promise<ConfigStore> {
  const store = await openStore(dir, now ? { now } : {});
  stores.push(store);
  return store;
}

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const meta = (idempotencyKey: string | null = null, actor = "ci"): CallMeta => ({
  actor,
  correlationId: "corr-1",
  idempotencyKey,
});
const write = (n: number) => ({ spec: { n }, labels: { "managed-by": "clue" } });

/** The CPU time this process has used (all its threads, fsync waits excluded), in seconds. */
function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** The TargetError a call fails with, to check its status and code. */
async function failure(call: Promise<unknown>): Promise<TargetError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof TargetError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

function release(env: string, status: "green" | "red" = "green"): ReleaseInput {
  return {
    env,
    config_hash: "abc123",
    git_revision: null,
    actor: "alice",
    status,
    changes: { create: 1, update: 0, delete: 0 },
    correlation_id: "corr-1",
    started_at: "2026-01-01T00:00:00.000Z",
    finished_at: "2026-01-01T00:00:01.000Z",
  };
}

describe("resources", () => {
  it("creates at version 1, adds one per update, and changes the etag on every write", async () => {
    const store = await open(freshDir());
    const created = await store.put("entities", "Person", write(1), { ifNoneMatch: "*" }, meta());
    expect(created.status).toBe(201);
    expect(created.resource).toMatchObject({
      kind: "entities",
      name: "Person",
      version: 1,
      updated_by: "ci",
    });
    const updated = await store.put(
      "entities",
      "Person",
      write(1),
      { ifMatch: created.resource.etag },
      meta(),
    );
    expect(updated.status).toBe(200);
    expect(updated.resource.version).toBe(2);
    expect(updated.resource.etag).not.toBe(created.resource.etag);
    const upserted = await store.put("entities", "Person", write(3), {}, meta());
    expect(upserted.resource.version).toBe(3);
    expect((await store.get("entities", "Person"))?.spec).toEqual({ n: 3 });
  });

  it("answers preconditions with 412 and 404", async () => {
    const store = await open(freshDir());
    const { resource } = await store.put("entities", "Person", write(1), {}, meta());
    expect(
      (await failure(store.put("entities", "Person", write(2), { ifNoneMatch: "*" }, meta()))).status,
    ).toBe(412);
    await store.put("entities", "Person", write(2), { ifMatch: resource.etag }, meta());
    const stale = await failure(
      store.put("entities", "Person", write(3), { ifMatch: resource.etag }, meta()),
    );
    expect([stale.status, stale.code]).toEqual([412, "precondition_failed"]);
    expect(
      (await failure(store.put("entities", "Nobody", write(1), { ifMatch: '"1-x"' }, meta()))).status,
    ).toBe(404);
    expect(
      (await failure(store.delete("entities", "Person", { ifMatch: resource.etag }, meta()))).status,
    ).toBe(412);
    await store.delete("entities", "Person", {}, meta());
    expect(await store.get("entities", "Person")).toBeUndefined();
    expect((await failure(store.delete("entities", "Person", {}, meta()))).status).toBe(404);
    expect((await failure(store.get("nope" as "entities", "x"))).status).toBe(404);
    expect((await failure(store.put("entities", "../etc", write(1), {}, meta()))).status).toBe(400);
  });

  it("serialises writes: two updates from the same etag give one 200 and one 412", async () => {
    const store = await open(freshDir());
    const { resource } = await store.put("entities", "Person", write(1), {}, meta());
    const results = await Promise.allSettled([
      store.put("entities", "Person", write(2), { ifMatch: resource.etag }, meta()),
      store.put("entities", "Person", write(3), { ifMatch: resource.etag }, meta()),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const rejected = results.find((r) => r.status === "rejected");
    expect((rejected?.reason as TargetError).status).toBe(412);
  });

  it("pages sorted by name with an opaque cursor, capped at 500", async () => {
    const store = await open(freshDir());
    const names = Array.from({ length: 23 }, (_, i) => `r${String(i).padStart(2, "0")}`).reverse();
    for (const name of names) await store.put("mappings", name, write(1), {}, meta());
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await store.list("mappings", { limit: 10, cursor });
      seen.push(...page.items.map((r) => r.name));
      cursor = page.next_cursor;
      pages++;
    } while (cursor !== null);
    expect(pages).toBe(3);
    expect(seen).toEqual([...names].sort());
    expect((await failure(store.list("mappings", { limit: 10, cursor: "garbage" }))).code).toBe(
      "invalid_cursor",
    );
    expect((await failure(store.list("mappings", { limit: 0, cursor: null }))).status).toBe(400);
    expect((await store.list("mappings", { limit: 100_000, cursor: null })).items).toHaveLength(23);
  });
});

describe("idempotency", () => {
  it("answers a retried key with the first answer, also after a reopen, and refuses it for another body", async () => {
    const dir = freshDir();
    let store = await open(dir);
    const first = await store.put("entities", "Person", write(1), {}, meta("k1"));
    const again = await store.put("entities", "Person", write(1), {}, meta("k1"));
    expect(again).toEqual(first);
    expect((await store.get("entities", "Person"))?.version).toBe(1);
    await store.close();
    store = await open(dir);
    expect(await store.put("entities", "Person", write(1), {}, meta("k1"))).toEqual(first);
    const reused = await failure(store.put("entities", "Person", write(2), {}, meta("k1")));
    expect([reused.status, reused.code]).toEqual([422, "idempotency_key_reused"]);
    // Keys belong to one client: another client's k1 is a new request.
    expect((await store.put("entities", "Person", write(1), {}, meta("k1", "other"))).resource.version).toBe(
      2,
    );
    expect((await store.audit({ action: "resource.create" })).length).toBe(1);
  });

  it("keeps keys at least a day, then forgets them", async () => {
    let now = new Date("2026-01-01T00:00:00Z");
    const dir = freshDir();
    const store = await open(dir, () => now);
    await store.put("entities", "Person", write(1), {}, meta("k1"));
    now = new Date("2026-01-02T00:30:00Z");
    expect((await store.put("entities", "Person", write(1), {}, meta("k1"))).resource.version).toBe(1);
    await store.close();
    now = new Date("2026-01-03T00:00:00Z");
    const reopened = await open(dir, () => now);
    expect((await reopened.put("entities", "Person", write(1), {}, meta("k1"))).resource.version).toBe(2);
  });

  it("replays deletes, locks and releases", async () => {
    const store = await open(freshDir());
    await store.put("entities", "Person", write(1), {}, meta());
    await store.delete("entities", "Person", {}, meta("d1"));
    await store.delete("entities", "Person", {}, meta("d1"));
    const lock = await store.acquireLock("test", { holder: "alice" }, meta("l1"));
    expect(await store.acquireLock("test", { holder: "alice" }, meta("l1"))).toEqual(lock);
    await store.releaseLock("test", lock.lock_id, meta("u1"));
    await store.releaseLock("test", lock.lock_id, meta("u1"));
    const made = await store.createRelease(release("test"), meta("r1"));
    expect(await store.createRelease(release("test"), meta("r1"))).toEqual(made);
    expect(await store.listReleases("test")).toHaveLength(1);
    expect((await store.audit({})).map((a) => a.action)).toEqual([
      "resource.create",
      "resource.delete",
      "lock.acquire",
      "lock.release",
      "release.create",
    ]);
  });
});

describe("locks, releases and audit", () => {
  it("holds one lock per env, names its holder on 409, and keeps it across a reopen", async () => {
    const dir = freshDir();
    let store = await open(dir);
    const lock = await store.acquireLock("prod", { holder: "alice", reason: "apply" }, meta());
    const held = await failure(store.acquireLock("prod", { holder: "bob" }, meta()));
    expect(held.status).toBe(409);
    expect(held.message).toContain("alice");
    expect(held.extra.lock).toEqual(lock);
    await store.acquireLock("test", { holder: "bob" }, meta());
    await store.close();
    store = await open(dir);
    expect((await failure(store.acquireLock("prod", { holder: "bob" }, meta()))).extra.lock).toEqual(lock);
    expect((await failure(store.releaseLock("prod", "lock_wrong", meta()))).status).toBe(404);
    await store.releaseLock("prod", lock.lock_id, meta());
    expect((await failure(store.releaseLock("prod", lock.lock_id, meta()))).status).toBe(404);
    await store.acquireLock("prod", { holder: "bob" }, meta());
  });

  it("lists releases per env oldest first, and filters the audit by action and time", async () => {
    let now = new Date("2026-01-01T00:00:00Z");
    const store = await open(freshDir(), () => now);
    const a = await store.createRelease(release("test"), meta());
    now = new Date("2026-01-02T00:00:00Z");
    await store.createRelease(release("prod"), meta());
    const c = await store.createRelease(release("test", "red"), meta());
    expect((await store.listReleases("test")).map((r) => r.id)).toEqual([a.id, c.id]);
    expect(a).toMatchObject({ ...release("test"), created_at: "2026-01-01T00:00:00.000Z" });
    expect(await store.audit({ since: "2026-01-01T12:00:00Z" })).toHaveLength(2);
    const [entry] = await store.audit({ action: "release.create" });
    expect(entry).toMatchObject({ actor: "ci", correlation_id: "corr-1", env: "test" });
    expect(await store.audit({ action: "lock.acquire" })).toEqual([]);
    expect((await failure(store.audit({ since: "yesterday" }))).status).toBe(400);
  });
});

describe("crash safety", () => {
  it("drops a torn last journal line and a temp file left by a killed write", async () => {
    const dir = freshDir();
    let store = await open(dir);
    await store.put("entities", "Person", write(1), {}, meta());
    await store.close();
    appendFileSync(join(dir, "journal.jsonl"), '{"audit":{"id":"aud_torn","at":"20');
    writeFileSync(join(dir, "resources", "entities", ".Half.json.0123.tmp"), '{"kind":"enti');
    store = await open(dir);
    expect(readdirSync(join(dir, "resources", "entities"))).toEqual(["Person.json"]);
    await store.put("entities", "Person", write(2), {}, meta());
    await store.close();
    const lines = readFileSync(join(dir, "journal.jsonl"), "utf8").trimEnd().split("\n");
    expect(lines.map((l) => (JSON.parse(l) as { audit: { version: number } }).audit.version)).toEqual([1, 2]);
  });

  it("recovers the journal line of a write that committed just before the process died", async () => {
    const dir = freshDir();
    let store = await open(dir);
    const first = await store.put("entities", "Person", write(1), {}, meta("k1"));
    await store.close();
    // The resource file is the commit point; cut its journal line off as if the process died right after it.
    const journal = join(dir, "journal.jsonl");
    writeFileSync(journal, "");
    store = await open(dir);
    expect(await store.audit({})).toHaveLength(1);
    expect(await store.put("entities", "Person", write(1), {}, meta("k1"))).toEqual(first);
    expect((await store.get("entities", "Person"))?.version).toBe(1);
  });

  it("finishes a delete whose marker file outlived the process", async () => {
    const dir = freshDir();
    let store = await open(dir);
    await store.put("entities", "Gone", write(1), {}, meta());
    await store.close();
    const file = join(dir, "resources", "entities", "Gone.json");
    const content = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    const audit = { id: "aud_delete", at: new Date().toISOString(), actor: "ci", action: "resource.delete" };
    writeFileSync(file, JSON.stringify({ ...content, resource: null, journal: { audit } }));
    store = await open(dir);
    expect(await store.get("entities", "Gone")).toBeUndefined();
    expect((await store.audit({ action: "resource.delete" })).map((a) => a.id)).toEqual(["aud_delete"]);
    expect(readdirSync(join(dir, "resources", "entities"))).toEqual([]);
  });

  it("refuses a journal corrupted in the middle rather than silently dropping writes", async () => {
    const dir = freshDir();
    const store = await open(dir);
    await store.put("entities", "A", write(1), {}, meta());
    await store.put("entities", "B", write(1), {}, meta());
    await store.close();
    const journal = join(dir, "journal.jsonl");
    const [a, b] = readFileSync(journal, "utf8").split("\n");
    writeFileSync(journal, `${a?.slice(0, 20)}\n${b}\n`);
    await expect(openStore(dir)).rejects.toThrow(/line 1 is not valid JSON/);
  });
});

describe("the store folder", () => {
  it("refuses a folder that is not a store, and one another live process has open", async () => {
    const project = freshDir();
    writeFileSync(join(project, "clue.yaml"), "name: x\n");
    await expect(openStore(project)).rejects.toThrow(/not empty and is not a clue store/);
    const dir = freshDir();
    await (await openStore(dir)).close();
    writeFileSync(join(dir, "owner.pid"), `${process.ppid}\n`);
    await expect(openStore(dir)).rejects.toThrow(/in use by process/);
  });

  it("opens 5,000 resources and takes 1,000 sequential writes in a few seconds of CPU", async () => {
    const dir = freshDir();
    await (await openStore(dir)).close();
    // Laid out by hand: making them through the store would spend the test's time on fsyncs.
    const folder = join(dir, "resources", "exports");
    mkdirSync(folder, { recursive: true });
    const lines: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const name = `export-${String(i).padStart(5, "0")}`;
      const audit = {
        id: `aud_${i}`,
        at: "2026-01-01T00:00:00.000Z",
        actor: "ci",
        action: "resource.create",
      };
      const resource = {
        kind: "exports",
        name,
        spec: { i },
        version: 1,
        etag: `"1-${i}"`,
        labels: {},
        updated_at: audit.at,
        updated_by: "ci",
      };
      writeFileSync(
        join(folder, `${name}.json`),
        JSON.stringify({ kind: "exports", name, resource, journal: { audit } }),
      );
      lines.push(JSON.stringify({ audit }));
    }
    writeFileSync(join(dir, "journal.jsonl"), `${lines.join("\n")}\n`);
    // CPU time, not wall-clock time: what would grow with a quadratic index or journal is the work this process
    // does, while the wall clock also counts the time a busy machine gives to other processes (and fsync waits).
    let started = cpuSeconds();
    const store = await open(dir);
    let total = 0;
    let cursor: string | null = null;
    do {
      const page = await store.list("exports", { limit: 500, cursor });
      total += page.items.length;
      cursor = page.next_cursor;
    } while (cursor !== null);
    expect(total).toBe(5000);
    expect(cpuSeconds() - started).toBeLessThan(5);
    started = cpuSeconds();
    for (let i = 0; i < 1000; i++) await store.put("entities", `E${i % 50}`, write(i), {}, meta(`key-${i}`));
    expect(cpuSeconds() - started).toBeLessThan(10);
    expect((await store.get("entities", "E49"))?.version).toBe(20);
  });
});
