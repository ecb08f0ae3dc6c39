import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { REST_KINDS, TargetError } from "../target/contract.js";
import { TokenIssuer, type Client, type Grant } from "./auth.js";
import { faultsFor } from "./faults.js";
import { handlers } from "./handlers.js";
import { BODY_LIMIT, errorReply, parseBody, readBody, send, type Reply } from "./http-io.js";
import { listenLoopback, type RunningServer } from "./http-server.js";
import { loadContract, type Operation } from "./openapi.js";
import { openStore } from "./store.js";

export interface ServeOptions {
  /** 0: an ephemeral port. */
  port: number;
  dataDir: string;
  clients: Client[];
  /** Delay before every /api answer. */
  latencyMs?: number;
  /** The fraction of /api calls answered 503 (see faultPlan). */
  failRate?: number;
  /** /api calls a second per client; undefined: no limit. */
  rateLimit?: number;
  tokenTtlSeconds?: number;
  seed?: number;
  /** Where the access log goes (one line per request); stderr by default. */
  log?: (line: string) => void;
}

export type { RunningServer } from "./http-server.js";

const CORRELATION_ID = /^[A-Za-z0-9._:/+=-]{1,200}$/;

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const contract = loadContract();
  const store = await openStore(options.dataDir);
  const context = { store, tokens: new TokenIssuer(options.clients, options.tokenTtlSeconds ?? 3600) };
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const { nextFault, limit } = faultsFor(options, log);

  async function handle(
    request: IncomingMessage,
    response: ServerResponse,
    stopping: boolean,
  ): Promise<void> {
    const started = performance.now();
    const given = request.headers["x-correlation-id"];
    const correlationId = typeof given === "string" && CORRELATION_ID.test(given) ? given : randomUUID();
    const pathname = safePathname(request.url);
    let client = "-";
    let reply: Reply;
    try {
      if (stopping) {
        response.setHeader("Connection", "close");
        reply = errorReply(503, "unavailable", "the server is shutting down", {}, { "Retry-After": "1" });
      } else {
        reply = await route(request, pathname, (grant) => (client = grant.clientId), correlationId);
      }
    } catch (error) {
      reply = failure(error, log);
    }
    if (reply.status === 413) response.setHeader("Connection", "close");
    if (reply.body !== undefined && reply.status >= 400)
      reply = { ...reply, body: { ...(reply.body as object), correlation_id: correlationId } };
    response.setHeader("X-Correlation-Id", correlationId);
    await send(response, reply);
    const ms = Math.round(performance.now() - started);
    // Never the query string, headers or body: that is where tokens and secrets travel.
    log(
      `${new Date().toISOString()} ${request.method} ${pathname} ${reply.status} ${ms}ms client=${client} correlation_id=${correlationId}`,
    );
  }

  async function route(
    request: IncomingMessage,
    pathname: string,
    identify: (grant: Grant) => void,
    correlationId: string,
  ): Promise<Reply> {
    const method = request.method ?? "GET";
    const matches = contract.operations.flatMap((op) => {
      const params = op.match(pathname);
      return params ? [{ op, params }] : [];
    });
    if (matches.length === 0) return errorReply(404, "not_found", `no such path: ${pathname}`);
    const found = matches.find((m) => m.op.method === method);
    if (!found) {
      const allow = matches.map((m) => m.op.method).join(", ");
      return errorReply(
        405,
        "method_not_allowed",
        `${method} is not allowed on ${pathname}; use ${allow}`,
        {},
        { Allow: allow },
      );
    }
    const { op, params } = found;
    const api = pathname.startsWith("/api/");
    if (api && options.latencyMs) await new Promise((done) => setTimeout(done, options.latencyMs));
    let grant: Grant | undefined;
    if (op.authenticated) {
      const result = authenticate(request.headers.authorization);
      if ("status" in result) return result;
      grant = result;
      identify(grant);
      const wait = limit?.(grant.clientId) ?? 0;
      if (wait > 0)
        return errorReply(
          429,
          "rate_limited",
          `over ${options.rateLimit} requests a second; retry in ${wait} s`,
          {},
          { "Retry-After": String(wait) },
        );
      if (op.scope && !grant.scopes.includes(op.scope)) return forbidden(op);
    }
    const fault = api ? nextFault() : "none";
    if (fault === "before")
      return errorReply(
        503,
        "unavailable",
        "injected failure (--fail-rate) before the request was processed",
        {},
        { "Retry-After": "0" },
      );
    if (params.kind !== undefined && !(REST_KINDS as readonly string[]).includes(params.kind))
      return errorReply(
        404,
        "unknown_kind",
        `unknown kind "${params.kind}"; kinds: ${REST_KINDS.join(", ")}`,
      );
    const body = parseBody(
      await readBody(request, BODY_LIMIT),
      request.headers["content-type"],
      op.operationId === "issueToken",
    );
    const query = queryOf(request.url);
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(request.headers))
      headers[name] = Array.isArray(value) ? value.join(", ") : value;
    const checked = contract.validate(op.operationId, { path: params, query, headers, body });
    if (checked.problems.length > 0)
      return errorReply(400, "invalid_request", `invalid request: ${checked.problems.join("; ")}`);
    const handler = handlers[op.operationId];
    if (!handler) throw new Error(`no handler for ${op.operationId}`);
    const idempotencyKey = request.headers["idempotency-key"];
    const reply = await handler(
      {
        params,
        query: checked.query,
        headers: request.headers,
        body,
        grant,
        meta: {
          actor: grant?.clientId ?? "-",
          correlationId,
          idempotencyKey: typeof idempotencyKey === "string" ? idempotencyKey : null,
        },
      },
      context,
    );
    if (fault === "after")
      return errorReply(
        503,
        "unavailable",
        "injected failure (--fail-rate) after the request was processed: its answer was lost",
        {},
        { "Retry-After": "0" },
      );
    return reply;
  }

  function authenticate(header: string | undefined): Grant | Reply {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "")?.[1];
    if (!token)
      return errorReply(
        401,
        "unauthorized",
        "send Authorization: Bearer <token> (from POST /oauth/token)",
        {},
        { "WWW-Authenticate": 'Bearer realm="clue"' },
      );
    const grant = context.tokens.verify(token);
    if (grant === undefined || grant === "expired") {
      const why =
        grant === "expired"
          ? "the token has expired"
          : "the token is not known (the server may have restarted)";
      return errorReply(
        401,
        "invalid_token",
        `${why}; get a new one from POST /oauth/token`,
        {},
        {
          "WWW-Authenticate": `Bearer realm="clue", error="invalid_token", error_description="${why}"`,
        },
      );
    }
    return grant;
  }

  return listenLoopback(options.port, { handle, release: () => store.close(), log });
}

