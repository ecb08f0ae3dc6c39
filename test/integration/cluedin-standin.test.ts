import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { call, listFiles, startServe, transcript, type Answer, type ServeProcess } from "./serve-process.js";

// The real `clue serve --api cluedin` (spawned from bin/clue.js; `npm run build` first).
const TOKEN = "standin-Tok3n-5f0c2a";
const READ_TOKEN = "standin-R3ad-77e1b9";
const PASSWORD = "standin-Passw0rd-c41d";
const ENV = {
  CLUE_SERVE_TOKENS: `${TOKEN},${READ_TOKEN}:read`,
  CLUE_SERVE_USERS: `deploy@example.com:${PASSWORD}`,
};
const EQUALS = "0bafc522-8011-43ba-978a-babe222ba466";
const MATCHES = "4e4782d7-8c17-47c1-9797-37434fce0c77";
const METADATA = "3be85371-cbe0-4180-8820-73e6e37a6c32";
const VOCAB_KEY = "011ac3b4-0b46-4f9c-a82a-8c14f9dd642b";
const POWER_FX = "96102979-e952-43d8-afe6-987676c0698b";
const EMPTY = "00000000-0000-0000-0000-000000000000";

const dirs: string[] = [];
const servers: ServeProcess[] = [];
const issued: string[] = [];

function freshDir(entities?: unknown[]): string {
  const dir = mkdtempSync(join(tmpdir(), "clue-cluedin-"));
  dirs.push(dir);
  if (entities) writeFileSync(join(dir, "entities.json"), JSON.stringify(entities));
  return dir;
}

async function serve(data: string, args: string[] = []): Promise<ServeProcess> {
  const server = await startServe(data, ["--api", "cluedin", ...args], ENV);
  servers.push(server);
  return server;
}

