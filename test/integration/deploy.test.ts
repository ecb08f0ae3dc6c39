import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { REST_KINDS } from "../../src/target/contract.js";
import { localActor } from "../../src/target/open-target.js";
import { startGate } from "./serve-gate.js";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const clueBin = join(repo, "bin/clue.js");
const SECRET = "s3cr3t-Value-That-Must-Never-Print-9f8e7d";
const PROD_SECRET = "pr0d-Secret-That-Must-Never-Print-1a2b3c";
/** `other` holds locks the way another pipeline would; `ops` may break them (`clue unlock --force`). */
const OTHER_SECRET = "0ther-Secret-That-Must-Never-Print-4d5e6f";
const OPS_SECRET = "0ps-Secret-That-Must-Never-Print-7a8b9c";
const CLIENT_SECRETS: Record<string, string> = { ci: SECRET, other: OTHER_SECRET, ops: OPS_SECRET };
const servers: Server[] = [];
/** Everything any process printed, to check at the end that no secret ever appeared. */
const printed: string[] = [];

interface Server {
  url: string;
  port: number;
  data: string;
  process: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

async function serve(data: string, extra: string[] = [], port = 0): Promise<Server> {
  const child = spawn(
    process.execPath,
    [clueBin, "serve", "--port", String(port), "--data", data, ...extra],
    {
      env: {
        ...process.env,
        CLUE_SERVE_CLIENTS: [
          `ci:${SECRET}`,
          `prod-ci:${PROD_SECRET}`,
          `other:${OTHER_SECRET}`,
          `ops:${OPS_SECRET}:config:read+config:write+locks:force`,
        ].join(","),
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let err = "";
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(m[1] as string);
    });
    child.on("exit", (code) => reject(new Error(`clue serve exited ${String(code)}: ${err}`)));
  });
  child.on("exit", () => printed.push(err));
  const server: Server = {
    url,
    port: Number(new URL(url).port),
    data,
    process: child,
    stop: (signal = "SIGTERM") =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill(signal);
      }),
  };
  servers.push(server);
  return server;
}

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop("SIGKILL")));
});

