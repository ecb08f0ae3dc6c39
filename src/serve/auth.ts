import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { FORCE_SCOPE } from "../target/contract.js";

export const SCOPES = ["config:read", "config:write", FORCE_SCOPE] as const;
/** What a client gets when its scopes are not listed: never the power to break other clients' locks. */
export const DEFAULT_SCOPES = ["config:read", "config:write"] as const;

export interface Client {
  id: string;
  secret: string;
  scopes: string[];
}

export interface Grant {
  clientId: string;
  scopes: string[];
}

const CLIENT_ID = /^[A-Za-z0-9._@-]{1,100}$/;

/**
 * `ID:SECRET[:SCOPES]`, SCOPES space- or +-separated. The secret ends at the second colon, since scopes hold colons
 * themselves. A problem names the client by its id, never by its secret.
 */
export function parseClient(text: string, label: string): Client | { problem: string } {
  const first = text.indexOf(":");
  const id = first < 0 ? text : text.slice(0, first);
  const rest = first < 0 ? "" : text.slice(first + 1);
  const second = rest.indexOf(":");
  const secret = second < 0 ? rest : rest.slice(0, second);
  const scopeText = second < 0 ? "" : rest.slice(second + 1);
  if (!CLIENT_ID.test(id))
    return { problem: `${label}: give ID:SECRET[:SCOPES], ID of letters, digits, ".", "_", "@" or "-"` };
  if (secret === "") return { problem: `${label} (client ${id}): the secret is empty` };
  const scopes = scopeText.split(/[\s+]+/).filter(Boolean);
  const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0)
    return {
      problem: `${label} (client ${id}): unknown scope ${unknown.join(", ")}; scopes: ${SCOPES.join(", ")}`,
    };
  return { id, secret, scopes: scopes.length > 0 ? [...new Set(scopes)] : [...DEFAULT_SCOPES] };
}

/**
 * Clients and the tokens issued to them. Tokens live in memory only, by hash: a restart invalidates them, and a
 * client that gets 401 asks for a new one.
 */
export class TokenIssuer {
  private readonly clients = new Map<string, Client>();
  private readonly tokens = new Map<string, Grant & { expiresAt: number }>();

  constructor(
    clients: Client[],
    readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {
    for (const client of clients) this.clients.set(client.id, client);
  }

  /** The client, when the secret is right; compared in constant time, so timing does not leak it. */
  authenticate(id: string, secret: string): Client | undefined {
    const client = this.clients.get(id);
    const expected = digest(client?.secret ?? "\u0000no client");
    const same = timingSafeEqual(expected, digest(secret));
    return client && same ? client : undefined;
  }

  issue(client: Client, scopes: string[]): { access_token: string; expires_in: number; scope: string } {
    const now = this.now();
    for (const [key, grant] of this.tokens) if (grant.expiresAt <= now) this.tokens.delete(key);
    const token = randomBytes(32).toString("base64url");
    this.tokens.set(digest(token).toString("hex"), {
      clientId: client.id,
      scopes,
      expiresAt: now + this.ttlSeconds * 1000,
    });
    return { access_token: token, expires_in: this.ttlSeconds, scope: scopes.join(" ") };
  }

  verify(token: string): Grant | "expired" | undefined {
    const key = digest(token).toString("hex");
    const grant = this.tokens.get(key);
    if (!grant) return undefined;
    if (grant.expiresAt <= this.now()) {
      this.tokens.delete(key);
      return "expired";
    }
    return { clientId: grant.clientId, scopes: grant.scopes };
  }
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}
