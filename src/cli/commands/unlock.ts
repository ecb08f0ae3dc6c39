import { openDeploy, type DeployContext } from "../../deploy/context.js";
import { FORCE_SCOPE, TargetError, type ConfigStore } from "../../target/contract.js";
import { localActor, openTarget } from "../../target/open-target.js";
import { deployFailure } from "../deploy-errors.js";
import { parseCommandLine } from "../command-line.js";
import { exitCodes, UsageError } from "../errors.js";
import type { GlobalOptions } from "../main.js";
import { safeTerminalText } from "../../util/terminal-text.js";

export const usage = `Usage: clue unlock --env ENV --force

Clears the lock on an environment's target left by a run that was killed, after showing who holds it and since
when. Without --force it only shows the holder. Clearing breaks the lock whoever took it, so on a clue-server target
the client needs the scope locks:force (asked for on top of the environment's auth.scope).

Options:
  --env ENV        the environment (a file under env/)
  --force          clear the lock (needs the scope locks:force)
  --project DIR    the project's root (default: here, or the nearest folder above with config/)
  -h, --help       show this help

Exit codes: 0 no lock, or the lock was cleared; 1 a lock is held (without --force) or the target failed; 64 bad usage.

Examples:
  clue unlock --env test                            # who holds the lock, since when
  clue unlock --env test --force                    # clear it after a run was killed`;

export async function run(args: string[], global: GlobalOptions): Promise<number> {
  const parsed = parseCommandLine(args, usage, {
    env: { type: "string" },
    force: { type: "boolean" },
    project: { type: "string" },
  });
  if (!parsed) return exitCodes.ok;
  const { values } = parsed;
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
      const breaker = await forcingStore(context);
      try {
        await breaker.releaseLock(values.env, held.lock_id, meta, { force: true });
      } finally {
        if (breaker !== store) await breaker.close();
      }
      process.stdout.write(`Lock ${safeTerminalText(held.lock_id, { midLine: true })} cleared.\n`);
      return exitCodes.ok;
    }
  } catch (error) {
    if (lacksForceScope(error)) {
      process.stderr.write(
        `clue: ${context.mask(
          `clue unlock --force breaks a lock whoever took it, which needs the scope ${FORCE_SCOPE}, and the target ` +
            `does not grant it to client "${actor}": grant it to the client on the platform (clue serve: ` +
            `--client ${actor}:SECRET:config:read+config:write+${FORCE_SCOPE}), then run this again`,
        )} (correlation id ${context.correlationId})\n`,
      );
      return exitCodes.problems;
    }
    return deployFailure(error, context);
  } finally {
    await store.close();
  }
}

/**
 * What breaks the lock. On a clue-server target, a second client whose token also asks for locks:force: only this one
 * call carries the scope, and the holder has been shown by then even when the platform refuses it. The embedded
 * store has no scopes (whoever can write its folder can break its lock), so it is the store already open.
 */
async function forcingStore(context: DeployContext): Promise<ConfigStore> {
  if (context.env.spec.target.type === "local") return context.target.store;
  const opened = await openTarget(context.root, context.env.spec, context.env.doc.file.path, {
    correlationId: context.correlationId,
    extraScopes: [FORCE_SCOPE],
  });
  return opened.store;
}

/** The token request refused the scope (400 invalid_scope), or the release was refused for the lack of it (403). */
function lacksForceScope(error: unknown): boolean {
  if (!(error instanceof TargetError)) return false;
  if (error.code === "invalid_scope") return true;
  return error.status === 403 && error.extra.required_scope === FORCE_SCOPE;
}
