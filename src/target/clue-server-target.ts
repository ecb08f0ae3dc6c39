import {
  TargetError,
  type AuditEntry,
  type CallMeta,
  type ConfigStore,
  type Lock,
  type Page,
  type Release,
  type ReleaseInput,
  type RemoteResource,
  type ResourceWrite,
  type RestKind,
} from "./contract.js";
import type { HttpClient } from "./http-client.js";

const path = (kind: RestKind, name?: string) =>
  `/api/config/${kind}${name === undefined ? "" : `/${encodeURIComponent(name)}`}`;

/**
 * The `cluedin` target: the store interface spoken over the REST contract (SPEC section 7). What the server says
 * for people to read — error messages, locks, releases, audit entries — is passed through the client's `fromServer`
 * as it arrives, so nothing downstream prints a raw escape sequence, workflow command or echoed token. Resources are
 * data (compared and hashed) and are left exactly as they came; the plan escapes them when it prints them.
 */
export class ClueServerTarget implements ConfigStore {
  constructor(private readonly client: HttpClient) {}

  private readonly clean = <T>(value: T): T => cleanStrings(value, (text) => this.client.fromServer(text));

  async list(
    kind: RestKind,
    options: { limit: number; cursor: string | null },
  ): Promise<Page<RemoteResource>> {
    const query = new URLSearchParams({ limit: String(options.limit) });
    if (options.cursor !== null) query.set("cursor", options.cursor);
    const response = await this.client.request("GET", `${path(kind)}?${query.toString()}`);
    return response.body as Page<RemoteResource>;
  }

  async get(kind: RestKind, name: string): Promise<RemoteResource | undefined> {
    const response = await this.client.request("GET", path(kind, name), { expect: [404] });
    return response.status === 404 ? undefined : (response.body as RemoteResource);
  }

  async put(
    kind: RestKind,
    name: string,
    write: ResourceWrite,
    precondition: { ifMatch?: string; ifNoneMatch?: "*" },
    meta: CallMeta,
  ): Promise<{ status: 200 | 201; resource: RemoteResource }> {
    const response = await this.client.request("PUT", path(kind, name), {
      body: write,
      headers: {
        ...(precondition.ifMatch !== undefined ? { "if-match": precondition.ifMatch } : {}),
        ...(precondition.ifNoneMatch !== undefined ? { "if-none-match": precondition.ifNoneMatch } : {}),
        ...(meta.idempotencyKey !== null ? { "idempotency-key": meta.idempotencyKey } : {}),
      },
      expect: [404, 409, 412, 422],
    });
    if (response.status >= 400)
      throw errorOf(response.status, this.clean(response.body), `PUT ${path(kind, name)}`);
    return { status: response.status === 201 ? 201 : 200, resource: response.body as RemoteResource };
  }

  async delete(
    kind: RestKind,
    name: string,
    precondition: { ifMatch?: string },
    meta: CallMeta,
  ): Promise<void> {
    const response = await this.client.request("DELETE", path(kind, name), {
      headers: {
        ...(precondition.ifMatch !== undefined ? { "if-match": precondition.ifMatch } : {}),
        ...(meta.idempotencyKey !== null ? { "idempotency-key": meta.idempotencyKey } : {}),
      },
      expect: [404, 409, 412, 422],
    });
    if (response.status >= 400)
      throw errorOf(response.status, this.clean(response.body), `DELETE ${path(kind, name)}`);
  }

  async acquireLock(
    env: string,
    request: { holder: string; reason?: string },
    meta: CallMeta,
  ): Promise<Lock> {
    const response = await this.client.request("POST", `/api/locks/${encodeURIComponent(env)}`, {
      body: request,
      headers: meta.idempotencyKey !== null ? { "idempotency-key": meta.idempotencyKey } : {},
      expect: [409],
    });
    if (response.status === 409) throw errorOf(409, this.clean(response.body), `POST /api/locks/${env}`);
    return this.clean(response.body as Lock);
  }

  async releaseLock(
    env: string,
    lockId: string,
    _meta?: CallMeta,
    options: { force?: boolean } = {},
  ): Promise<void> {
    const where = `/api/locks/${encodeURIComponent(env)}/${encodeURIComponent(lockId)}`;
    const query = options.force ? "?force=true" : "";
    const response = await this.client.request("DELETE", `${where}${query}`, { expect: [404] });
    if (response.status === 404) throw errorOf(404, this.clean(response.body), `DELETE ${where}${query}`);
  }

  async listReleases(env: string): Promise<Release[]> {
    const response = await this.client.request(
      "GET",
      `/api/releases?${new URLSearchParams({ env }).toString()}`,
    );
    return this.clean((response.body as { items: Release[] }).items);
  }

  async createRelease(release: ReleaseInput, meta: CallMeta): Promise<Release> {
    const response = await this.client.request("POST", "/api/releases", {
      body: release,
      headers: meta.idempotencyKey !== null ? { "idempotency-key": meta.idempotencyKey } : {},
    });
    return this.clean(response.body as Release);
  }

  async audit(filter: { action?: string; since?: string }): Promise<AuditEntry[]> {
    const query = new URLSearchParams();
    if (filter.action !== undefined) query.set("action", filter.action);
    if (filter.since !== undefined) query.set("since", filter.since);
    const response = await this.client.request("GET", `/api/audit?${query.toString()}`);
    return this.clean((response.body as { items: AuditEntry[] }).items);
  }

  async close(): Promise<void> {}
}

function errorOf(status: number, body: unknown, where: string): TargetError {
  const b = (body ?? {}) as { error?: string; message?: string; lock?: Lock };
  return new TargetError(status, b.error ?? `http_${status}`, `${where}: ${b.message ?? `HTTP ${status}`}`, {
    ...(b.lock ? { lock: b.lock } : {}),
  });
}

/** Every string in a small JSON value (a lock, a release, an error body), passed through `clean`. */
function cleanStrings<T>(value: T, clean: (text: string) => string, depth = 0): T {
  if (typeof value === "string") return clean(value) as T;
  if (depth > 8 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v: unknown) => cleanStrings(v, clean, depth + 1)) as T;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, cleanStrings(v, clean, depth + 1)]),
  ) as T;
}
