/**
 * The worker thread of `clue run --threads N`: it reads the project itself, compiles the same pipelines, and runs
 * the pieces of files the main thread sends it (see run.ts). For the stages after validation it keeps the rows it
 * made, computes their dedup parts (the costly per-record half of matching), and later makes golden records.
 */
import { parentPort, workerData, type MessagePort } from "node:worker_threads";
import { resourcesOf } from "../config/project.js";
import type { DeadLetter, SourceRecord } from "../io/record-parser.js";
import { indexProject } from "../lint/project-index.js";
import { compileDedup, type CompiledDedup } from "../matching/compile-dedup.js";
import { findMatches, passKeyIds, type MatchRecord } from "../matching/engine.js";
import { matchOptionsOf, matchRecordId } from "../matching/match-stage.js";
import type { Value } from "../expr/types.js";
import type { SourcePipeline } from "../pipeline/compile-pipeline.js";
import type { OutputRow } from "../pipeline/run.js";
import { SOURCE_FIELD } from "../pipeline/scope.js";
import { compileRunSource, projectContext } from "../pipeline/session.js";
import { goldenLineMaker, goldenRecordMaker } from "../golden/golden.js";
import type { Evaluator, Row } from "../expr/compile.js";
import { slotOf } from "./golden.js";
import { parsePiece } from "./pieces.js";
import { projectFingerprint, readProject } from "./project.js";
import {
  sendError,
  utf8,
  type FromWorker,
  type GoldenRequest,
  type LaterFacts,
  type MatchRequest,
  type ToWorker,
  type WorkerInit,
} from "./protocol.js";
import { laterFacts, recordingSeenSets, runUnit } from "./unit.js";

interface Data {
  index: number;
  init: WorkerInit;
  /** A port to each other worker, by its index (for the rows golden records need). */
  peers: Record<number, MessagePort>;
}

const port = parentPort as MessagePort;
const { init, peers } = workerData as Data;
const post = (message: FromWorker) => port.postMessage(message);

const project = readProject(init.root);
const entityValues = new Map(init.entityValues.map(([key, values]) => [key, new Set(values)]));

interface Input {
  pipeline: SourcePipeline;
  seen: { check: number; key: string }[];
  /** How many `unique` checks the pipeline has. */
  uniqueChecks: number;
  /** The dedup rules of its entity, for the stages after validation (none without them). */
  compiled: CompiledDedup | undefined;
  /** Their parts. */
  parts: Evaluator[] | undefined;
  withSource: ((row: OutputRow) => Row) | undefined;
}

let inputs: Input[] = [];
/** The rows this worker made or was given, by the piece they came in, with the input they came from and their parts. */
const store = new Map<number, { input: number; rows: OutputRow[]; parts: (Value[] | string)[] }>();

try {
  if (projectFingerprint(project) !== init.fingerprint)
    throw new Error(
      "the project's files changed while clue was starting its worker threads; run it again (or use --threads 1)",
    );
  const index = indexProject(project);
  const context = projectContext(project);
  inputs = init.inputs.map(({ source, entity }) => {
    const recorder = recordingSeenSets();
    const pipeline = compileRunSource(project, source, entity, entityValues, recorder.factory);
    const dedup = resourcesOf(project, "dedup").find((d) => d.spec.entity === pipeline.entity);
    const compiled =
      init.mode === "rows" && dedup
        ? compileDedup(dedup, index.fieldsOf(pipeline.entity), context)
        : undefined;
    return {
      pipeline,
      seen: recorder.seen,
      compiled,
      parts: compiled?.parts,
      withSource: compiled?.readsSource
        ? (row: OutputRow) => ({ ...row, [SOURCE_FIELD]: source })
        : undefined,
      uniqueChecks: recorder.made(),
    };
  });
  post({ type: "ready", uniqueChecks: inputs.map((i) => i.uniqueChecks) });
} catch (error) {
  post({ type: "failed", error: sendError(error) });
}

port.on("message", (message: ToWorker) => {
  handle(message).catch((error: unknown) => post({ type: "failed", error: sendError(error) }));
});

