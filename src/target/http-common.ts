import { TargetError } from "./contract.js";

/**
 * The transport pieces both platform clients share (clue's own contract in http-client.ts, CluedIn's published API
 * in cluedin/client.ts): which statuses are worth another attempt, how long to wait, refusing redirects, reading a
 * body defensively, and a bound on requests in flight.
 */

export const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const MAX_RETRY_AFTER_MS = 60_000;

/** Called before each retry, for a progress line; never given a secret. */
export type OnRetry = (info: {
  method: string;
  path: string;
  attempt: number;
  delayMs: number;
  reason: string;
}) => void;

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

/**
 * The handbook's backoff: min(30 s, 250 ms × 2^attempt) plus up to 200 ms of jitter, so a crowd of clients that
 * failed together does not retry together.
 */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  return Math.min(30_000, 250 * 2 ** attempt) + Math.floor(random() * 200);
}

/** Retry-After in seconds or as an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === "") return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.min(MAX_RETRY_AFTER_MS, seconds * 1000));
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.min(MAX_RETRY_AFTER_MS, date - now));
}

/** The base URL's path is kept: `https://host/mdm` + `/api/me` is `https://host/mdm/api/me`. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
}

/** A request fetch could never make (a bad URL, a forbidden port) fails at once instead of being retried. */
export function unretryable(error: unknown, method: string, path: string, setting = "target.url"): void {
  if (error instanceof TypeError && (error as { cause?: unknown }).cause === undefined)
    throw new TargetError(
      0,
      "bad_request_url",
      `${method} ${path}: ${error.message}; check the environment's ${setting}`,
    );
}

/** JSON when it parses, else the first 200 characters as an error message. */
export async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return { error: "not_json", message: text.slice(0, 200) };
  }
}

export function networkReason(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === "TimeoutError" || error.name === "AbortError") return "timed out";
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? error.message;
  }
  return String(error);
}

/** The request certainly never reached a server: safe to send again whatever it was. */
export function neverSent(error: unknown): boolean {
  const code = (error as { cause?: { code?: string } } | null)?.cause?.code;
  return code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EAI_AGAIN";
}

/**
 * A 3xx with a Location is refused, never followed: following would send a token request's body, or a bearer
 * token, on to an address the environment does not name. The message gives the origin it pointed to (never its
 * path or query, which may carry anything) so the user can fix the configured URL.
 */
export async function refuseRedirect(
  response: Response,
  from: string,
  what: string,
  setting: string,
  fromServer: (text: string) => string,
): Promise<void> {
  const location = response.headers.get("location");
  if (response.status < 300 || response.status >= 400 || location === null) return;
  await response.body?.cancel();
  let to = "an address clue cannot read";
  try {
    const target = new URL(location, from);
    to = target.origin === new URL(from).origin ? `another path on ${target.origin}` : target.origin;
  } catch {
    // A Location that is not a URL is named as such.
  }
  throw new TargetError(
    response.status,
    "redirect_refused",
    `${what}: the target answered ${response.status} with a redirect to ${fromServer(to)}; clue never follows redirects, so the credentials are not sent there — set the environment's ${setting} to the address that answers`,
  );
}

/** At most `limit` requests in flight; the others wait their turn. */
export class Gate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active < this.limit) this.active++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

/**
 * One JSON request with a bearer token, never following a redirect, read defensively: the attempt both clients
 * repeat under their own retry policies.
 */
export async function sendJson(request: {
  url: string;
  method: string;
  token: string;
  correlationId: string;
  body?: unknown;
  headers?: Record<string, string>;
  timeoutMs: number;
  /** How messages name the call, and the environment setting to fix when it redirects. */
  what: string;
  setting: string;
  fromServer: (text: string) => string;
}): Promise<HttpResponse> {
  const headers: Record<string, string> = {
    accept: "application/json",
    authorization: `Bearer ${request.token}`,
    "x-correlation-id": request.correlationId,
    ...request.headers,
  };
  if (request.body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(request.url, {
    method: request.method,
    headers,
    ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
    redirect: "manual",
    signal: AbortSignal.timeout(request.timeoutMs),
  });
  await refuseRedirect(response, request.url, request.what, request.setting, request.fromServer);
  return { status: response.status, headers: response.headers, body: await readBody(response) };
}

export interface RetryRequest {
  method: string;
  path: string;
  maxAttempts: number;
  /** One attempt, with the credentials current at the time. */
  send(): Promise<HttpResponse>;
  /** Asked on the first 401: true when new credentials were arranged and the same request should go again. */
  renew(): boolean;
  /** A final answer (2xx, an expected status, or the last retryable one) into a response or a clear error. */
  settle(response: HttpResponse): HttpResponse;
  /**
   * Set for a request that must not be sent twice (a create on a platform with no idempotency keys): it is sent
   * again only after a 429 or a failure before anything left, and otherwise this error says the answer was lost.
   */
  lost?: (reason: string) => TargetError;
  /** The environment setting to check when a URL cannot be requested at all. */
  setting: string;
  /** Said when every attempt failed: what to check. */
  unreachableHint: string;
  correlationId: string;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
  onRetry?: OnRetry;
}

/**
 * The retry loop both clients share: 429, 5xx, timeouts and connection failures are tried again with backoff (or a
 * longer Retry-After), a 401 once with new credentials, and everything else settles at once.
 */
export async function withRetries(r: RetryRequest): Promise<HttpResponse> {
  const { method, path } = r;
  let renewed = false;
  for (let attempt = 0; ; attempt++) {
    let response: HttpResponse | undefined;
    let failure: string;
    try {
      response = await r.send();
      // A 401 is answered before any work, so even a create may be sent again.
      if (response.status === 401 && !renewed && r.renew()) {
        renewed = true;
        attempt--;
        continue;
      }
      if (!RETRYABLE_STATUS.has(response.status)) return r.settle(response);
      // 429 is refused before any work; any other failure of a create may have created it.
      if (r.lost && response.status !== 429) throw r.lost(`HTTP ${response.status}`);
      failure = `HTTP ${response.status}`;
    } catch (error) {
      if (error instanceof TargetError) throw error;
      unretryable(error, method, path, r.setting);
      if (r.lost && !neverSent(error)) throw r.lost(networkReason(error));
      failure = networkReason(error);
    }
    if (attempt + 1 >= r.maxAttempts) {
      if (response) return r.settle(response);
      throw new TargetError(
        0,
        "unreachable",
        `${method} ${path} failed after ${r.maxAttempts} attempts (${failure}); ${r.unreachableHint} (correlation id ${r.correlationId})`,
      );
    }
    const delayMs = Math.max(
      backoffMs(attempt, r.random),
      retryAfterMs(response?.headers.get("retry-after") ?? null) ?? 0,
    );
    r.onRetry?.({ method, path, attempt: attempt + 1, delayMs, reason: failure });
    await r.sleep(delayMs);
  }
}
