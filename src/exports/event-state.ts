import { readFileSync } from "node:fs";
import { join } from "node:path";
import { writeOutputFile } from "../io/output-file.js";

export const EVENT_STATE_FORMAT = 1;

/** What was last published for one entity: enough to number the next version and chain its hash. */
export interface PublishedEntity {
  entityType: string;
  version: number;
  hash: string;
  externalIds: { system: string; id: string }[];
  /** Set once its tombstone is published; a later upsert of the same id goes on from this version. */
  deleted?: true;
  /** The partition its events went to: its tombstone goes there too. */
  partitionKey?: string;
}

export interface EventState {
  format_version: number;
  export: string;
  entities: Record<string, PublishedEntity>;
}

export class EventStateError extends Error {
  override name = "EventStateError";
}

/** Where `--state DIR` keeps an event export's state. */
export function eventStatePath(dir: string, exportName: string): string {
  return join(dir, `${exportName}.events.json`);
}

/** The state a previous run left, or an empty one when the file does not exist yet. */
export function readEventState(path: string, exportName: string): EventState {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT")
      return { format_version: EVENT_STATE_FORMAT, export: exportName, entities: {} };
    throw new EventStateError(`cannot read event state ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new EventStateError(
      `event state ${path} is not valid JSON (${(error as Error).message}); restore it from a backup — deleting it republishes every entity as version 1`,
    );
  }
  const state = parsed as Partial<EventState> | null;
  if (
    state === null ||
    typeof state !== "object" ||
    state.format_version !== EVENT_STATE_FORMAT ||
    typeof state.entities !== "object" ||
    state.entities === null ||
    Array.isArray(state.entities)
  )
    throw new EventStateError(
      `event state ${path} is not a clue event state of format_version ${EVENT_STATE_FORMAT}; restore it from a backup`,
    );
  if (state.export !== exportName)
    throw new EventStateError(
      `event state ${path} belongs to export ${String(state.export)}, not ${exportName}`,
    );
  for (const [id, entity] of Object.entries(state.entities)) {
    const e = entity as Partial<PublishedEntity> | null;
    if (
      e === null ||
      typeof e !== "object" ||
      typeof e.entityType !== "string" ||
      !Number.isSafeInteger(e.version) ||
      (e.version as number) < 0 ||
      typeof e.hash !== "string" ||
      !Array.isArray(e.externalIds)
    )
      throw new EventStateError(
        `event state ${path}: the entry of ${id} is malformed; restore it from a backup`,
      );
  }
  return { format_version: EVENT_STATE_FORMAT, export: exportName, entities: { ...state.entities } };
}

/**
 * Writes the state through a temporary file and a rename, so a run killed while writing leaves the previous state
 * whole rather than half a file.
 */
export function writeEventState(path: string, state: EventState): void {
  const entities = Object.fromEntries(Object.entries(state.entities).sort(([a], [b]) => (a < b ? -1 : 1)));
  writeOutputFile(path, `${JSON.stringify({ ...state, entities }, null, 2)}\n`);
}
