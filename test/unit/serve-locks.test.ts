import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openStore } from "../../src/serve/store.js";
import { TargetError, type CallMeta, type ConfigStore } from "../../src/target/contract.js";

// Who may release a lock. It used to be anyone who knew its id, and a 404 for a wrong id named the right one.
const dirs: string[] = [];
const stores: ConfigStore[] = [];

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function open(dir?: string): Promise<{ store: ConfigStore; dir: string }> {
  const where = dir ?? mkdtempSync(join(tmpdir(), "clue-locks-"));
  if (!dir) dirs.push(where);
  const store = await openStore(where);
  stores.push(store);
  return { store, dir: where };
}

const as = (actor: string, idempotencyKey: string | null = null): CallMeta => ({
  actor,
  correlationId: "corr-lock",
  idempotencyKey,
});

async function failure(call: Promise<unknown>): Promise<TargetError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof TargetError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

describe("releasing a lock", () => {
  it("is for the client that took it; another gets 403 naming the force scope, not the lock", async () => {
    const { store } = await open();
    const lock = await store.acquireLock("prod", { holder: "alice@laptop pid 7" }, as("alice"));
    const refused = await failure(store.releaseLock("prod", lock.lock_id, as("bob")));
    expect([refused.status, refused.code, refused.extra.required_scope]).toEqual([
      403,
      "not_lock_holder",
      "locks:force",
    ]);
    expect(refused.message).toContain("clue unlock --env prod --force");
    expect(refused.message).not.toContain(lock.lock_id);
    // Still held: bob's attempt changed nothing.
    expect((await failure(store.acquireLock("prod", { holder: "bob" }, as("bob")))).status).toBe(409);
    await store.releaseLock("prod", lock.lock_id, as("alice"));
    expect((await store.acquireLock("prod", { holder: "bob" }, as("bob"))).holder).toBe("bob");
  });

  it("answers a wrong id with 404 that never names the held lock's id, whoever asks", async () => {
    const { store } = await open();
    expect((await failure(store.releaseLock("prod", "lock_nothing", as("bob")))).message).toBe(
      "no lock is held on prod",
    );
    const lock = await store.acquireLock("prod", { holder: "alice" }, as("alice"));
    for (const [actor, force] of [
      ["bob", false],
      ["alice", false],
      ["bob", true],
    ] as const) {
      const wrong = await failure(store.releaseLock("prod", "lock_guess", as(actor), { force }));
      expect([wrong.status, wrong.code]).toEqual([404, "lock_not_found"]);
      expect(JSON.stringify([wrong.message, wrong.extra])).not.toContain(lock.lock_id);
    }
  });

  it("can be forced by another client, and the audit trail says so", async () => {
    const { store } = await open();
    const lock = await store.acquireLock("test", { holder: "ci-runner pid 1" }, as("ci"));
    await store.releaseLock("test", lock.lock_id, as("ops"), { force: true });
    const [entry] = await store.audit({ action: "lock.release" });
    expect(entry).toMatchObject({ actor: "ops", env: "test" });
    expect(entry?.detail).toBe(`${lock.lock_id} held by ci-runner pid 1, broken by force by ops`);
    expect((await failure(store.releaseLock("test", lock.lock_id, as("ops"), { force: true }))).status).toBe(
      404,
    );
  });

  it("remembers who took it across a restart", async () => {
    const first = await open();
    const lock = await first.store.acquireLock("prod", { holder: "alice" }, as("alice"));
    await first.store.close();
    stores.splice(0);
    const { store } = await open(first.dir);
    expect((await failure(store.releaseLock("prod", lock.lock_id, as("bob")))).status).toBe(403);
    await store.releaseLock("prod", lock.lock_id, as("alice"));
  });

  it("replays a retried release by its key, and keeps forced and plain releases apart", async () => {
    const { store } = await open();
    const lock = await store.acquireLock("prod", { holder: "alice" }, as("alice"));
    await store.releaseLock("prod", lock.lock_id, as("alice", "k1"));
    await store.releaseLock("prod", lock.lock_id, as("alice", "k1"));
    const reused = await failure(store.releaseLock("prod", lock.lock_id, as("alice", "k1"), { force: true }));
    expect([reused.status, reused.code]).toEqual([422, "idempotency_key_reused"]);
  });
});
