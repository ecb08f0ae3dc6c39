import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { SCOPES } from "../../src/serve/auth.js";
import { handlers } from "../../src/serve/handlers.js";
import { CONTRACT_PATH, loadContract } from "../../src/serve/openapi.js";
import { openStore } from "../../src/serve/store.js";
import { REST_KINDS } from "../../src/target/contract.js";

const doc = parse(readFileSync(CONTRACT_PATH, "utf8")) as Record<string, unknown>;
const contract = loadContract();

/** SPEC section 7, line by line. */
const SPEC_ROUTES = [
  "POST /oauth/token",
  "GET /api/me",
  "GET /api/config/{kind}",
  "GET /api/config/{kind}/{name}",
  "PUT /api/config/{kind}/{name}",
  "DELETE /api/config/{kind}/{name}",
  "POST /api/locks/{env}",
  "DELETE /api/locks/{env}/{lock_id}",
  "GET /api/releases",
  "POST /api/releases",
  "GET /api/audit",
];

describe("openapi/clue-target.openapi.yaml", () => {
  it("is an OpenAPI 3.1 document whose every $ref resolves", () => {
    expect(doc.openapi).toBe("3.1.0");
    const refs: string[] = [];
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value !== null && typeof value === "object")
        for (const [key, child] of Object.entries(value)) {
          if (key === "$ref" && typeof child === "string") refs.push(child);
          else walk(child);
        }
    };
    walk(doc);
    expect(refs.length).toBeGreaterThan(50);
    for (const ref of refs) {
      const target = ref
        .slice(2)
        .split("/")
        .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], doc);
      expect(target, ref).toBeDefined();
    }
  });

  it("has every route of SPEC section 7, and the server handles exactly its operations", () => {
    const routes = contract.operations.map((op) => `${op.method} ${op.path}`);
    expect([...routes].sort()).toEqual([...SPEC_ROUTES].sort());
    expect(contract.operations.map((op) => op.operationId).sort()).toEqual(Object.keys(handlers).sort());
  });

  it("asks config:read of reads and config:write of writes, and no token of the token endpoint", () => {
    for (const op of contract.operations) {
      const expected =
        op.path === "/oauth/token" || op.path === "/api/me"
          ? null
          : op.method === "GET"
            ? "config:read"
            : "config:write";
      expect([op.operationId, op.scope], op.operationId).toEqual([op.operationId, expected]);
      expect(op.authenticated).toBe(op.path !== "/oauth/token");
    }
  });

  it("names every scope the server knows, and the force parameter that needs locks:force", () => {
    const flows = (
      doc.components as {
        securitySchemes: { clientCredentials: { flows: { clientCredentials: { scopes: object } } } };
      }
    ).securitySchemes.clientCredentials.flows.clientCredentials;
    expect(Object.keys(flows.scopes)).toEqual([...SCOPES]);
    const release = (doc.paths as Record<string, Record<string, { parameters: { name?: string }[] }>>)[
      "/api/locks/{env}/{lock_id}"
    ]?.delete;
    expect(release?.parameters.map((p) => p.name)).toContain("force");
    const checked = contract.validate("releaseLock", {
      path: { env: "prod", lock_id: "lock_1" },
      query: { force: "true" },
      headers: {},
      body: undefined,
    });
    expect(checked).toEqual({ problems: [], query: { force: true } });
  });

  it("lists the kinds of src/target/contract.ts", () => {
    const schemas = (doc.components as { schemas: Record<string, { enum?: string[] }> }).schemas;
    expect(schemas.RestKind?.enum).toEqual([...REST_KINDS]);
  });

  it("describes what the store answers: resources, locks, releases and audit entries", async () => {
    const dir = mkdtempSync(join(tmpdir(), "clue-openapi-"));
    const store = await openStore(dir);
    try {
      const meta = { actor: "ci", correlationId: "c1", idempotencyKey: null };
      const { resource } = await store.put(
        "entities",
        "Person",
        { spec: { a: 1 }, labels: { x: "y" } },
        {},
        meta,
      );
      const lock = await store.acquireLock("test", { holder: "alice", reason: "apply" }, meta);
      const release = await store.createRelease(
        {
          env: "test",
          config_hash: "abc",
          git_revision: null,
          actor: "alice",
          status: "green",
          changes: { create: 1, update: 0, delete: 0 },
          correlation_id: "c1",
          started_at: new Date().toISOString(),
          finished_at: new Date().toISOString(),
          promoted_from: { env: "dev", release_id: "rel_1" },
        },
        meta,
      );
      expect(contract.conforms("Resource", resource)).toEqual([]);
      expect(
        contract.conforms("ResourcePage", await store.list("entities", { limit: 10, cursor: null })),
      ).toEqual([]);
      expect(contract.conforms("Lock", lock)).toEqual([]);
      expect(contract.conforms("Release", release)).toEqual([]);
      expect(contract.conforms("AuditList", { items: await store.audit({}) })).toEqual([]);
      expect(contract.conforms("Release", { ...release, extra: 1 })).toEqual([
        "body.extra is not allowed here",
      ]);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