async function handle(message: ToWorker): Promise<void> {
  if (message.type === "text") {
    const input = inputs[message.input] as Input;
    const { path, csv } = init.inputs[message.input] as WorkerInit["inputs"][number];
    const deadLetters: DeadLetter[] = [];
    let records: SourceRecord[] = [];
    let parseError: unknown;
    try {
      records = parsePiece({ ...message, kind: "text" }, path, csv, (d) => deadLetters.push(d));
    } catch (error) {
      parseError = error;
    }
    const outcome = await runUnit(input.pipeline, records, deadLetters, init.stage, init.mode, input.seen);
    const { rows, error, ...sent } = outcome;
    const failure = parseError ?? error;
    let later: LaterFacts | undefined;
    if (init.mode === "rows") {
      later = laterFacts(input.pipeline, rows, input.parts, input.withSource);
      store.set(message.seq, { input: message.input, rows, parts: later.parts });
    }
    // Text the main thread writes as it is goes as bytes, encoded here rather than there.
    const bytes = sent.spans.length === 0 && sent.text !== "" ? utf8(sent.text) : undefined;
    const message_: FromWorker = {
      type: "unit",
      seq: message.seq,
      outcome: {
        ...sent,
        ...(bytes ? { text: "", bytes } : {}),
        ...(failure === undefined ? {} : { error: sendError(failure) }),
      },
      ...(later ? { later: init.partsToMain ? later : { ...later, parts: [] } } : {}),
    };
    port.postMessage(message_, bytes ? [bytes.buffer as ArrayBuffer] : []);
    return;
  }
  if (message.type === "store") {
    const input = inputs[message.input] as Input;
    const later = laterFacts(input.pipeline, message.rows, input.parts, input.withSource);
    store.set(message.seq, { input: message.input, rows: message.rows, parts: later.parts });
    if (init.partsToMain) post({ type: "stored", seq: message.seq, later });
    return;
  }
  if (message.type.startsWith("match-")) await match(message as MatchRequest);
  else await golden(message as GoldenRequest);
}

// ---------------------------------------------------------------------------------------------------------------
// What workers send each other: records' parts (for matching), the rows of other workers' clusters (golden)
// ---------------------------------------------------------------------------------------------------------------

type PeerMessage =
  /** Some parts of every record of the sender: `values[c][r]` is part `columns[c]` of record `numbers[r]`. */
  | { kind: "columns"; numbers: number[]; columns: number[]; values: Value[][] }
  | { kind: "parts"; numbers: number[]; parts: Value[][] }
  | { kind: "records"; numbers: number[]; records: MatchRecord[] };

const peerPorts = Object.values(peers);
/** Each port's worker. */
const peerIndexes = Object.keys(peers).map(Number);
/** Messages from the other workers by kind: each sends one of each kind, when the main thread asks it to. */
const inbox = new Map<
  PeerMessage["kind"],
  { messages: PeerMessage[]; all: () => void; arrived: Promise<void> }
>();

function box(kind: PeerMessage["kind"]) {
  let entry = inbox.get(kind);
  if (!entry) {
    let all: () => void = () => undefined;
    const arrived = new Promise<void>((resolve) => (all = resolve));
    entry = { messages: [], all, arrived };
    inbox.set(kind, entry);
    if (peerPorts.length === 0) all();
  }
  return entry;
}

/** The message of this kind from every other worker, once they have all come. */
async function fromPeers<K extends PeerMessage["kind"]>(
  kind: K,
): Promise<Extract<PeerMessage, { kind: K }>[]> {
  const entry = box(kind);
  await entry.arrived;
  return entry.messages as Extract<PeerMessage, { kind: K }>[];
}

for (const peer of peerPorts) {
  peer.on("message", (message: PeerMessage) => {
    const entry = box(message.kind);
    entry.messages.push(message);
    if (entry.messages.length === peerPorts.length) entry.all();
  });
  peer.unref();
}

// ---------------------------------------------------------------------------------------------------------------
// Matching
// ---------------------------------------------------------------------------------------------------------------

/**
 * Records' part values by record number: this worker's whole; the others' with the parts its passes number keys from,
 * then whole for the records in its share of the blocks.
 */
let partRows: (Value[] | undefined)[] = [];

