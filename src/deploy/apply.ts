import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import {
  TargetError,
  type ConfigStore,
  type Lock,
  type Release,
  type ReleaseStatus,
} from "../target/contract.js";
import { sha256, specHash } from "./desired.js";
import { address, type Change, type Plan } from "./plan.js";
import { processAlive } from "../util/process-alive.js";

export class LockHeldError extends Error {
  override name = "LockHeldError";
  constructor(
    readonly lock: Lock,
    env: string,
  ) {
    super(
      `${env} is locked by ${lock.holder} since ${lock.acquired_at}${lock.reason ? ` (${lock.reason})` : ""}; wait for that run to finish, or if it was killed: clue unlock --env ${env} --force`,
    );
  }
}

export interface LockOptions {
  env: string;
  holder: string;
  reason: string;
  correlationId: string;
  actor: string;
  /** How long to wait for a lock someone else holds; 0 fails at once with the holder named. */
  waitSeconds: number;
  onWait?: (lock: Lock) => void;
  onTakeover?: (lock: Lock) => void;
}

/** `user@host pid N ...`: the pid of a holder on this machine, to tell a killed run's lock from a live one. */
function localPid(holder: string): number | undefined {
  const match = /^\S+@(\S+) pid (\d+)\b/.exec(holder);
  if (!match || match[1] !== hostname()) return undefined;
  return Number(match[2]);
}

/**
 * Takes the target's lock for an environment. A lock held by a run of clue on this machine whose process is gone
 * (killed mid-apply) is taken over, so re-running converges without a manual unlock; a live holder is waited for
 * up to `waitSeconds`, then named.
 */
