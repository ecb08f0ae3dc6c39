/* Generated from schemas/environment.schema.json by `npm run types`. Do not edit by hand. */

/**
 * A literal string, or a reference `{ from_env: NAME }` / `{ vault: "path#key" }`.
 *
 * This interface was referenced by `Environment`'s JSON-Schema
 * via the `definition` "stringOrRef".
 */
export type StringOrRef = string | SecretRef;

/**
 * A deployment environment (env/NAME.yaml): the target clue plans and applies against, its variables and overrides.
 */
export interface Environment {
  /**
   * Optional: files under env/ are environments.
   */
  kind?: "environment";
  /**
   * The environment's name; must match the file's name.
   */
  name: string;
  /**
   * What this environment is for.
   */
  description?: string;
  /**
   * The environment whose green release `clue promote` brings here.
   */
  promote_from?: string;
  /**
   * Where the config is deployed.
   */
  target: LocalTarget | ClueServerTarget | CluedinTarget;
  /**
   * Values for `${var.NAME}` in config files.
   */
  variables?: {
    [k: string]: string | number | boolean;
  };
  /**
   * Per-resource overrides deep-merged onto the spec, keyed `kind/name` with the REST kind (e.g. `exports/warehouse-contacts-v1`).
   */
  overrides?: {
    [k: string]: {};
  };
  /**
   * When applies and promotions are allowed (`--force-window` with a reason overrides).
   */
  change_window?: {
    /**
     * The days of the week.
     *
     * @minItems 1
     */
    days: [
      "Mon" | "Tue" | "Wed" | "Thu" | "Fri" | "Sat" | "Sun",
      ...("Mon" | "Tue" | "Wed" | "Thu" | "Fri" | "Sat" | "Sun")[]
    ];
    /**
     * Start time, HH:MM (24-hour).
     */
    from: string;
    /**
     * End time, HH:MM (24-hour).
     */
    to: string;
    /**
     * An IANA time zone.
     */
    timezone: string;
  };
}
/**
 * The embedded target: resources kept in a folder, so every command works with no server.
 *
 * This interface was referenced by `Environment`'s JSON-Schema
 * via the `definition` "localTarget".
 */
export interface LocalTarget {
  /**
   * local: an embedded target in a folder, no server needed.
   */
  type: "local";
  /**
   * The folder, relative to the project.
   */
  path?: string;
}
/**
 * clue's own target REST contract (openapi/clue-target.openapi.yaml), as `clue serve` implements it.
 *
 * This interface was referenced by `Environment`'s JSON-Schema
 * via the `definition` "clueServerTarget".
 */
export interface ClueServerTarget {
  /**
   * clue-server: a server speaking clue's target contract, such as `clue serve`.
   */
  type: "clue-server";
  /**
   * The platform's base URL.
   */
  url: string | SecretRef;
  /**
   * How clue authenticates: OAuth client credentials.
   */
  auth: {
    /**
     * The grant.
     */
    type: "client_credentials";
    /**
     * The OAuth client id.
     */
    client_id: string | SecretRef;
    client_secret: SecretRef1;
    /**
     * The scopes requested.
     */
    scope?: string;
    /**
     * The token endpoint; defaults to `<url>/oauth/token`.
     */
    token_url?: string;
  };
  /**
   * Per-request timeout.
   */
  timeout_seconds?: number;
}
/**
 * A reference to a secret: `{ from_env: NAME }` reads an environment variable; `{ vault: "path#key" }` reads a vault entry.
 *
 * This interface was referenced by `Environment`'s JSON-Schema
 * via the `definition` "secretRef".
 */
export interface SecretRef {
  /**
   * The environment variable holding the secret.
   */
  from_env?: string;
  /**
   * A vault reference, `path#key`.
   */
  vault?: string;
}
/**
 * A reference to a secret: `{ from_env: NAME }` reads an environment variable; `{ vault: "path#key" }` reads a vault entry.
 */
export interface SecretRef1 {
  /**
   * The environment variable holding the secret.
   */
  from_env?: string;
  /**
   * A vault reference, `path#key`.
   */
  vault?: string;
}
/**
 * The CluedIn platform, reached over its published API (Server.WebApi REST under `<url>/api`, tokens from `<url>/auth`).
 *
 * This interface was referenced by `Environment`'s JSON-Schema
 * via the `definition` "cluedinTarget".
 */
export interface CluedinTarget {
  /**
   * cluedin: the CluedIn platform.
   */
  type: "cluedin";
  /**
   * The organisation's URL, e.g. https://mdm-test.example.com.
   */
  url: string | SecretRef;
  /**
   * How clue signs in: an API token, or a user's password (the platform's password grant).
   */
  auth: CluedinApiTokenAuth | CluedinPasswordAuth;
  /**
   * Server.WebApi's base; defaults to `<url>/api` (so `/api/v1/rules` is `<url>/api/api/v1/rules`).
   */
  api_url?: string;
  /**
   * The authentication server's base; defaults to `<url>/auth`.
   */
  auth_url?: string;
  /**
   * Per-request timeout.
   */
  timeout_seconds?: number;
}
export interface CluedinApiTokenAuth {
  /**
   * An API token (Administration › API Tokens), sent as a bearer token.
   */
  type: "api_token";
  token: SecretRef2;
}
/**
 * A reference to a secret: `{ from_env: NAME }` reads an environment variable; `{ vault: "path#key" }` reads a vault entry.
 */
export interface SecretRef2 {
  /**
   * The environment variable holding the secret.
   */
  from_env?: string;
  /**
   * A vault reference, `path#key`.
   */
  vault?: string;
}
export interface CluedinPasswordAuth {
  /**
   * The password grant at `<auth_url>/connect/token`.
   */
  type: "password";
  /**
   * The organisation (the token request's client id); defaults to the first label of the URL's host name.
   */
  organisation?: string | SecretRef;
  /**
   * The user's e-mail.
   */
  username: string | SecretRef;
  password: SecretRef3;
}
/**
 * A reference to a secret: `{ from_env: NAME }` reads an environment variable; `{ vault: "path#key" }` reads a vault entry.
 */
export interface SecretRef3 {
  /**
   * The environment variable holding the secret.
   */
  from_env?: string;
  /**
   * A vault reference, `path#key`.
   */
  vault?: string;
}
