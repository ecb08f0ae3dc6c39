/**
 * The worker threads of a run: started together (each pair linked by a channel of its own, for the rows golden
 * records need), each told the run it serves; their messages go to one handler, and the first failure of any of them
 * (an error it reports, an uncaught exception, an unexpected exit) goes to `onFailure`.
 */
import { MessageChannel, Worker, type MessagePort } from "node:worker_threads";
import { receivedError, type FromWorker, type ToWorker, type WorkerInit } from "./protocol.js";

/**
 * The stack a worker thread gets, in MB: about as deep as the main thread's (V8's default of 984 KB there), so a
 * record nested deeply enough to run a thread out of stack does so in one thread and in many alike (as nearly as
 * two threads' stacks can be compared).
 */
const STACK_MB = 1.15;

/**
 * The young generation of a worker's heap, in MB. A worker keeps its share of the rows while it makes more, so with
 * the default (about 16 MB) most objects live just long enough to be copied into the old generation, which is then
 * marked again and again: at a million records a third of a worker's time was garbage collection. 128 MB took the
 * run of bench:dedup from 17.7 s to 15.6 s.
 */
const YOUNG_MB = 128;

export class Pool {
  private readonly workers: Worker[] = [];
  /** Pieces of work sent to each worker and not yet answered. */
  readonly busy: number[];
  private closed = false;
  onMessage: (worker: number, message: FromWorker) => void = () => undefined;
  onFailure: (error: Error) => void = () => undefined;

  private constructor(count: number) {
    this.busy = new Array<number>(count).fill(0);
  }

  get size(): number {
    return this.workers.length;
  }

  /** Starts `count` workers and waits until each has compiled the run's pipelines; throws what one met. */
  static async start(count: number, init: WorkerInit): Promise<Pool & { uniqueChecks: number[] }> {
    const pool = new Pool(count);
    const peers: Record<number, MessagePort>[] = Array.from({ length: count }, () => ({}));
    for (let a = 0; a < count; a++)
      for (let b = a + 1; b < count; b++) {
        const { port1, port2 } = new MessageChannel();
        (peers[a] as Record<number, MessagePort>)[b] = port1;
        (peers[b] as Record<number, MessagePort>)[a] = port2;
      }
    const ready = Array.from({ length: count }, (_, index) => {
      const ports = peers[index] as Record<number, MessagePort>;
      const worker = new Worker(new URL("./worker.js", import.meta.url), {
        workerData: { index, init, peers: ports },
        transferList: Object.values(ports),
        resourceLimits: { stackSizeMb: STACK_MB, maxYoungGenerationSizeMb: YOUNG_MB },
        stdout: false,
        stderr: false,
      });
      pool.workers.push(worker);
      return new Promise<number[]>((resolve, reject) => {
        const first = (message: FromWorker) => {
          if (message.type === "ready") resolve(message.uniqueChecks);
          else if (message.type === "failed") reject(receivedError(message.error));
          worker.off("message", first);
          worker.on("message", (next: FromWorker) => {
            if (next.type === "failed") pool.fail(receivedError(next.error));
            else pool.onMessage(index, next);
          });
        };
        worker.on("message", first);
        worker.once("error", (error) => {
          reject(error);
          pool.fail(error);
        });
        worker.once("exit", (code) => {
          const error = new Error(`worker thread ${index + 1} stopped unexpectedly (exit code ${code})`);
          reject(error);
          if (!pool.closed) pool.fail(error);
        });
      });
    });
    try {
      const checks = await Promise.all(ready);
      return Object.assign(pool, { uniqueChecks: checks[0] ?? [] });
    } catch (error) {
      await pool.close();
      throw error;
    }
  }

  send(worker: number, message: ToWorker, transfer: ArrayBuffer[] = []): void {
    this.busy[worker] = (this.busy[worker] as number) + 1;
    (this.workers[worker] as Worker).postMessage(message, transfer);
  }

  /** A reply came from the worker: it has one piece of work less. */
  answered(worker: number): void {
    this.busy[worker] = (this.busy[worker] as number) - 1;
  }

  /** The worker with the least work waiting. */
  idlest(): number {
    let best = 0;
    for (let w = 1; w < this.busy.length; w++)
      if ((this.busy[w] as number) < (this.busy[best] as number)) best = w;
    return best;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private fail(error: Error): void {
    if (this.closed) return;
    this.onFailure(error);
  }
}
