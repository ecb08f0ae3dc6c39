import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { uuidV5 } from "../../util/uuid-v5.js";

/** Namespace of the stand-in's name-based ids (users, the organisation, catalogue entries). */
export const STANDIN_NAMESPACE = "6f1c2b9e-4a55-5d0e-9c3b-1d7e2a8f4c60";

/** Who a request acts as: `createdBy`/`modifiedBy` get `userId`; a read-only principal may only read (403). */
export interface Principal {
  userId: string;
  readOnly: boolean;
}

interface User {
  email: string;
  password: string;
  readOnly: boolean;
}

export interface TokenAnswer {
  access_token: string;
  refresh_token: string;
  token_type: "Bearer";
  expires_in: number;
  scope: string;
}

/**
 * `CLUE_SERVE_TOKENS`: `token` or `token:read`, comma-separated. A problem names the entry by position, never by
 * its text (that is the secret).
 */
export function parseApiTokens(text: string | undefined): { token: string; readOnly: boolean }[] | string {
  const entries = (text ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean);
  const tokens = [];
  for (const [i, entry] of entries.entries()) {
    const readOnly = entry.endsWith(":read");
    const token = readOnly ? entry.slice(0, -":read".length) : entry;
    if (!/^[\x21-\x7e]+$/.test(token) || token.includes(","))
      return `CLUE_SERVE_TOKENS entry ${i + 1}: a token is printable ASCII with no spaces or commas`;
    tokens.push({ token, readOnly });
  }
  return tokens;
}

/** `CLUE_SERVE_USERS`: `email:password[:read]`, comma-separated; the password may not hold ":" or ",". */
export function parseUsers(text: string | undefined): User[] | string {
  const entries = (text ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean);
  const users: User[] = [];
  for (const [i, entry] of entries.entries()) {
    const [email, password, flag, ...rest] = entry.split(":");
    if (!email || !password || rest.length > 0 || (flag !== undefined && flag !== "read"))
      return `CLUE_SERVE_USERS entry ${i + 1}: give email:password or email:password:read`;
    users.push({ email, password, readOnly: flag === "read" });
  }
  return users;
}

/**
 * The organisation's identity server, reduced to what clients use: the password and refresh_token grants, tokens
 * shaped like IdentityServer's (a JWT with `exp`, `ClientId`, `OrganizationId`, `OrganizationName`), signed with a
 * key that lives in memory, so a restart invalidates them as a key rotation would. Static API tokens from the
 * environment never expire.
 */
export class Authority {
  private readonly key = randomBytes(32);
  private readonly refreshTokens = new Map<string, { email: string; expiresAt: number }>();
  private readonly apiTokens = new Map<string, Principal>();
  readonly organisationId: string;

  constructor(
    readonly organisation: string,
    private readonly users: User[],
    apiTokens: { token: string; readOnly: boolean }[],
    readonly ttlSeconds: number,
    /** The token's `iss`: the server's URL, known once it listens. */
    private readonly issuer: () => string,
    private readonly now: () => number = Date.now,
  ) {
    this.organisationId = uuidV5(`organisation:${organisation}`, STANDIN_NAMESPACE);
    apiTokens.forEach(({ token, readOnly }, i) =>
      this.apiTokens.set(digest(token), {
        userId: uuidV5(`api-token:${i + 1}`, STANDIN_NAMESPACE),
        readOnly,
      }),
    );
  }

  passwordGrant(email: string, password: string): TokenAnswer | undefined {
    const user = this.users.find((u) => u.email.toLowerCase() === email.toLowerCase());
    // Compared in constant time whether or not the user exists, so timing tells nothing.
    const same = timingSafeEqual(
      Buffer.from(digest(user?.password ?? "\u0000no user"), "hex"),
      Buffer.from(digest(password), "hex"),
    );
    return user && same ? this.issue(user) : undefined;
  }

  refreshGrant(refreshToken: string): TokenAnswer | undefined {
    const key = digest(refreshToken);
    const held = this.refreshTokens.get(key);
    // One use each, as IdentityServer's default: the answer carries the next one.
    this.refreshTokens.delete(key);
    if (!held || held.expiresAt <= this.now()) return undefined;
    const user = this.users.find((u) => u.email === held.email);
    return user && this.issue(user);
  }

  /** The principal, "expired", or undefined for a token this server never issued (or issued before a restart). */
  verify(token: string): Principal | "expired" | undefined {
    const api = this.apiTokens.get(digest(token));
    if (api) return api;
    const [header, payload, signature] = token.split(".");
    if (!header || !payload || !signature) return undefined;
    const expected = createHmac("sha256", this.key).update(`${header}.${payload}`).digest();
    const given = Buffer.from(signature, "base64url");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as {
      exp: number;
      sub: string;
      "clue:read_only"?: boolean;
    };
    if (claims.exp * 1000 <= this.now()) return "expired";
    return { userId: claims.sub, readOnly: claims["clue:read_only"] === true };
  }

  private issue(user: User): TokenAnswer {
    const now = this.now();
    const exp = Math.floor(now / 1000) + this.ttlSeconds;
    const claims = {
      iss: this.issuer(),
      sub: uuidV5(`user:${user.email.toLowerCase()}`, STANDIN_NAMESPACE),
      exp,
      iat: Math.floor(now / 1000),
      email: user.email,
      ClientId: this.organisation,
      OrganizationId: this.organisationId,
      OrganizationName: this.organisation,
      ...(user.readOnly ? { "clue:read_only": true } : {}),
    };
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
    const unsigned = `${encode({ alg: "HS256", typ: "JWT" })}.${encode(claims)}`;
    const signature = createHmac("sha256", this.key).update(unsigned).digest("base64url");
    const refresh = randomBytes(32).toString("base64url");
    // Refresh tokens outlive access tokens (IdentityServer's default sliding lifetime is days).
    this.refreshTokens.set(digest(refresh), { email: user.email, expiresAt: now + 30 * 86_400_000 });
    return {
      access_token: `${unsigned}.${signature}`,
      refresh_token: refresh,
      token_type: "Bearer",
      expires_in: this.ttlSeconds,
      scope: "openid profile ServerApiForUI offline_access",
    };
  }
}

function digest(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}