function forbidden(op: Operation): Reply {
  const scope = op.scope as string;
  return errorReply(
    403,
    "insufficient_scope",
    `${op.method} ${op.path} needs the scope ${scope}`,
    { required_scope: scope },
    {
      "WWW-Authenticate": `Bearer realm="clue", error="insufficient_scope", scope="${scope}"`,
    },
  );
}

function failure(error: unknown, log: (line: string) => void): Reply {
  if (error instanceof TargetError)
    return errorReply(error.status, error.code, error.message, { ...error.extra });
  if (error instanceof URIError)
    return errorReply(400, "invalid_request", "the path is not valid percent-encoding");
  log(`internal error: ${error instanceof Error ? error.message : String(error)}`);
  return errorReply(500, "internal_error", "the server failed to answer; this is a bug in clue serve");
}

function safePathname(url: string | undefined): string {
  try {
    return new URL(url ?? "/", "http://localhost").pathname;
  } catch {
    return "/";
  }
}

/** A parameter given twice is refused rather than one of its values silently picked. */
function queryOf(url: string | undefined): Record<string, string> {
  const query: Record<string, string> = {};
  const seen = new Set<string>();
  for (const [name, value] of new URL(url ?? "/", "http://localhost").searchParams) {
    if (seen.has(name))
      throw new TargetError(400, "invalid_request", `query parameter ${name} is given twice`);
    seen.add(name);
    query[name] = value;
  }
  return query;
}
