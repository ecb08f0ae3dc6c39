import { randomBytes } from "node:crypto";
import { unlink } from "node:fs/promises";
import { join } from "node:path";
import {
  FORCE_SCOPE,
  REST_KINDS,
  TargetError,
  type AuditAction,
  type AuditEntry,
  type CallMeta,
  type ConfigStore,
  type Lock,
  type Release,
  type RemoteResource,
  type RestKind,
} from "../target/contract.js";
import { openDurableDir, removeTempFiles, type DurableDir } from "./atomic-file.js";
import {
  fingerprint,
  type IdempotencyRecord,
  type IdempotentResult,
  type RequestIdentity,
} from "./idempotency.js";
import { openJournal, type Journal } from "./journal.js";
import { copyJson } from "../util/json-values.js";
import {
  checkEnv,
  checkIfMatch,
  checkKind,
  checkName,
  checkWrite,
  makeEtag,
  notFound,
} from "./store-checks.js";
import { claimFolder, releaseOwner } from "./store-folder.js";
import { loadKind, State, type JournalLine, type ResourceFile } from "./store-state.js";

export interface StoreOptions {
  /** The clock, for tests. */
  now?: () => Date;
}

/**
 * Opens (or creates) the store in `dir`: one file per resource, an in-memory index loaded here, and an
 * append-only journal. Writes are serialised; each is durable on disk before its promise resolves.
 */
export async function openStore(dir: string, options: StoreOptions = {}): Promise<ConfigStore> {
  const now = options.now ?? (() => new Date());
  const root = await openDurableDir(dir);
  const opened: { close(): Promise<void> }[] = [root];
  try {
    await claimFolder(root);
    await removeTempFiles(dir);
    const { lines, journal } = await openJournal<JournalLine>(join(dir, "journal.jsonl"));
    opened.push(journal);
    await root.sync();
    const state = new State(now);
    for (const line of lines) state.apply(line);
    const folders = {} as Record<RestKind, DurableDir>;
    for (const kind of REST_KINDS) {
      folders[kind] = await openDurableDir(join(dir, "resources", kind));
      opened.push(folders[kind]);
      await loadKind(folders[kind], kind, state, journal);
    }
    return storeOn(dir, state, journal, folders, root);
  } catch (error) {
    for (const handle of opened.reverse()) await handle.close().catch(() => undefined);
    await releaseOwner(dir).catch(() => undefined);
    throw error;
  }
}