/** A copy of the example project in a temp folder, so applies do not touch the repository. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), "clue-deploy-"));
  cpSync(join(repo, "config"), join(dir, "config"), { recursive: true });
  cpSync(join(repo, "env"), join(dir, "env"), { recursive: true });
  return dir;
}

function envFor(server: Server, prod?: Server): NodeJS.ProcessEnv {
  return {
    ...process.env,
    CLUE_HOST: server.url,
    CLUE_CLIENT_ID: "ci",
    CLUE_CLIENT_SECRET: SECRET,
    ...(prod
      ? { CLUE_HOST_PROD: prod.url, CLUE_CLIENT_ID_PROD: "prod-ci", CLUE_CLIENT_SECRET_PROD: PROD_SECRET }
      : {}),
  };
}

function clue(dir: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  const result = spawnSync(process.execPath, [clueBin, ...args, "--project", dir], {
    encoding: "utf8",
    env,
    input: "",
  });
  printed.push(result.stdout, result.stderr);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function clueAsync(dir: string, args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [clueBin, ...args, "--project", dir], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on("exit", (status) => {
      printed.push(stdout, stderr);
      resolve({ status, stdout, stderr });
    }),
  );
  return { child, done, stderr: () => stderr };
}

/** A direct call, as a UI or a script would make it; retried through the fault-injecting servers' 429s and 503s. */
async function api(
  server: Server,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  client = "ci",
): Promise<{ status: number; body: unknown }> {
  for (let attempt = 0; ; attempt++) {
    const answer = await apiOnce(server, method, path, body, headers, client);
    if ((answer.status !== 429 && answer.status !== 503) || attempt > 30) return answer;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function apiOnce(
  server: Server,
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string>,
  client: string,
) {
  // A connection per call: clue() blocks this process in spawnSync for seconds, long enough for clue serve to close
  // an idle kept-alive connection just as the next call is written on it ("other side closed", seen under load).
  const token = (await (
    await fetch(`${server.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/json", connection: "close" },
      body: JSON.stringify({
        grant_type: "client_credentials",
        client_id: client,
        client_secret: CLIENT_SECRETS[client],
      }),
    })
  ).json()) as { access_token?: string };
  if (token.access_token === undefined) return { status: 503, body: undefined };
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token.access_token}`,
      "content-type": "application/json",
      connection: "close",
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const parsed: unknown = await response.json().catch(() => undefined);
  return { status: response.status, body: parsed };
}

/** Polls until `check` holds; the bound only turns a hang into a failure, so it is generous. */
async function waitFor(what: string, check: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function resources(server: Server) {
  const all: { kind: string; name: string; version: number }[] = [];
  for (const kind of REST_KINDS) {
    const page = (await api(server, "GET", `/api/config/${kind}?limit=500`)).body as { items: typeof all };
    all.push(...page.items);
  }
  return all;
}

const example = project();
const desiredCount = (() => {
  const plan = clue(example, ["plan", "--env", "local", "--format", "json"]);
  return (JSON.parse(plan.stdout) as { changes: unknown[] }).changes.length;
})();

describe("plan and apply", () => {
  it("works on the embedded local target with no server: plan, apply, then an empty plan", () => {
    const dir = project();
    const first = clue(dir, ["plan", "--env", "local", "--detailed-exitcode"]);
    expect(first.status, first.stderr).toBe(2);
    expect(first.stdout.split("\n")[0]).toMatch(
      /^Plan for local: \d+ to create, 0 to update, 0 to delete\.$/,
    );
    expect(first.stdout).toContain("+ entities/Person");
    const refused = clue(dir, ["apply", "--env", "local"]);
    expect(refused.status).toBe(64);
    expect(refused.stderr).toContain("pass --yes");
    const applied = clue(dir, ["apply", "--env", "local", "--yes"]);
    expect(applied.status, applied.stderr).toBe(0);
    expect(applied.stderr).toMatch(
      /apply complete on local: \d+ created, 0 updated, 0 deleted\. Release \S+ .*green/,
    );
    const again = clue(dir, ["plan", "--env", "local", "--detailed-exitcode"]);
    expect(again.status, again.stdout).toBe(0);
    expect(again.stdout.split("\n")[0]).toBe("No changes: local matches the config.");
  });

  it("names a resource on the target nested too deep to compare, instead of crashing", () => {
    const dir = project();
    expect(clue(dir, ["apply", "--env", "local", "--yes"]).status).toBe(0);
    // A store file written before targets limited nesting, or edited by hand: 20,000 levels under its spec.
    const file = join(dir, ".clue/local/resources/exports/person-changes.json");
    const stored = JSON.parse(readFileSync(file, "utf8")) as { resource: { spec: Record<string, unknown> } };
    stored.resource.spec.options = "DEEP";
    const deep = `${'{"x":'.repeat(20_000)}{}${"}".repeat(20_000)}`;
    writeFileSync(file, JSON.stringify(stored).replace('"DEEP"', deep));
    const plan = clue(dir, ["plan", "--env", "local"]);
    expect(plan.status, plan.stderr).toBe(1);
    expect(plan.stderr).toContain("exports/person-changes on the target nests deeper than 100 levels");
    expect(plan.stderr).not.toContain("internal error");
  });

  it("plans and applies against clue serve, shows field diffs for an override change, and re-plans empty", async () => {
    const server = await serve(mkdtempSync(join(tmpdir(), "clue-serve-")));
    const dir = project();
    const env = envFor(server);
    const out = join(dir, "plan.json");
    const plan = clue(dir, ["plan", "--env", "test", "--out", out, "--detailed-exitcode"], env);
    expect(plan.status, plan.stderr).toBe(2);
    expect(plan.stderr).toMatch(/correlation id [0-9a-f-]{36}/);
    const saved = JSON.parse(readFileSync(out, "utf8")) as { format_version: number; changes: unknown[] };
    expect(saved.format_version).toBe(1);
    expect(saved.changes).toHaveLength(desiredCount);
    const applied = clue(dir, ["apply", "--env", "test", out, "--yes"], env);
    expect(applied.status, applied.stderr).toBe(0);
    expect(clue(dir, ["plan", "--env", "test", "--detailed-exitcode"], env).status).toBe(0);
    // The test environment's override reached the target.
    const exported = (await api(server, "GET", "/api/config/exports/warehouse-contacts-v1")).body as {
      spec: { options: { schema: string } };
      labels: Record<string, string>;
    };
    expect(exported.spec.options.schema).toBe("mdm_test");
    expect(exported.labels["managed-by"]).toBe("clue");
    // A config edit shows as a field-level update.
    const file = join(dir, "config/dedup/person.yaml");
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace("auto_approve_threshold: 0.97", "auto_approve_threshold: 0.96"),
    );
    const update = clue(dir, ["plan", "--env", "test"], env);
    expect(update.stdout).toContain("Plan for test: 0 to create, 1 to update, 0 to delete.");
    expect(update.stdout).toMatch(
      /~ dedup-rules\/Person {2}\(version 1\)\n\s+~ auto_approve_threshold: 0\.97 → 0\.96/,
    );
    // A removed resource is deleted (it is labelled as clue's); one the target holds without the label is left alone.
    await api(server, "PUT", "/api/config/webhooks/hand-made", { spec: { name: "hand-made" }, labels: {} });
    rmSync(join(dir, "config/validations/email_regex.yaml"));
    const removal = clue(dir, ["apply", "--env", "test", "--yes"], env);
    expect(removal.status, removal.stderr).toBe(0);
    expect(removal.stdout).toContain("- validations/email_regex");
    expect(removal.stdout).toContain("not managed by clue (left alone): webhooks/hand-made");
    expect((await api(server, "GET", "/api/config/webhooks/hand-made")).status).toBe(200);
    expect((await api(server, "GET", "/api/config/validations/email_regex")).status).toBe(404);
  });

  it("refuses a stale plan, and shows a resource edited on the target as drift", async () => {
    const server = await serve(mkdtempSync(join(tmpdir(), "clue-serve-")));
    const dir = project();
    const env = envFor(server);
    expect(clue(dir, ["apply", "--env", "test", "--yes"], env).status).toBe(0);
    const out = join(dir, "plan.json");
    clue(dir, ["plan", "--env", "test", "--out", out], env);
    const current = (await api(server, "GET", "/api/config/dedup-rules/Person")).body as {
      spec: Record<string, unknown>;
      labels: Record<string, string>;
      etag: string;
    };
    const edited = await api(
      server,
      "PUT",
      "/api/config/dedup-rules/Person",
      { spec: { ...current.spec, queue_threshold: 0.5 }, labels: current.labels },
      { "if-match": current.etag },
    );
    expect(edited.status).toBe(200);
    const stale = clue(dir, ["apply", "--env", "test", out, "--yes"], env);
    expect(stale.status).toBe(1);
    expect(stale.stderr).toContain("the plan is stale: dedup-rules/Person changed on the target");
    const drift = clue(dir, ["plan", "--env", "test"], env);
    expect(drift.stdout).toContain("1 drifted on the target outside git");
    expect(drift.stdout).toMatch(
      /! drift: dedup-rules\/Person was changed on the target outside git \(version 2, by ci/,
    );
    expect(drift.stdout).toMatch(/~ queue_threshold: 0\.5 → 0\.85/);
  });
});

describe("re-runs", () => {
  it("re-creates a resource deleted earlier, with a fixed correlation id, and settles drift the config now matches", async () => {
    const server = await serve(mkdtempSync(join(tmpdir(), "clue-serve-")));
    const dir = project();
    const env = { ...envFor(server), CLUE_CORRELATION_ID: "ci-run-42" };
    const file = join(dir, "config/validations/email_regex.yaml");
    const text = readFileSync(file, "utf8");
    expect(clue(dir, ["apply", "--env", "test", "--yes"], env).status).toBe(0);
    rmSync(file);
    expect(clue(dir, ["apply", "--env", "test", "--yes"], env).status).toBe(0);
    writeFileSync(file, text);
    const again = clue(dir, ["apply", "--env", "test", "--yes"], env);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).toContain("1 created");
    expect((await api(server, "GET", "/api/config/validations/email_regex")).status).toBe(200);
    expect(clue(dir, ["plan", "--env", "test", "--detailed-exitcode"], env).status).toBe(0);

    // Edited on the target, then the config changed to match: one label rewrite, and the drift is gone.
    const current = (await api(server, "GET", "/api/config/dedup-rules/Person")).body as {
      spec: Record<string, unknown>;
      labels: Record<string, string>;
      etag: string;
    };
    await api(
      server,
      "PUT",
      "/api/config/dedup-rules/Person",
      { spec: { ...current.spec, queue_threshold: 0.8 }, labels: current.labels },
      { "if-match": current.etag },
    );
    const dedup = join(dir, "config/dedup/person.yaml");
    writeFileSync(
      dedup,
      readFileSync(dedup, "utf8").replace("queue_threshold: 0.85", "queue_threshold: 0.8"),
    );
    const settle = clue(dir, ["apply", "--env", "test", "--yes"], env);
    expect(settle.status, settle.stderr).toBe(0);
    expect(settle.stdout).toContain("~ labels.clue/spec-hash");
    const after = clue(dir, ["plan", "--env", "test", "--detailed-exitcode"], env);
    expect(after.status).toBe(0);
    expect(after.stdout).not.toContain("drift");
  });
});

describe("concurrency and faults", () => {
  // None of these relies on two processes racing: the test takes the lock itself, or the gate (serve-gate.ts) stops
  // the apply at an exact write, so the overlap they check is certain however busy the machine is.
  const isWrite = (method: string, path: string) =>
    (method === "PUT" || method === "DELETE") && path.startsWith("/api/config/");

  it("refuses an apply while another client holds the lock, naming the holder; --lock-wait runs it once freed", async () => {
    const server = await serve(mkdtempSync(join(tmpdir(), "clue-serve-")));
    const dir = project();
    const env = envFor(server);
    // No "user@host pid N" in it: this holder must not look like a dead local run to take over.
    const holder = "release-bot on ci-runner-7 (maintenance window)";
    const lock = await api(server, "POST", "/api/locks/test", { holder, reason: "db upgrade" }, {}, "other");
    expect(lock.status).toBe(201);
    const refused = clue(dir, ["apply", "--env", "test", "--yes"], env);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`test is locked by ${holder} since `);
    expect(refused.stderr).toContain("(db upgrade)");
    expect(refused.stderr).toContain("clue unlock --env test --force");
    expect(await resources(server)).toEqual([]);
    // Waiting for the lock instead: the apply says it waits, and runs as soon as the holder lets go.
    const waiting = clueAsync(dir, ["apply", "--env", "test", "--yes", "--lock-wait", "300"], env);
    await waitFor("the apply to wait for the lock", () =>
      Promise.resolve(waiting.stderr().includes("waiting for the lock on test, held by release-bot")),
    );
    const lockId = (lock.body as { lock_id: string }).lock_id;
    expect((await api(server, "DELETE", `/api/locks/test/${lockId}`, undefined, {}, "other")).status).toBe(
      204,
    );
    const applied = await waiting.done;
    expect(applied.status, applied.stderr).toBe(0);
    expect(await resources(server)).toHaveLength(desiredCount);
  });

  it("converges when the CLI is killed mid-apply and run again: nothing lost, nothing written twice", async () => {
    const server = await serve(mkdtempSync(join(tmpdir(), "clue-serve-")));
    const gate = await startGate(server.url);
    const dir = project();
    // The sixth write never reaches the server: the run is killed with exactly five done.
    const stopped = gate.holdFrom(6, isWrite, "request");
    const run = clueAsync(dir, ["apply", "--env", "test", "--yes"], {
      ...envFor(server),
      CLUE_HOST: gate.url,
    });
    await stopped;
    run.child.kill("SIGKILL");
    await run.done;
    await gate.close();
    expect(await resources(server)).toHaveLength(5);
    // The killed run's lock is taken over: its process is gone.
    const env = envFor(server);
    const again = clue(dir, ["apply", "--env", "test", "--yes"], env);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).toMatch(
      /took over the lock on test left by \S+@\S+ pid \d+ \(clue apply, correlation [0-9a-f-]{36}, run [0-9a-f]{8}\) since /,
    );
    const all = await resources(server);
    expect(all).toHaveLength(desiredCount);
    expect(all.every((r) => r.version === 1)).toBe(true);
    expect(clue(dir, ["plan", "--env", "test", "--detailed-exitcode"], env).status).toBe(0);
  });

  it("does not take over a dead local run's lock that another client took: that needs unlock --force", async () => {
    const server = await serve(mkdtempSync(join(tmpdir(), "clue-serve-")));
    const dir = project();
    // A pid that is certainly gone: a process that has exited.
    const gone = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], {
      encoding: "utf8",
    });
    const holder = `${localActor()} pid ${gone.stdout} (clue apply)`;
    const lock = await api(server, "POST", "/api/locks/test", { holder }, {}, "other");
    expect(lock.status).toBe(201);
    const refused = clue(dir, ["apply", "--env", "test", "--yes"], envFor(server));
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`test is locked by ${holder} since `);
    expect(refused.stderr).toContain("clue unlock --env test --force");
    expect(refused.stderr).not.toContain("took over");
    expect(await resources(server)).toEqual([]);
  });

  it("rides out a server killed and restarted mid-apply, with a committed write's answer lost", async () => {
    const data = mkdtempSync(join(tmpdir(), "clue-serve-"));
    const server = await serve(data);
    const gate = await startGate(server.url);
    const dir = project();
    // The sixth write lands on the server; its answer is held while the server is killed and started again.
    const stopped = gate.holdFrom(6, isWrite, "response");
    const run = clueAsync(dir, ["apply", "--env", "test", "--yes"], {
      ...envFor(server),
      CLUE_HOST: gate.url,
    });
    await stopped;
    await server.stop("SIGKILL");
    const restarted = await serve(data);
    gate.upstream = restarted.url;
    // The sixth write survived the kill: its retry must be answered from the idempotency record, not made again.
    expect(await resources(restarted)).toHaveLength(6);
    // The client sees its connection drop, and retries the write with its Idempotency-Key against the new process.
    gate.reset();
    const result = await run.done;
    await gate.close();
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/retrying PUT \S+ in/);
    const all = await resources(restarted);
    expect(all).toHaveLength(desiredCount);
    expect(all.every((r) => r.version === 1)).toBe(true);
    expect(clue(dir, ["plan", "--env", "test", "--detailed-exitcode"], envFor(restarted)).status).toBe(0);
  });

  it("gets through storms of 429s and 5xx (some after the write was committed) without duplicating a write", async () => {
    const server = await serve(mkdtempSync(join(tmpdir(), "clue-serve-")), [
      "--fail-rate",
      "0.25",
      "--rate-limit",
      "25",
      "--seed",
      "11",
    ]);
    const dir = project();
    const env = { ...envFor(server), CLUE_HTTP_MAX_ATTEMPTS: "12" };
    const result = clue(dir, ["apply", "--env", "test", "--yes"], env);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/HTTP (429|503)/);
    const all = await resources(server);
    expect(all).toHaveLength(desiredCount);
    expect(all.every((r) => r.version === 1)).toBe(true);
  });
});

