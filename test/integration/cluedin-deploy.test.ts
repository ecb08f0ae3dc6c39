import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import type { RequestLogLine } from "../../src/serve/cluedin/server.js";
import { startGate } from "./serve-gate.js";
import { call, startServe, type ServeProcess } from "./serve-process.js";

// The example project deployed by the real CLI to the real `clue serve --api cluedin` (both from bin/clue.js).
const repo = fileURLToPath(new URL("../../", import.meta.url));
const clueBin = join(repo, "bin/clue.js");
const TOKEN = "deploy-Tok3n-Never-Printed-6c1e9a";
const READ_TOKEN = "deploy-R3ad-Never-Printed-0b7d42";
const PASSWORD = "deploy-Passw0rd-Never-Printed-3f5a";
const SERVE_ENV = {
  CLUE_SERVE_TOKENS: `${TOKEN},${READ_TOKEN}:read`,
  CLUE_SERVE_USERS: `deploy@example.com:${PASSWORD}`,
};
/** Export targets are made in the platform's UI; the environment gives their ids. */
const VARIABLES = `variables:
  warehouse_connection: 3f1c9c1e-8f7e-4c55-9d0e-0a4f2f5a9b11
  event_hub_connection: 5b7d2a40-1c3e-4f6a-8b9c-2d4e6f8a0c13
`;

const dirs: string[] = [];
const servers: ServeProcess[] = [];
const printed: string[] = [];

