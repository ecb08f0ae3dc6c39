import { randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { PairDetail } from "./queue.js";
import type { ReviewSession } from "./session.js";

export interface ReviewServerOptions {
  session: ReviewSession;
  /** The app's page, with the token it sends back on every request. */
  page(token: string): string;
  /** One pair as an HTML fragment (the same components as the report). */
  pair(detail: PairDetail, position: number): string;
  /** 0 for a free port. */
  port: number;
  /** Made here when not given: 32 random bytes. */
  token?: string;
}

/** The biggest request body read: a decision is a few hundred bytes. */
const MAX_BODY = 64 * 1024;
const PAGE_LIMIT = 200;

/**
 * The steward app's HTTP side, on 127.0.0.1 only. Every route — the page included — answers 403 without the
 * session's token (in the URL's `token` or an `X-Clue-Token` header), so another user of the machine who finds the
 * port can neither read the records nor decide; and a request whose Host is not this address and port is refused
 * too, so a web page cannot reach the app through a DNS name it points at 127.0.0.1 (DNS rebinding).
 */
export async function startReviewServer(
  options: ReviewServerOptions,
): Promise<{ server: Server; url: string; token: string; close(): Promise<void> }> {
  const token = options.token ?? randomBytes(32).toString("base64url");
  const expected = Buffer.from(token);
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      send(res, 500, { error: `clue review: ${error instanceof Error ? error.message : String(error)}` });
    });
  });
  let port = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const host = req.headers.host ?? "";
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`)
      return send(res, 403, { error: "forbidden: this app answers on 127.0.0.1 only" });
    const given = Buffer.from(String(req.headers["x-clue-token"] ?? url.searchParams.get("token") ?? ""));
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return send(res, 403, {
        error: "forbidden: the token is missing or wrong; open the URL clue review printed",
      });
    const { session } = options;
    const route = `${req.method ?? "GET"} ${url.pathname}`;
    switch (route) {
      case "GET /":
        return sendText(res, 200, "text/html; charset=utf-8", options.page(token));
      case "GET /api/queue": {
        const offset = Math.max(0, Number(url.searchParams.get("offset") ?? 0) || 0);
        const limit = Math.min(PAGE_LIMIT, Math.max(1, Number(url.searchParams.get("limit") ?? 50) || 50));
        return send(res, 200, {
          entity: session.entity,
          file: session.dedupFile,
          thresholds: session.thresholds,
          ...session.page(offset, limit),
        });
      }
      case "GET /api/pair": {
        const key = url.searchParams.get("key") ?? "";
        const detail = session.detail(key);
        if (!detail) return send(res, 404, { error: `the pair ${key} is not in the review queue` });
        const position = session.position(key);
        return send(res, 200, {
          key,
          position,
          decided: session.decided.get(key),
          html: options.pair(detail, position),
        });
      }
      case "POST /api/decide": {
        const body = await readJson(req);
        if (body === undefined) return send(res, 400, { error: "the request body is not a JSON object" });
        const text = (v: unknown) => (typeof v === "string" ? v : "");
        const outcome = session.decide(text(body.key), text(body.action), text(body.reason));
        if (outcome.ok) return send(res, 200, outcome);
        return send(res, outcome.status === "conflict" ? 409 : 400, { error: outcome.message });
      }
      case "POST /api/reload":
        await session.load();
        return send(res, 200, { ok: true, ...session.page(0, 0) });
      default:
        return send(res, 404, { error: `no route ${route}` });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  return {
    server,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  sendText(res, status, "application/json; charset=utf-8", JSON.stringify(body));
}

function sendText(res: ServerResponse, status: number, type: string, text: string): void {
  res.writeHead(status, {
    "content-type": type,
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
  });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk);
  }
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
