import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { mulberry32 } from "../../src/util/mulberry32.js";
import {
  call,
  requestHoldingBody,
  startServe,
  token,
  transcript,
  until,
  type ServeProcess,
  listFiles,
} from "./serve-process.js";

// Fault injection and crash safety of the real `clue serve` (spawned from bin/clue.js; `npm run build` first).
const SECRET = "faults-S3cret-0b9e1d";
const CLIENT = ["--client", `ci:${SECRET}`];
const dirs: string[] = [];
const servers: ServeProcess[] = [];
const issued: string[] = [];

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "clue-serve-faults-"));
  dirs.push(dir);
  return dir;
}

async function serve(data: string, args: string[] = []): Promise<{ server: ServeProcess; token: string }> {
  const server = await startServe(data, [...CLIENT, ...args]);
  servers.push(server);
  const t = await token(server.url, "ci", SECRET);
  issued.push(t);
  return { server, token: t };
}

afterAll(async () => {
  for (const server of servers)
    if (server.child.exitCode === null && server.child.signalCode === null) await server.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe("fault injection", () => {
  it("--fail-rate 1 answers every /api call 503, and never the token endpoint", async () => {
    const { server, token: t } = await serve(freshDir(), ["--fail-rate", "1"]);
    const answer = await call(server.url, "GET", "/api/me", { token: t });
    expect([answer.status, answer.body.error]).toEqual([503, "unavailable"]);
    expect(answer.headers.get("retry-after")).not.toBeNull();
    await server.stop();
  });

  it("--rate-limit N answers 429 with Retry-After beyond N calls a second", async () => {
    const { server, token: t } = await serve(freshDir(), ["--rate-limit", "1"]);
    // The bucket holds 1 call and refills 1 a second, so over the T seconds these take at most 1 + T pass: how many
    // are refused follows from the time they took, however slowly a busy machine answers them.
    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => call(server.url, "GET", "/api/me", { token: t })),
    );
    const seconds = (performance.now() - started) / 1000;
    const limited = answers.filter((a) => a.status === 429);
    expect(answers.length - limited.length).toBeLessThanOrEqual(1 + Math.ceil(seconds));
    expect(limited.length).toBeGreaterThan(0);
    expect(Number(limited[0]?.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(limited[0]?.body.error).toBe("rate_limited");
    await server.stop();
  });

  it("--latency delays /api answers", async () => {
    const { server, token: t } = await serve(freshDir(), ["--latency", "150"]);
    const started = performance.now();
    expect((await call(server.url, "GET", "/api/me", { token: t })).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    await server.stop();
  });

  it("writes retried with their Idempotency-Key through --fail-rate 0.5 are each applied exactly once", async () => {
    const { server, token: t } = await serve(freshDir(), ["--fail-rate", "0.5", "--seed", "42"]);
    const messages: string[] = [];
    for (let i = 0; i < 12; i++) {
      const key = randomUUID();
      let answer;
      // If-None-Match: * makes a second application visible: without the key it would be 412.
      do {
        answer = await call(server.url, "PUT", `/api/config/contracts/c${i}`, {
          token: t,
          body: { spec: { i } },
          headers: { "Idempotency-Key": key, "If-None-Match": "*" },
        });
        if (answer.status === 503) messages.push(answer.body.message as string);
      } while (answer.status === 503);
      expect([answer.status, answer.body.version]).toEqual([201, 1]);
    }
    // Both kinds of injected failure happened: before the work, and after it with the answer lost.
    expect(messages.some((m) => m.includes("before"))).toBe(true);
    expect(messages.some((m) => m.includes("after"))).toBe(true);
    let audit;
    do audit = await call(server.url, "GET", "/api/audit?action=resource.create", { token: t });
    while (audit.status === 503);
    expect((audit.body.items as unknown[]).length).toBe(12);
    await server.stop();
  });
});

describe("shutdown", () => {
  it("finishes a write in flight on SIGTERM, then exits 0 with the write durable", async () => {
    const data = freshDir();
    const first = await serve(data);
    // In flight for certain: the server has taken the request in, and its body only comes after the SIGTERM.
    const write = requestHoldingBody(first.server.url, "PUT", "/api/config/exports/late", {
      token: first.token,
      body: { spec: { late: true } },
    });
    await write.taken;
    const stopped = first.server.stop();
    await until("the server to start stopping", () => first.server.stderr().includes("SIGTERM, finishing"));
    write.send();
    expect((await write.answer).status).toBe(201);
    expect(await stopped).toBe(0);
    const second = await serve(data);
    const read = await call(second.server.url, "GET", "/api/config/exports/late", { token: second.token });
    expect(read.body.spec).toEqual({ late: true });
    await second.server.stop();
  });
});

describe("crash safety", () => {
  it("keeps every acknowledged write through kill -9 in the middle of bursts, and reopens cleanly", async () => {
    const data = freshDir();
    const random = mulberry32(20261122);
    /** Per resource: the writes acknowledged (or settled after a crash), and the last one's version and value. */
    const acked = new Map<string, { writes: number; version: number; n: number }>();
    let pending: { name: string; key: string; n: number }[] = [];
    let counter = 0;
    const written: number[] = [];
    const put = (url: string, t: string, w: { name: string; key: string; n: number }) =>
      call(url, "PUT", `/api/config/entities/${w.name}`, {
        token: t,
        body: { spec: { n: w.n } },
        headers: { "Idempotency-Key": w.key },
      });
    const record = (name: string, version: number, n: number) => {
      const before = acked.get(name);
      acked.set(name, { writes: (before?.writes ?? 0) + 1, version, n });
    };

    for (let round = 0; round <= 8; round++) {
      const { server, token: t } = await serve(data);
      // A write in flight when the server died is retried with its key: applied once, whether or not it landed.
      for (const w of pending) {
        const answer = await put(server.url, t, w);
        expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(300);
        record(w.name, answer.body.version as number, w.n);
      }
      pending = [];
      for (const [name, want] of acked) {
        const got = await call(server.url, "GET", `/api/config/entities/${name}`, { token: t });
        expect([name, got.body.version, (got.body.spec as { n: number }).n]).toEqual([
          name,
          want.version,
          want.n,
        ]);
        expect(want.version).toBe(want.writes);
      }
      if (round === 8) {
        const audit = await call(server.url, "GET", "/api/audit", { token: t });
        const items = audit.body.items as { name: string; version: number }[];
        for (const [name, want] of acked) {
          const versions = items.filter((e) => e.name === name).map((e) => e.version);
          expect(versions).toEqual(Array.from({ length: want.version }, (_, i) => i + 1));
        }
        expect(listFiles(data).filter((f) => f.endsWith(".tmp"))).toEqual([]);
        await server.stop();
        break;
      }
      const workers = [0, 1, 2, 3].map(async (worker) => {
        for (;;) {
          // Each worker owns three names and cycles through them across rounds, so every name gets written.
          const i = (written[worker] = (written[worker] ?? 0) + 1);
          const w = { name: `crash-${worker}-${i % 3}`, key: randomUUID(), n: ++counter };
          let answer;
          try {
            answer = await put(server.url, t, w);
          } catch {
            // The server died under this write: it may or may not have landed.
            pending.push(w);
            return;
          }
          expect(answer.status).toBeLessThan(300);
          record(w.name, answer.body.version as number, w.n);
        }
      });
      await new Promise((done) => setTimeout(done, 30 + random() * 120));
      await server.kill9();
      await Promise.all(workers);
    }
    expect(acked.size).toBe(12);
  }, 60_000);
});

describe("secrets", () => {
  it("never appear in stdout, stderr or the data folders", () => {
    const output = transcript.join("\n");
    expect(output).toContain("listening on");
    const files = dirs.flatMap(listFiles).map((file) => readFileSync(file, "utf8"));
    for (const secret of [SECRET, ...issued]) {
      expect(output).not.toContain(secret);
      for (const text of files) expect(text).not.toContain(secret);
    }
  });
});
