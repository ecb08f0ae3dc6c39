import { parseArgs } from "node:util";
import { openDeploy } from "../../deploy/context.js";
import { TargetError } from "../../target/contract.js";
import { localActor } from "../../target/open-target.js";
import { deployFailure } from "../deploy-errors.js";
import { exitCodes, UsageError } from "../errors.js";
import type { GlobalOptions } from "../main.js";
import { safeTerminalText } from "../../util/terminal-text.js";

export const usage = `Usage: clue unlock --env ENV --force

Clears the lock on an environment's target left by a run that was killed, after showing who holds it and since
when. Without --force it only shows the holder.

Options:
  --env ENV        the environment (a file under env/)
  --force          clear the lock
  --project DIR    the project's root (default: the current folder)
  -h, --help       show this help

Exit codes: 0 no lock, or the lock was cleared; 1 a lock is held (without --force) or the target failed; 64 bad usage.`;

export async function run(args: string[], global: GlobalOptions): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      env: { type: "string" },
      force: { type: "boolean" },
      project: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return exitCodes.ok;
  }
  if (values.env === undefined) throw new UsageError("name the environment: clue unlock --env ENV --force");
  const context = await openDeploy(values.project, values.env, global.color);
  if (!context) return exitCodes.problems;
  const { store, actor } = context.target;
  const meta = { actor, correlationId: context.correlationId, idempotencyKey: null };
  try {
    // The contract has no "read the lock" call: asking for it either gets it (nobody held it) or names the holder.
    try {
      const mine = await store.acquireLock(
        values.env,
        { holder: `${localActor()} pid ${process.pid} (clue unlock)` },
        meta,
      );
      await store.releaseLock(values.env, mine.lock_id, meta);
      process.stdout.write(`${values.env} is not locked.\n`);
      return exitCodes.ok;
    } catch (error) {
      const held = error instanceof TargetError && error.status === 409 ? error.extra.lock : undefined;
      if (!held) throw error;
      process.stdout.write(
        `${safeTerminalText(`${values.env} is locked by ${held.holder} since ${held.acquired_at}${held.reason ? ` (${held.reason})` : ""}`)}.\n`,
      );
      if (!values.force) {
        process.stderr.write(
          `clue: make sure that run is not still going, then: clue unlock --env ${values.env} --force\n`,
        );
        return exitCodes.problems;
      }
      await store.releaseLock(values.env, held.lock_id, meta);
      process.stdout.write(`Lock ${safeTerminalText(held.lock_id, { midLine: true })} cleared.\n`);
      return exitCodes.ok;
    }
  } catch (error) {
    return deployFailure(error, context);
  } finally {
    await store.close();
  }
}
