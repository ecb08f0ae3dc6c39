/**
 * The messages between the main thread and its worker threads. Workers load the project themselves (compiled
 * pipelines cannot be sent), take pieces of files or rows, and answer each with its sequence number; the main
 * thread keeps everything that depends on order (unique checks, counts, dead letters, output).
 */
import type { Value } from "../expr/types.js";
import type { KeyNumbers } from "../matching/key-numbers.js";
import type { PairList } from "../matching/pair-list.js";
import type { CsvDialect } from "../io/csv.js";
import type { CsvKeys } from "../io/csv-header.js";
import { InputError } from "../io/input-error.js";
import { PipelineError } from "../pipeline/pipeline-error.js";
import type { Stage } from "../pipeline/run.js";
import type { UnitMode, UnitOutcome } from "./unit.js";

export interface WorkerInit {
  /** The project's root: the worker reads it as the main thread did. */
  root: string;
  /** What the main thread read there, so a project changed in between is noticed. */
  fingerprint: string;
  stage: Stage;
  mode: UnitMode;
  /** Whether the main thread wants each row's dedup parts (to describe pairs: the matches stage, a cluster guard). */
  partsToMain: boolean;
  inputs: { source: string; entity: string; path: string; csv: CsvDialect }[];
  /** The pre-pass's values of `reference` checks: `Entity.field` and its values. */
  entityValues: [string, string[]][];
}

export type ToWorker =
  | {
      type: "text";
      seq: number;
      input: number;
      text: string;
      firstLine: number | undefined;
      keys: CsvKeys | undefined;
      format: "jsonl" | "csv";
      end: boolean;
    }
  /** Rows the main thread ran itself: the worker keeps them for golden records and computes their parts. */
  | { type: "store"; seq: number; input: number; rows: Record<string, Value>[] }
  | MatchRequest
  | GoldenRequest;

/**
 * Matching: each worker gathers the parts it numbers keys from, of every record, and numbers the keys of its
 * blocking passes; then it gathers the whole parts of the records in its share of the blocks, and compares its share
 * of the candidate pairs. Each request is answered with its `seq`.
 */
export type MatchRequest =
  | {
      type: "match-keys";
      seq: number;
      /** This worker's records that take part, as [seq, index in the piece, record number] triples. */
      numbers: Int32Array;
      records: number;
      /** Per worker: the parts (by index) it reads of every record: its passes' keys, the model's term frequencies. */
      columns: number[][];
      /** The blocking passes this worker numbers. */
      passes: number[];
    }
  | {
      type: "match-score";
      seq: number;
      keyIds: KeyNumbers[];
      share: { of: number; index: number };
      merge: [number, number][];
      neverMerge: [number, number][];
      /** Each record's source number, for link_only and one_to_one. */
      sources: Int32Array | undefined;
      /** Per other worker: the records of this one whose whole parts it needs, as [seq, index, number] triples. */
      send: { worker: number; rows: Int32Array }[];
    };

/** Golden records: first the rows each worker needs from the others, then the clusters each worker makes. */
export type GoldenRequest =
  | {
      type: "golden-send";
      /** Per other worker: the rows it needs, as [seq, index in its piece, record number] triples. */
      to: { worker: number; rows: number[] }[];
      /** Where the golden records' text goes: slots of bytes shared with the main thread (see golden.ts). */
      slots: SharedArrayBuffer | undefined;
    }
  | {
      type: "golden-make";
      seq: number;
      /** The clusters: their sizes, their members (record numbers) one cluster after another, their confidence. */
      sizes: number[];
      members: number[];
      confidence: number[];
      /** Where each member's row is: [seq, index] of this worker's pieces, or [-1, -1] for a row another sent. */
      at: number[];
      asText: boolean;
      /** The slot of the shared bytes this batch's text goes to. */
      slot: number;
    };

export type FromWorker =
  | { type: "ready"; uniqueChecks: number[] }
  | { type: "unit"; seq: number; outcome: SentOutcome; later?: LaterFacts }
  | { type: "stored"; seq: number; later: LaterFacts }
  /**
   * Golden records made: as UTF-8 JSON Lines (each record's byte length in `lengths`) in the slot asked for, or in
   * `bytes` when they did not fit it; or as objects.
   */
  | {
      type: "golden";
      seq: number;
      used: number;
      bytes: Uint8Array | undefined;
      lengths: number[];
      records: unknown[];
    }
  | { type: "keys"; seq: number; keys: KeyNumbers[] }
  | { type: "scored"; seq: number; pairs: PairList; compared: number }
  | { type: "failed"; error: SentError };

/**
 * A piece's outcome as sent: rows stay with the worker; written text is sent as UTF-8 bytes when the main thread
 * has no issues to add to it (`text` is then empty).
 */
export type SentOutcome = Omit<UnitOutcome, "rows" | "error"> & { error?: SentError; bytes?: Uint8Array };

/** Text as UTF-8 in a buffer of its own, to be handed over rather than copied. */
export function utf8(text: string): Uint8Array {
  const bytes = Buffer.from(text);
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? bytes
    : new Uint8Array(bytes);
}

/** What the main thread needs of each written row for the stages after validation. */
export interface LaterFacts {
  /** The row's id value (its entity's id field), null when it has none. */
  ids: Value[];
  /** Rows whose issues reject or quarantine them (they take no part in matching). */
  excluded: number[];
  /** Each row's part values, or the message of the error computing them threw. */
  parts: (Value[] | string)[];
}

export interface SentError {
  name: string;
  message: string;
  path?: string;
  line?: number;
  usage?: boolean;
}

export function sendError(error: unknown): SentError {
  if (error instanceof InputError)
    return { name: "InputError", message: error.message, path: error.path, line: error.line };
  if (error instanceof PipelineError)
    return { name: "PipelineError", message: error.message, usage: error.usage };
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: "Error", message: String(error) };
}

/** The error as the thread that met it would have thrown it: the CLI reports it the same way. */
export function receivedError(sent: SentError): Error {
  if (sent.name === "InputError") return new InputError(sent.message, sent.path ?? "", sent.line ?? 0);
  if (sent.name === "PipelineError") return new PipelineError(sent.message, sent.usage === true);
  const error = new Error(sent.message);
  if (sent.name !== "Error") error.name = sent.name;
  return error;
}
