/**
 * Golden records on the worker threads, which hold the rows. Each cluster goes to the worker that holds its first
 * member; the rows of its other members that live elsewhere are sent there first, worker to worker. Clusters are
 * then made in batches, each worker making its share of a batch; the main thread puts each batch back in the
 * clusters' order, so the golden records come out as one thread makes them.
 */
import type { Cluster } from "../golden/clusters.js";
import type { GoldenRecord } from "../golden/golden.js";
import type { FromWorker } from "./protocol.js";
import { Reorder } from "./reorder.js";
import type { ParallelRun } from "./run.js";

const CLUSTERS_PER_BATCH = 16_384;
/** Batches in flight: one being made while the one before is written; each has a slot of bytes of its own. */
const BATCHES_AHEAD = 2;
/** A batch's text is written into a slot this big shared with the main thread (a bigger batch gets a buffer). */
const SLOT_BYTES = 32 << 20;

/** Slot `slot` of a worker's shared bytes. */
export function slotOf(slots: SharedArrayBuffer, slot: number): Buffer {
  return Buffer.from(slots, slot * SLOT_BYTES, SLOT_BYTES);
}

type Made = Extract<FromWorker, { type: "golden" }>;

/**
 * The golden records of the clusters as JSON Lines in UTF-8, a batch of them at a time. With `reuse`, each batch
 * comes in the same buffer, good until the next is asked for (for a writer that writes at once, as a file does).
 */
export async function* goldenLines(
  run: ParallelRun,
  clusters: readonly Cluster[],
  reuse: boolean,
): AsyncGenerator<Uint8Array> {
  let out = Buffer.alloc(0);
  for await (const { owners, replies, bytesOf } of made(run, clusters, true)) {
    const texts = replies.map((reply, w) => bytesOf(w, reply));
    const total = texts.reduce((n, t) => n + t.length, 0);
    if (!reuse || out.length < total)
      out = Buffer.allocUnsafeSlow(reuse ? Math.max(total, out.length * 2) : total);
    const position = new Array<number>(replies.length).fill(0);
    const taken = new Array<number>(replies.length).fill(0);
    let at = 0;
    for (const w of owners) {
      const start = position[w] as number;
      const end = start + ((replies[w] as Made).lengths[taken[w] as number] as number);
      taken[w] = (taken[w] as number) + 1;
      position[w] = end;
      out.set((texts[w] as Uint8Array).subarray(start, end), at);
      at += end - start;
    }
    yield out.subarray(0, at);
  }
}

/** The golden records of the clusters, in their order. */
export async function goldenRecords(run: ParallelRun, clusters: readonly Cluster[]): Promise<GoldenRecord[]> {
  const records: GoldenRecord[] = [];
  for await (const { owners, replies } of made(run, clusters, false)) {
    const taken = new Array<number>(replies.length).fill(0);
    for (const w of owners) {
      records.push((replies[w] as Made).records[taken[w] as number] as GoldenRecord);
      taken[w] = (taken[w] as number) + 1;
    }
  }
  return records;
}

/**
 * Sends the rows each worker needs, then the batches; gives, for each batch, the worker that made each of its
 * clusters (in order) and each worker's reply (its clusters in order).
 */
async function* made(
  run: ParallelRun,
  clusters: readonly Cluster[],
  asText: boolean,
): AsyncGenerator<{
  owners: number[];
  replies: Made[];
  /** A worker's reply's text: in its slot of shared bytes, or in a buffer of its own. */
  bytesOf: (worker: number, reply: Made) => Uint8Array;
}> {
  const { pool, participants } = run;
  const workers = pool.size;
  // Record n of matching is participants' record kept[n].
  const { kept } = participants;
  const owner = (n: number) => participants.worker[kept[n] as number] as number;
  const seq = (n: number) => participants.seq[kept[n] as number] as number;
  const index = (n: number) => participants.index[kept[n] as number] as number;
  const assigned = new Int32Array(clusters.length);
  // to[v][w]: rows worker v holds that worker w needs, as [seq, index, record number] triples.
  const to = Array.from({ length: workers }, () => Array.from({ length: workers }, () => [] as number[]));
  clusters.forEach((cluster, c) => {
    const w = owner(cluster.members[0] as number);
    assigned[c] = w;
    for (const n of cluster.members) {
      const v = owner(n);
      if (v !== w) (to[v]?.[w] as number[]).push(seq(n), index(n), n);
    }
  });
  const order = new Reorder<Made>();
  run.watch(order);
  run.onGolden = (_worker, message) => {
    if (message.type === "golden") order.deliver(message.seq, message);
  };
  const slots = Array.from({ length: workers }, () =>
    asText ? new SharedArrayBuffer(SLOT_BYTES * BATCHES_AHEAD) : undefined,
  );
  for (let v = 0; v < workers; v++)
    pool.send(v, {
      type: "golden-send",
      to: (to[v] as number[][]).flatMap((rows, w) => (w === v ? [] : [{ worker: w, rows }])),
      slots: slots[v],
    });
  // The golden-send messages are not answered; they count as work done at once.
  for (let v = 0; v < workers; v++) pool.answered(v);

  const batches = Math.ceil(clusters.length / CLUSTERS_PER_BATCH);
  const send = (b: number) => {
    const from = b * CLUSTERS_PER_BATCH;
    const to = Math.min(clusters.length, from + CLUSTERS_PER_BATCH);
    const parts = Array.from({ length: workers }, () => ({
      sizes: [] as number[],
      members: [] as number[],
      confidence: [] as number[],
      at: [] as number[],
    }));
    for (let c = from; c < to; c++) {
      const cluster = clusters[c] as Cluster;
      const w = assigned[c] as number;
      const part = parts[w] as (typeof parts)[number];
      part.sizes.push(cluster.members.length);
      part.confidence.push(cluster.confidence);
      for (const n of cluster.members) {
        part.members.push(n);
        if (owner(n) === w) part.at.push(seq(n), index(n));
        else part.at.push(-1, -1);
      }
    }
    parts.forEach((part, w) => {
      pool.send(w, { type: "golden-make", seq: order.issue(), ...part, asText, slot: b % BATCHES_AHEAD });
    });
  };
  let sent = 0;
  while (sent < Math.min(batches, BATCHES_AHEAD)) send(sent++);
  for (let b = 0; b < batches; b++) {
    const replies: Made[] = [];
    for (let w = 0; w < workers; w++) replies.push(await order.next());
    const from = b * CLUSTERS_PER_BATCH;
    const owners = Array.from(assigned.subarray(from, Math.min(clusters.length, from + CLUSTERS_PER_BATCH)));
    const slot = b % BATCHES_AHEAD;
    const bytesOf = (w: number, reply: Made) =>
      reply.bytes ?? slotOf(slots[w] as SharedArrayBuffer, slot).subarray(0, reply.used);
    yield { owners, replies, bytesOf };
    // The batch is taken: its slots are free for the batch after next.
    if (sent < batches) send(sent++);
  }
}
