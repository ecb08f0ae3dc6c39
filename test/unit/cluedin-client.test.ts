import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { CompiledResource } from "../../src/cluedin/model.js";
import { TargetError } from "../../src/target/contract.js";
import { CluedinClient } from "../../src/target/cluedin/client.js";
import { CluedinStore } from "../../src/target/cluedin/store.js";
import { startServe, type ServeProcess } from "../integration/serve-process.js";

// The client and the store against the real `clue serve --api cluedin` (built into dist/ by `npm run build`).
const TOKEN = "client-test-Tok3n-8e1f";
const READ_TOKEN = "client-test-R3ad-21aa";
const PASSWORD = "client-test-Passw0rd-55c2";
const ENV = {
  CLUE_SERVE_TOKENS: `${TOKEN},${READ_TOKEN}:read`,
  CLUE_SERVE_USERS: `deploy@example.com:${PASSWORD}`,
};
const METADATA = "3be85371-cbe0-4180-8820-73e6e37a6c32";
const EQUALS = "0bafc522-8011-43ba-978a-babe222ba466";

const dirs: string[] = [];
const servers: ServeProcess[] = [];

afterAll(async () => {
  for (const s of servers) if (s.child.exitCode === null && s.child.signalCode === null) await s.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function serve(args: string[] = [], data?: string): Promise<{ server: ServeProcess; data: string }> {
  const dir = data ?? mkdtempSync(join(tmpdir(), "clue-cluedin-client-"));
  if (!data) dirs.push(dir);
  const server = await startServe(dir, ["--api", "cluedin", "--org", "mdm-test", ...args], ENV);
  servers.push(server);
  return { server, data: dir };
}

const requests = (data: string) =>
  readFileSync(join(data, "requests.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map(
      (l) => JSON.parse(l) as { operation: string | null; status: number; valid: boolean; method: string },
    );

function client(url: string, credentials: ConstructorParameters<typeof CluedinClient>[0]["credentials"]) {
  return new CluedinClient({
    apiUrl: `${url}/api`,
    authUrl: `${url}/auth`,
    credentials,
    correlationId: "test",
    maxAttempts: 3,
    sleep: () => Promise.resolve(),
  });
}

const password = (extra: Partial<{ password: string; organisation: string }> = {}) => ({
  type: "password" as const,
  organisation: "mdm-test",
  username: "deploy@example.com",
  password: PASSWORD,
  source: "the environment variable CLUEDIN_PASSWORD",
  ...extra,
});

const person: CompiledResource = {
  objects: [
    {
      type: "entity-type",
      key: "/Customer",
      body: { type: "/Customer", displayName: "Customer", icon: "", route: "customer", active: true },
    },
    {
      type: "vocabulary",
      key: "customer",
      body: { vocabularyName: "Customer", keyPrefix: "customer", grouping: "/Customer", description: "" },
    },
    {
      type: "vocabulary-key",
      key: "customer.email",
      vocabulary: "customer",
      body: {
        name: "email",
        displayName: "email",
        groupName: "Customer",
        dataType: "Email",
        storage: "Keyword",
        dataAnnotationsIsRequired: false,
        dataClassificationCode: null,
        description: "",
      },
    },
    {
      type: "rule",
      key: "Entity/email_format",
      body: {
        name: "email_format",
        scope: "Entity",
        isActive: true,
        description: "emails look like emails",
        condition: {
          kind: "group",
          condition: "AND",
          rules: [
            {
              kind: "leaf",
              objectTypeId: METADATA,
              field: "EntityType",
              operator: EQUALS,
              type: "string",
              value: ["/Customer"],
            },
          ],
        },
        rules: [
          {
            name: "tag",
            order: 1,
            isActive: true,
            conditions: { kind: "group", condition: "AND", rules: [] },
            actions: [
              {
                name: "Add Tag",
                type: "CluedIn.Rules.Actions.AddTag, CluedIn.Rules",
                properties: { Value: "clue:invalid:email_format" },
              },
            ],
          },
        ],
      },
    },
  ],
};

describe("cluedin client", () => {
  it("signs in with the password grant, and refreshes its token before it expires", async () => {
    // Tokens of one second: every request finds its token about to expire and refreshes it first.
    const { server, data } = await serve(["--token-ttl", "1"]);
    const c = client(server.url, password());
    expect(await c.version()).toBe("4.5.0");
    await c.listAll("/api/v1/rules");
    await c.listAll("/api/v1/streams");
    const grants = requests(data)
      .map((r) => r.operation)
      .filter((o) => o?.startsWith("token"));
    expect(grants).toEqual(["token password", "token refresh_token", "token refresh_token"]);
  });

  it("signs in again when a restarted platform answers 401 to the token it had", async () => {
    const { server, data } = await serve();
    const c = client(server.url, password());
    await c.listAll("/api/v1/rules");
    await server.stop();
    // Same port, same data: the platform restarted and forgot its signing key.
    const port = new URL(server.url).port;
    await serve(["--port", port], data);
    expect(await c.listAll("/api/v1/rules")).toEqual([]);
    const log = requests(data).map((r) => `${r.operation ?? "-"} ${r.status}`);
    expect(log.slice(-4)).toEqual([
      "GET /api/v1/rules 401",
      "token refresh_token 400",
      "token password 200",
      "GET /api/v1/rules 200",
    ]);
  });

  it("says which variable holds a refused token, and what a 403 lacks", async () => {
    const { server } = await serve();
    const bad = client(server.url, {
      type: "api_token",
      token: "not-a-token",
      source: "the environment variable CLUEDIN_API_TOKEN",
    });
    const refused = await bad.listAll("/api/v1/rules").catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TargetError);
    expect((refused as TargetError).status).toBe(401);
    expect((refused as Error).message).toMatch(/missing, expired or was revoked.*CLUEDIN_API_TOKEN/);
    expect((refused as Error).message).not.toContain("not-a-token");
    const reader = client(server.url, { type: "api_token", token: READ_TOKEN, source: "X" });
    const forbidden = await reader
      .request("POST", "/api/v1/vocabs/vocabulary", {
        body: { vocabularyName: "A", grouping: "/A", keyPrefix: "a" },
      })
      .catch((e: unknown) => e);
    expect((forbidden as TargetError).status).toBe(403);
    expect((forbidden as Error).message).toMatch(/lacks the role.*RACI:management\.datacatalog/);
    const wrong = client(server.url, password({ password: "wrong-password" }));
    const login = await wrong.listAll("/api/v1/rules").catch((e: unknown) => e);
    expect((login as Error).message).toMatch(/refused to sign in deploy@example.com \(invalid_grant/);
    expect((login as Error).message).toContain("CLUEDIN_PASSWORD");
  });
});

describe("cluedin store", () => {
  it("writes a resource's objects, reads them back as written, and refuses a stale etag", async () => {
    const { server, data } = await serve();
    const c = client(server.url, { type: "api_token", token: TOKEN, source: "X" });
    const store = new CluedinStore(c, 3);
    const meta = { actor: "t", correlationId: "t", idempotencyKey: null };
    const spec = person as unknown as Record<string, unknown>;
    const created = await store.put("entities", "customer", { spec, labels: {} }, { ifNoneMatch: "*" }, meta);
    expect(created.status).toBe(201);
    expect(created.resource.spec).toEqual(person);
    expect(created.resource.labels["managed-by"]).toBe("clue");
    const listed = await new CluedinStore(c, 3).list("entities", { limit: 10, cursor: null });
    expect(listed.items.map((r) => r.name)).toEqual(["customer"]);
    // Changed on the platform after the plan: the etag the plan saw no longer matches.
    await store.put("entities", "customer", { spec, labels: {} }, { ifMatch: created.resource.etag }, meta);
    const stale = await store
      .put("entities", "customer", { spec, labels: {} }, { ifMatch: '"not-the-etag"' }, meta)
      .catch((e: unknown) => e);
    expect((stale as TargetError).status).toBe(412);
    // The ledger keeps releases per environment.
    await store.createRelease(
      {
        env: "test",
        config_hash: "abc",
        git_revision: null,
        actor: "t",
        status: "green",
        changes: { create: 1, update: 0, delete: 0 },
        correlation_id: "t",
        started_at: "x",
        finished_at: "y",
      },
      meta,
    );
    expect((await store.listReleases("test")).map((r) => r.config_hash)).toEqual(["abc"]);
    expect(await store.listReleases("prod")).toEqual([]);
    expect(await store.affectedRecords("entities", "customer")).toBe(0);
    await store.delete(
      "entities",
      "customer",
      { ifMatch: (await store.get("entities", "customer"))?.etag ?? "" },
      meta,
    );
    expect(await store.get("entities", "customer")).toBeUndefined();
    expect(requests(data).filter((r) => !r.valid)).toEqual([]);
  });
});
