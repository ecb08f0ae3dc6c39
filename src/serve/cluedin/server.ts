import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import { TargetError } from "../../target/contract.js";
import { faultsFor } from "../faults.js";
import { BODY_LIMIT, parseBody, readBody, send, type Reply } from "../http-io.js";
import { openJournal } from "../journal.js";
import { listenLoopback, type RunningServer } from "../http-server.js";
import { Authority, type Principal } from "./auth.js";
import { tickClock } from "./clock.js";
import { problem, type Context } from "./common.js";
import { loadEntities } from "./entities.js";
import { bindRoutes, type BoundRoute } from "./routes.js";
import { loadPublishedOperations } from "./schemas.js";
import { openCluedinStore } from "./store.js";
import { tokenEndpoint } from "./token-endpoint.js";

export interface CluedinServeOptions {
  port: number;
  dataDir: string;
  /** The organisation's name: the token endpoint's client_id and the tokens' OrganizationName. */
  organisation: string;
  users: { email: string; password: string; readOnly: boolean }[];
  apiTokens: { token: string; readOnly: boolean }[];
  tokenTtlSeconds?: number;
  latencyMs?: number;
  failRate?: number;
  rateLimit?: number;
  seed?: number;
  log?: (line: string) => void;
}

/** One line of `DIR/requests.jsonl`: what was asked and whether it conformed to the published schemas. */
export interface RequestLogLine {
  method: string;
  path: string;
  /** `METHOD template` of the published operation, or null for a path the stand-in does not serve. */
  operation: string | null;
  /** The request body's published schema, or null when the operation takes none. */
  schema: string | null;
  valid: boolean;
  status: number;
  /** The fields that did not conform, when any. */
  problems?: string[];
}

/** What the platform's `GET /api/status` answers in `x-cluedin-version`; the toolkit refuses below 3.7.0. */
export const PLATFORM_VERSION = "4.5.0";

/**
 * A local stand-in for the part of CluedIn's API the `cluedin` target uses. The server's root plays the
 * organisation's URL: the identity server under `/auth`, WebApi under `/api` (so the published `/api/v1/rules` is
 * served at `/api/api/v1/rules`, the doubled prefix hosted instances have).
 */