afterAll(async () => {
  for (const server of servers)
    if (server.child.exitCode === null && server.child.signalCode === null) await server.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const api = (s: ServeProcess, method: string, path: string, body?: unknown, token = TOKEN) =>
  call(s.url, method, `/api/api${path}`, { token, ...(body !== undefined ? { body } : {}) });

const form = (s: ServeProcess, fields: Record<string, string>) =>
  call(s.url, "POST", "/auth/connect/token", {
    body: new URLSearchParams(fields).toString(),
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
  });

const id = (answer: Answer): string => {
  expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(300);
  return answer.body as unknown as string;
};

const group = (condition: "AND" | "OR", rules: unknown[]) => ({
  objectTypeId: EMPTY,
  condition,
  field: null,
  operator: EMPTY,
  rules,
  type: null,
  value: null,
});
const leaf = (objectTypeId: string, field: string | null, operator: string, value: string[]) => ({
  objectTypeId,
  condition: "AND",
  field,
  operator,
  rules: [],
  type: "string",
  value,
});
const person = leaf(METADATA, "EntityType", EQUALS, ["/Person"]);
const rule = (name: string, scope: number | string, condition: unknown = group("AND", [person])) => ({
  name,
  scope,
  isActive: false,
  condition,
  rules: [
    {
      name: "tag",
      conditions: group("AND", []),
      actions: [
        {
          name: "Add Tag",
          type: "CluedIn.Rules.Actions.AddTag, CluedIn.Rules",
          properties: [{ name: "Value", type: "System.String", kind: 0, value: "clue:x" }],
        },
      ],
    },
  ],
});

function requestLog(
  dir: string,
): { operation: string | null; valid: boolean; status: number; path: string }[] {
  return readFileSync(join(dir, "requests.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map(
      (line) =>
        JSON.parse(line) as { operation: string | null; valid: boolean; status: number; path: string },
    );
}

describe("auth", () => {
  it("takes API tokens, tells 401 from 403, and answers status with the platform version", async () => {
    const s = await serve(freshDir());
    const status = await call(s.url, "GET", "/api/status");
    expect([status.status, status.headers.get("x-cluedin-version")]).toEqual([200, "4.5.0"]);
    expect((await api(s, "GET", "/v1/rules")).status).toBe(200);
    const none = await call(s.url, "GET", "/api/api/v1/rules");
    expect([none.status, none.headers.get("www-authenticate")]).toEqual([401, "Bearer"]);
    expect((await api(s, "GET", "/v1/rules", undefined, "not-a-token")).status).toBe(401);
    expect((await api(s, "GET", "/v1/vocabs", undefined, READ_TOKEN)).status).toBe(200);
    const denied = await api(s, "POST", "/v1/vocabs/vocabulary", voc("Denied", "denied"), READ_TOKEN);
    expect([denied.status, denied.body.title, denied.body.detail]).toEqual([
      403,
      "Forbidden",
      "requires RACI:management.datacatalog",
    ]);
    // A client whose api_url lacks /api reaches WebApi's greedy GET /{id}.
    const unprefixed = await call(s.url, "GET", "/api/v1/rules", { token: TOKEN });
    expect([unprefixed.status, unprefixed.body.title]).toEqual([
      400,
      "Cannot retrieve entity info with an invalid GUID",
    ]);
  });

  it("issues JWTs on the password grant, refreshes them once per refresh token, and refuses a wrong client", async () => {
    const s = await serve(freshDir(), ["--org", "mdm-test"]);
    const login = { grant_type: "password", username: "deploy@example.com", password: PASSWORD };
    const wrongOrg = await form(s, { ...login, client_id: "clue" });
    expect([wrongOrg.status, wrongOrg.body.error]).toEqual([400, "invalid_client"]);
    const wrongPassword = await form(s, { ...login, password: "nope", client_id: "mdm-test" });
    expect([wrongPassword.status, wrongPassword.body.error]).toEqual([400, "invalid_grant"]);
    const grant = await form(s, { grant_type: "client_credentials", client_id: "mdm-test" });
    expect(grant.body.error).toBe("unsupported_grant_type");

    const token = await form(s, { ...login, client_id: "mdm-test" });
    expect(token.status).toBe(200);
    expect([token.body.token_type, token.body.expires_in]).toEqual(["Bearer", 3600]);
    const access = token.body.access_token as string;
    issued.push(access, token.body.refresh_token as string);
    const claims = JSON.parse(Buffer.from(access.split(".")[1] ?? "", "base64url").toString()) as Record<
      string,
      unknown
    >;
    expect(claims).toMatchObject({ ClientId: "mdm-test", OrganizationName: "mdm-test" });
    expect(typeof claims.exp).toBe("number");
    expect((await api(s, "GET", "/v1/streams", undefined, access)).status).toBe(200);

    const refresh = { grant_type: "refresh_token", refresh_token: token.body.refresh_token as string };
    const renewed = await form(s, { ...refresh, client_id: "mdm-test" });
    expect(renewed.status).toBe(200);
    issued.push(renewed.body.access_token as string, renewed.body.refresh_token as string);
    expect((await api(s, "GET", "/v1/streams", undefined, renewed.body.access_token as string)).status).toBe(
      200,
    );
    const reused = await form(s, { ...refresh, client_id: "mdm-test" });
    expect([reused.status, reused.body.error]).toEqual([400, "invalid_grant"]);
  });

  it("answers 401 once a token has expired (--token-ttl)", async () => {
    const s = await serve(freshDir(), ["--token-ttl", "1"]);
    const token = await form(s, {
      grant_type: "password",
      username: "deploy@example.com",
      password: PASSWORD,
      client_id: "clue",
    });
    const access = token.body.access_token as string;
    issued.push(access, token.body.refresh_token as string);
    const { exp } = JSON.parse(Buffer.from(access.split(".")[1] ?? "", "base64url").toString()) as {
      exp: number;
    };
    // Waits until the token's own expiry is past: no race with the server's clock, which is this machine's.
    while (Date.now() < exp * 1000 + 100) await new Promise((done) => setTimeout(done, 100));
    const expired = await api(s, "GET", "/v1/rules", undefined, access);
    expect(expired.status).toBe(401);
    expect(expired.headers.get("www-authenticate")).toContain("invalid_token");
    expect(expired.body.detail).toContain("expired");
  });
});

function voc(name: string, prefix: string) {
  return { vocabularyName: name, grouping: "/Person", keyPrefix: prefix, description: null };
}

describe("objects", () => {
  it("pages rules per scope, 0-based, with take defaults and substring searchName; names may repeat", async () => {
    const s = await serve(freshDir());
    for (let i = 0; i < 25; i++) id(await api(s, "POST", "/v1/rules", rule(`Data Rule ${i}`, 0)));
    id(await api(s, "POST", "/v1/rules", rule("Survive", 2)));
    id(await api(s, "POST", "/v1/rules", rule("Survive", "Survivorship")));
    const first = await api(s, "GET", "/v1/rules");
    expect([(first.body.data as unknown[]).length, first.body.total]).toEqual([20, 25]);
    const second = await api(s, "GET", "/v1/rules?page=1");
    expect((second.body.data as unknown[]).length).toBe(5);
    const survivorship = await api(s, "GET", "/v1/rules?scope=Survivorship");
    expect(
      (survivorship.body.data as { name: string; scope: number }[]).map((r) => [r.name, r.scope]),
    ).toEqual([
      ["Survive", 2],
      ["Survive", 2],
    ]);
    expect((await api(s, "GET", "/v1/rules?scope=2")).body.total).toBe(2);
    const search = await api(s, "GET", "/v1/rules?searchName=rule%202&take=3");
    expect(search.body.total).toBe(6); // "Rule 2", "Rule 20".."Rule 24"
    expect((search.body.data as unknown[]).length).toBe(3);
  });

  it("refuses duplicate vocabularies, prefixes, keys and entity types with 409", async () => {
    const s = await serve(freshDir());
    const vocabularyId = id(await api(s, "POST", "/v1/vocabs/vocabulary", voc("Person", "person")));
    expect((await api(s, "POST", "/v1/vocabs/vocabulary", voc("person", "other"))).status).toBe(409);
    expect((await api(s, "POST", "/v1/vocabs/vocabulary", voc("Other", "PERSON"))).status).toBe(409);
    const key = { vocabularyId, name: "email", displayName: "Email", groupName: "Person", dataType: "Email" };
    const created = await api(s, "POST", "/v1/vocabs/key", key);
    expect(created.status).toBe(201);
    expect((await api(s, "POST", "/v1/vocabs/key", key)).status).toBe(409);
    const keys = await api(s, "GET", `/v1/vocabs/${vocabularyId}/keys`);
    expect(keys.body.data).toMatchObject([
      { vocabularyKeyId: created.body, key: "person.email", dataType: 9 },
    ]);
    const inUse = await api(s, "DELETE", `/v1/vocabs/vocabulary/${vocabularyId}`);
    expect(inUse.status).toBe(400);
    expect((await api(s, "POST", "/entitytypeinfo", { type: "/Contact" })).status).toBe(200);
    expect((await api(s, "POST", "/entitytypeinfo", { type: "/Contact" })).status).toBe(409);
    // Built-in types exist from the start.
    expect((await api(s, "POST", "/entitytypeinfo", { type: "/Person" })).status).toBe(409);
    const types = await api(s, "GET", "/entitytypeinfo/paged?searchName=contact");
    // A substring: the built-in /Infrastructure/Contact matches too.
    expect((types.body.data as { type: string }[]).map((t) => t.type)).toEqual([
      "/Infrastructure/Contact",
      "/Contact",
    ]);
  });

  it("validates bodies against the published schemas, naming the field, and logs whether each request conformed", async () => {
    const dir = freshDir();
    const s = await serve(dir);
    const missing = await api(s, "POST", "/v1/vocabs/vocabulary", { vocabularyName: "X", grouping: "/X" });
    expect([missing.status, Object.keys(missing.body.errors as object)]).toEqual([400, ["keyPrefix"]]);
    const child = rule("r", 0) as { rules: Record<string, unknown>[] };
    delete child.rules[0]?.name;
    const nameless = await api(s, "POST", "/v1/rules", child);
    expect(Object.keys(nameless.body.errors as object)).toEqual(["rules[0].name"]);
    expect((await api(s, "POST", "/v1/rules", rule("r", 7))).status).toBe(400);
    expect((await api(s, "POST", "/v1/rules", { ...rule("r", 0), colour: "red" })).status).toBe(400);
    const badOperator = rule(
      "r",
      0,
      group("AND", [leaf(METADATA, "Name", "11111111-1111-1111-1111-111111111111", [])]),
    );
    const refused = await api(s, "POST", "/v1/rules", badOperator);
    expect([refused.status, Object.keys(refused.body.errors as object)]).toEqual([
      400,
      ["condition.rules[0].operator"],
    ]);
    const survivorshipFormula = rule("r", "Survivorship");
    (survivorshipFormula.rules[0] as { actions: { type: string }[] }).actions[0]!.type =
      "CluedIn.Rules.Actions.ExpressionAction, CluedIn.Rules";
    expect((await api(s, "POST", "/v1/rules", survivorshipFormula)).status).toBe(400);
    id(await api(s, "POST", "/v1/rules", rule("fine", "Entity")));
    const log = requestLog(dir);
    expect(log.map((l) => [l.operation, l.valid, l.status])).toEqual([
      ["POST /api/v1/vocabs/vocabulary", false, 400],
      ["POST /api/v1/rules", false, 400],
      ["POST /api/v1/rules", false, 400],
      ["POST /api/v1/rules", false, 400],
      // Schema-valid, refused for what the platform checks beyond its schema.
      ["POST /api/v1/rules", true, 400],
      ["POST /api/v1/rules", true, 400],
      ["POST /api/v1/rules", true, 200],
    ]);
  });

  it("stamps every object and moves modifiedAt on every write", async () => {
    const s = await serve(freshDir());
    const ruleId = id(await api(s, "POST", "/v1/rules", rule("stamped", 0)));
    const created = (await api(s, "GET", `/v1/rules/${ruleId}`)).body;
    expect(created).toMatchObject({ id: ruleId, scope: 0, isActive: false });
    expect(created.createdAt).toBe(created.modifiedAt);
    expect(typeof created.createdBy).toBe("string");
    expect((await api(s, "POST", `/v1/rules/${ruleId}/activate`)).status).toBe(200);
    expect(
      (await api(s, "PUT", "/v1/rules", { ...rule("stamped", 0), id: ruleId, isActive: true })).status,
    ).toBe(200);
    const updated = (await api(s, "GET", `/v1/rules/${ruleId}`)).body;
    expect(updated.createdAt).toBe(created.createdAt);
    expect(String(updated.modifiedAt) > String(created.modifiedAt)).toBe(true);
    expect((await api(s, "DELETE", `/v1/rules/${ruleId}`)).status).toBe(200);
    expect((await api(s, "GET", `/v1/rules/${ruleId}`)).status).toBe(404);
  });

  it("keeps dedup projects with catalogue-checked rules, and streams with their connector setup", async () => {
    const s = await serve(freshDir());
    const catalogue = (await api(s, "GET", "/deduplication/projects/rules/matchingfunctions")).body as {
      matchingFunctions: { id: string; displayName: string }[];
      normalizations: { id: string; displayName: string }[];
    };
    const equals = catalogue.matchingFunctions.find((f) => f.displayName === "Equals")?.id as string;
    const lower = catalogue.normalizations.find((f) => f.displayName === "To lowercase")?.id as string;
    const project = {
      name: "people",
      deduplicationScopeFilter: group("AND", [person]),
      deduplicationScopeFilterType: "EntityType",
    };
    const projectId = id(await api(s, "POST", "/deduplication/projects", project));
    id(await api(s, "POST", "/deduplication/projects", project)); // names may repeat
    const criterion = (matchingTypeId: string) => ({
      name: "email",
      objectType: 1,
      fieldName: "person.email",
      matchingTypeId,
      normalizationConfiguration: [{ id: lower }],
    });
    const ruleId = id(
      await api(s, "POST", `/deduplication/projects/${projectId}/rules`, {
        name: "exact email",
        matchingCriteria: [criterion(equals)],
      }),
    );
    const unknown = await api(s, "POST", `/deduplication/projects/${projectId}/rules`, {
      name: "bad",
      matchingCriteria: [criterion(EMPTY)],
    });
    expect(unknown.status).toBe(400);
    expect(
      (await api(s, "PUT", `/deduplication/projects/${projectId}/rules/${ruleId}/deactivate`)).status,
    ).toBe(200);
    const rules = await api(s, "GET", `/deduplication/projects/${projectId}/rules`);
    expect(rules.body).toMatchObject({
      total: 1,
      data: [
        {
          id: ruleId,
          isActive: false,
          matchingCriteria: [{ normalizationConfiguration: [{ displayName: "To lowercase" }] }],
        },
      ],
    });
    expect((await api(s, "GET", "/deduplication/projects?Page=0&Take=1")).body.total).toBe(2);

    const streamId = id(
      await api(s, "POST", "/v1/streams", { name: "to hub", condition: group("AND", [person]), rules: [] }),
    );
    const target = "5b0f2f7e-6a3c-4c1e-9d2b-1f6a0e9c8d7b";
    const setup = {
      connectorProviderDefinitionId: target,
      containerName: "people",
      mode: "EventStream",
      dataTypes: [{ key: "person.email", type: "vocabkey" }],
      exportIncomingEdges: false,
      exportOutgoingEdges: false,
    };
    expect((await api(s, "POST", `/v1/streams/setupconnector/${streamId}`, setup)).status).toBe(200);
    const stream = await api(s, "GET", `/v1/streams/${streamId}`);
    expect(stream.body).toMatchObject({
      connectorProviderDefinitionId: target,
      containerName: "people",
      mode: 1,
      dataTypes: [{ key: "person.email", type: 1 }],
    });
  });
});

describe("affected records", () => {
  const entities = [
    { id: "e1", entityType: "/Person", name: "Ada", properties: { "person.email": "ada@example.com" } },
    { id: "e2", entityType: "/Person", name: "Bob", properties: { "person.email": "bob-at-example" } },
    { id: "e3", entityType: "/Person", name: "Cy", properties: {} },
    { id: "e4", entityType: "/Organization", name: "Acme", properties: { "person.email": "x@acme.io" } },
  ];

  it("evaluates a rule's filter over DIR/entities.json", async () => {
    const s = await serve(freshDir(entities));
    const badEmail = group("AND", [
      person,
      leaf(VOCAB_KEY, "Properties[person.email]", "9253eea0-5975-460a-8373-dd6ff57d4e65", ["^[^@]+@[^@]+$"]),
      leaf(VOCAB_KEY, "Properties[person.email]", "a42a9f87-7944-4d07-b1f3-d2f404bc4fd7", []),
    ]);
    const ruleId = id(await api(s, "POST", "/v1/rules", rule("bad email", "Entity", badEmail)));
    const affected = await api(s, "GET", `/v1/rules/rule/${ruleId}/affectedrecords`);
    expect(affected.body).toEqual({ data: [{ id: "e2", name: "Bob", entityType: "/Person" }], total: 1 });
    expect(affected.headers.get("x-clue-unevaluated")).toBeNull();

    const either = group("OR", [
      leaf(METADATA, "Name", "daf3a318-569f-4baf-a17f-35b4426ae603", ["a"]),
      leaf(VOCAB_KEY, "Properties[person.email]", MATCHES, ["acme"]),
    ]);
    const orId = id(await api(s, "POST", "/v1/rules", rule("or", 0, either)));
    const both = await api(s, "GET", `/v1/rules/rule/${orId}/affectedrecords?take=1&page=1`);
    expect(both.body).toEqual({ data: [{ id: "e4", name: "Acme", entityType: "/Organization" }], total: 2 });

    const formula = group("AND", [person, { ...leaf(POWER_FX, null, EMPTY, ["true"]), type: null }]);
    const fxId = id(await api(s, "POST", "/v1/rules", rule("fx", 0, formula)));
    const fx = await api(s, "GET", `/v1/rules/rule/${fxId}/affectedrecords`);
    expect(fx.body.total).toBe(0);
    expect(fx.headers.get("x-clue-unevaluated")).toContain("powerfx");
  });
});

describe("durability", () => {
  it("keeps everything across a restart, with the same catalogue ids", async () => {
    const dir = freshDir();
    const first = await serve(dir);
    const vocabularyId = id(await api(first, "POST", "/v1/vocabs/vocabulary", voc("Person", "person")));
    const ruleId = id(await api(first, "POST", "/v1/rules", rule("kept", 1)));
    const catalogue = (await api(first, "GET", "/deduplication/projects/rules/matchingfunctions")).body;
    expect(await first.stop()).toBe(0);
    const second = await serve(dir);
    expect((await api(second, "GET", "/v1/vocabs")).body.data).toMatchObject([{ vocabularyId }]);
    expect((await api(second, "GET", `/v1/rules/${ruleId}`)).body).toMatchObject({ name: "kept", scope: 1 });
    expect((await api(second, "GET", "/deduplication/projects/rules/matchingfunctions")).body).toEqual(
      catalogue,
    );
    await second.stop();
  });

  it("keeps every acknowledged write through kill -9 in the middle of a burst", async () => {
    const dir = freshDir();
    const acknowledged: string[] = [];
    let counter = 0;
    for (let round = 0; round < 4; round++) {
      const s = await serve(dir);
      const listed = await api(s, "GET", `/v1/rules?take=100000`);
      const ids = new Set((listed.body.data as { id: string }[]).map((r) => r.id));
      for (const ruleId of acknowledged) expect(ids.has(ruleId), ruleId).toBe(true);
      // Four writers until the server dies under them; an answer received is a write acknowledged.
      let dead = false;
      const writers = [0, 1, 2, 3].map(async () => {
        while (!dead) {
          try {
            const answer = await api(s, "POST", "/v1/rules", rule(`crash ${++counter}`, 0));
            if (answer.status === 200) acknowledged.push(answer.body as unknown as string);
          } catch {
            return;
          }
        }
      });
      // Kill once a few writes have landed in this round: by count, not by time.
      const before = acknowledged.length;
      while (acknowledged.length < before + 8) await new Promise((done) => setTimeout(done, 5));
      await s.kill9();
      dead = true;
      await Promise.all(writers);
    }
    const last = await serve(dir);
    const total = (await api(last, "GET", "/v1/rules?take=1")).body.total as number;
    expect(total).toBeGreaterThanOrEqual(acknowledged.length);
    await last.stop();
  }, 60_000);
});

describe("faults and secrets", () => {
  it("--fail-rate 1 answers WebApi 503 and never the token endpoint", async () => {
    const s = await serve(freshDir(), ["--fail-rate", "1"]);
    expect((await api(s, "GET", "/v1/rules")).status).toBe(503);
    const token = await form(s, {
      grant_type: "password",
      username: "deploy@example.com",
      password: PASSWORD,
      client_id: "clue",
    });
    issued.push(token.body.access_token as string, token.body.refresh_token as string);
    expect(token.status).toBe(200);
  });

  it("never writes a token or password to stdout, stderr or the data folders", async () => {
    for (const server of servers) if (server.child.exitCode === null) await server.stop();
    const output = transcript.join("\n");
    expect(output).toContain("listening on");
    const files = dirs.flatMap(listFiles).map((file) => readFileSync(file, "utf8"));
    expect(files.some((text) => text.includes('"operation":"token password"'))).toBe(true);
    for (const secret of [TOKEN, READ_TOKEN, PASSWORD, ...issued]) {
      expect(output).not.toContain(secret);
      for (const text of files) expect(text).not.toContain(secret);
    }
  });
});
