import { randomInt } from "node:crypto";
import { mulberry32 } from "../util/mulberry32.js";

/** What `--fail-rate` does to one request. */
export type Fault = "none" | "before" | "after";

/** Injected failures, drawn from a seeded generator so a test that sees a failure sees the same one every run. */
export function faultPlan(failRate: number, seed: number): () => Fault {
  const random = mulberry32(seed);
  return () => {
    if (failRate <= 0 || random() >= failRate) return "none";
    // Half fail before doing anything; half do the work and then lose the answer, which is what retries with the
    // same Idempotency-Key exist for.
    return random() < 0.5 ? "before" : "after";
  };
}

/**
 * `--rate-limit N`: a token bucket per client, N tokens, refilled at N a second, so a burst of N passes and a steady
 * N a second does too. Returns 0 when the call may go ahead, else the seconds to wait (for Retry-After).
 */
export function rateLimiter(perSecond: number, now: () => number = Date.now): (client: string) => number {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return (client) => {
    const t = now();
    const bucket = buckets.get(client) ?? { tokens: perSecond, at: t };
    bucket.tokens = Math.min(perSecond, bucket.tokens + ((t - bucket.at) / 1000) * perSecond);
    bucket.at = t;
    buckets.set(client, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond));
  };
}

/** The flags both servers take: `--fail-rate` (seeded by `--seed`) and `--rate-limit`. */
export interface FaultOptions {
  failRate?: number;
  rateLimit?: number;
  seed?: number;
}

/** The fault plan and rate limiter for a server's flags; the seed goes to the log, so a failure can be replayed. */
export function faultsFor(
  options: FaultOptions,
  log: (line: string) => void,
): { nextFault: () => Fault; limit: ((client: string) => number) | undefined } {
  const seed = options.seed ?? randomInt(2 ** 31);
  if (options.failRate) log(`clue serve: --fail-rate ${options.failRate} --seed ${seed}`);
  return {
    nextFault: faultPlan(options.failRate ?? 0, seed),
    limit: options.rateLimit === undefined ? undefined : rateLimiter(options.rateLimit),
  };
}
