import { createHash } from "node:crypto";
import {
  TargetError,
  type CallMeta,
  type Lock,
  type Release,
  type RemoteResource,
} from "../target/contract.js";
import { canonicalJson } from "../util/canonical-json.js";

/** Keys are kept at least this long (a day, plus slack for clocks and slow retries). */
export const IDEMPOTENCY_TTL_MS = 25 * 60 * 60 * 1000;

/** What a write answered the first time, to answer a retry with. */
export type IdempotentResult =
  | { op: "put"; status: 200 | 201; resource: RemoteResource }
  | { op: "delete" }
  | { op: "lock"; lock: Lock }
  | { op: "unlock" }
  | { op: "release"; release: Release };

export interface IdempotencyRecord {
  key: string;
  actor: string;
  /** sha256 of the method, path and canonical body: what "the same request" means. */
  fingerprint: string;
  /** `METHOD /path`, for the message when a key comes back with another request. */
  request: string;
  at: string;
  result: IdempotentResult;
}

/** The request a write stands for, as the REST layer would see it. */
export interface RequestIdentity {
  method: "PUT" | "DELETE" | "POST";
  path: string;
  body: unknown;
}

export function fingerprint(request: RequestIdentity): string {
  return createHash("sha256")
    .update(canonicalJson([request.method, request.path, request.body ?? null]))
    .digest("hex");
}

/** The keys seen in the last day, by actor and key: one client's key never answers another client's call. */
export class IdempotencyIndex {
  private readonly records = new Map<string, IdempotencyRecord>();
  private lastPrune = 0;

  constructor(private readonly now: () => Date) {}

  add(record: IdempotencyRecord): void {
    if (this.expired(record)) return;
    this.records.set(slot(record.actor, record.key), record);
  }

  /**
   * The first answer to this key when the request is the same; undefined for a new key; 422 when the key was used
   * for another request.
   */
  lookup(meta: CallMeta, request: RequestIdentity, print: string): IdempotentResult | undefined {
    this.prune();
    if (meta.idempotencyKey === null) return undefined;
    const record = this.records.get(slot(meta.actor, meta.idempotencyKey));
    if (!record || this.expired(record)) return undefined;
    if (record.fingerprint === print) return record.result;
    const line = `${request.method} ${request.path}`;
    throw new TargetError(
      422,
      "idempotency_key_reused",
      `Idempotency-Key "${meta.idempotencyKey}" was already used at ${record.at} for ` +
        `${record.request === line ? `${line} with another body` : record.request}; use a new key for a new request`,
    );
  }

  /** The record to keep for a write that succeeded; undefined when the call had no key. */
  make(
    meta: CallMeta,
    request: RequestIdentity,
    print: string,
    result: IdempotentResult,
  ): IdempotencyRecord | undefined {
    if (meta.idempotencyKey === null) return undefined;
    return {
      key: meta.idempotencyKey,
      actor: meta.actor,
      fingerprint: print,
      request: `${request.method} ${request.path}`,
      at: this.now().toISOString(),
      result,
    };
  }

  private expired(record: IdempotencyRecord): boolean {
    return Date.parse(record.at) + IDEMPOTENCY_TTL_MS < this.now().getTime();
  }

  private prune(): void {
    const now = this.now().getTime();
    if (now - this.lastPrune < 60_000) return;
    this.lastPrune = now;
    for (const [k, record] of this.records) if (this.expired(record)) this.records.delete(k);
  }
}

function slot(actor: string, key: string): string {
  return `${actor}\u0000${key}`;
}