async function match(message: MatchRequest): Promise<void> {
  const first = inputs[0] as Input;
  const compiled = first.compiled as CompiledDedup;
  const options = matchOptionsOf(compiled, []);
  if (message.type === "match-keys") {
    partRows = new Array<Value[] | undefined>(message.records);
    const own: number[] = [];
    for (let t = 0; t < message.numbers.length; t += 3) {
      const n = message.numbers[t + 2] as number;
      partRows[n] = partsAt(message.numbers[t] as number, message.numbers[t + 1] as number);
      own.push(n);
    }
    peerPorts.forEach((peer, p) => {
      const columns = message.columns[peerIndexes[p] as number] ?? [];
      const values = columns.map((c) => own.map((n) => (partRows[n] as Value[])[c] as Value));
      peer.postMessage({ kind: "columns", numbers: own, columns, values } satisfies PeerMessage);
    });
    const width = compiled.parts.length;
    for (const sent of await fromPeers("columns"))
      sent.numbers.forEach((n, r) => {
        const row = new Array<Value>(width).fill(null);
        sent.columns.forEach((c, x) => (row[c] = (sent.values[x] as Value[])[r] as Value));
        partRows[n] = row;
      });
    // Matching reads records only through their parts.
    const records = new Array<MatchRecord>(partRows.length);
    const keys = passKeyIds(records, { ...options, partRows }, message.passes);
    port.postMessage(
      { type: "keys", seq: message.seq, keys } satisfies FromWorker,
      // Passes that share a key share its numbers: a transfer list names each buffer once.
      [...new Set(keys.map((k) => k.ids.buffer as ArrayBuffer))],
    );
    return;
  }
  for (const { worker, rows } of message.send) {
    const numbers: number[] = [];
    const parts: Value[][] = [];
    for (let t = 0; t < rows.length; t += 3) {
      parts.push(partsAt(rows[t] as number, rows[t + 1] as number));
      numbers.push(rows[t + 2] as number);
    }
    (peers[worker] as MessagePort).postMessage({ kind: "parts", numbers, parts } satisfies PeerMessage);
  }
  for (const sent of await fromPeers("parts")) sent.numbers.forEach((n, k) => (partRows[n] = sent.parts[k]));
  const result = findMatches(new Array<MatchRecord>(partRows.length), {
    ...options,
    partRows,
    merge: message.merge,
    neverMerge: message.neverMerge,
    ...(message.sources ? { sources: message.sources } : {}),
    keyIds: message.keyIds,
    share: message.share,
  });
  const { pairs } = result;
  // Matching is done: the parts are not needed again (golden records read rows), so the heap need not keep them.
  partRows = [];
  for (const piece of store.values()) piece.parts = [];
  port.postMessage(
    { type: "scored", seq: message.seq, pairs, compared: result.compared } satisfies FromWorker,
    [
      pairs.i.buffer as ArrayBuffer,
      pairs.j.buffer as ArrayBuffer,
      pairs.score.buffer as ArrayBuffer,
      pairs.flags.buffer as ArrayBuffer,
    ],
  );
}

/** Whole parts of row k of piece `seq`; a part that threw (a value nested too deeply) ends the run, as in one thread. */
function partsAt(seq: number, k: number): Value[] {
  const values = store.get(seq)?.parts[k];
  if (typeof values === "string") throw new Error(values);
  if (values === undefined) throw new Error("a record's dedup parts are missing");
  return values;
}

// ---------------------------------------------------------------------------------------------------------------
// Golden records
// ---------------------------------------------------------------------------------------------------------------

/** The records other workers sent for this worker's clusters, by record number (gathered once). */
let received: Promise<Map<number, MatchRecord>> | undefined;

/** The bytes shared with the main thread that golden records' text is written to (see golden.ts). */
let slots: SharedArrayBuffer | undefined;