export async function startCluedinServer(options: CluedinServeOptions): Promise<RunningServer> {
  const routes = bindRoutes(loadPublishedOperations());
  const entities = await loadEntities(join(options.dataDir, "entities.json"));
  const store = await openCluedinStore(options.dataDir);
  const { journal: requests } = await openJournal<RequestLogLine>(
    join(options.dataDir, "requests.jsonl"),
  ).catch(async (error: unknown) => {
    await store.close();
    throw error;
  });
  // Appends one at a time: the journal writes each line at the end it last knew of.
  let logTail: Promise<void> = Promise.resolve();
  const logRequest = (line: RequestLogLine) =>
    (logTail = logTail.then(() => requests.append(line)).catch(() => undefined));
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const { nextFault, limit } = faultsFor(options, log);
  let base = "";
  const authority = new Authority(
    options.organisation,
    options.users,
    options.apiTokens,
    options.tokenTtlSeconds ?? 3600,
    () => `${base}/auth`,
  );
  const context: Context = {
    store,
    now: tickClock(),
    organisationId: authority.organisationId,
    entities,
  };

  async function handle(
    request: IncomingMessage,
    response: ServerResponse,
    stopping: boolean,
  ): Promise<void> {
    const started = performance.now();
    const url = new URL(request.url ?? "/", "http://localhost");
    const method = request.method ?? "GET";
    let reply: Reply;
    let entry: RequestLogLine | undefined;
    try {
      if (stopping) {
        response.setHeader("Connection", "close");
        reply = problem(503, "Service Unavailable", "the server is shutting down", undefined, {
          "Retry-After": "1",
        });
      } else if (url.pathname === "/auth/connect/token" && method === "POST") {
        const body = parseBody(await readBody(request, BODY_LIMIT), request.headers["content-type"], true);
        const form = body !== null && typeof body === "object" ? (body as Record<string, string>) : {};
        reply = tokenEndpoint(form, authority);
        // The grant only: never a password, username or token.
        entry = {
          method,
          path: url.pathname,
          operation: `token ${form.grant_type ?? "-"}`,
          schema: null,
          valid: true,
          status: 0,
        };
      } else if (url.pathname === "/api/status" && method === "GET") {
        reply = { status: 200, body: {}, headers: { "x-cluedin-version": PLATFORM_VERSION } };
      } else if (url.pathname.startsWith("/api/api/")) {
        const outcome = await webApi(request, method, url);
        reply = outcome.reply;
        entry = outcome.entry;
      } else if (url.pathname.startsWith("/api/")) {
        // WebApi without its own /api prefix lands on its greedy GET /{id}: the tell of a misconfigured api_url.
        reply = problem(400, "Cannot retrieve entity info with an invalid GUID");
        entry = { method, path: url.pathname, operation: null, schema: null, valid: false, status: 0 };
      } else {
        reply = problem(404, "Not Found", `no such path: ${url.pathname}`);
      }
    } catch (error) {
      reply = failure(error, log);
    }
    if (reply.status === 413) response.setHeader("Connection", "close");
    if (entry) await logRequest({ ...entry, status: reply.status });
    await send(response, reply);
    const ms = Math.round(performance.now() - started);
    // Never the query string, headers or body: that is where tokens and passwords travel.
    log(`${new Date().toISOString()} ${method} ${url.pathname} ${reply.status} ${ms}ms`);
  }

  async function webApi(
    request: IncomingMessage,
    method: string,
    url: URL,
  ): Promise<{ reply: Reply; entry?: RequestLogLine }> {
    const path = url.pathname.slice("/api".length);
    const matches = routes.flatMap((bound) => {
      const params = bound.match(path);
      return params ? [{ bound, params }] : [];
    });
    const entry: RequestLogLine = {
      method,
      path: url.pathname,
      operation: null,
      schema: null,
      valid: false,
      status: 0,
    };
    const found = matches.find((m) => m.bound.route.method === method);
    if (!found) {
      const reply =
        matches.length === 0
          ? problem(404, "Not Found", `no such path: ${url.pathname}`)
          : problem(405, "Method Not Allowed", `${method} is not allowed here`, undefined, {
              Allow: [...new Set(matches.map((m) => m.bound.route.method))].join(", "),
            });
      return { reply, entry };
    }
    const { bound, params } = found;
    entry.operation = `${bound.published.method} ${bound.published.path}`;
    entry.schema = bound.published.bodySchema;
    // Checked before the answer is chosen, so the log says whether clue's request conformed whatever came back.
    const body = parseBody(await readBody(request, BODY_LIMIT), request.headers["content-type"], false);
    const query = queryFor(url, bound);
    const problems = [...bound.published.checkQuery(query), ...bound.published.checkBody(body)];
    const uuidProblems = Object.entries(params)
      .filter(([, value]) => !GUID.test(value))
      .map(([name]) => ({ field: name, message: `The value is not a valid GUID.` }));
    problems.push(...uuidProblems);
    entry.valid = problems.length === 0;
    if (problems.length > 0) entry.problems = problems.map((p) => p.field || "(body)");

    const principal = authenticate(request.headers.authorization);
    if ("status" in principal) return { reply: principal, entry };
    if (bound.route.write && principal.readOnly)
      return {
        reply: problem(403, "Forbidden", `requires RACI:${bound.published.policy ?? "admin"}`),
        entry,
      };
    const wait = limit?.(principal.userId) ?? 0;
    if (wait > 0)
      return {
        reply: problem(429, "Too Many Requests", `over ${options.rateLimit} requests a second`, undefined, {
          "Retry-After": String(wait),
        }),
        entry,
      };
    if (options.latencyMs) await new Promise((done) => setTimeout(done, options.latencyMs));
    const fault = nextFault();
    if (fault === "before")
      return {
        reply: problem(
          503,
          "Service Unavailable",
          "injected failure (--fail-rate) before the request was processed",
        ),
        entry,
      };
    if (problems.length > 0) {
      const errors: Record<string, string[]> = {};
      for (const p of problems) (errors[p.field] ??= []).push(p.message);
      const detail = problems.map((p) => `${p.field || "body"}: ${p.message}`).join("; ");
      return { reply: problem(400, "One or more validation errors occurred.", detail, errors), entry };
    }
    const call = { params, query, body, principal };
    const run = () => Promise.resolve(bound.route.handle(call, context));
    const reply = bound.route.write ? await store.serial(run) : await run();
    if (fault === "after")
      return {
        reply: problem(
          503,
          "Service Unavailable",
          "injected failure (--fail-rate) after the request was processed: its answer was lost",
        ),
        entry,
      };
    return { reply, entry };
  }

  function authenticate(header: string | undefined): Principal | Reply {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "")?.[1];
    const verdict = token === undefined ? undefined : authority.verify(token);
    if (verdict !== undefined && verdict !== "expired") return verdict;
    const why =
      token === undefined
        ? "send Authorization: Bearer <token>"
        : verdict === "expired"
          ? "the token has expired"
          : "the token is not known (tokens from a password login do not survive a restart)";
    return problem(401, "Unauthorized", why, undefined, {
      "WWW-Authenticate":
        token === undefined ? "Bearer" : `Bearer error="invalid_token", error_description="${why}"`,
    });
  }

  const running = await listenLoopback(options.port, {
    handle,
    async release() {
      await logTail;
      await requests.close();
      await store.close();
    },
    log,
  });
  base = running.url;
  return running;
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * The query with each name as the operation declares it: ASP.NET binds query names case-insensitively, so `page`
 * and `Page` are one parameter. A repeated name becomes a list (ASP.NET binds lists that way).
 */
function queryFor(url: URL, bound: BoundRoute): Record<string, unknown> {
  const declared = new Map(bound.published.queryNames.map((name) => [name.toLowerCase(), name]));
  const query: Record<string, unknown> = {};
  for (const [raw, value] of url.searchParams) {
    const name = declared.get(raw.toLowerCase()) ?? raw;
    const before = query[name];
    query[name] =
      before === undefined ? value : [...(Array.isArray(before) ? (before as unknown[]) : [before]), value];
  }
  return query;
}

function failure(error: unknown, log: (line: string) => void): Reply {
  if (error instanceof TargetError) return problem(error.status, error.code, error.message);
  if (error instanceof URIError) return problem(400, "Bad Request", "the path is not valid percent-encoding");
  log(`internal error: ${error instanceof Error ? error.message : String(error)}`);
  return problem(500, "Internal Server Error", "the stand-in failed to answer; this is a bug in clue serve");
}
