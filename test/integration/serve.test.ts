import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, startServe, token, transcript, type ServeProcess } from "./serve-process.js";

// The real `clue serve`, spawned from bin/clue.js (so `npm run build` first), spoken to over loopback HTTP.
const SECRETS = {
  ci: "ci-Sup3r-s3cret-4f1d",
  ro: "ro-Sup3r-s3cret-9a2e",
  wo: "wo-Sup3r-s3cret-7c3b",
  ops: "ops-Sup3r-s3cret-2d8a",
};
const data = mkdtempSync(join(tmpdir(), "clue-serve-"));
const issued: string[] = [];
let server: ServeProcess;
let ci = "";

/** ci comes from the environment, the others from flags: both ways must keep secrets out of the output. */
async function serve(): Promise<ServeProcess> {
  return startServe(
    data,
    [
      "--client",
      `ro:${SECRETS.ro}:config:read`,
      "--client",
      `wo:${SECRETS.wo}:config:write`,
      "--client",
      `ops:${SECRETS.ops}:config:read+config:write+locks:force`,
    ],
    { CLUE_SERVE_CLIENTS: `ci:${SECRETS.ci}` },
  );
}

async function tokenFor(id: keyof typeof SECRETS): Promise<string> {
  const t = await token(server.url, id, SECRETS[id]);
  issued.push(t);
  return t;
}

const api = (method: string, path: string, options: Parameters<typeof call>[3] = {}) =>
  call(server.url, method, path, { token: ci, ...options });

beforeAll(async () => {
  server = await serve();
  ci = await tokenFor("ci");
});

afterAll(async () => {
  if (server.child.exitCode === null) await server.stop();
  rmSync(data, { recursive: true, force: true });
});

