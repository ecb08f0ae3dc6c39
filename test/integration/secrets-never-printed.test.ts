import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readScenario } from "../cli/scenario.js";
import { call, startServe, token, type ServeProcess } from "./serve-process.js";

const repo = new URL("../../", import.meta.url);
const bin = new URL("bin/clue.js", repo).pathname;
// Two scenarios full of secrets, laid out by hand here so that every output format can be checked against them.
const cases = [
  {
    scenario: "secrets",
    secrets: [
      "Sup3rS3cret!",
      "correct-horse-battery-staple",
      "c2lnbmF0dXJlLXNpZ25hdHVyZQ",
      "AKIAIOSFODNN7EXAMPLE",
      "9f8e7d6c5b4a39281706f5e4d3c2b1a0",
      "q83vEXAMPLEkey",
      "ghp_aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5",
    ],
  },
  {
    scenario: "secrets-everywhere",
    secrets: [
      "ghp_aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5",
      "ghp_zZ9yY8xX7wW6vV5uU4tT3sS2rR1qQ0pP9oO8",
      "hunter2hunter2",
      "xoxb-123456789012-abcdefghijklmnop",
      "AKIAIOSFODNN7EXAMPLE",
    ],
  },
  {
    scenario: "secrets-side-doors",
    secrets: [
      "ghp_K3yTagPrefix0123456789abcdefghijklmn",
      "ghp_aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5",
      "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
      "ghp_zZ9yY8xX7wW6vV5uU4tT3sS2rR1qQ0pP9oO8",
      "ghp_yY8xX7wW6vV5uU4tT3sS2rR1qQ0pP9oO8nN7",
      "AKIAIOSFODNN7EXAMPLE",
      "hunter2hunter2",
      "correct horse battery",
      "s3ss10n-s3cr3t",
    ],
  },
];
/** Fragments of the secrets above, long enough that finding one in the output means part of a secret leaked. */
const fragments = (secret: string) => [secret.slice(0, 12), secret.slice(-12)];

describe.each(cases)("secrets never appear in output: $scenario", ({ scenario: name, secrets }) => {
  const scenario = readScenario(new URL(`test/scenarios/validate/${name}.scenario`, repo).pathname);
  let dir = "";
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "clue-secrets-"));
    cpSync(new URL("test/fixtures/minimal/", repo).pathname, dir, { recursive: true });
    for (const s of scenario.sections.filter((s) => s.name === "file")) {
      const path = join(dir, s.args[0] ?? "");
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, s.body);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("the fixture really holds the secrets", () => {
    const text = scenario.sections.map((s) => s.body).join("");
    for (const secret of secrets) expect(text).toContain(secret);
  });

  it.each(["human", "json", "github", "sarif"])("--format %s", (format) => {
    const summary = join(dir, `summary-${format}.md`);
    writeFileSync(summary, "");
    const result = spawnSync(process.execPath, [bin, "validate", "--format", format], {
      cwd: dir,
      encoding: "utf8",
      env: { PATH: process.env.PATH, GITHUB_STEP_SUMMARY: summary },
    });
    expect(result.status).toBe(1);
    const everything = result.stdout + result.stderr + readFileSync(summary, "utf8");
    expect(everything).toContain("security/");
    for (const secret of secrets) {
      expect(everything).not.toContain(secret);
      for (const part of fragments(secret)) expect(everything).not.toContain(part);
    }
  });
});

