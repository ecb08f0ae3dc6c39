import type { Reply } from "../http-io.js";
import type { Authority } from "./auth.js";

/**
 * `POST <org-url>/auth/connect/token`, IdentityServer's token endpoint as the platform's organisation clients use
 * it: public clients (no secret) whose id is the organisation's name, the password and refresh_token grants. Errors
 * are OAuth's `{error, error_description}` with 400.
 */
export function tokenEndpoint(form: Record<string, string>, authority: Authority): Reply {
  const fail = (error: string, description: string): Reply => ({
    status: 400,
    body: { error, error_description: description },
  });
  const grant = form.grant_type;
  if (grant !== "password" && grant !== "refresh_token")
    return fail("unsupported_grant_type", `grant_type ${grant ?? "(none)"} is not supported`);
  if (form.client_id !== authority.organisation) return fail("invalid_client", "unknown client_id");
  const answer =
    grant === "password"
      ? authority.passwordGrant(form.username ?? "", form.password ?? "")
      : authority.refreshGrant(form.refresh_token ?? "");
  if (!answer)
    return fail(
      "invalid_grant",
      grant === "password" ? "invalid username or password" : "the refresh token is not valid",
    );
  return { status: 200, body: answer, headers: { "Cache-Control": "no-store", Pragma: "no-cache" } };
}
