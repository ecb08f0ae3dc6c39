/**
 * Ordered reassembly (src/parallel/reorder.ts): worker threads answer in any order; the main thread takes the
 * answers back in the order the work was handed out, so the output never depends on which worker was quicker.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Reorder } from "../../src/parallel/reorder.js";

describe("Reorder", () => {
  it("gives results in the order they were issued, whatever the order they arrive in", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: 40 })
          .chain((n) =>
            fc.tuple(
              fc.constant(n),
              fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
            ),
          ),
        fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
        async ([n, arrival], takeEarly) => {
          const order = new Reorder<string>();
          for (let i = 0; i < n; i++) expect(order.issue()).toBe(i);
          // The k-th call of next() gets the k-th result, whenever it was made and whenever the result came.
          const taken: string[] = [];
          const waits: Promise<void>[] = [];
          const ask = () => {
            const k = waits.length;
            waits.push(order.next().then((v) => void (taken[k] = v)));
          };
          // Askers come before, between and after the deliveries.
          arrival.forEach((seq, k) => {
            if (takeEarly[k] && order.pending > 0) ask();
            order.deliver(seq, `r${seq}`);
          });
          while (order.pending > 0) ask();
          await Promise.all(waits);
          expect(taken).toEqual([...Array(n).keys()].map((i) => `r${i}`));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("throws a piece's error at its turn, after the pieces before it", async () => {
    const order = new Reorder<number>();
    const [a, b, c] = [order.issue(), order.issue(), order.issue()];
    order.fail(b, new Error("piece 1 failed"));
    order.deliver(c, 3);
    order.deliver(a, 1);
    expect(await order.next()).toBe(1);
    await expect(order.next()).rejects.toThrow("piece 1 failed");
    expect(await order.next()).toBe(3);
  });

  it("fails every piece still to come when everything stops (a worker died)", async () => {
    const order = new Reorder<number>();
    const a = order.issue();
    order.issue();
    order.deliver(a, 7);
    const waiting = order.next();
    expect(await waiting).toBe(7);
    const next = order.next();
    order.abort(new Error("worker thread 2 stopped"));
    await expect(next).rejects.toThrow("worker thread 2 stopped");
  });

  it("refuses a result delivered twice or never issued", () => {
    const order = new Reorder<number>();
    const a = order.issue();
    order.deliver(a, 1);
    expect(() => order.deliver(a, 1)).toThrow(/delivered twice or never issued/);
    expect(() => order.deliver(5, 1)).toThrow(/delivered twice or never issued/);
  });
});