async function golden(message: GoldenRequest): Promise<void> {
  if (message.type === "golden-send") {
    slots = message.slots;
    for (const { worker, rows } of message.to) {
      const numbers: number[] = [];
      const records: MatchRecord[] = [];
      for (let k = 0; k < rows.length; k += 3) {
        const n = rows[k + 2] as number;
        records.push(recordAt(rows[k] as number, rows[k + 1] as number, n));
        numbers.push(n);
      }
      (peers[worker] as MessagePort).postMessage({ kind: "records", numbers, records } satisfies PeerMessage);
    }
    return;
  }
  received ??= fromPeers("records").then(
    (messages) =>
      new Map(messages.flatMap((sent) => sent.numbers.map((n, k) => [n, sent.records[k] as MatchRecord]))),
  );
  const sent = await received;
  const { pipeline } = inputs[0] as Input;
  const dedup = resourcesOf(project, "dedup").find((d) => d.spec.entity === pipeline.entity);
  // The batch's members, numbered here in their order: within a cluster the numbers keep the members' order, which
  // is all survivorship asks of them (the earlier record wins a tie).
  const records = new Array<MatchRecord>(message.members.length);
  for (let m = 0; m < message.members.length; m++) {
    const n = message.members[m] as number;
    const seq = message.at[2 * m] as number;
    records[m] =
      seq === -1 ? (sent.get(n) as MatchRecord) : recordAt(seq, message.at[2 * m + 1] as number, n);
  }
  const fields = Object.keys(pipeline.fields);
  const survivorship = dedup?.spec.survivorship;
  const lines = new Utf8Lines(slots === undefined ? undefined : slotOf(slots, message.slot));
  const made: unknown[] = [];
  // As one thread makes them: golden records' text written straight from the records, or the records themselves.
  const line = message.asText ? goldenLineMaker(pipeline.entity, fields, records, survivorship) : undefined;
  const make = message.asText ? undefined : goldenRecordMaker(pipeline.entity, fields, records, survivorship);
  let from = 0;
  message.sizes.forEach((size, c) => {
    const members = new Array<number>(size);
    for (let k = 0; k < size; k++) members[k] = from + k;
    const cluster = { members, confidence: message.confidence[c] as number };
    from += size;
    if (line) lines.add(`${line(cluster)}\n`);
    else made.push((make as NonNullable<typeof make>)(cluster));
  });
  const bytes = lines.overflow();
  port.postMessage(
    {
      type: "golden",
      seq: message.seq,
      used: lines.used,
      bytes,
      lengths: lines.lengths,
      records: made,
    } satisfies FromWorker,
    bytes ? [bytes.buffer as ArrayBuffer] : [],
  );
}

/**
 * Lines encoded as UTF-8 one after another, with each line's length in bytes: into a slot shared with the main
 * thread, so that no buffer is made for each batch (each would set off a garbage collection on both threads,
 * which count such memory); into a buffer of their own when they do not fit.
 */
class Utf8Lines {
  private buffer: Buffer;
  private shared: boolean;
  used = 0;
  readonly lengths: number[] = [];

  constructor(slot: Buffer | undefined) {
    this.buffer = slot ?? Buffer.allocUnsafeSlow(16 << 20);
    this.shared = slot !== undefined;
  }

  add(line: string): void {
    // A character takes at most 3 bytes (a surrogate pair, 2 characters, takes 4).
    if (this.used + line.length * 3 > this.buffer.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(this.buffer.length * 2, this.used + line.length * 3));
      this.buffer.copy(grown, 0, 0, this.used);
      this.buffer = grown;
      this.shared = false;
    }
    const written = this.buffer.write(line, this.used);
    this.used += written;
    this.lengths.push(written);
  }

  /** The lines' bytes in a buffer of their own, when they outgrew the slot (or there was none). */
  overflow(): Uint8Array | undefined {
    return this.shared ? undefined : new Uint8Array(this.buffer.buffer, 0, this.used);
  }
}

/** Record number n, kept here as row k of piece `seq`, as matching knows it. */
function recordAt(seq: number, k: number, n: number): MatchRecord {
  const { input, rows } = store.get(seq) as { input: number; rows: OutputRow[] };
  const { pipeline } = inputs[input] as Input;
  const row = rows[k] as OutputRow;
  return {
    source: pipeline.source,
    id: matchRecordId(pipeline.idField === undefined ? null : row[pipeline.idField], n),
    row,
  };
}