describe("promote", () => {
  const tuesdayInSydney = "2026-11-24T01:00:00Z"; // 12:00 in Sydney, inside Tue-Thu 09:00-16:00
  const saturdayInSydney = "2026-11-28T01:00:00Z";

  it("refuses outside prod's change window and when test is red; promotes test's green release inside it", async () => {
    const test = await serve(mkdtempSync(join(tmpdir(), "clue-serve-")));
    const prod = await serve(mkdtempSync(join(tmpdir(), "clue-serve-")));
    const dir = project();
    const env = envFor(test, prod);
    expect(clue(dir, ["apply", "--env", "test", "--yes"], env).status).toBe(0);

    const weekend = clue(dir, ["promote", "--from", "test", "--to", "prod", "--yes"], {
      ...env,
      CLUE_NOW: saturdayInSydney,
    });
    expect(weekend.status).toBe(1);
    expect(weekend.stderr).toContain(
      "promote refused: it is Sat 12:00 Australia/Sydney, outside prod's change window",
    );
    const noReason = clue(dir, ["promote", "--from", "test", "--to", "prod", "--yes", "--force-window"], env);
    expect(noReason.status).toBe(64);
    const forced = clue(
      dir,
      ["promote", "--from", "test", "--to", "prod", "--yes", "--force-window", "--reason", "INC-4411 hotfix"],
      { ...env, CLUE_NOW: saturdayInSydney },
    );
    expect(forced.status, forced.stderr).toBe(0);
    const forcedRelease = (
      (await api(prod, "GET", "/api/releases?env=prod")).body as { items: { message?: string }[] }
    ).items.at(-1);
    expect(forcedRelease?.message).toContain(
      "outside the change window (Sat 12:00 Australia/Sydney), forced: INC-4411 hotfix",
    );

    // A config that is not test's release is refused.
    const file = join(dir, "config/dedup/person.yaml");
    const original = readFileSync(file, "utf8");
    writeFileSync(file, original.replace("queue_threshold: 0.85", "queue_threshold: 0.86"));
    const other = clue(dir, ["promote", "--from", "test", "--to", "prod", "--yes"], {
      ...env,
      CLUE_NOW: tuesdayInSydney,
    });
    expect(other.status).toBe(1);
    expect(other.stderr).toContain("is not test's green release");
    writeFileSync(file, original);

    const promoted = clue(dir, ["promote", "--from", "test", "--to", "prod", "--yes"], {
      ...env,
      CLUE_NOW: tuesdayInSydney,
    });
    expect(promoted.status, promoted.stderr).toBe(0);
    expect(promoted.stderr).toMatch(/promote complete on prod/);
    const releases = (await api(prod, "GET", "/api/releases?env=prod")).body as {
      items: { status: string; promoted_from?: { env: string } }[];
    };
    expect(releases.items.at(-1)).toMatchObject({ status: "green", promoted_from: { env: "test" } });
    const prodExport = (await api(prod, "GET", "/api/config/exports/warehouse-contacts-v1")).body as {
      spec: { options: { schema: string } };
    };
    // prod's own settings: no test override.
    expect(prodExport.spec.options.schema).toBe("mdm");

    // A red release on test stops promotion.
    const last =
      (
        (await api(test, "GET", "/api/releases?env=test")).body as { items: Record<string, unknown>[] }
      ).items.at(-1) ?? {};
    const { id: _id, created_at: _created, ...input } = last;
    await api(test, "POST", "/api/releases", { ...input, status: "red", message: "smoke tests failed" });
    const red = clue(dir, ["promote", "--from", "test", "--to", "prod", "--yes"], {
      ...env,
      CLUE_NOW: tuesdayInSydney,
    });
    expect(red.status).toBe(1);
    expect(red.stderr).toMatch(/test's latest release \S+ is red \(smoke tests failed\)/);
  });

  it("names the lock holder; unlock --force breaks it only with the scope locks:force", async () => {
    const server = await serve(mkdtempSync(join(tmpdir(), "clue-serve-")));
    const dir = project();
    const env = envFor(server);
    // Left by a run of ci itself: even its own client breaks it through the force path, which needs the scope.
    const lock = await api(server, "POST", "/api/locks/test", {
      holder: "someone@ci-runner-7 pid 1 (clue apply)",
    });
    expect(lock.status).toBe(201);
    const shown = clue(dir, ["unlock", "--env", "test"], env);
    expect(shown.status).toBe(1);
    expect(shown.stdout).toMatch(/test is locked by someone@ci-runner-7 pid 1 \(clue apply\) since /);
    const refused = clue(dir, ["unlock", "--env", "test", "--force"], env);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toMatch(/test is locked by someone@ci-runner-7 pid 1 \(clue apply\) since /);
    expect(refused.stderr).toContain("needs the scope locks:force");
    expect(refused.stderr).toContain('client "ci"');
    expect(clue(dir, ["unlock", "--env", "test"], env).status).toBe(1);
    const ops = { ...env, CLUE_CLIENT_ID: "ops", CLUE_CLIENT_SECRET: OPS_SECRET };
    const cleared = clue(dir, ["unlock", "--env", "test", "--force"], ops);
    expect(cleared.status, cleared.stderr).toBe(0);
    expect(cleared.stdout).toContain(`Lock ${(lock.body as { lock_id: string }).lock_id} cleared.`);
    expect(clue(dir, ["unlock", "--env", "test"], env).stdout).toBe("test is not locked.\n");
    const audit = (await api(server, "GET", "/api/audit?action=lock.release")).body as {
      items: { actor: string; detail: string }[];
    };
    expect(audit.items.some((e) => e.actor === "ops" && e.detail.endsWith("broken by force by ops"))).toBe(
      true,
    );
  });
});

describe("secrets", () => {
  it("never appear in any output, plan file, state or server data", () => {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const name of readdirSync(d)) {
        const p = join(d, name);
        if (statSync(p).isDirectory()) walk(p);
        else files.push(readFileSync(p, "utf8"));
      }
    };
    for (const s of servers) walk(s.data);
    const everything = [...printed, ...files].join("\n");
    expect(everything.length).toBeGreaterThan(1000);
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain(PROD_SECRET);
    expect(everything).not.toContain(OTHER_SECRET);
    expect(everything).not.toContain(OPS_SECRET);
  });
});
