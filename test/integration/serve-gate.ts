import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A loopback proxy between a clue CLI and `clue serve` that a test can stop at an exact request. Tests that kill a
 * process "mid-apply" used to wait until a few writes had landed and then kill, hoping the apply was not already
 * done: on a busy machine it sometimes was. Holding the apply's Nth write here makes "mid-apply" certain.
 */
export interface Gate {
  url: string;
  /** Where requests go; a test points it at a restarted server. */
  upstream: string;
  /**
   * From the `nth` request `matches` accepts (1-based), holds every matching one: `"request"` before it reaches
   * the server, `"response"` after the server answered (the write is committed; its answer is not delivered).
   * Resolves once the first is held, so the test knows exactly how far the client got.
   */
  holdFrom(
    nth: number,
    matches: (method: string, path: string) => boolean,
    at: "request" | "response",
  ): Promise<void>;
  /** Cuts the held connections (the client sees the connection drop) and lets everything through again. */
  reset(): void;
  close(): Promise<void>;
}

interface Hold {
  nth: number;
  matches: (method: string, path: string) => boolean;
  at: "request" | "response";
  seen: number;
  held: ServerResponse[];
  engaged: () => void;
}

export async function startGate(upstream: string): Promise<Gate> {
  let hold: Hold | undefined;
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readAll(req);
      const method = req.method ?? "GET";
      const path = req.url ?? "/";
      const h = hold;
      const stop = h !== undefined && h.matches(method, path) && ++h.seen >= h.nth ? h : undefined;
      if (stop?.at === "request") return keep(stop, res);
      const answer = await forward(gate.upstream, req, body).catch(() => undefined);
      if (!answer) return void res.destroy();
      if (stop?.at === "response") return keep(stop, res);
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    })();
  });
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  const gate: Gate = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    upstream,
    holdFrom(nth, matches, at) {
      return new Promise<void>((engaged) => (hold = { nth, matches, at, seen: 0, held: [], engaged }));
    },
    reset() {
      const held = hold?.held ?? [];
      hold = undefined;
      for (const res of held) res.destroy();
    },
    async close() {
      gate.reset();
      server.closeAllConnections();
      await new Promise<void>((closed) => server.close(() => closed()));
    },
  };
  return gate;
}

/** Headers about one connection, not the answer: the gate makes its own. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding"]);

function keep(hold: Hold, res: ServerResponse): void {
  hold.held.push(res);
  if (hold.held.length === 1) hold.engaged();
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((done, failed) => {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => done(Buffer.concat(chunks)));
    stream.on("error", failed);
  });
}

function forward(
  upstream: string,
  req: IncomingMessage,
  body: Buffer,
): Promise<{ status: number; headers: Record<string, string | string[]>; body: Buffer }> {
  const target = new URL(req.url ?? "/", upstream);
  const headers = { ...req.headers, host: target.host };
  return new Promise((done, failed) => {
    const out = httpRequest(target, { method: req.method, headers, agent: false }, (answer) => {
      readAll(answer).then((text) => {
        const kept: Record<string, string | string[]> = {};
        for (const [name, value] of Object.entries(answer.headers))
          if (value !== undefined && !HOP_BY_HOP.has(name)) kept[name] = value;
        done({ status: answer.statusCode ?? 502, headers: kept, body: text });
      }, failed);
    });
    out.on("error", failed);
    out.end(body);
  });
}
