/**
 * Ordered reassembly: pieces of work are numbered as they are handed out (0, 1, 2, ...), finish in any order, and
 * are taken back strictly in their numbers' order, so that what the main thread writes does not depend on which
 * worker thread was quicker.
 */
export class Reorder<T> {
  private readonly done = new Map<number, { ok: true; value: T } | { ok: false; error: unknown }>();
  private waiting: { seq: number; resolve: (value: T) => void; reject: (error: unknown) => void } | undefined;
  private nextSeq = 0;
  private issued = 0;
  private failure: { error: unknown } | undefined;

  /** Numbers the next piece of work. */
  issue(): number {
    return this.issued++;
  }

  /** Pieces handed out and not yet taken back. */
  get pending(): number {
    return this.issued - this.nextSeq;
  }

  /** A piece's result, in whatever order they come. */
  deliver(seq: number, value: T): void {
    this.settle(seq, { ok: true, value });
  }

  /** A piece failed: the error is thrown when its turn comes (the pieces before it are still taken back). */
  fail(seq: number, error: unknown): void {
    this.settle(seq, { ok: false, error });
  }

  /** Everything failed (a worker thread died): every piece not yet taken back throws this. */
  abort(error: unknown): void {
    this.failure ??= { error };
    const waiting = this.waiting;
    if (waiting && !this.done.has(waiting.seq)) {
      this.waiting = undefined;
      waiting.reject(error);
    }
  }

  /** The result of the next piece in order, once it is there. */
  next(): Promise<T> {
    if (this.nextSeq >= this.issued) return Promise.reject(new Error("no piece of work is pending"));
    const seq = this.nextSeq;
    const ready = this.done.get(seq);
    if (ready !== undefined) {
      this.done.delete(seq);
      this.nextSeq++;
      return ready.ok ? Promise.resolve(ready.value) : Promise.reject(ready.error);
    }
    if (this.failure) return Promise.reject(this.failure.error);
    return new Promise<T>((resolve, reject) => {
      this.waiting = {
        seq,
        resolve: (value) => {
          this.nextSeq++;
          resolve(value);
        },
        reject: (error) => {
          this.nextSeq++;
          reject(error);
        },
      };
    });
  }

  private settle(seq: number, outcome: { ok: true; value: T } | { ok: false; error: unknown }): void {
    if (seq < this.nextSeq || seq >= this.issued || this.done.has(seq))
      throw new Error(`piece of work ${seq} was delivered twice or never issued`);
    const waiting = this.waiting;
    if (waiting?.seq === seq) {
      this.waiting = undefined;
      if (outcome.ok) waiting.resolve(outcome.value);
      else waiting.reject(outcome.error);
      return;
    }
    this.done.set(seq, outcome);
  }
}