afterAll(async () => {
  for (const s of servers) if (s.child.exitCode === null && s.child.signalCode === null) await s.stop();
  const all = printed.join("\n");
  for (const secret of [TOKEN, READ_TOKEN, PASSWORD]) expect(all).not.toContain(secret);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function temp(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

async function standIn(
  args: string[] = [],
  data = temp("clue-cluedin-data-"),
): Promise<ServeProcess & { data: string }> {
  const server = await startServe(data, ["--api", "cluedin", "--org", "mdm-test", ...args], SERVE_ENV);
  servers.push(server);
  return Object.assign(server, { data });
}

/** The example project, with environments pointing at stand-ins: cl-test (API token) and cl-prod (password). */
function project(): string {
  const dir = temp("clue-cluedin-project-");
  cpSync(join(repo, "config"), join(dir, "config"), { recursive: true });
  cpSync(join(repo, "env"), join(dir, "env"), { recursive: true });
  writeEnvs(dir);
  writeFileSync(join(dir, ".clueignore.yaml"), ACCEPTED);
  return dir;
}

/**
 * Three cleaning steps of the example have no faithful Power Fx form and a hashed column cannot be hashed, so a plan
 * for CluedIn has errors and apply refuses; a team that accepts what that means says so, as here.
 */
const ACCEPTED = `findings:
  - code: cluedin/unsupported
    file: config/cleaning/normalize_contacts.yaml
    path: steps[2].when
    reason: placeholder emails are cleared by the CRM export before CluedIn
  - code: cluedin/unsupported
    file: config/cleaning/normalize_organizations.yaml
    path: steps[1].value
    reason: ABNs arrive as digits from the registry feed
  - code: cluedin/unsupported
    file: config/cleaning/normalize_organizations.yaml
    path: steps[3].value
    reason: the billing form strips the scheme before CluedIn
  - code: cluedin/unsupported
    file: config/exports/person-changes.yaml
    path: mask.email
    reason: consumers of the change stream do without the email
`;

function writeEnvs(dir: string): void {
  writeFileSync(
    join(dir, "env/cl-test.yaml"),
    `name: cl-test
target:
  type: cluedin
  url: { from_env: CLUEDIN_URL }
  auth: { type: api_token, token: { from_env: CLUEDIN_API_TOKEN } }
${VARIABLES}`,
  );
  writeFileSync(
    join(dir, "env/cl-prod.yaml"),
    `name: cl-prod
promote_from: cl-test
target:
  type: cluedin
  url: { from_env: CLUEDIN_URL_PROD }
  auth:
    type: password
    organisation: mdm-test
    username: deploy@example.com
    password: { from_env: CLUEDIN_PASSWORD }
${VARIABLES}`,
  );
}

function envFor(test: { url: string }, prod?: { url: string }, token = TOKEN): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    CLUEDIN_URL: test.url,
    CLUEDIN_API_TOKEN: token,
    CLUE_HTTP_MAX_ATTEMPTS: "10",
    ...(prod ? { CLUEDIN_URL_PROD: prod.url, CLUEDIN_PASSWORD: PASSWORD } : {}),
  };
}

function clue(dir: string, args: string[], env: NodeJS.ProcessEnv) {
  const result = spawnSync(process.execPath, [clueBin, ...args, "--project", dir], {
    encoding: "utf8",
    env,
    input: "",
  });
  printed.push(result.stdout, result.stderr);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** For runs through the gate: it answers from this process, which a synchronous spawn would block. */
function clueAsync(dir: string, args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [clueBin, ...args, "--project", dir], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((done) =>
    child.on("exit", (status) => {
      printed.push(stdout, stderr);
      done({ status, stdout, stderr });
    }),
  );
}

type LogLine = RequestLogLine;

const requestLog = (data: string): LogLine[] =>
  readFileSync(join(data, "requests.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as LogLine);

/** Every request clue sent is a published operation, and conformed to its published schema. */
function expectAllPublished(data: string): void {
  const log = requestLog(data);
  expect(log.length).toBeGreaterThan(0);
  expect(log.filter((l) => l.operation === null || !l.valid)).toEqual([]);
}

/** Every rule, stream and dedup project on the platform, read with the API: no name may appear twice. */
async function expectNoDuplicates(url: string): Promise<void> {
  const get = async (path: string) =>
    (
      (await call(url, "GET", `/api${path}`, { token: TOKEN })).body as unknown as {
        data: { name: string }[];
      }
    ).data;
  const names = [
    ...(await Promise.all([0, 1, 2].map((scope) => get(`/api/v1/rules?scope=${scope}&take=1000`))))
      .flat()
      .map((r) => `rule ${r.name}`),
    ...(await get("/api/v1/streams?take=1000")).map((r) => `stream ${r.name}`),
    ...(await get("/api/deduplication/projects?Take=1000")).map((r) => `project ${r.name}`),
  ];
  expect(names.length).toBeGreaterThan(10);
  expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
}

const NO_CHANGES = /^No changes: /m;

describe("deploying the example project to the CluedIn stand-in", () => {
  it("plans, applies, re-plans empty, and every request conforms to the published schemas", async () => {
    const server = await standIn();
    const dir = project();
    const env = envFor(server);
    const plan = clue(dir, ["plan", "--env", "cl-test", "--format", "json"], env);
    expect(plan.status, plan.stderr).toBe(0);
    const json = JSON.parse(plan.stdout) as {
      changes: { action: string; kind: string; name: string }[];
      diagnostics: { code: string; file: string; line: number; column: number; hint?: string }[];
      notice: string;
    };
    expect(json.changes.map((c) => `${c.action} ${c.kind}/${c.name}`)).toContain(
      "create validations/email_regex",
    );
    // What the platform cannot express is reported at its line, never skipped silently.
    const unsupported = json.diagnostics.filter((d) => d.code === "cluedin/unsupported");
    expect(unsupported.length).toBeGreaterThan(0);
    for (const d of unsupported) {
      expect(d.file).toMatch(/^config\//);
      expect(d.line).toBeGreaterThan(0);
      expect(d.column).toBeGreaterThan(0);
    }
    expect(json.changes.some((c) => c.kind === "mappings")).toBe(false);
    expect(json.notice).toMatch(/no locks/);
    const human = clue(dir, ["plan", "--env", "cl-test"], env);
    expect(human.stderr).toMatch(/cluedin\/unsupported/);
    expect(human.stdout).toMatch(/^Note: the CluedIn platform has no locks/m);

    const apply = clue(dir, ["apply", "--env", "cl-test", "--yes"], env);
    expect(apply.status, apply.stderr).toBe(0);
    expect(apply.stderr).toMatch(/apply complete on cl-test: \d+ created, 0 updated, 0 deleted/);
    const again = clue(dir, ["plan", "--env", "cl-test", "--detailed-exitcode"], env);
    expect(again.status, again.stdout).toBe(0);
    expect(again.stdout).toMatch(NO_CHANGES);
    // A second apply has nothing to do: the ledger on the platform says the release is green.
    const idle = clue(dir, ["apply", "--env", "cl-test", "--yes"], env);
    expect(idle.stderr).toMatch(/cl-test is up to date/);
    expectAllPublished(server.data);
    await expectNoDuplicates(server.url);
  });

  it("refuses to apply a plan with errors, and leaves out findings accepted in .clueignore.yaml", async () => {
    const server = await standIn();
    const dir = project();
    const env = envFor(server);
    // The event hub's export target is named, not given by its id: the stream cannot be made.
    const path = join(dir, "env/cl-test.yaml");
    writeFileSync(
      path,
      readFileSync(path, "utf8").replace(/event_hub_connection: .*/, "event_hub_connection: mdm-events"),
    );
    const plan = clue(dir, ["plan", "--env", "cl-test", "--format", "json"], env);
    expect(plan.status).toBe(1);
    const json = JSON.parse(plan.stdout) as {
      diagnostics: { code: string; severity: string; message: string }[];
    };
    const errors = json.diagnostics.filter((d) => d.severity === "error");
    expect(errors.map((d) => d.code)).toEqual(["cluedin/unsupported"]);
    expect(errors[0]?.message).toMatch(/"mdm-events", not the id of a CluedIn export target/);
    const apply = clue(dir, ["apply", "--env", "cl-test", "--yes"], env);
    expect(apply.status).toBe(1);
    expect(apply.stderr).toMatch(/nothing applied: the plan has errors/);
    expect(
      requestLog(server.data).filter((l) => l.method !== "GET" && !l.path.includes("/connect/token")),
    ).toEqual([]);

    // A warning accepted with a reason leaves the plan; validate, which cannot know the target, leaves it be.
    const warning = json.diagnostics.find((d) => d.code === "cluedin/approximated");
    expect(warning).toBeDefined();
    const { code, file, line } = warning as unknown as { code: string; file: string; line: number };
    writeFileSync(
      join(dir, ".clueignore.yaml"),
      `${ACCEPTED}  - code: ${code}\n    file: ${file}\n    line: ${line}\n    reason: accepted for the test\n  - code: cluedin/approximated\n    file: config/nowhere.yaml\n    reason: matches nothing\n`,
    );
    const accepted = JSON.parse(clue(dir, ["plan", "--env", "cl-test", "--format", "json"], env).stdout) as {
      diagnostics: { code: string; file: string; line: number; message: string }[];
    };
    expect(accepted.diagnostics.some((d) => d.code === code && d.file === file && d.line === line)).toBe(
      false,
    );
    // The stream is not compiled here, so the entry for its hashed column is unused too.
    expect(accepted.diagnostics.filter((d) => d.code === "suppress/unused").map((d) => d.message)).toEqual([
      "Accepted finding cluedin/unsupported in config/exports/person-changes.yaml matches nothing.",
      "Accepted finding cluedin/approximated in config/nowhere.yaml matches nothing.",
    ]);
    const validate = clue(dir, ["validate", "--format", "json"], env);
    expect(validate.stdout).not.toMatch(/suppress\/unused/);
  });

  it("shows the records a rule change reprocesses before apply asks, and applies the change", async () => {
    const data = temp("clue-cluedin-data-");
    writeFileSync(
      join(data, "entities.json"),
      JSON.stringify([
        { id: "p1", entityType: "/Person", name: "Ann", properties: { "person.email": "not-an-email" } },
        { id: "p2", entityType: "/Person", name: "Bob", properties: { "person.email": "bob@example.com" } },
        { id: "o1", entityType: "/Organization", name: "Acme", properties: {} },
      ]),
    );
    const server = await standIn([], data);
    const dir = project();
    const env = envFor(server);
    expect(clue(dir, ["apply", "--env", "cl-test", "--yes"], env).status).toBe(0);
    const file = join(dir, "config/validations/email_regex.yaml");
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace(/^description: .*$/m, "description: Emails must look like emails."),
    );
    const plan = clue(dir, ["plan", "--env", "cl-test", "--format", "json"], env);
    const change = (
      JSON.parse(plan.stdout) as { changes: { name: string; cost?: { affected_records: number } }[] }
    ).changes.find((c) => c.name === "email_regex");
    expect(change?.cost?.affected_records).toEqual(expect.any(Number));
    const apply = clue(dir, ["apply", "--env", "cl-test", "--yes"], env);
    expect(apply.stdout).toMatch(/~ validations\/email_regex .*\(reprocesses \d+ records?\)/);
    expect(apply.status, apply.stderr).toBe(0);
    expect(clue(dir, ["plan", "--env", "cl-test"], env).stdout).toMatch(NO_CHANGES);
  });

  it(
    "converges through injected faults: lost answers are looked for, never created twice",
    { timeout: 180_000 },
    async () => {
      const server = await standIn(["--fail-rate", "0.15", "--seed", "7"]);
      const dir = project();
      const env = envFor(server);
      let applied = false;
      // A run may run out of attempts on an unlucky streak; running again converges.
      for (let run = 0; run < 6 && !applied; run++)
        applied = clue(dir, ["apply", "--env", "cl-test", "--yes"], env).status === 0;
      expect(applied).toBe(true);
      const plan = clue(dir, ["plan", "--env", "cl-test"], env);
      expect(plan.stdout).toMatch(NO_CHANGES);
      const log = requestLog(server.data);
      expect(log.some((l) => l.status === 503)).toBe(true);
      expectAllPublished(server.data);
      await expectNoDuplicates(server.url);
    },
  );

  it(
    "converges after kill -9 of the CLI at an exact write, its answer lost",
    { timeout: 120_000 },
    async () => {
      const server = await standIn();
      const gate = await startGate(server.url);
      const dir = project();
      const env = envFor({ url: gate.url });
      // The third rule create reaches the platform and is committed; its answer is held, then the CLI is killed.
      const held = gate.holdFrom(
        3,
        (method, path) => method === "POST" && path.endsWith("/api/v1/rules"),
        "response",
      );
      const child = spawn(
        process.execPath,
        [clueBin, "apply", "--env", "cl-test", "--yes", "--project", dir],
        {
          env,
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      let out = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      child.stderr.on("data", (d: Buffer) => (out += d.toString()));
      const exited = new Promise<void>((done) => child.on("exit", () => done()));
      await held;
      child.kill("SIGKILL");
      await exited;
      printed.push(out);
      gate.reset();
      const partial = await clueAsync(dir, ["plan", "--env", "cl-test"], env);
      expect(partial.stdout).not.toMatch(NO_CHANGES);
      const again = await clueAsync(dir, ["apply", "--env", "cl-test", "--yes"], env);
      expect(again.status, again.stderr).toBe(0);
      const plan = await clueAsync(dir, ["plan", "--env", "cl-test"], env);
      expect(plan.status, plan.stderr).toBe(0);
      expect(plan.stdout).toMatch(NO_CHANGES);
      // The rule whose answer was lost was found by its marker, not made again.
      await expectNoDuplicates(server.url);
      await gate.close();
      expectAllPublished(server.data);
    },
  );

  it("promotes test → prod (two platforms, the second signed in with a password)", async () => {
    const test = await standIn();
    const prod = await standIn();
    const dir = project();
    const env = envFor(test, prod);
    expect(clue(dir, ["apply", "--env", "cl-test", "--yes"], env).status).toBe(0);
    const promote = clue(dir, ["promote", "--from", "cl-test", "--to", "cl-prod", "--yes"], env);
    expect(promote.status, promote.stderr).toBe(0);
    expect(promote.stderr).toMatch(/promote complete on cl-prod/);
    expect(clue(dir, ["plan", "--env", "cl-prod"], env).stdout).toMatch(NO_CHANGES);
    const grants = requestLog(prod.data).filter((l) => l.operation?.startsWith("token"));
    expect(grants.map((g) => g.operation)).toContain("token password");
    expectAllPublished(test.data);
    expectAllPublished(prod.data);
  });

  it("imports what clue manages back into YAML that plans empty", async () => {
    const server = await standIn();
    const source = project();
    const env = envFor(server);
    expect(clue(source, ["apply", "--env", "cl-test", "--yes"], env).status).toBe(0);
    // A fresh project holding only what the platform cannot: mappings and reference tables stay clue-side.
    const dir = temp("clue-cluedin-import-");
    mkdirSync(join(dir, "config"), { recursive: true });
    mkdirSync(join(dir, "env"));
    cpSync(join(repo, "config/mappings"), join(dir, "config/mappings"), { recursive: true });
    cpSync(join(repo, "config/reference"), join(dir, "config/reference"), { recursive: true });
    writeEnvs(dir);
    const imported = clue(dir, ["import", "--env", "cl-test"], env);
    expect(imported.status, imported.stderr).toBe(0);
    expect(readdirSync(join(dir, "config/validations")).length).toBeGreaterThan(0);
    const plan = clue(dir, ["plan", "--env", "cl-test", "--detailed-exitcode"], env);
    expect(plan.status, plan.stdout).toBe(0);
    expect(plan.stdout).toMatch(NO_CHANGES);
    // Files are never overwritten without --force.
    const twice = clue(dir, ["import", "--env", "cl-test"], env);
    expect(twice.status).toBe(1);
    expect(twice.stderr).toMatch(/exist.*nothing written — pass --force/);
    expect(clue(dir, ["import", "--env", "cl-test", "--force"], env).status).toBe(0);
  });

  it("says which variable holds a refused token, and which role a read-only account lacks", async () => {
    const server = await standIn();
    const dir = project();
    const refused = clue(dir, ["plan", "--env", "cl-test"], envFor(server, undefined, "wrong-token-value"));
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/refused the API token from the environment variable CLUEDIN_API_TOKEN/);
    const reader = envFor(server, undefined, READ_TOKEN);
    expect(clue(dir, ["plan", "--env", "cl-test"], reader).status).toBe(0);
    const forbidden = clue(dir, ["apply", "--env", "cl-test", "--yes"], reader);
    expect(forbidden.status).toBe(1);
    expect(forbidden.stderr).toMatch(/lacks the role.*requires RACI:/);
  });
});

describe("clue import from a local target", () => {
  it("writes the resources back as YAML that plans empty", () => {
    const source = project();
    expect(clue(source, ["apply", "--env", "local", "--yes"], { PATH: process.env.PATH }).status).toBe(0);
    const dir = temp("clue-local-import-");
    mkdirSync(join(dir, "config"), { recursive: true });
    mkdirSync(join(dir, "env"));
    cpSync(join(repo, "env/local.yaml"), join(dir, "env/local.yaml"));
    cpSync(join(repo, "config/reference"), join(dir, "config/reference"), { recursive: true });
    cpSync(join(source, ".clue"), join(dir, ".clue"), { recursive: true });
    const imported = clue(dir, ["import", "--env", "local"], { PATH: process.env.PATH });
    expect(imported.status, imported.stderr).toBe(0);
    expect(readFileSync(join(dir, "config/webhooks/export-success-teams.yaml"), "utf8")).toMatch(
      /secret:\n {2}from_env: TEAMS_HOOK_SECRET/,
    );
    const plan = clue(dir, ["plan", "--env", "local", "--detailed-exitcode"], { PATH: process.env.PATH });
    expect(plan.status, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(NO_CHANGES);
  });
});
