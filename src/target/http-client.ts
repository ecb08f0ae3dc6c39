import { maskCredentialShapes } from "../lint/secret-redaction.js";
import { SecretMask } from "../util/secret-mask.js";
import { safeTerminalText } from "../util/terminal-text.js";
import { TargetError, type ErrorBody } from "./contract.js";
import {
  backoffMs,
  Gate,
  joinUrl,
  networkReason,
  readBody,
  refuseRedirect,
  retryAfterMs,
  RETRYABLE_STATUS,
  sendJson,
  unretryable,
  type HttpResponse,
  type OnRetry,
  withRetries,
} from "./http-common.js";

export { backoffMs, joinUrl, retryAfterMs, type HttpResponse } from "./http-common.js";

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
  scope: string | undefined;
  /** The token endpoint; `<baseUrl>/oauth/token` by default. */
  tokenUrl?: string | undefined;
}

export interface HttpClientOptions {
  baseUrl: string;
  credentials: ClientCredentials;
  /** One per command run, on every request, so a user can quote it to whoever runs the platform. */
  correlationId: string;
  /** Per attempt. */
  timeoutMs?: number;
  /** Attempts per request, the first included. */
  maxAttempts?: number;
  /** Requests in flight at once. */
  concurrency?: number;
  /** Called before each retry, for a progress line; never given a secret. */
  onRetry?: OnRetry;
  /** Tests shorten the waits; production uses real time. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** Statuses the caller handles itself (404, 409, 412): returned, not thrown. */
  expect?: readonly number[];
}

/**
 * A client of the target REST contract (SPEC section 7) on Node's own fetch: OAuth client credentials with the
 * token cached and fetched again on a 401, retries with backoff on 429, 5xx, resets and timeouts (honouring
 * Retry-After), a timeout per attempt, and a bound on requests in flight. Writes are only retried because every
 * write carries an Idempotency-Key: a retry of a write whose answer was lost is answered from the server's record.
 *
 * Redirects are never followed: fetch would re-send the token request's body (the client secret) to wherever a 307
 * points, and a bearer token to any redirect on the same origin. A 3xx is an error that names where it pointed.
 * Text the server sends back is never printed as it came: see `fromServer`.
 */