export async function acquireLock(store: ConfigStore, options: LockOptions): Promise<Lock> {
  const deadline = Date.now() + options.waitSeconds * 1000;
  let told = false;
  for (;;) {
    try {
      return await store.acquireLock(
        options.env,
        { holder: options.holder, reason: options.reason },
        { actor: options.actor, correlationId: options.correlationId, idempotencyKey: null },
      );
    } catch (error) {
      const held = error instanceof TargetError && error.status === 409 ? error.extra.lock : undefined;
      if (!held) throw error;
      // Our own request, retried after its answer was lost: the lock is ours.
      if (held.holder === options.holder) return held;
      const pid = localPid(held.holder);
      if (pid !== undefined && pid !== process.pid && !processAlive(pid)) {
        // Two runs taking over the same dead lock at once: the one whose release comes second finds it gone. A
        // lock another client took is not ours to release (403): that takes clue unlock --force, as the error says.
        await store
          .releaseLock(options.env, held.lock_id, {
            actor: options.actor,
            correlationId: options.correlationId,
            idempotencyKey: null,
          })
          .catch((error: unknown) => {
            if (error instanceof TargetError && error.status === 403)
              throw new LockHeldError(held, options.env);
            if (!(error instanceof TargetError && error.status === 404)) throw error;
          });
        options.onTakeover?.(held);
        continue;
      }
      if (Date.now() >= deadline) throw new LockHeldError(held, options.env);
      if (!told) options.onWait?.(held);
      told = true;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

export interface ApplyOptions {
  store: ConfigStore;
  plan: Plan;
  actor: string;
  correlationId: string;
  gitRevision: string | null;
  /** Checked between writes: an interrupted apply stops cleanly after the write in flight. */
  stopped: () => boolean;
  onChange?: (change: Change, index: number, total: number) => void;
  promotedFrom?: { env: string; release_id: string };
  /** Recorded with the release: why a promotion ran outside its window, say. */
  note?: string;
}

export interface ApplyResult {
  applied: Change[];
  /** The change that failed, and why; the changes after it were not attempted. */
  failed?: { change: Change; message: string };
  interrupted: boolean;
  /** None when the run was interrupted before its first write: nothing happened, so nothing is recorded. */
  release: Release | undefined;
}

/**
 * The idempotency key of one write: within a run, a retry of the same write (same environment, resource, base
 * version and content) has the same key, so a retry whose first answer was lost is answered from the server's
 * record, not done twice. The run's nonce keeps keys apart across runs: a later run re-creating a resource that was
 * deleted meanwhile must really write it, not get the old answer replayed. Runs converge by planning again instead.
 */
export function idempotencyKey(env: string, change: Change, nonce: string): string {
  const content = change.desired
    ? specHash({ spec: change.desired.spec, labels: change.desired.labels })
    : "-";
  return sha256(
    [nonce, env, change.action, address(change.kind, change.name), change.remote?.etag ?? "-", content].join(
      "\u0000",
    ),
  ).slice(0, 40);
}

/**
 * Applies a plan's changes in its order (dependency order, deletes last in reverse): If-None-Match on creates,
 * If-Match on updates and deletes, an Idempotency-Key on every write. The first failure stops the apply; either way
 * a release records what happened (green when every change is applied). Re-running plans again from what the
 * target now holds, so an apply interrupted anywhere converges: what was written is not written twice.
 */
export async function applyChanges(options: ApplyOptions): Promise<ApplyResult> {
  const { store, plan } = options;
  // Fresh for every run, even when CLUE_CORRELATION_ID is fixed: idempotency keys never outlive their run.
  const nonce = randomUUID();
  const started = new Date().toISOString();
  const applied: Change[] = [];
  let failed: ApplyResult["failed"];
  let interrupted = false;
  for (const [i, change] of plan.changes.entries()) {
    if (options.stopped()) {
      interrupted = true;
      break;
    }
    options.onChange?.(change, i, plan.changes.length);
    const meta = {
      actor: options.actor,
      correlationId: options.correlationId,
      idempotencyKey: idempotencyKey(plan.env, change, nonce),
    };
    try {
      if (change.action === "delete") {
        try {
          await store.delete(change.kind, change.name, { ifMatch: change.remote?.etag ?? "" }, meta);
        } catch (error) {
          // Already gone is what a delete wants.
          if (!(error instanceof TargetError && error.status === 404)) throw error;
        }
      } else {
        const desired = change.desired;
        if (!desired) throw new Error(`internal: no desired spec for ${address(change.kind, change.name)}`);
        await store.put(
          change.kind,
          change.name,
          { spec: desired.spec, labels: desired.labels },
          change.action === "create" ? { ifNoneMatch: "*" } : { ifMatch: change.remote?.etag ?? "" },
          meta,
        );
      }
      applied.push(change);
    } catch (error) {
      failed = { change, message: describeFailure(change, error) };
      break;
    }
  }
  if (interrupted && applied.length === 0 && !failed) return { applied, interrupted, release: undefined };
  const status: ReleaseStatus = failed || interrupted ? "red" : "green";
  const count = (a: Change["action"]) => applied.filter((c) => c.action === a).length;
  const release = await store.createRelease(
    {
      env: plan.env,
      config_hash: plan.config_hash,
      git_revision: options.gitRevision,
      actor: options.actor,
      status,
      changes: { create: count("create"), update: count("update"), delete: count("delete") },
      correlation_id: options.correlationId,
      started_at: started,
      finished_at: new Date().toISOString(),
      ...(options.promotedFrom ? { promoted_from: options.promotedFrom } : {}),
      ...(failed || interrupted || options.note
        ? {
            message: [failed ? failed.message : interrupted ? "interrupted" : "", options.note ?? ""]
              .filter(Boolean)
              .join("; "),
          }
        : {}),
    },
    // A retried release whose first answer was lost must not be recorded twice.
    {
      actor: options.actor,
      correlationId: options.correlationId,
      idempotencyKey: sha256(`release\u0000${plan.env}\u0000${nonce}`).slice(0, 40),
    },
  );
  return { applied, ...(failed ? { failed } : {}), interrupted, release };
}

function describeFailure(change: Change, error: unknown): string {
  const where = `${change.action} ${address(change.kind, change.name)}`;
  if (error instanceof TargetError) {
    if (error.status === 412)
      return `${where}: it changed on the target after the plan was made; run clue plan again to see how`;
    return `${where}: ${error.message}`;
  }
  return `${where}: ${error instanceof Error ? error.message : String(error)}`;
}
