import { createServer, type Server } from "node:http";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { argumentSecrets, redactUsageMessage } from "../../src/cli/usage-redaction.js";
import { TargetError } from "../../src/target/contract.js";
import { HttpClient } from "../../src/target/http-client.js";
import { safeJsonText, safeTerminalText } from "../../src/util/terminal-text.js";

const join = (...parts: string[]): string => parts.join("");
const github = join("gh", "p_", "aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5");

/** What no sanitised text may hold: a control character but newline and tab, a workflow command, `##[`. */
function assertSafe(text: string): void {
  // eslint-disable-next-line no-control-regex -- control characters are what must not be there
  expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  for (const line of text.split("\n")) expect(line.trimStart().startsWith("::")).toBe(false);
  expect(text).not.toContain("##[");
}

describe("safeTerminalText", () => {
  it("removes escape sequences and control characters, keeping newlines, tabs and the words", () => {
    expect(safeTerminalText("\u001b[31mred\u001b[0m\tok")).toBe("red\tok");
    expect(safeTerminalText("a\u001b]0;window title\u0007b\u001b]8;;http://x\u001b\\c")).toBe("abc");
    expect(safeTerminalText("a\u009b2Jb\u009d0;t\u009cc\rd\u0000e\u202eevil")).toBe("abcdeevil");
    expect(safeTerminalText("line 1\nline 2")).toBe("line 1\nline 2");
  });

  it("neutralises workflow commands: `::` at a line's start after whitespace, and `##[` anywhere", () => {
    expect(safeTerminalText("::add-mask::x")).toBe("\\::add-mask::x");
    expect(safeTerminalText("ok\n  ::error::forged\n::set-output name=a::b")).toBe(
      "ok\n  \\::error::forged\n\\::set-output name=a::b",
    );
    // An escape or a CR cannot hide one: they are removed first, then the line is looked at.
    expect(safeTerminalText(":\u001b[0m:warning::x\r\n::debug::y")).toBe("\\::warning::x\n\\::debug::y");
    expect(safeTerminalText("x ##[error]y")).toBe("x ## [error]y");
    expect(safeTerminalText("host ::1 is fine mid-line")).toBe("host ::1 is fine mid-line");
    expect(safeTerminalText("::1", { midLine: true })).toBe("::1");
    expect(safeTerminalText("a\n::1", { midLine: true })).toBe("a\n\\::1");
  });

  it("holds for any text (property)", () => {
    const piece = fc.constantFrom(
      "\u001b",
      "[",
      "]",
      ":",
      "::",
      "#",
      "##[",
      "\n",
      "\r",
      "\t",
      " ",
      "\u0007",
      "\u009b",
      "\u009c",
      "\u009d",
      "\\",
      "a",
      "0",
      ";",
      "\u202e",
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(piece, fc.string()), { maxLength: 40 }), (pieces) => {
        const text = pieces.join("");
        assertSafe(safeTerminalText(text));
        assertSafe(safeTerminalText(text, { midLine: true }).replace(/^[^\n]*/, ""));
      }),
    );
  });

  it("runs in linear time on hostile input", () => {
    const started = Date.now();
    safeTerminalText(`\u001b]${"x".repeat(1_000_000)}`);
    safeTerminalText(`${"\n ".repeat(500_000)}::`);
    safeTerminalText("\u001b[".repeat(300_000));
    safeTerminalText("##[".repeat(300_000));
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe("safeJsonText", () => {
  it("keeps the document's meaning while escaping what a log would act on (property)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string(), (value, extra) => {
        const json = JSON.stringify({ value, extra: `##[error]${extra}\u0085\u009b` }, null, 2);
        const safe = safeJsonText(json);
        expect(JSON.parse(safe)).toEqual(JSON.parse(json));
        assertSafe(safe);
      }),
    );
  });
});

describe("usage errors", () => {
  it("find the secrets a command line holds, by option name, shape, entropy and ID:SECRET", () => {
    const secrets = argumentSecrets([
      "serve",
      "--token",
      "plain-looking-value",
      `--password=${"x".repeat(3)}yz`,
      "--client",
      "ci:hunter2hunter2:config:read",
      github,
      "--env",
      "test",
    ]);
    const message = `plain-looking-value xxxyz hunter2hunter2 ${github} test`;
    expect(secrets.mask(message)).toBe("**** **** **** **** test");
  });

  it("print option names and ordinary values as they are", () => {
    const argv = ["validate", "--format", "xml"];
    expect(redactUsageMessage('unknown format "xml"; use one of: human, json', argv)).toBe(
      'unknown format "xml"; use one of: human, json',
    );
    expect(redactUsageMessage(`Unexpected argument '${github}'`, ["plan", github])).toBe(
      "Unexpected argument '****'",
    );
  });
});

describe("HttpClient", () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise((done) => s.close(done))));
  });
  async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
    const address = server.address();
    return `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  }
  const client = (baseUrl: string) =>
    new HttpClient({
      baseUrl,
      credentials: { clientId: "ci", clientSecret: "cl1ent-secret-value", scope: undefined },
      correlationId: "c",
      maxAttempts: 3,
      sleep: () => Promise.resolve(),
    });

  it("asks for a token once when it is refused, however many requests wait for it", async () => {
    let tokenRequests = 0;
    const url = await listen((req, res) => {
      if (req.url === "/oauth/token") tokenRequests++;
      res.writeHead(401, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "invalid_client", message: "no" }));
    });
    const http = client(url);
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => http.request("GET", "/api/me")));
    expect(results.every((r) => r.status === "rejected" && r.reason instanceof TargetError)).toBe(true);
    expect(tokenRequests).toBe(1);
  });

  it("scrubs what it sent from text the server gives back", async () => {
    const url = await listen((req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ access_token: "tok-echo-1234567", expires_in: 300 }));
    });
    const http = client(url);
    await http.request("GET", "/api/me");
    expect(http.fromServer("bad tok-echo-1234567 and cl1ent-secret-value\n::add-mask::x")).toBe(
      "bad **** and ****\n\\::add-mask::x",
    );
  });
});