function storeOn(
  dir: string,
  state: State,
  journal: Journal<JournalLine>,
  folders: Record<RestKind, DurableDir>,
  root: DurableDir,
): ConfigStore {
  let tail: Promise<unknown> = Promise.resolve();
  let closed = false;
  /** Set when a write failed half-way: memory and disk may disagree until the store is opened again. */
  let broken: string | undefined;

  const usable = () => {
    if (closed) throw new TargetError(503, "store_closed", "the store is closed");
    if (broken)
      throw new TargetError(503, "store_unavailable", `the store stopped after a failed write (${broken})`);
  };
  /** Writes run one at a time: a precondition checked here still holds when the write lands. */
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(() => {
      usable();
      return work();
    });
    tail = run.catch(() => undefined);
    return run;
  };
  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      broken = error instanceof Error ? error.message : String(error);
      throw new TargetError(503, "store_unavailable", `the store could not write: ${broken}`);
    }
  };
  /** For locks and releases the journal append is the commit point: memory changes only once it is durable. */
  const commit = async (line: JournalLine) => {
    await guard(() => journal.append(line));
    state.apply(line);
  };
  /** For resources the file was the commit point; the journal line follows. */
  const writeResource = async (
    kind: RestKind,
    name: string,
    resource: RemoteResource | null,
    line: JournalLine,
  ) => {
    const file = fileName(name);
    const content: ResourceFile = { kind, name, resource, journal: line };
    await guard(() => folders[kind].writeFile(file, JSON.stringify(content)));
    if (resource) state.indexes[kind].set(resource);
    else state.indexes[kind].delete(name);
    state.apply(line);
    await guard(() => journal.append(line));
    // The journal now holds the delete, so its marker file can go; if this unlink is lost, open removes it again.
    if (!resource) await unlink(join(folders[kind].path, file)).catch(() => undefined);
  };
  const entry = (meta: CallMeta, action: AuditAction, fields: Partial<AuditEntry>): AuditEntry => ({
    id: newId("aud"),
    at: state.now().toISOString(),
    actor: meta.actor,
    action,
    correlation_id: meta.correlationId,
    ...fields,
  });
  /** Replays the first answer to a retried key, or runs the write and keeps its answer for the next retry. */
  const once = <T>(
    meta: CallMeta,
    request: RequestIdentity,
    replay: (result: IdempotentResult) => T,
    work: (keep: (result: IdempotentResult) => IdempotencyRecord | undefined) => Promise<T>,
  ): Promise<T> =>
    serial(async () => {
      const print = fingerprint(request);
      const earlier = state.idempotency.lookup(meta, request, print);
      if (earlier) return replay(earlier);
      return work((result) => state.idempotency.make(meta, request, print, result));
    });

  return rejectingNotThrowing({
    list(kind, { limit, cursor }) {
      usable();
      checkKind(kind);
      const page = state.indexes[kind].page(limit, cursor);
      return Promise.resolve({ items: page.items.map(copy), next_cursor: page.next_cursor });
    },

    get(kind, name) {
      usable();
      checkKind(kind);
      const found = state.indexes[kind].get(name);
      return Promise.resolve(found && copy(found));
    },

    put(kind, name, write, precondition, meta) {
      checkKind(kind);
      checkName(name);
      const body = checkWrite(write);
      const request: RequestIdentity = { method: "PUT", path: `/api/config/${kind}/${name}`, body };
      return once(
        meta,
        request,
        (r) => (r.op === "put" ? { status: r.status, resource: copy(r.resource) } : mismatch()),
        async (keep) => {
          const current = state.indexes[kind].get(name);
          if (precondition.ifNoneMatch === "*" && current)
            throw new TargetError(
              412,
              "already_exists",
              `${kind}/${name} already exists (version ${current.version}); If-None-Match: * only creates`,
            );
          if (precondition.ifMatch !== undefined) checkIfMatch(kind, name, current, precondition.ifMatch);
          const at = state.now().toISOString();
          const version = current ? current.version + 1 : 1;
          const fields = { kind, name, ...body, version, updated_at: at, updated_by: meta.actor };
          // The contract's field order, so stored files and answers read the same way every time.
          const resource: RemoteResource = {
            kind,
            name,
            spec: body.spec,
            version,
            etag: makeEtag(fields),
            labels: body.labels,
            updated_at: at,
            updated_by: meta.actor,
          };
          const status = current ? 200 : 201;
          const audit = entry(meta, current ? "resource.update" : "resource.create", { kind, name, version });
          await writeResource(
            kind,
            name,
            resource,
            withKept({ audit }, keep({ op: "put", status, resource })),
          );
          return { status, resource: copy(resource) };
        },
      );
    },

    delete(kind, name, precondition, meta) {
      checkKind(kind);
      checkName(name);
      const request: RequestIdentity = { method: "DELETE", path: `/api/config/${kind}/${name}`, body: null };
      return once(
        meta,
        request,
        (r) => (r.op === "delete" ? undefined : mismatch()),
        async (keep) => {
          const current = state.indexes[kind].get(name);
          if (!current) throw notFound(kind, name);
          if (precondition.ifMatch !== undefined) checkIfMatch(kind, name, current, precondition.ifMatch);
          const audit = entry(meta, "resource.delete", { kind, name, version: current.version });
          await writeResource(kind, name, null, withKept({ audit }, keep({ op: "delete" })));
        },
      );
    },

    acquireLock(env, request, meta) {
      checkEnv(env);
      const body = {
        holder: request.holder,
        ...(request.reason !== undefined ? { reason: request.reason } : {}),
      };
      if (typeof body.holder !== "string" || body.holder.trim() === "")
        throw new TargetError(400, "invalid_request", "holder must name who takes the lock");
      const identity: RequestIdentity = { method: "POST", path: `/api/locks/${env}`, body };
      return once(
        meta,
        identity,
        (r) => (r.op === "lock" ? copy(r.lock) : mismatch()),
        async (keep) => {
          const held = state.locks.get(env);
          if (held)
            throw new TargetError(
              409,
              "locked",
              `${env} is locked by ${held.holder} since ${held.acquired_at}` +
                `${held.reason ? ` (${held.reason})` : ""}; lock id ${held.lock_id}`,
              { lock: copy(held) },
            );
          const lock: Lock = { lock_id: newId("lock"), env, ...body, acquired_at: state.now().toISOString() };
          const detail = `${lock.lock_id} held by ${lock.holder}${lock.reason ? `: ${lock.reason}` : ""}`;
          const audit = entry(meta, "lock.acquire", { env, detail });
          await commit(withKept({ audit, lock }, keep({ op: "lock", lock })));
          return copy(lock);
        },
      );
    },

    releaseLock(env, lockId, meta, options = {}) {
      checkEnv(env);
      const force = options.force === true;
      const path = `/api/locks/${env}/${lockId}${force ? "?force=true" : ""}`;
      const identity: RequestIdentity = { method: "DELETE", path, body: null };
      return once(
        meta,
        identity,
        (r) => (r.op === "unlock" ? undefined : mismatch()),
        async (keep) => {
          const held = state.locks.get(env);
          // Never the held lock's id: a wrong guess must not hand over the right one.
          if (!held) throw new TargetError(404, "lock_not_found", `no lock is held on ${env}`);
          if (held.lock_id !== lockId)
            throw new TargetError(404, "lock_not_found", `lock ${lockId} is not the lock held on ${env}`);
          const owner = state.lockOwners.get(env);
          if (!force && owner !== meta.actor) throw notHolder(env);
          const by = force && owner !== meta.actor ? `, broken by force by ${meta.actor}` : "";
          const detail = `${lockId} held by ${held.holder}${by}`;
          const audit = entry(meta, "lock.release", { env, detail });
          await commit(withKept({ audit, unlock: { env, lock_id: lockId } }, keep({ op: "unlock" })));
        },
      );
    },

    listReleases(env) {
      usable();
      checkEnv(env);
      return Promise.resolve(state.releases.filter((r) => r.env === env).map(copy));
    },

    createRelease(input, meta) {
      checkEnv(input.env);
      const identity: RequestIdentity = { method: "POST", path: "/api/releases", body: input };
      return once(
        meta,
        identity,
        (r) => (r.op === "release" ? copy(r.release) : mismatch()),
        async (keep) => {
          const release: Release = {
            ...copy(input),
            id: newId("rel"),
            created_at: state.now().toISOString(),
          };
          const detail = `${release.id} ${release.status} ${release.config_hash}`;
          const audit = entry(meta, "release.create", { env: release.env, detail });
          await commit(withKept({ audit, release }, keep({ op: "release", release })));
          return copy(release);
        },
      );
    },

    audit({ action, since }) {
      usable();
      const from = since === undefined ? undefined : Date.parse(since);
      if (from !== undefined && Number.isNaN(from))
        throw new TargetError(400, "invalid_request", `since must be an ISO date-time (got "${since}")`);
      return Promise.resolve(
        state.audits
          .filter(
            (a) =>
              (action === undefined || a.action === action) &&
              (from === undefined || Date.parse(a.at) >= from),
          )
          .map(copy),
      );
    },

    async close() {
      if (closed) return;
      closed = true;
      await tail;
      await journal.close();
      for (const folder of Object.values(folders)) await folder.close();
      await releaseOwner(dir);
      await root.close();
    },
  });
}