export class HttpClient {
  private token: { value: string; expiresAt: number } | undefined;
  /** The client secret and every access token this client was given: what a server must not echo into a message. */
  private readonly sent = new SecretMask();
  private tokenRequest: Promise<string> | undefined;
  private tokenFailure: TargetError | undefined;
  private readonly gate: Gate;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly options: HttpClientOptions) {
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    this.sent.add(options.credentials.clientSecret);
    this.gate = new Gate(options.concurrency ?? 4);
  }

  /**
   * A text from the server (an error message, a lock holder, a release note), made fit to print: the credentials this
   * client sent are masked (a target that echoes "invalid token eyJ…" must not put the token in a CI log), so is
   * anything shaped like a credential, and terminal escapes and workflow commands are neutralised.
   */
  fromServer(text: string): string {
    return safeTerminalText(maskCredentialShapes(this.sent.mask(text)));
  }

  get correlationId(): string {
    return this.options.correlationId;
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<HttpResponse> {
    return this.gate.run(() => this.withRetries(method, path, options));
  }

  private withRetries(method: string, path: string, options: RequestOptions): Promise<HttpResponse> {
    return withRetries({
      method,
      path,
      maxAttempts: this.options.maxAttempts ?? 8,
      send: async () => this.once(method, path, options, await this.accessToken()),
      renew: () => {
        // The token expired or the server restarted and forgot it: one new token, then the same request again.
        this.token = undefined;
        return true;
      },
      settle: (response) => this.settle(method, path, response, options),
      setting: "target.url",
      unreachableHint: "is the target up?",
      correlationId: this.correlationId,
      random: this.random,
      sleep: this.sleep,
      ...(this.options.onRetry ? { onRetry: this.options.onRetry } : {}),
    });
  }

  /** A final answer: 2xx and the statuses the caller expects are returned; the rest become clear errors. */
  private settle(
    method: string,
    path: string,
    response: HttpResponse,
    options: RequestOptions,
  ): HttpResponse {
    if (response.status < 300 || options.expect?.includes(response.status)) return response;
    const body = (response.body ?? {}) as Partial<ErrorBody>;
    const code = typeof body.error === "string" ? body.error : `http_${response.status}`;
    const said = typeof body.message === "string" ? this.fromServer(body.message) : `HTTP ${response.status}`;
    const where = `${method} ${path}`;
    if (response.status === 401)
      throw new TargetError(
        401,
        code,
        `${where}: the target refused the credentials (${said}); check the client id and secret the environment names`,
        body,
      );
    if (response.status === 403) {
      const scope =
        typeof body.required_scope === "string"
          ? this.fromServer(body.required_scope)
          : method === "GET"
            ? "config:read"
            : "config:write";
      throw new TargetError(
        403,
        code,
        `${where}: the client lacks the scope "${scope}" (${said}); grant it to the client on the platform, and list it in the environment's auth.scope`,
        body,
      );
    }
    throw new TargetError(response.status, code, `${where}: ${said} (HTTP ${response.status})`, body);
  }

  private once(method: string, path: string, options: RequestOptions, token: string): Promise<HttpResponse> {
    return sendJson({
      url: joinUrl(this.options.baseUrl, path),
      method,
      token,
      correlationId: this.correlationId,
      body: options.body,
      ...(options.headers ? { headers: options.headers } : {}),
      timeoutMs: this.options.timeoutMs ?? 30_000,
      what: `${method} ${path}`,
      setting: "target.url",
      fromServer: (t) => this.fromServer(t),
    });
  }

  private async accessToken(): Promise<string> {
    if (this.token && this.token.expiresAt > Date.now() + 5_000) return this.token.value;
    if (this.tokenFailure) throw this.tokenFailure;
    // Concurrent requests share one token request. A token refused for good (bad credentials, a redirect, no answer
    // after every retry) is not asked for again by the requests still queued: the credentials are sent no more often
    // than needed, and the run fails with the first answer.
    this.tokenRequest ??= this.fetchToken()
      .catch((error: unknown) => {
        if (error instanceof TargetError) this.tokenFailure = error;
        throw error;
      })
      .finally(() => (this.tokenRequest = undefined));
    return this.tokenRequest;
  }

  private async fetchToken(): Promise<string> {
    const { clientId, clientSecret, scope } = this.options.credentials;
    const maxAttempts = this.options.maxAttempts ?? 8;
    for (let attempt = 0; ; attempt++) {
      let failure: string;
      let retryAfter: number | undefined;
      try {
        const tokenUrl = this.options.credentials.tokenUrl ?? joinUrl(this.options.baseUrl, "/oauth/token");
        const response = await fetch(tokenUrl, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            accept: "application/json",
            "x-correlation-id": this.correlationId,
          },
          body: JSON.stringify({
            grant_type: "client_credentials",
            client_id: clientId,
            client_secret: clientSecret,
            ...(scope ? { scope } : {}),
          }),
          redirect: "manual",
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
        });
        await refuseRedirect(
          response,
          tokenUrl,
          "POST /oauth/token",
          this.options.credentials.tokenUrl === undefined ? "target.url" : "auth.token_url",
          (t) => this.fromServer(t),
        );
        const body = (await readBody(response)) as {
          access_token?: unknown;
          expires_in?: unknown;
        } & Partial<ErrorBody>;
        if (response.ok && typeof body.access_token === "string") {
          const seconds = typeof body.expires_in === "number" ? body.expires_in : 300;
          this.token = { value: body.access_token, expiresAt: Date.now() + seconds * 1000 };
          this.sent.add(body.access_token);
          return body.access_token;
        }
        if (body.error === "invalid_scope")
          throw new TargetError(
            response.status,
            "invalid_scope",
            `the target will not grant client "${clientId}" the scopes "${scope ?? "(default)"}"; grant them to the client on the platform, or change the environment's auth.scope`,
          );
        if (!RETRYABLE_STATUS.has(response.status))
          throw new TargetError(
            response.status,
            typeof body.error === "string" ? body.error : "token_refused",
            `the target refused a token for client "${clientId}" (${typeof body.message === "string" ? this.fromServer(body.message) : `HTTP ${response.status}`}); check the client id and secret the environment names`,
          );
        failure = `HTTP ${response.status}`;
        retryAfter = retryAfterMs(response.headers.get("retry-after"));
      } catch (error) {
        if (error instanceof TargetError) throw error;
        unretryable(error, "POST", "/oauth/token");
        failure = networkReason(error);
      }
      if (attempt + 1 >= maxAttempts)
        throw new TargetError(
          0,
          "unreachable",
          `could not get a token from ${this.options.baseUrl} after ${maxAttempts} attempts (${failure}) (correlation id ${this.correlationId})`,
        );
      const delayMs = Math.max(backoffMs(attempt, this.random), retryAfter ?? 0);
      this.options.onRetry?.({
        method: "POST",
        path: "/oauth/token",
        attempt: attempt + 1,
        delayMs,
        reason: failure,
      });
      await this.sleep(delayMs);
    }
  }
}
