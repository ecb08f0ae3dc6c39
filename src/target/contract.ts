/**
 * The target contract (SPEC section 7) as types: what `clue serve` stores and serves over REST, what the local
 * target keeps in a folder, and what plan / apply / promote read and write. One shape for all three.
 */

/** REST kinds, as they appear in paths: /api/config/{kind}. */
export const REST_KINDS = [
  "entities",
  "mappings",
  "cleaning-projects",
  "validations",
  "dedup-rules",
  "contracts",
  "exports",
  "webhooks",
] as const;
export type RestKind = (typeof REST_KINDS)[number];

/**
 * The scope that lets a client break a lock another client took (`DELETE /api/locks/{env}/{lock_id}?force=true`):
 * what `clue unlock --force` asks for. Platforms grant it only explicitly.
 */
export const FORCE_SCOPE = "locks:force";

/** A resource as the target holds it. `version`, `etag`, `updated_at` and `updated_by` are assigned by the target. */
export interface RemoteResource {
  kind: RestKind;
  name: string;
  spec: Record<string, unknown>;
  /** Starts at 1 on create, + 1 on every update. */
  version: number;
  /** Opaque; changes with every write. Sent back in If-Match. */
  etag: string;
  labels: Record<string, string>;
  updated_at: string;
  updated_by: string;
}

/** The body of a PUT: what the client decides. */
export interface ResourceWrite {
  spec: Record<string, unknown>;
  labels: Record<string, string>;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface Lock {
  lock_id: string;
  env: string;
  holder: string;
  reason?: string;
  acquired_at: string;
}

export type ReleaseStatus = "green" | "red";

/** What a client sends to record an apply. */
export interface ReleaseInput {
  env: string;
  /** sha256 of the desired config (before the environment's variables and overrides): what promote compares. */
  config_hash: string;
  git_revision: string | null;
  actor: string;
  /** green: every change applied; red: the apply stopped with changes left undone. */
  status: ReleaseStatus;
  changes: { create: number; update: number; delete: number };
  correlation_id: string;
  started_at: string;
  finished_at: string;
  /** The release this one promotes, when `clue promote` made it. */
  promoted_from?: { env: string; release_id: string };
  message?: string;
}

export interface Release extends ReleaseInput {
  id: string;
  created_at: string;
}

export type AuditAction =
  | "resource.create"
  | "resource.update"
  | "resource.delete"
  | "lock.acquire"
  | "lock.release"
  | "release.create";

export interface AuditEntry {
  id: string;
  at: string;
  actor: string;
  action: AuditAction;
  correlation_id: string | null;
  kind?: RestKind;
  name?: string;
  version?: number;
  env?: string;
  detail?: string;
}

/** The error body of every 4xx/5xx: `{ error, message, correlation_id }`. */
export interface ErrorBody {
  error: string;
  message: string;
  correlation_id: string | null;
  /** On 409 from POST /api/locks/{env}: the lock that is held. */
  lock?: Lock;
  /** On 403: the scope the call needs. */
  required_scope?: string;
}

/** Who makes a call and how to answer it again if it is retried. */
export interface CallMeta {
  actor: string;
  correlationId: string | null;
  idempotencyKey: string | null;
}

/** A failure with an HTTP status: 400, 401, 403, 404, 409, 412, 422, 429, 5xx. */
export class TargetError extends Error {
  override name = "TargetError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Partial<ErrorBody> = {},
  ) {
    super(message);
  }
}

/**
 * The store behind both `clue serve` and the local target: persistent, every acknowledged write durable (a kill at
 * any moment loses nothing acknowledged and corrupts nothing), preconditions and idempotency enforced. Methods throw
 * TargetError with the status the REST layer answers.
 */
export interface ConfigStore {
  list(kind: RestKind, options: { limit: number; cursor: string | null }): Promise<Page<RemoteResource>>;
  get(kind: RestKind, name: string): Promise<RemoteResource | undefined>;
  /**
   * Creates (If-None-Match: * → 201; 412 when it exists) or updates (If-Match: etag → 200; 412 when the etag is
   * not current, 404 when it does not exist). With neither precondition: upsert. A repeated idempotency key with the
   * same body returns the first answer again (even after a restart); with another body, 422.
   */
  put(
    kind: RestKind,
    name: string,
    write: ResourceWrite,
    precondition: { ifMatch?: string; ifNoneMatch?: "*" },
    meta: CallMeta,
  ): Promise<{ status: 200 | 201; resource: RemoteResource }>;
  /** 204; 404 when absent; 412 when If-Match is not current. Idempotency keys as for put. */
  delete(kind: RestKind, name: string, precondition: { ifMatch?: string }, meta: CallMeta): Promise<void>;
  /** 201 with the new lock; 409 (TargetError with `extra.lock`) when someone holds it. */
  acquireLock(env: string, request: { holder: string; reason?: string }, meta: CallMeta): Promise<Lock>;
  /**
   * 204. Only the client that took the lock (`meta.actor`) may release it: another gets 403 `not_lock_holder`, unless
   * it asks for `force` (which `clue serve` grants only with the scope `locks:force`: `clue unlock --force`). 404
   * when no lock with that id is held; the answer never names the id of the lock that is held.
   */
  releaseLock(env: string, lockId: string, meta: CallMeta, options?: { force?: boolean }): Promise<void>;
  listReleases(env: string): Promise<Release[]>;
  createRelease(release: ReleaseInput, meta: CallMeta): Promise<Release>;
  audit(filter: { action?: string; since?: string }): Promise<AuditEntry[]>;
  close(): Promise<void>;
}
