import { maskCredentialShapes } from "../../lint/secret-redaction.js";
import { SecretMask } from "../../util/secret-mask.js";
import { safeTerminalText } from "../../util/terminal-text.js";
import { TargetError } from "../contract.js";
import { Gate, joinUrl, sendJson, type HttpResponse, type OnRetry, withRetries } from "../http-common.js";
import { signIn, type Credentials, type TokenSet } from "./sign-in.js";

export interface CluedinClientOptions {
  /** WebApi's base, `<url>/api` by default: swagger's `/api/v1/rules` is requested at `<apiUrl>/api/v1/rules`. */
  apiUrl: string;
  /** The identity server's base, `<url>/auth` by default: tokens come from `<authUrl>/connect/token`. */
  authUrl: string;
  credentials: Credentials;
  /** One per command run, sent on every request (the platform ignores it; proxies and logs may keep it). */
  correlationId: string;
  timeoutMs?: number;
  maxAttempts?: number;
  concurrency?: number;
  onRetry?: OnRetry;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface RequestOptions {
  body?: unknown;
  /** Statuses the caller handles itself (404, 409): returned, not thrown. */
  expect?: readonly number[];
  /**
   * Whether sending the request twice is harmless. GET, PUT and DELETE are; a POST that creates is not: the platform
   * has no idempotency keys, so a create whose answer was lost is never sent again here — it fails with
   * `answer_lost` and the caller looks for what it made (by marker) before deciding to create again.
   */
  idempotent?: boolean;
}

/** Refresh a login's token this long before it expires, so a request never leaves with a token about to lapse. */
const EXPIRY_MARGIN_MS = 60_000;

/**
 * A client of CluedIn's published WebApi (DIGEST sections 1-3) on Node's fetch. Auth is an API token sent as a
 * bearer, or the password grant against the identity server with the token cached, refreshed before it expires
 * (refresh_token grant, else a new login) and once more on a 401. Retries with backoff on 429, 5xx, resets and
 * timeouts, honouring Retry-After, for idempotent calls only. Redirects are never followed (a credential would go
 * with them). Text the platform sends back is masked and made safe to print (`fromServer`).
 */
export class CluedinClient {
  private tokens: TokenSet | undefined;
  private tokenRequest: Promise<TokenSet> | undefined;
  private readonly sent = new SecretMask();
  private readonly gate: Gate;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly options: CluedinClientOptions) {
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    this.gate = new Gate(options.concurrency ?? 4);
    const c = options.credentials;
    this.sent.add(c.type === "api_token" ? c.token : c.password);
  }

  get correlationId(): string {
    return this.options.correlationId;
  }

  /** A text from the platform, fit to print: credentials masked, terminal escapes and workflow commands neutralised. */
  fromServer(text: string): string {
    return safeTerminalText(maskCredentialShapes(this.sent.mask(text)), { midLine: true });
  }

  /** The platform's version (`x-cluedin-version` of `GET <url>/api/status`), or undefined when it does not say. */
  async version(): Promise<string | undefined> {
    const response = await this.request("GET", "/status", { expect: [404] });
    const version = response.headers.get("x-cluedin-version");
    return version === null ? undefined : this.fromServer(version);
  }

  /** One call to WebApi; `path` is the swagger path (`/api/v1/rules`) plus any query. */
  request(method: string, path: string, options: RequestOptions = {}): Promise<HttpResponse> {
    return this.gate.run(() => this.withRetries(method, path, options));
  }

  private withRetries(method: string, path: string, options: RequestOptions): Promise<HttpResponse> {
    const idempotent = options.idempotent ?? method !== "POST";
    return withRetries({
      method,
      path,
      maxAttempts: this.options.maxAttempts ?? 8,
      send: async () => this.once(method, path, options, await this.bearer()),
      renew: () => {
        // Expired early, or the platform restarted and forgot it: one new token (refreshed first, the refresh token
        // may still be good; else a new login), then the same request again. An API token cannot be renewed.
        if (this.options.credentials.type !== "password") return false;
        if (this.tokens) this.tokens = { ...this.tokens, expiresAt: 0 };
        return true;
      },
      settle: (response) => this.settle(method, path, response, options),
      ...(idempotent ? {} : { lost: (reason: string) => lost(method, path, reason) }),
      setting: "api_url",
      unreachableHint: "is the platform up at the environment's url?",
      correlationId: this.correlationId,
      random: this.random,
      sleep: this.sleep,
      ...(this.options.onRetry ? { onRetry: this.options.onRetry } : {}),
    });
  }

  /** 2xx and the expected statuses are returned; the rest become errors a person can act on. */
  private settle(
    method: string,
    path: string,
    response: HttpResponse,
    options: RequestOptions,
  ): HttpResponse {
    if (response.status < 300 || options.expect?.includes(response.status)) return response;
    const said = this.problemText(response.body);
    const where = `${method} ${path}`;
    const c = this.options.credentials;
    if (response.status === 401)
      throw new TargetError(
        401,
        "unauthorized",
        c.type === "api_token"
          ? `${where}: the platform refused the API token from ${c.source}: it is missing, expired or was revoked; create a new one (Administration › API Tokens) and set ${c.source}`
          : `${where}: the platform refused the access token of ${this.fromServer(c.username)} even after signing in again: it is missing, expired or was rejected; check the user and the password in ${c.source}`,
      );
    if (response.status === 403)
      throw new TargetError(
        403,
        "forbidden",
        `${where}: the account lacks the role this needs${said ? ` (the platform says: ${said})` : ""}; give the deploy account Accountable on that claim (DIGEST: Management › Rule Builder, Data Catalog, Deduplication; Consume › Streams; Admin › Entity Types)`,
      );
    throw new TargetError(
      response.status,
      `http_${response.status}`,
      `${where}: ${said || `HTTP ${response.status}`} (HTTP ${response.status})`,
      { message: said },
    );
  }