/** Every method reports a bad argument by rejecting its promise, as callers awaiting it expect, never by throwing. */
function rejectingNotThrowing(store: ConfigStore): ConfigStore {
  const wrapped: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(store) as [string, (...args: unknown[]) => unknown][])
    wrapped[name] = (...args: unknown[]) => new Promise((resolve) => resolve(method(...args)));
  return wrapped as unknown as ConfigStore;
}

/**
 * 403 for a release by a client that did not take the lock. It names the scope that would allow it (as every 403 of
 * the contract does) and the command that uses it; the lock is whoever's it is, so no id and no holder are repeated.
 */
function notHolder(env: string): TargetError {
  return new TargetError(
    403,
    "not_lock_holder",
    `the lock on ${env} was taken by another client, and only that client may release it; to break it (a run that ` +
      `was killed), release it with force, which needs the scope ${FORCE_SCOPE}: clue unlock --env ${env} --force`,
    { required_scope: FORCE_SCOPE },
  );
}

/** One fingerprint covers method and path, so a key can only come back with the kind of result it first had. */
function mismatch(): never {
  throw new Error("an idempotency record does not match its request");
}

function withKept(line: JournalLine, kept: IdempotencyRecord | undefined): JournalLine {
  return kept ? { ...line, idempotency: kept } : line;
}

/** Names are checked against a safe pattern first; encoding still keeps a file name to one path segment. */
function fileName(name: string): string {
  return `${encodeURIComponent(name)}.json`;
}

function newId(prefix: string): string {
  return `${prefix}_${randomBytes(8).toString("hex")}`;
}

/**
 * Callers in-process (the local target) get their own copies, so they cannot edit the store's memory. Not
 * structuredClone: it runs out of stack on a resource nested ~2,000 levels deep, which an older version could store,
 * and then every list of its kind failed, even after a restart.
 */
function copy<T>(value: T): T {
  return copyJson(value);
}