describe("a secret used as a key is masked in the path of the findings under it", () => {
  it("json and the github job summary give the path with the key masked", () => {
    const dir = mkdtempSync(join(tmpdir(), "clue-secret-key-"));
    try {
      cpSync(new URL("test/fixtures/minimal/", repo).pathname, dir, { recursive: true });
      mkdirSync(join(dir, "config/webhooks"), { recursive: true });
      writeFileSync(
        join(dir, "config/webhooks/w.yaml"),
        "name: w\nevents: [export.succeeded]\nurl: https://hooks.example.com/x\nheaders:\n  sk_live_4eC39HqLyjWDarjtT1zdp7dc: { nested: 1 }\n",
      );
      const json = spawnSync(process.execPath, [bin, "validate", "--format", "json"], {
        cwd: dir,
        encoding: "utf8",
      });
      const found = (JSON.parse(json.stdout) as { diagnostics: { code: string; path: unknown[] }[] })
        .diagnostics;
      expect(found.find((d) => d.code === "schema/unknown-property")?.path).toEqual([
        "headers",
        "****",
        "nested",
      ]);
      const summary = join(dir, "summary.md");
      writeFileSync(summary, "");
      spawnSync(process.execPath, [bin, "validate", "--format", "github"], {
        cwd: dir,
        encoding: "utf8",
        env: { PATH: process.env.PATH, GITHUB_STEP_SUMMARY: summary },
      });
      expect(readFileSync(summary, "utf8")).toContain("(headers.****.nested)");
      expect(json.stdout + readFileSync(summary, "utf8")).not.toContain("sk_live_");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("usage errors never repeat a secret typed on the command line", () => {
  const gh = "ghp_aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5";
  const cases: { args: string[]; secret: string }[] = [
    { args: ["plan", "--env", "test", gh], secret: gh },
    { args: [gh], secret: gh },
    { args: ["validate", "--format", gh], secret: gh },
    { args: ["validate", `--${gh}`], secret: gh },
    // Not shaped like a GitHub token (no word boundary before `ghp_`): caught by its entropy.
    { args: ["validate", "--fail-severity", `x${gh}`], secret: gh },
    { args: ["apply", "--env", "test", "--lock-wait", gh], secret: gh },
    { args: ["plan", "--env", "https://ops:Sup3rS3cretPass@example.com/x"], secret: "Sup3rS3cretPass" },
    { args: ["serve", "--port", "0", "--fail-rate", gh, "--client", "ci:hunter2hunter2"], secret: gh },
    // A forgotten `--client` leaves ID:SECRET as a stray argument, which the parser quotes back.
    { args: ["serve", "--port", "0", "--client", "ci:a", "ci2:hunter2hunter2"], secret: "hunter2hunter2" },
    { args: ["serve", "--port", "0", "ci:hunter2hunter2"], secret: "hunter2hunter2" },
  ];
  it.each(cases)("clue $args.0 … exits 64 without printing it", ({ args, secret }) => {
    const dir = new URL("test/fixtures/minimal/", repo).pathname;
    const result = spawnSync(process.execPath, [bin, ...args], {
      cwd: dir,
      encoding: "utf8",
      env: { PATH: process.env.PATH },
      timeout: 20_000,
    });
    expect(result.status).toBe(64);
    expect(result.stderr).toMatch(/^clue: /);
    expect(result.stdout + result.stderr).not.toContain(secret);
    for (const part of fragments(secret)) expect(result.stdout + result.stderr).not.toContain(part);
  });
});

/** Runs the CLI without blocking this process, whose event loop serves the fake targets. */
function clueAsync(
  cwd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [bin, ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
  child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
  return new Promise((done) => child.on("close", (status) => done({ status, stdout, stderr })));
}

interface Received {
  method: string;
  url: string;
  authorization: string | undefined;
  body: string;
}

/** A fake target on 127.0.0.1: every request is recorded, then answered by `answer`. */
async function fakeTarget(
  answer: (req: Received, res: ServerResponse) => void,
): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = "";
    req.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      const r = {
        method: req.method ?? "",
        url: req.url ?? "",
        authorization: req.headers.authorization,
        body,
      };
      received.push(r);
      answer(r, res);
    });
  });
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

const CLIENT_SECRET = "cl1ent-Secret-Never-Printed-4f3e2d1c";
/** Opaque on purpose: no credential shape gives it away, only knowing that it was sent. */
const ACCESS_TOKEN = "opaque7Qx9Lm2Vb8Nc4Kd1Zt6";

/** The minimal project with a `test` environment on a REST target whose URL and credentials come from variables. */
function targetProject(): string {
  const dir = mkdtempSync(join(tmpdir(), "clue-secret-target-"));
  cpSync(new URL("test/fixtures/minimal/", repo).pathname, dir, { recursive: true });
  writeFileSync(
    join(dir, "env/test.yaml"),
    [
      "name: test",
      "target:",
      "  type: clue-server",
      "  url: { from_env: CLUE_HOST }",
      "  auth:",
      "    type: client_credentials",
      "    client_id: { from_env: CLUE_CLIENT_ID }",
      "    client_secret: { from_env: CLUE_CLIENT_SECRET }",
      '    scope: "config:read config:write"',
      "",
    ].join("\n"),
  );
  return dir;
}

function targetEnv(url: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    CLUE_HOST: url,
    CLUE_CLIENT_ID: "ci",
    CLUE_CLIENT_SECRET: CLIENT_SECRET,
    CLUE_HTTP_MAX_ATTEMPTS: "2",
  };
}

describe("the HTTP client never follows a redirect with credentials", () => {
  let dir = "";
  beforeAll(() => (dir = targetProject()));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("a 307 on the token request to another origin: refused, the other origin gets nothing", async () => {
    const elsewhere = await fakeTarget((_, res) =>
      json(res, 200, { access_token: "stolen", expires_in: 300 }),
    );
    const target = await fakeTarget((req, res) => {
      res.writeHead(307, { location: `${elsewhere.url}${req.url}` });
      res.end();
    });
    try {
      const result = await clueAsync(dir, ["plan", "--env", "test"], targetEnv(target.url));
      expect(elsewhere.received).toEqual([]);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(`answered 307 with a redirect to ${elsewhere.url}`);
      expect(result.stderr).toContain("never follows redirects");
      expect(result.stdout + result.stderr).not.toContain(CLIENT_SECRET);
      // Refused at once and not asked again: a redirect is no transient failure worth retrying.
      expect(target.received).toHaveLength(1);
    } finally {
      await Promise.all([target.close(), elsewhere.close()]);
    }
  });

  it("a 302 on an API call to another origin: refused, the bearer token goes nowhere else", async () => {
    const elsewhere = await fakeTarget((_, res) => json(res, 200, { items: [], next_cursor: null }));
    const target = await fakeTarget((req, res) => {
      if (req.url === "/oauth/token") return json(res, 200, { access_token: ACCESS_TOKEN, expires_in: 300 });
      res.writeHead(302, { location: `${elsewhere.url}${req.url}` });
      res.end();
    });
    try {
      const result = await clueAsync(dir, ["plan", "--env", "test"], targetEnv(target.url));
      expect(elsewhere.received).toEqual([]);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(
        /GET \/api\/config\/\S+: the target answered 302 with a redirect to http:\/\/127/,
      );
      expect(result.stdout + result.stderr).not.toContain(ACCESS_TOKEN);
    } finally {
      await Promise.all([target.close(), elsewhere.close()]);
    }
  });

  it("a 308 to another path of the same origin: not followed either, the secret is sent once", async () => {
    const target = await fakeTarget((req, res) => {
      if (req.url === "/oauth/token") {
        res.writeHead(308, { location: "/login/oauth/token" });
        return res.end();
      }
      json(res, 200, { access_token: ACCESS_TOKEN, expires_in: 300 });
    });
    try {
      const result = await clueAsync(dir, ["plan", "--env", "test"], targetEnv(target.url));
      expect(target.received.map((r) => r.url)).toEqual(["/oauth/token"]);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(`redirect to another path on ${target.url}`);
    } finally {
      await target.close();
    }
  });
});

/** What a hostile or broken target might put in a text clue prints. */
const HOSTILE =
  "\u001b[31mred\u001b[0m \u001b]0;title\u0007\u009b2J\r\n::add-mask::x\n  ::error::forged\n##[warning]v1";

function expectSafe(output: string): void {
  // eslint-disable-next-line no-control-regex -- control characters are what must not be there
  expect(output).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  expect(output).not.toMatch(/^\s*::/m);
  expect(output).not.toContain("##[");
}

describe("text from a target is scrubbed before clue prints it", () => {
  let dir = "";
  beforeAll(() => (dir = targetProject()));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("an error message echoing the bearer token, escapes and workflow commands", async () => {
    const target = await fakeTarget((req, res) => {
      if (req.url === "/oauth/token") return json(res, 200, { access_token: ACCESS_TOKEN, expires_in: 300 });
      json(res, 400, {
        error: "bad_request",
        message: `invalid token ${req.authorization ?? ""} (${ACCESS_TOKEN}) ${HOSTILE}`,
        correlation_id: null,
      });
    });
    try {
      const result = await clueAsync(dir, ["plan", "--env", "test"], targetEnv(target.url));
      expect(target.received.some((r) => r.authorization === `Bearer ${ACCESS_TOKEN}`)).toBe(true);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain("invalid token");
      expect(result.stdout + result.stderr).not.toContain(ACCESS_TOKEN);
      expectSafe(result.stdout + result.stderr);
    } finally {
      await target.close();
    }
  });

  it("a refused token request whose message echoes the client secret", async () => {
    const target = await fakeTarget((req, res) =>
      json(res, 401, {
        error: "invalid_client",
        message: `secret ${(JSON.parse(req.body) as { client_secret: string }).client_secret} is wrong ${HOSTILE}`,
        correlation_id: null,
      }),
    );
    try {
      const result = await clueAsync(dir, ["plan", "--env", "test"], targetEnv(target.url));
      expect(result.status).toBe(1);
      expect(result.stderr).toContain("is wrong");
      expect(result.stdout + result.stderr).not.toContain(CLIENT_SECRET);
      expectSafe(result.stdout + result.stderr);
    } finally {
      await target.close();
    }
  });

  describe("a lock holder's name set by another client of clue serve", () => {
    let server: ServeProcess | undefined;
    const data = mkdtempSync(join(tmpdir(), "clue-secret-serve-"));
    beforeAll(async () => {
      server = await startServe(data, [
        "--client",
        `ci:${CLIENT_SECRET}`,
        "--client",
        "other:0ther-Secret-1234",
      ]);
      const other = await token(server.url, "other", "0ther-Secret-1234");
      const answer = await call(server.url, "POST", "/api/locks/test", {
        token: other,
        body: { holder: `mallory ${HOSTILE}`, reason: `because ${HOSTILE}` },
      });
      expect(answer.status).toBe(201);
    });
    afterAll(async () => {
      await server?.stop();
      rmSync(data, { recursive: true, force: true });
    });

    it.each([
      ["unlock", "--env", "test"],
      ["apply", "--env", "test", "--yes"],
    ])("clue %s shows the holder without escapes or workflow commands", async (...args) => {
      const result = await clueAsync(dir, args, targetEnv(server?.url ?? ""));
      expect(result.status).toBe(1);
      expect(result.stdout + result.stderr).toContain("locked by mallory");
      expectSafe(result.stdout + result.stderr);
    });
  });
});
