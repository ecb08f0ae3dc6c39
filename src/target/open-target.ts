import { keepOutOfGit } from "../io/work-dir.js";
import { hostname, userInfo } from "node:os";
import { resolve } from "node:path";
import type { Environment } from "../types/index.js";
import type { CluedinObject } from "../cluedin/model.js";
import type { ConfigStore, RestKind } from "./contract.js";
import { ClueServerTarget } from "./clue-server-target.js";
import { HttpClient, type HttpClientOptions } from "./http-client.js";

export interface OpenedTarget {
  store: ConfigStore;
  /** Where the target is, for messages: never a secret. */
  describe: string;
  /** Who this process acts as: the local user, or the OAuth client. */
  actor: string;
  /** The client secret, so that every output of the run can mask it. */
  secrets: string[];
  /** One line plan and apply print about the target's guarantees (a platform without locks says so). */
  notice?: string;
  /** Present for `type: cluedin`: what plan and apply need beyond the store contract. */
  cluedin?: CluedinDeploy;
}

/** The platform target's extras: its entity types (only ever created) and what a change makes it reprocess. */
export interface CluedinDeploy {
  entityTypes(): Promise<Map<string, CluedinObject>>;
  affectedRecords(kind: RestKind, name: string): Promise<number | undefined>;
  /** The objects carrying clue's marker (with their entity types), and how many of clue's kinds do not. */
  objects(): Promise<{ managed: CluedinObject[]; unmanaged: number }>;
}

/** A reference the environment file names cannot be resolved here: a clear error, never the value. */
export class TargetConfigError extends Error {
  override name = "TargetConfigError";
}

export type Ref = string | { from_env?: string; vault?: string };

export function resolveRef(value: Ref, what: string, envFile: string): string {
  if (typeof value === "string") return value;
  if (value.from_env !== undefined) {
    const found = process.env[value.from_env];
    if (found === undefined || found === "")
      throw new TargetConfigError(
        `${envFile}: ${what} comes from the environment variable ${value.from_env}, which is not set; set it (CI: from the repository's secrets)`,
      );
    return found;
  }
  throw new TargetConfigError(
    `${envFile}: ${what} is a vault reference (${value.vault ?? "?"}); this version of clue reads secrets from environment variables only — use { from_env: NAME }`,
  );
}

/** CLUE_HTTP_MAX_ATTEMPTS, when set: a whole number from 1 to 100. */
export function maxAttempts(): number {
  const text = process.env.CLUE_HTTP_MAX_ATTEMPTS;
  if (text === undefined || text === "") return 8;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 100)
    throw new TargetConfigError(`CLUE_HTTP_MAX_ATTEMPTS must be a whole number from 1 to 100, not "${text}"`);
  return n;
}

/** The local user and machine, for lock holders and release records. */
export function localActor(): string {
  let user = "unknown";
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (some containers): the host alone still says where the run came from.
  }
  return `${user}@${hostname()}`;
}

/**
 * Opens an environment's target: the embedded store in a folder for `local`, clue's REST contract for
 * `clue-server`, the CluedIn platform's published API for `cluedin`.
 * Credentials are read from the process environment here and nowhere else.
 */
export async function openTarget(
  root: string,
  env: Environment,
  envFile: string,
  options: {
    correlationId: string;
    onRetry?: HttpClientOptions["onRetry"];
    /** Scopes to ask for beyond the environment's auth.scope: `locks:force` for `clue unlock --force`. */
    extraScopes?: string[];
  },
): Promise<OpenedTarget> {
  const target = env.target;
  if (target.type === "local") {
    const dir = resolve(root, target.path ?? ".clue/local");
    keepOutOfGit(dir);
    const { openStore } = await import("../serve/store.js");
    return {
      store: await openStore(dir),
      describe: `local folder ${target.path ?? ".clue/local"}`,
      actor: localActor(),
      secrets: [],
    };
  }
  if (target.type === "cluedin") {
    const { openCluedinTarget } = await import("./cluedin/open.js");
    return openCluedinTarget(target, envFile, options);
  }
  const url = resolveRef(target.url, "target.url", envFile);
  let base: URL;
  try {
    base = new URL(url);
  } catch {
    throw new TargetConfigError(
      `${envFile}: target.url is not a URL; give the platform's base URL, e.g. https://mdm.example.com`,
    );
  }
  if (base.username !== "" || base.password !== "")
    throw new TargetConfigError(
      `${envFile}: target.url carries a user name or password; credentials belong in auth (client_id, client_secret), never in the URL`,
    );
  if (base.protocol !== "https:" && base.protocol !== "http:")
    throw new TargetConfigError(`${envFile}: target.url must be an http(s) URL, not ${base.protocol}`);
  const clientId = resolveRef(target.auth.client_id, "auth.client_id", envFile);
  const clientSecret = resolveRef(target.auth.client_secret, "auth.client_secret", envFile);
  const client = new HttpClient({
    baseUrl: base.href,
    credentials: {
      clientId,
      clientSecret,
      scope: withScopes(target.auth.scope, options.extraScopes ?? []),
      tokenUrl: target.auth.token_url,
    },
    correlationId: options.correlationId,
    timeoutMs: (target.timeout_seconds ?? 30) * 1000,
    maxAttempts: maxAttempts(),
    ...(options.onRetry ? { onRetry: options.onRetry } : {}),
  });
  return {
    store: new ClueServerTarget(client),
    describe: `${base.origin}${base.pathname === "/" ? "" : base.pathname}`,
    actor: clientId,
    secrets: [clientSecret],
  };
}

/**
 * The environment's scopes plus `extra`. Without auth.scope the platform grants the client's default scopes, which
 * a narrowed request would lose, so the contract's read and write scopes are named alongside.
 */
function withScopes(scope: string | undefined, extra: string[]): string | undefined {
  if (extra.length === 0) return scope;
  const base = scope?.split(/\s+/).filter(Boolean) ?? ["config:read", "config:write"];
  return [...new Set([...base, ...extra])].join(" ");
}
