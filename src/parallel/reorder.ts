/**
 * Ordered reassembly: pieces of work are numbered as they are handed out (0, 1, 2, ...), finish in any order, and
 * are taken back strictly in their numbers' order, so that what the main thread writes does not depend on which
 * worker thread was quicker.
 */
type Outcome<T> = { ok: true; value: T } | { ok: false; error: Error };

export class Reorder<T> {
  /** Results that came before they were asked for. */
  private readonly done = new Map<number, Outcome<T>>();
  /** Askers waiting for a result, by its number. */
  private readonly waiting = new Map<
    number,
    { resolve: (value: T) => void; reject: (error: unknown) => void }
  >();
  private issued = 0;
  private asked = 0;
  private failure: { error: Error } | undefined;

  /** Numbers the next piece of work. */
  issue(): number {
    return this.issued++;
  }

  /** Pieces handed out and not yet asked for. */
  get pending(): number {
    return this.issued - this.asked;
  }

  /** A piece's result, in whatever order they come. */
  deliver(seq: number, value: T): void {
    this.settle(seq, { ok: true, value });
  }

  /** A piece failed: the error is thrown when its turn comes (the pieces before it are still taken back). */
  fail(seq: number, error: Error): void {
    this.settle(seq, { ok: false, error });
  }

  /** Everything failed (a worker thread died): every piece not yet delivered throws this. */
  abort(error: Error): void {
    this.failure ??= { error };
    for (const [seq, waiter] of this.waiting) {
      this.waiting.delete(seq);
      waiter.reject(error);
    }
  }

  /** The result of the next piece in order (each call asks for the one after the last), once it is there. */
  next(): Promise<T> {
    if (this.asked >= this.issued) return Promise.reject(new Error("no piece of work is pending"));
    const seq = this.asked++;
    const ready = this.done.get(seq);
    if (ready !== undefined) {
      this.done.delete(seq);
      return ready.ok ? Promise.resolve(ready.value) : Promise.reject(ready.error);
    }
    if (this.failure) return Promise.reject(this.failure.error);
    return new Promise<T>((resolve, reject) => this.waiting.set(seq, { resolve, reject }));
  }

  private settle(seq: number, outcome: Outcome<T>): void {
    if (seq >= this.issued || this.done.has(seq) || (seq < this.asked && !this.waiting.has(seq)))
      throw new Error(`piece of work ${seq} was delivered twice or never issued`);
    const waiter = this.waiting.get(seq);
    if (waiter === undefined) {
      this.done.set(seq, outcome);
      return;
    }
    this.waiting.delete(seq);
    if (outcome.ok) waiter.resolve(outcome.value);
    else waiter.reject(outcome.error);
  }
}