describe("POST /oauth/token", () => {
  it("takes a JSON body", async () => {
    const answer = await call(server.url, "POST", "/oauth/token", {
      body: { grant_type: "client_credentials", client_id: "ci", client_secret: SECRETS.ci },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      token_type: "Bearer",
      expires_in: 3600,
      scope: "config:read config:write",
    });
    expect(answer.headers.get("cache-control")).toBe("no-store");
    issued.push(answer.body.access_token as string);
  });

  it("takes a form body and HTTP Basic, and narrows to the scope asked for", async () => {
    const form = await call(server.url, "POST", "/oauth/token", {
      body: `grant_type=client_credentials&client_id=ci&client_secret=${SECRETS.ci}&scope=config%3Aread`,
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect([form.status, form.body.scope]).toEqual([200, "config:read"]);
    const basic = await call(server.url, "POST", "/oauth/token", {
      body: "grant_type=client_credentials",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Authorization: `Basic ${Buffer.from(`ro:${SECRETS.ro}`).toString("base64")}`,
      },
    });
    expect([basic.status, basic.body.scope]).toEqual([200, "config:read"]);
    issued.push(form.body.access_token as string, basic.body.access_token as string);
  });

  it("refuses a wrong secret, another grant and a scope the client does not have", async () => {
    const wrong = await call(server.url, "POST", "/oauth/token", {
      body: { grant_type: "client_credentials", client_id: "ci", client_secret: "nope" },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ error: "invalid_client" });
    expect(typeof wrong.body.correlation_id).toBe("string");
    const grant = await call(server.url, "POST", "/oauth/token", { body: { grant_type: "password" } });
    expect([grant.status, grant.body.error]).toEqual([400, "unsupported_grant_type"]);
    const scope = await call(server.url, "POST", "/oauth/token", {
      body: {
        grant_type: "client_credentials",
        client_id: "ro",
        client_secret: SECRETS.ro,
        scope: "config:write",
      },
    });
    expect([scope.status, scope.body.error]).toEqual([400, "invalid_scope"]);
  });
});

describe("authentication and scopes", () => {
  it("answers 401 with WWW-Authenticate without a valid token", async () => {
    const none = await call(server.url, "GET", "/api/me");
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
    const bogus = await call(server.url, "GET", "/api/me", { token: "not-a-token" });
    expect([bogus.status, bogus.body.error]).toEqual([401, "invalid_token"]);
  });

  it("names the caller on /api/me", async () => {
    const me = await api("GET", "/api/me");
    expect(me.body).toEqual({ subject: "ci", scopes: ["config:read", "config:write"] });
  });

  it("answers 403 naming the scope a call needs", async () => {
    const write = await call(server.url, "PUT", "/api/config/entities/Person", {
      token: await tokenFor("ro"),
      body: { spec: {} },
    });
    expect(write.status).toBe(403);
    expect(write.body).toMatchObject({ error: "insufficient_scope", required_scope: "config:write" });
    const read = await call(server.url, "GET", "/api/config/entities", { token: await tokenFor("wo") });
    expect([read.status, read.body.required_scope]).toEqual([403, "config:read"]);
  });
});

describe("resources", () => {
  it("creates, reads, updates and deletes with ETag, If-Match and If-None-Match", async () => {
    const path = "/api/config/entities/Person";
    const body = { spec: { fields: { id: { type: "string" } } }, labels: { "managed-by": "clue" } };
    const created = await api("PUT", path, { body, headers: { "If-None-Match": "*" } });
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toBe(path);
    const etag = created.headers.get("etag") as string;
    expect(created.body).toMatchObject({ ...body, kind: "entities", name: "Person", version: 1, etag });
    expect(created.body.updated_by).toBe("ci");
    expect((await api("PUT", path, { body, headers: { "If-None-Match": "*" } })).status).toBe(412);
    const read = await api("GET", path);
    expect([read.status, read.headers.get("etag")]).toEqual([200, etag]);
    const updated = await api("PUT", path, { body: { spec: { v: 2 } }, headers: { "If-Match": etag } });
    expect([updated.status, updated.body.version, updated.body.labels]).toEqual([200, 2, {}]);
    const stale = await api("PUT", path, { body: { spec: { v: 3 } }, headers: { "If-Match": etag } });
    expect([stale.status, stale.body.error]).toEqual([412, "precondition_failed"]);
    expect(
      (await api("PUT", "/api/config/entities/Ghost", { body, headers: { "If-Match": etag } })).status,
    ).toBe(404);
    expect((await api("DELETE", path, { headers: { "If-Match": etag } })).status).toBe(412);
    const deleted = await api("DELETE", path, {
      headers: { "If-Match": updated.headers.get("etag") as string },
    });
    expect(deleted.status).toBe(204);
    expect((await api("DELETE", path)).status).toBe(404);
    expect((await api("GET", path)).status).toBe(404);
  });

  it("pages a kind sorted by name across more than two pages", async () => {
    const names = Array.from({ length: 23 }, (_, i) => `rule-${String(22 - i).padStart(2, "0")}`);
    for (const name of names)
      await api("PUT", `/api/config/validations/${name}`, { body: { spec: { name } } });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`;
      const page = await api("GET", `/api/config/validations?limit=10${query}`);
      expect(page.status).toBe(200);
      seen.push(...(page.body.items as { name: string }[]).map((r) => r.name));
      cursor = page.body.next_cursor as string | null;
      pages++;
    } while (cursor !== null);
    expect(pages).toBe(3);
    expect(seen).toEqual([...names].sort());
  });

  it("answers one 200 and one 412 to two updates racing from the same ETag", async () => {
    const path = "/api/config/exports/race";
    const etag = (await api("PUT", path, { body: { spec: { n: 0 } } })).headers.get("etag") as string;
    const answers = await Promise.all(
      [1, 2].map((n) => api("PUT", path, { body: { spec: { n } }, headers: { "If-Match": etag } })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 412]);
    expect((await api("GET", path)).body.version).toBe(2);
  });

  it("echoes X-Correlation-Id, makes one when absent, and records it in the audit trail", async () => {
    const given = await api("PUT", "/api/config/webhooks/hook", {
      body: { spec: {} },
      headers: { "X-Correlation-Id": "corr-abc-123" },
    });
    expect(given.headers.get("x-correlation-id")).toBe("corr-abc-123");
    expect((await api("GET", "/api/me")).headers.get("x-correlation-id")).toMatch(/^[0-9a-f-]{36}$/);
    const audit = await api("GET", "/api/audit?action=resource.create");
    const entry = (audit.body.items as { name: string; correlation_id: string }[]).find(
      (e) => e.name === "hook",
    );
    expect(entry?.correlation_id).toBe("corr-abc-123");
  });
});

describe("request validation against the OpenAPI document", () => {
  it.each([
    ["PUT", "/api/config/entities/Person", { spec: [] }, {}, "body.spec"],
    ["PUT", "/api/config/entities/Person", { spec: {}, version: 3 }, {}, "body.version"],
    ["PUT", "/api/config/entities/Person", { spec: {}, labels: { a: 1 } }, {}, "body.labels.a"],
    ["PUT", "/api/config/entities/bad%20name", { spec: {} }, {}, "path parameter name"],
    ["PUT", "/api/config/entities/Person", { spec: {} }, { "If-None-Match": "abc" }, "header If-None-Match"],
    ["PUT", "/api/config/entities/Person", undefined, {}, "body"],
    ["GET", "/api/config/entities?limit=0", undefined, {}, "query parameter limit"],
    ["GET", "/api/config/entities?limt=5", undefined, {}, "unknown query parameter limt"],
    ["GET", "/api/releases", undefined, {}, "query parameter env"],
    ["GET", "/api/audit?since=yesterday", undefined, {}, "query parameter since"],
    ["POST", "/api/locks/test", { reason: "x" }, {}, "body.holder"],
    ["POST", "/api/releases", { env: "test" }, {}, "body.config_hash"],
  ])("%s %s → 400 naming %s", async (method, path, body, headers, field) => {
    const answer = await api(method, path, { body, headers });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe("invalid_request");
    expect(answer.body.message).toContain(field);
  });

  it("answers bad JSON, unknown kinds and paths, wrong methods and oversized bodies", async () => {
    const bad = await api("PUT", "/api/config/entities/Person", { body: "{not json" });
    expect([bad.status, bad.body.error]).toEqual([400, "invalid_json"]);
    expect((await api("GET", "/api/config/widgets")).body.error).toBe("unknown_kind");
    expect((await api("GET", "/api/nothing")).status).toBe(404);
    const wrong = await api("PATCH", "/api/config/entities/Person", { body: { spec: {} } });
    expect([wrong.status, wrong.headers.get("allow")]).toEqual([405, "GET, PUT, DELETE"]);
    const big = await api("PUT", "/api/config/entities/Big", {
      body: { spec: { blob: "x".repeat(1_100_000) } },
    });
    expect([big.status, big.body.error]).toEqual([413, "payload_too_large"]);
  });
});

describe("bodies nested too deep", () => {
  // 2,000 levels used to be committed with a 500, after which listing the kind failed, even after a restart.
  const deepSpec = (levels: number) => `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;
  const depthOf = (value: unknown) => {
    let depth = 0;
    for (let v = value; v !== null && typeof v === "object"; v = (v as { a?: unknown }).a) depth++;
    return depth;
  };

  it("refuses a 2,000-level spec with 400 before committing anything", async () => {
    const answer = await api("PUT", "/api/config/cleaning-projects/deep", {
      body: `{"spec":${deepSpec(2000)}}`,
    });
    expect(answer.status).toBe(400);
    expect(Object.keys(answer.body).sort()).toEqual(["correlation_id", "error", "message"]);
    expect(answer.body.error).toBe("invalid_request");
    expect(answer.body.message).toContain("body.spec nests deeper than 100 levels");
    expect((await api("GET", "/api/config/cleaning-projects/deep")).status).toBe(404);
    const list = await api("GET", "/api/config/cleaning-projects");
    expect([list.status, list.body.items]).toEqual([200, []]);
    const audit = await api("GET", "/api/audit?action=resource.create");
    expect((audit.body.items as { kind: string }[]).some((e) => e.kind === "cleaning-projects")).toBe(false);
    // Locks and releases go through the same check.
    const lock = await api("POST", "/api/locks/deep", { body: `{"holder":"x","reason":${deepSpec(500)}}` });
    expect([lock.status, lock.body.error]).toEqual([400, "invalid_request"]);
  });

  it("lists, gets and restarts with such a resource already in the store (written by an older version)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "clue-serve-deep-"));
    const secret = "deep-S3cret-5e1f0a";
    const start = () => startServe(dir, ["--client", `ci:${secret}`]);
    let deep = await start();
    let t = await token(deep.url, "ci", secret);
    expect(
      (await call(deep.url, "PUT", "/api/config/contracts/ok", { token: t, body: { spec: {} } })).status,
    ).toBe(201);
    expect(await deep.stop()).toBe(0);
    // The store's own layout, as a version without the limit left it.
    const audit = { id: "aud_old", at: "2026-01-01T00:00:00.000Z", actor: "ci", action: "resource.create" };
    const resource =
      `{"kind":"contracts","name":"deep","spec":${deepSpec(2000)},"version":1,"etag":"\\"1-00\\"",` +
      `"labels":{},"updated_at":"${audit.at}","updated_by":"ci"}`;
    writeFileSync(
      join(dir, "resources", "contracts", "deep.json"),
      `{"kind":"contracts","name":"deep","resource":${resource},"journal":${JSON.stringify({ audit })}}`,
    );
    try {
      for (let round = 0; round < 2; round++) {
        deep = await start();
        t = await token(deep.url, "ci", secret);
        const list = await call(deep.url, "GET", "/api/config/contracts", { token: t });
        expect(list.status).toBe(200);
        const items = list.body.items as { name: string; spec: unknown }[];
        expect(items.map((r) => r.name)).toEqual(["deep", "ok"]);
        expect(depthOf(items[0]?.spec)).toBe(2000);
        const got = await call(deep.url, "GET", "/api/config/contracts/deep", { token: t });
        expect([got.status, depthOf(got.body.spec)]).toEqual([200, 2000]);
        expect(await deep.stop()).toBe(0);
        expect(deep.stderr()).not.toContain("internal error");
      }
    } finally {
      if (deep.child.exitCode === null) await deep.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("idempotency keys", () => {
  const path = "/api/config/mappings/crm-contacts";
  const headers = { "Idempotency-Key": "apply-1-crm-contacts" };
  let first: Awaited<ReturnType<typeof api>>;

  it("answers a repeated key with the first answer, applied once", async () => {
    first = await api("PUT", path, { body: { spec: { a: 1 } }, headers });
    const again = await api("PUT", path, { body: { spec: { a: 1 } }, headers });
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("etag")).toBe(first.headers.get("etag"));
    expect((await api("GET", path)).body.version).toBe(1);
    const audit = await api("GET", "/api/audit");
    expect((audit.body.items as { name?: string }[]).filter((e) => e.name === "crm-contacts")).toHaveLength(
      1,
    );
  });

  it("answers 422 when the key comes back with another body", async () => {
    const other = await api("PUT", path, { body: { spec: { a: 2 } }, headers });
    expect([other.status, other.body.error]).toEqual([422, "idempotency_key_reused"]);
  });

  it("holds locks, releases and keys across a restart; tokens do not survive it", async () => {
    const lock = await api("POST", "/api/locks/prod", { body: { holder: "alice@laptop", reason: "apply" } });
    expect(lock.status).toBe(201);
    expect(lock.body).toMatchObject({ env: "prod", holder: "alice@laptop", reason: "apply" });
    expect(await server.stop()).toBe(0);
    server = await serve();
    expect((await api("GET", "/api/me")).body.error).toBe("invalid_token");
    ci = await tokenFor("ci");
    const replay = await api("PUT", path, { body: { spec: { a: 1 } }, headers });
    expect([replay.status, replay.body]).toEqual([201, first.body]);
    const held = await api("POST", "/api/locks/prod", { body: { holder: "bob" } });
    expect(held.status).toBe(409);
    expect(held.body.error).toBe("locked");
    expect(held.body.message).toContain("alice@laptop");
    expect(held.body.lock).toEqual(lock.body);
    const wrong = await api("DELETE", "/api/locks/prod/lock_0000000000000000");
    expect(wrong.status).toBe(404);
    expect(JSON.stringify(wrong.body)).not.toContain(String(lock.body.lock_id));
    expect((await api("DELETE", `/api/locks/prod/${String(lock.body.lock_id)}`)).status).toBe(204);
    expect((await api("POST", "/api/locks/prod", { body: { holder: "bob" } })).status).toBe(201);
  });
});

describe("locks", () => {
  it("are released only by the client that took them; no refusal names the lock's id", async () => {
    const wo = await tokenFor("wo");
    const lock = await call(server.url, "POST", "/api/locks/staging", {
      token: wo,
      body: { holder: "wo@runner pid 5" },
    });
    expect(lock.status).toBe(201);
    const id = lock.body.lock_id as string;
    const other = await api("DELETE", `/api/locks/staging/${id}`);
    expect([other.status, other.body.error, other.body.required_scope]).toEqual([
      403,
      "not_lock_holder",
      "locks:force",
    ]);
    expect(other.body.message).toContain("clue unlock --env staging --force");
    const guess = await api("DELETE", "/api/locks/staging/lock_0000000000000000");
    expect([guess.status, guess.body.error]).toEqual([404, "lock_not_found"]);
    const noScope = await api("DELETE", `/api/locks/staging/${id}?force=true`);
    expect([noScope.status, noScope.body.error, noScope.body.required_scope]).toEqual([
      403,
      "insufficient_scope",
      "locks:force",
    ]);
    expect(noScope.headers.get("www-authenticate")).toContain('scope="locks:force"');
    for (const refusal of [other, guess, noScope]) {
      expect(Object.keys(refusal.body).sort()).toEqual(
        refusal.status === 404
          ? ["correlation_id", "error", "message"]
          : ["correlation_id", "error", "message", "required_scope"],
      );
      expect(JSON.stringify(refusal.body)).not.toContain(id);
    }
    const own = await call(server.url, "DELETE", `/api/locks/staging/${id}`, { token: wo });
    expect(own.status).toBe(204);
  });

  it("are broken with force=true by a client granted locks:force, and the audit trail says who", async () => {
    const lock = await api("POST", "/api/locks/staging", { body: { holder: "ci@runner pid 9" } });
    const id = lock.body.lock_id as string;
    const ops = await tokenFor("ops");
    // The scope alone is not enough: breaking someone's lock is asked for explicitly.
    const plain = await call(server.url, "DELETE", `/api/locks/staging/${id}`, { token: ops });
    expect([plain.status, plain.body.error]).toEqual([403, "not_lock_holder"]);
    const forced = await call(server.url, "DELETE", `/api/locks/staging/${id}?force=true`, { token: ops });
    expect(forced.status).toBe(204);
    const audit = await api("GET", "/api/audit?action=lock.release");
    const entry = (audit.body.items as { actor: string; env: string; detail: string }[]).at(-1);
    expect(entry).toMatchObject({ actor: "ops", env: "staging" });
    expect(entry?.detail).toBe(`${id} held by ci@runner pid 9, broken by force by ops`);
  });
});

describe("releases and audit", () => {
  const release = (status: string, hash: string) => ({
    env: "test",
    config_hash: hash,
    git_revision: "0123abc",
    actor: "alice",
    status,
    changes: { create: 2, update: 1, delete: 0 },
    correlation_id: "apply-42",
    started_at: "2026-11-22T10:00:00.000Z",
    finished_at: "2026-11-22T10:00:05.000Z",
  });

  it("records releases per environment, oldest first", async () => {
    const a = await api("POST", "/api/releases", { body: release("green", "h1") });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ ...release("green", "h1"), id: expect.any(String) as string });
    await api("POST", "/api/releases", { body: { ...release("red", "h2"), env: "prod" } });
    const b = await api("POST", "/api/releases", { body: release("red", "h3") });
    const list = await api("GET", "/api/releases?env=test");
    expect((list.body.items as { id: string }[]).map((r) => r.id)).toEqual([a.body.id, b.body.id]);
  });

  it("filters the audit trail by action and time", async () => {
    const made = await api("GET", "/api/audit?action=release.create");
    const items = made.body.items as { action: string; actor: string; env: string }[];
    expect(items.map((e) => e.env)).toEqual(["test", "prod", "test"]);
    expect(items.every((e) => e.action === "release.create" && e.actor === "ci")).toBe(true);
    const locks = await api("GET", "/api/audit?action=lock.acquire");
    expect((locks.body.items as { env: string }[]).map((e) => e.env)).toEqual([
      "prod",
      "prod",
      "staging",
      "staging",
    ]);
    const future = await api("GET", "/api/audit?since=2100-01-01T00:00:00Z");
    expect(future.body.items).toEqual([]);
  });
});

describe("secrets", () => {
  it("never appear in stdout, stderr or the data folder", async () => {
    await server.stop();
    const output = transcript.join("\n");
    expect(output).toContain("PUT /api/config/entities/Person 201");
    const files = listFiles(data).map((file) => readFileSync(file, "utf8"));
    for (const secret of [...Object.values(SECRETS), ...issued]) {
      expect(output).not.toContain(secret);
      for (const text of files) expect(text).not.toContain(secret);
    }
    expect(output).not.toMatch(/Bearer|Authorization|client_secret/);
  });
});

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}