  /** ASP.NET problem details (`title`, `detail`, `errors`) or the platform's text, masked and made safe. */
  problemText(body: unknown): string {
    if (typeof body === "string") return this.fromServer(body.slice(0, 300));
    if (body === null || typeof body !== "object") return "";
    const b = body as { title?: unknown; detail?: unknown; errors?: unknown; message?: unknown };
    const parts: string[] = [];
    if (typeof b.title === "string") parts.push(b.title);
    if (typeof b.detail === "string" && b.detail !== b.title) parts.push(b.detail);
    if (typeof b.message === "string") parts.push(b.message);
    if (b.errors !== null && typeof b.errors === "object" && typeof b.detail !== "string")
      for (const [field, messages] of Object.entries(b.errors).slice(0, 5))
        parts.push(`${field}: ${Array.isArray(messages) ? messages.join(", ") : String(messages)}`);
    return this.fromServer(parts.join(": ").slice(0, 500));
  }

  private once(method: string, path: string, options: RequestOptions, token: string): Promise<HttpResponse> {
    return sendJson({
      url: joinUrl(this.options.apiUrl, path),
      method,
      token,
      correlationId: this.correlationId,
      body: options.body,
      timeoutMs: this.options.timeoutMs ?? 30_000,
      what: `${method} ${path}`,
      setting: "api_url (or url)",
      fromServer: (t) => this.fromServer(t),
    });
  }

  /** The bearer for the next request: the API token, or a login's access token that is not about to expire. */
  private async bearer(): Promise<string> {
    const c = this.options.credentials;
    if (c.type === "api_token") return c.token;
    if (this.tokens && this.tokens.expiresAt > Date.now() + EXPIRY_MARGIN_MS) return this.tokens.accessToken;
    // Concurrent requests share one sign-in.
    this.tokenRequest ??= signIn({
      authUrl: this.options.authUrl,
      credentials: c,
      refreshToken: this.tokens?.refreshToken,
      correlationId: this.correlationId,
      timeoutMs: this.options.timeoutMs ?? 30_000,
      maxAttempts: this.options.maxAttempts ?? 8,
      sleep: this.sleep,
      random: this.random,
      fromServer: (t) => this.fromServer(t),
      ...(this.options.onRetry ? { onRetry: this.options.onRetry } : {}),
    })
      .then((tokens) => {
        this.sent.add(tokens.accessToken);
        if (tokens.refreshToken) this.sent.add(tokens.refreshToken);
        this.tokens = tokens;
        return tokens;
      })
      .finally(() => (this.tokenRequest = undefined));
    return (await this.tokenRequest).accessToken;
  }

  /**
   * Every item of a REST list (`{data, total}`, 0-based pages), one call per page. Stops at `total`, on an empty
   * page, and refuses a page that only repeats ids already seen while items are still missing (a server that
   * ignores the page number would otherwise hide objects, and a plan would create them twice).
   */
  async listAll<T extends Record<string, unknown>>(
    path: string,
    query: Record<string, string> = {},
    options: { pageParam?: "page" | "Page"; take?: number; idOf?: (item: T) => unknown } = {},
  ): Promise<T[]> {
    const pageParam = options.pageParam ?? "page";
    const takeParam = pageParam === "Page" ? "Take" : "take";
    const take = options.take ?? 100;
    const idOf = options.idOf ?? ((item: T) => item.id);
    const items: T[] = [];
    const seen = new Set<unknown>();
    for (let page = 0; page < 10_000; page++) {
      const q = new URLSearchParams({ ...query, [pageParam]: String(page), [takeParam]: String(take) });
      const response = await this.request("GET", `${path}?${q.toString()}`);
      const body = response.body as { data?: unknown; total?: unknown } | undefined;
      if (!body || !Array.isArray(body.data))
        throw new TargetError(
          0,
          "bad_response",
          `GET ${path} did not answer a page ({data, total}); is api_url WebApi's base (<url>/api)?`,
        );
      const data = body.data.filter((x): x is T => x !== null && typeof x === "object");
      const fresh = data.filter((item) => !seen.has(idOf(item)));
      const total = typeof body.total === "number" ? body.total : undefined;
      if (data.length > 0 && fresh.length === 0 && (total === undefined || seen.size < total))
        throw new TargetError(
          0,
          "bad_response",
          `GET ${path} answered page ${page} with only items it had already listed: the platform's paging loops`,
        );
      for (const item of fresh) {
        seen.add(idOf(item));
        items.push(item);
      }
      if (data.length === 0 || (total !== undefined && seen.size >= total)) return items;
    }
    throw new TargetError(0, "bad_response", `GET ${path} kept answering pages: more than 10,000`);
  }
}

/** A create (or another non-idempotent call) whose answer never came: it may or may not have happened. */
function lost(method: string, path: string, reason: string): TargetError {
  return new TargetError(
    0,
    "answer_lost",
    `${method} ${path}: the answer was lost (${reason}); the platform may or may not have done it`,
  );
}
