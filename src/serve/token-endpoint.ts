import type { TokenIssuer } from "./auth.js";
import type { Call } from "./handlers.js";
import { errorReply, type Reply } from "./http-io.js";

/**
 * POST /oauth/token, client credentials grant (RFC 6749 section 4.4). The client authenticates in the body or with
 * HTTP Basic; errors carry `error_description` too, the name OAuth libraries look for.
 */
export function issueToken(call: Call, tokens: TokenIssuer): Reply {
  const body = call.body as {
    grant_type: string;
    client_id?: string;
    client_secret?: string;
    scope?: string;
  };
  const fail = (status: number, error: string, message: string, headers: Record<string, string> = {}) =>
    errorReply(status, error, message, { error_description: message }, headers);
  if (body.grant_type !== "client_credentials")
    return fail(
      400,
      "unsupported_grant_type",
      `grant_type must be client_credentials (got ${body.grant_type})`,
    );
  const basic = basicCredentials(call.headers.authorization);
  if (basic === "malformed")
    return fail(400, "invalid_request", "the Basic Authorization header is malformed");
  if (basic && body.client_secret !== undefined)
    return fail(
      400,
      "invalid_request",
      "authenticate with HTTP Basic or with client_secret in the body, not both",
    );
  const id = basic?.id ?? body.client_id;
  const secret = basic?.secret ?? body.client_secret;
  const challenge: Record<string, string> = basic ? { "WWW-Authenticate": 'Basic realm="clue"' } : {};
  if (basic && body.client_id !== undefined && body.client_id !== basic.id)
    return fail(400, "invalid_request", "client_id in the body is not the one in the Basic header");
  if (id === undefined || secret === undefined)
    return fail(401, "invalid_client", "send client_id and client_secret (or HTTP Basic)", challenge);
  const client = tokens.authenticate(id, secret);
  if (!client) return fail(401, "invalid_client", "unknown client or wrong secret", challenge);
  const requested = (body.scope ?? "").split(/\s+/).filter(Boolean);
  const missing = requested.filter((s) => !client.scopes.includes(s));
  if (missing.length > 0)
    return fail(400, "invalid_scope", `client ${client.id} may not have ${missing.join(", ")}`);
  const granted = requested.length > 0 ? [...new Set(requested)] : client.scopes;
  return {
    status: 200,
    body: { ...tokens.issue(client, granted), token_type: "Bearer" },
    headers: { "Cache-Control": "no-store", Pragma: "no-cache" },
  };
}

/** RFC 6749 section 2.3.1: id and secret are form-urlencoded before they are joined and base64-encoded. */
function basicCredentials(
  header: string | undefined,
): { id: string; secret: string } | "malformed" | undefined {
  if (header === undefined || !/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return "malformed";
  try {
    const unform = (s: string) => decodeURIComponent(s.replace(/\+/g, " "));
    return { id: unform(decoded.slice(0, colon)), secret: unform(decoded.slice(colon + 1)) };
  } catch {
    return "malformed";
  }
}
