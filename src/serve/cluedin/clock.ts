/**
 * The platform writes timestamps in .NET's round-trip form, 100 ns ticks and an offset:
 * `2024-02-22T19:29:08.2109097+00:00`. The target puts `modifiedAt` in its etags, so two writes must never share one:
 * each stamp is at least one tick after the last, even within one millisecond.
 */
export function tickClock(now: () => number = Date.now): () => string {
  let last = 0n;
  return () => {
    const ticks = BigInt(now()) * 10_000n;
    last = ticks > last ? ticks : last + 1n;
    const ms = Number(last / 10_000n);
    const fraction = (last % 10_000_000n).toString().padStart(7, "0");
    return `${new Date(ms).toISOString().slice(0, 19)}.${fraction}+00:00`;
  };
}
