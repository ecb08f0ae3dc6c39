import { readFile, unlink } from "node:fs/promises";
import { join } from "node:path";
import {
  REST_KINDS,
  type AuditEntry,
  type Lock,
  type Release,
  type RemoteResource,
  type RestKind,
} from "../target/contract.js";
import { removeTempFiles, type DurableDir } from "./atomic-file.js";
import { IdempotencyIndex, type IdempotencyRecord } from "./idempotency.js";
import type { Journal } from "./journal.js";
import { ResourceIndex } from "./resource-index.js";
import { StoreOpenError } from "./store-folder.js";

/**
 * One line of the journal (journal.jsonl): a committed write's audit entry, its idempotency record, and for locks
 * and releases the change itself. The journal is the audit log, the release history and the lock state at once.
 */
export interface JournalLine {
  audit: AuditEntry;
  idempotency?: IdempotencyRecord;
  lock?: Lock;
  unlock?: { env: string; lock_id: string };
  release?: Release;
}

/**
 * A resource file (resources/KIND/NAME.json). Writing it is the commit point of a resource write, so it carries the
 * journal line too: if the process dies before that line is appended, opening the store appends it. A delete
 * writes `resource: null` and removes the file once its journal line is durable.
 */
export interface ResourceFile {
  kind: RestKind;
  name: string;
  resource: RemoteResource | null;
  journal: JournalLine;
}

/** What the journal and resource files say, in memory. */
export class State {
  readonly audits: AuditEntry[] = [];
  readonly auditIds = new Set<string>();
  readonly idempotency: IdempotencyIndex;
  readonly locks = new Map<string, Lock>();
  /**
   * Who took each held lock: the client id (the token's subject) the acquire was made as. Only that client may
   * release it without force. Read from the acquire's audit entry, so journals written before this existed say it.
   */
  readonly lockOwners = new Map<string, string>();
  readonly releases: Release[] = [];
  readonly indexes = Object.fromEntries(REST_KINDS.map((k) => [k, new ResourceIndex()])) as Record<
    RestKind,
    ResourceIndex
  >;

  constructor(readonly now: () => Date) {
    this.idempotency = new IdempotencyIndex(now);
  }

  apply(line: JournalLine): void {
    this.audits.push(line.audit);
    this.auditIds.add(line.audit.id);
    if (line.idempotency) this.idempotency.add(line.idempotency);
    if (line.lock) {
      this.locks.set(line.lock.env, line.lock);
      this.lockOwners.set(line.lock.env, line.audit.actor);
    }
    if (line.unlock && this.locks.get(line.unlock.env)?.lock_id === line.unlock.lock_id) {
      this.locks.delete(line.unlock.env);
      this.lockOwners.delete(line.unlock.env);
    }
    if (line.release) this.releases.push(line.release);
  }
}

/** Loads one kind's resource files, finishing any write the last process committed but did not journal. */
export async function loadKind(
  folder: DurableDir,
  kind: RestKind,
  state: State,
  journal: Journal<JournalLine>,
) {
  const files = (await removeTempFiles(folder.path)).filter((name) => name.endsWith(".json"));
  const index = state.indexes[kind];
  const batch = 64;
  for (let i = 0; i < files.length; i += batch) {
    const read = await Promise.all(
      files.slice(i, i + batch).map(async (file) => {
        const path = join(folder.path, file);
        try {
          return { file, content: JSON.parse(await readFile(path, "utf8")) as ResourceFile };
        } catch (error) {
          // Files are only ever renamed into place whole, so this is damage from outside: say where it is.
          throw new StoreOpenError(`${path} is not a readable resource file (${(error as Error).message})`);
        }
      }),
    );
    for (const { file, content } of read) {
      // The process died after this write committed and before its journal line was appended.
      if (!state.auditIds.has(content.journal.audit.id)) {
        await journal.append(content.journal);
        state.apply(content.journal);
      }
      if (content.resource) index.set(content.resource);
      else await unlink(join(folder.path, file));
    }
  }
}
