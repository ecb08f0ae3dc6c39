import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { copyJson } from "../../util/json-values.js";
import { openDurableDir, removeTempFiles, type DurableDir } from "../atomic-file.js";
import { openJournal, type Journal } from "../journal.js";
import { claimFolder, releaseOwner, type FolderKind } from "../store-folder.js";

/** The platform's object kinds the stand-in keeps, each a map from GUID to the object as the API answers it. */
export const COLLECTIONS = [
  "entityTypes",
  "vocabularies",
  "keys",
  "rules",
  "dedupProjects",
  "dedupRules",
  "streams",
] as const;
export type Collection = (typeof COLLECTIONS)[number];

export type Stored = Record<string, unknown> & { id: string };

/** One acknowledged write: the object's new state, or null for a delete. */
interface Line {
  seq: number;
  collection: Collection;
  id: string;
  value: Stored | null;
}

interface Snapshot {
  seq: number;
  collections: Record<Collection, Stored[]>;
}

export const STANDIN_FOLDER: FolderKind = {
  marker: "cluedin-store.json",
  format: 1,
  label: "CluedIn stand-in store",
  inputs: ["entities.json"],
};

const JOURNAL = "journal.jsonl";
const SNAPSHOT = "state.json";
/** Past this many journal lines, opening folds them into the snapshot, so a long-lived folder opens quickly. */
const COMPACT_AFTER = 1000;

export interface CluedinStore {
  dir: string;
  list(collection: Collection): Stored[];
  get(collection: Collection, id: string): Stored | undefined;
  /** Durable before it resolves; call it inside `serial`. */
  put(collection: Collection, value: Stored): Promise<void>;
  remove(collection: Collection, id: string): Promise<void>;
  /** Runs writes one at a time, so what a handler checked (a name not taken) still holds when it writes. */
  serial<T>(work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Opens (or creates) the stand-in's store: a snapshot plus an append-only journal whose every line is fsynced
 * before the write is acknowledged, so whatever the server answered survives kill -9.
 */
export async function openCluedinStore(dir: string): Promise<CluedinStore> {
  const root = await openDurableDir(dir);
  let journal: Journal<Line> | undefined;
  try {
    await claimFolder(root, STANDIN_FOLDER);
    await removeTempFiles(dir);
    const snapshot = await readSnapshot(dir);
    const opened = await openJournal<Line>(join(dir, JOURNAL));
    journal = opened.journal;
    const data = new Map<Collection, Map<string, Stored>>(
      COLLECTIONS.map((c) => [c, new Map((snapshot.collections[c] ?? []).map((o) => [o.id, o]))]),
    );
    let seq = snapshot.seq;
    for (const line of opened.lines) {
      // Lines a compaction already folded in (it was killed before it emptied the journal).
      if (line.seq <= snapshot.seq) continue;
      apply(data, line);
      seq = line.seq;
    }
    if (opened.lines.length > COMPACT_AFTER) {
      await journal.close();
      journal = undefined;
      await compact(root, data, seq);
      journal = (await openJournal<Line>(join(dir, JOURNAL))).journal;
    }
    await root.sync();
    return storeOn(dir, root, journal, data, seq);
  } catch (error) {
    await journal?.close().catch(() => undefined);
    await root.close().catch(() => undefined);
    await releaseOwner(dir).catch(() => undefined);
    throw error;
  }
}

function storeOn(
  dir: string,
  root: DurableDir,
  journal: Journal<Line>,
  data: Map<Collection, Map<string, Stored>>,
  lastSeq: number,
): CluedinStore {
  let seq = lastSeq;
  let tail: Promise<unknown> = Promise.resolve();
  const map = (c: Collection) => data.get(c) as Map<string, Stored>;
  // The journal append is the commit point: memory changes only once the line is on disk.
  const commit = async (collection: Collection, id: string, value: Stored | null) => {
    const line: Line = { seq: seq + 1, collection, id, value: value && copyJson(value) };
    await journal.append(line);
    seq = line.seq;
    apply(data, line);
  };
  return {
    dir,
    list: (c) => [...map(c).values()].map((o) => copyJson(o)),
    get: (c, id) => {
      const found = map(c).get(id);
      return found && copyJson(found);
    },
    put: (c, value) => commit(c, value.id, value),
    remove: (c, id) => commit(c, id, null),
    serial(work) {
      const run = tail.then(work);
      tail = run.catch(() => undefined);
      return run;
    },
    async close() {
      await tail;
      await journal.close();
      await root.close();
      await releaseOwner(dir);
    },
  };
}

function apply(data: Map<Collection, Map<string, Stored>>, line: Line): void {
  const map = data.get(line.collection);
  if (!map) return;
  if (line.value === null) map.delete(line.id);
  else map.set(line.id, line.value);
}

async function readSnapshot(dir: string): Promise<Snapshot> {
  const text = await readFile(join(dir, SNAPSHOT), "utf8").catch(() => undefined);
  if (text === undefined) return { seq: 0, collections: {} as Snapshot["collections"] };
  return JSON.parse(text) as Snapshot;
}

/** Snapshot first (atomically), then an empty journal: a kill between the two leaves lines the seq skips. */
async function compact(
  root: DurableDir,
  data: Map<Collection, Map<string, Stored>>,
  seq: number,
): Promise<void> {
  const collections = Object.fromEntries(COLLECTIONS.map((c) => [c, [...(data.get(c)?.values() ?? [])]]));
  await root.writeFile(SNAPSHOT, `${JSON.stringify({ seq, collections })}\n`);
  await root.writeFile(JOURNAL, "");
}
