import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { copyJson, jsonText, MAX_BODY_DEPTH, tooDeep } from "../../src/util/json-values.js";
import { openStore } from "../../src/serve/store.js";
import { TargetError, type ConfigStore } from "../../src/target/contract.js";

// A 2,000-level spec used to be committed (the etag's canonical JSON managed it) and then fail every copy made to
// answer with it (structuredClone ran out of stack at about 1,900 levels): 500 on the PUT, and the kind unlistable
// for good. These tests hold the store to: refuse it before committing, and serve one that is already on disk.
const dirs: string[] = [];
const stores: ConfigStore[] = [];

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function open(dir: string): Promise<ConfigStore> {
  const store = await openStore(dir);
  stores.push(store);
  return store;
}

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "clue-deep-"));
  dirs.push(dir);
  return dir;
}

/** `{a: {a: ... {leaf: true}}}`, `levels` objects deep, built without recursion. */
function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: true };
  for (let i = 1; i < levels; i++) value = { a: value };
  return value;
}

/** The same as JSON text, built as text: what an older version wrote to disk. */
function nestedText(levels: number): string {
  return `${'{"a":'.repeat(levels - 1)}{"leaf":true}${"}".repeat(levels - 1)}`;
}

/** How many objects deep a value is, counted without recursion. */
function depthOf(value: unknown): number {
  let depth = 0;
  for (let v = value; v !== null && typeof v === "object"; v = (v as { a?: unknown }).a) depth++;
  return depth;
}

const meta = { actor: "ci", correlationId: "corr-deep", idempotencyKey: null };

describe("deep JSON values", () => {
  it("finds the member under which a value nests past the limit, and nothing at the limit", () => {
    expect(tooDeep({ spec: nested(MAX_BODY_DEPTH - 1) }, MAX_BODY_DEPTH)).toBeUndefined();
    expect(tooDeep({ labels: {}, spec: nested(MAX_BODY_DEPTH) }, MAX_BODY_DEPTH)).toBe("spec");
    expect(tooDeep(nested(200_000), MAX_BODY_DEPTH)).toBe("a");
    expect(tooDeep([[[[1]]]], 3)).toBe("0");
    expect(tooDeep("text", 1)).toBeUndefined();
  });

  it("copies and writes a value 200,000 levels deep", () => {
    const deep = { spec: nested(200_000) };
    const copy = copyJson(deep);
    expect(copy === deep).toBe(false);
    expect(depthOf(copy.spec)).toBe(200_000);
    const text = jsonText(deep);
    expect(text.startsWith('{"spec":{"a":{"a":')).toBe(true);
    expect(depthOf((JSON.parse(text) as { spec: unknown }).spec)).toBe(200_000);
  });

  it("copies and writes ordinary values exactly as structuredClone and JSON.stringify would", () => {
    const hostile = JSON.parse('{"__proto__": {"polluted": 1}, "b": [1, "x", null, {"c": false}]}') as object;
    const copy = copyJson(hostile);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(JSON.stringify(copy)).toBe(JSON.stringify(hostile));
    expect(({} as { polluted?: number }).polluted).toBeUndefined();
    const value = { z: 1, a: [1, undefined, "é\u2028"], skip: undefined, n: null, f: 1.5e-7, "1": true };
    expect(jsonText(value)).toBe(JSON.stringify(value));
    // The heap-stack writer, forced: a value past JSON.stringify's reach, then the same members.
    const deep = { ...value, deep: nested(50_000) };
    const text = jsonText(deep);
    expect(text.slice(0, JSON.stringify(value).length - 1)).toBe(JSON.stringify(value).slice(0, -1));
  });
});

describe("a spec nested too deep", () => {
  it("is refused with 400 before anything is committed", async () => {
    const dir = freshDir();
    const store = await open(dir);
    const error = await store.put("entities", "Deep", { spec: nested(2000), labels: {} }, {}, meta).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TargetError);
    expect([(error as TargetError).status, (error as TargetError).code]).toEqual([400, "invalid_request"]);
    expect((error as TargetError).message).toContain(`spec nests deeper than ${MAX_BODY_DEPTH} levels`);
    expect(await store.audit({})).toEqual([]);
    expect(readdirSync(join(dir, "resources", "entities"))).toEqual([]);
    expect((await store.list("entities", { limit: 10, cursor: null })).items).toEqual([]);
    // One level inside the limit is fine.
    const ok = await store.put("entities", "Ok", { spec: nested(MAX_BODY_DEPTH - 1), labels: {} }, {}, meta);
    expect(ok.status).toBe(201);
  });
});

describe("a store already holding a deeply nested resource (written by an older version)", () => {
  it.each([2_000, 20_000])("lists, gets, updates and reopens with one %i levels deep", async (levels) => {
    const dir = freshDir();
    const first = await open(dir);
    await first.put("entities", "Shallow", { spec: { n: 1 }, labels: {} }, {}, meta);
    await first.close();
    stores.splice(0);
    // The store's own file layout, as an older version without the limit wrote it (a new one refuses to).
    const audit = {
      id: "aud_deep",
      at: "2026-01-01T00:00:00.000Z",
      actor: "ci",
      action: "resource.create",
      kind: "entities",
      name: "Deep",
      version: 1,
    };
    const resource =
      `{"kind":"entities","name":"Deep","spec":${nestedText(levels)},"version":1,` +
      `"etag":"\\"1-0123456789abcdef\\"","labels":{},"updated_at":"${audit.at}","updated_by":"ci"}`;
    mkdirSync(join(dir, "resources", "entities"), { recursive: true });
    // Its journal line (with the answer kept for its idempotency key) never reached the journal: opening appends it.
    const kept =
      `{"key":"k-deep","actor":"ci","fingerprint":"0","request":"PUT /api/config/entities/Deep",` +
      `"at":"${audit.at}","result":{"op":"put","status":201,"resource":${resource}}}`;
    writeFileSync(
      join(dir, "resources", "entities", "Deep.json"),
      `{"kind":"entities","name":"Deep","resource":${resource},` +
        `"journal":{"audit":${JSON.stringify(audit)},"idempotency":${kept}}}`,
    );
    for (let round = 0; round < 2; round++) {
      const store = await open(dir);
      const page = await store.list("entities", { limit: 10, cursor: null });
      expect(page.items.map((r) => r.name)).toEqual(["Deep", "Shallow"]);
      expect(depthOf(page.items[0]?.spec)).toBe(levels);
      const got = await store.get("entities", "Deep");
      expect(depthOf(got?.spec)).toBe(levels);
      expect((await store.audit({ action: "resource.create" })).map((a) => a.id)).toEqual([
        expect.any(String) as string,
        "aud_deep",
      ]);
      await store.close();
      stores.splice(0);
    }
    // And it can be fixed: overwritten with a sane spec, or deleted.
    const store = await open(dir);
    const fixed = await store.put("entities", "Deep", { spec: { n: 2 }, labels: {} }, {}, meta);
    expect([fixed.status, fixed.resource.version]).toEqual([200, 2]);
    await store.delete("entities", "Deep", {}, meta);
    expect((await store.list("entities", { limit: 10, cursor: null })).items).toHaveLength(1);
  });
});
