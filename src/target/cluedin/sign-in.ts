import { TargetError } from "../contract.js";
import {
  backoffMs,
  joinUrl,
  networkReason,
  readBody,
  refuseRedirect,
  retryAfterMs,
  RETRYABLE_STATUS,
  unretryable,
  type OnRetry,
} from "../http-common.js";

/** How the target signs in; `source` names where the secret came from (an env var), for messages. */
export type Credentials =
  | { type: "api_token"; token: string; source: string }
  | { type: "password"; organisation: string; username: string; password: string; source: string };

export interface TokenSet {
  accessToken: string;
  refreshToken: string | undefined;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export interface SignInOptions {
  authUrl: string;
  credentials: Extract<Credentials, { type: "password" }>;
  /** When given, tried first (refresh_token grant); a refused refresh falls back to the password. */
  refreshToken: string | undefined;
  correlationId: string;
  timeoutMs: number;
  maxAttempts: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  fromServer: (text: string) => string;
  onRetry?: OnRetry;
}

/**
 * The identity server's token endpoint (`POST <auth_url>/connect/token`, form-encoded, DIGEST 2.1): the refresh_token
 * grant when a refresh token is at hand, else (or when it is refused) the password grant with the organisation as
 * `client_id` — organisation clients are public, there is no client secret.
 */
export async function signIn(options: SignInOptions): Promise<TokenSet> {
  const c = options.credentials;
  if (options.refreshToken !== undefined) {
    const refreshed = await tokenCall(options, {
      grant_type: "refresh_token",
      refresh_token: options.refreshToken,
      client_id: c.organisation,
    }).catch((error: unknown) => {
      // A refresh token used, expired or revoked: sign in again with the password.
      if (error instanceof TargetError && error.status === 400) return undefined;
      throw error;
    });
    if (refreshed) return refreshed;
  }
  return tokenCall(options, {
    grant_type: "password",
    username: c.username,
    password: c.password,
    client_id: c.organisation,
  });
}

async function tokenCall(options: SignInOptions, form: Record<string, string>): Promise<TokenSet> {
  const url = joinUrl(options.authUrl, "/connect/token");
  const what = `POST ${url.replace(/^https?:\/\/[^/]+/, "")}`;
  const c = options.credentials;
  for (let attempt = 0; ; attempt++) {
    let failure: string;
    let retryAfter: number | undefined;
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          accept: "application/json",
          "x-correlation-id": options.correlationId,
        },
        body: new URLSearchParams(form).toString(),
        redirect: "manual",
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      await refuseRedirect(response, url, what, "auth_url (or url)", options.fromServer);
      const body = (await readBody(response)) as Record<string, unknown> | undefined;
      if (response.ok && typeof body?.access_token === "string") {
        const seconds = typeof body.expires_in === "number" ? body.expires_in : jwtSeconds(body.access_token);
        return {
          accessToken: body.access_token,
          refreshToken: typeof body.refresh_token === "string" ? body.refresh_token : undefined,
          expiresAt: Date.now() + seconds * 1000,
        };
      }
      if (!RETRYABLE_STATUS.has(response.status)) {
        const error =
          typeof body?.error === "string" ? options.fromServer(body.error) : `HTTP ${response.status}`;
        const detail =
          typeof body?.error_description === "string"
            ? `: ${options.fromServer(body.error_description)}`
            : "";
        const hint =
          error === "invalid_client"
            ? `the organisation "${options.fromServer(c.organisation)}" is not known there; set auth.organisation to the first part of the tenant's host name`
            : form.grant_type === "refresh_token"
              ? "the refresh token was refused"
              : `check auth.username and the password in ${c.source}; also check auth_url (a 405 or HTML page means it missed the identity server)`;
        throw new TargetError(
          response.status,
          error,
          `the platform refused to sign in ${options.fromServer(c.username)} (${error}${detail}); ${hint}`,
        );
      }
      failure = `HTTP ${response.status}`;
      retryAfter = retryAfterMs(response.headers.get("retry-after"));
    } catch (error) {
      if (error instanceof TargetError) throw error;
      unretryable(error, "POST", "/connect/token", "auth_url");
      failure = networkReason(error);
    }
    if (attempt + 1 >= options.maxAttempts)
      throw new TargetError(
        0,
        "unreachable",
        `could not sign in at ${options.authUrl} after ${options.maxAttempts} attempts (${failure}) (correlation id ${options.correlationId})`,
      );
    const delayMs = Math.max(backoffMs(attempt, options.random), retryAfter ?? 0);
    options.onRetry?.({
      method: "POST",
      path: "/connect/token",
      attempt: attempt + 1,
      delayMs,
      reason: failure,
    });
    await options.sleep(delayMs);
  }
}

/** Seconds left by a JWT's `exp`, when the answer has no `expires_in`; five minutes when neither says. */
function jwtSeconds(token: string): number {
  try {
    const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as {
      exp?: unknown;
    };
    if (typeof payload.exp === "number") return Math.max(0, payload.exp - Date.now() / 1000);
  } catch {
    // Not a JWT: the default below.
  }
  return 300;
}
