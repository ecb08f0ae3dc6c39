import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline/promises";
import { acquireLock, applyChanges } from "../../deploy/apply.js";
import { openDeploy, type DeployContext } from "../../deploy/context.js";
import { address, PLAN_FORMAT_VERSION, renderPlan, type Plan } from "../../deploy/plan.js";
import { planHasErrors, planTarget, renderPlanDiagnostics } from "../target-plan.js";
import { TargetError } from "../../target/contract.js";
import { localActor } from "../../target/open-target.js";
import { gitRevision } from "../../util/git.js";
import { deployFailure } from "../deploy-errors.js";
import { parseCommandLine } from "../command-line.js";
import { exitCodes, UsageError } from "../errors.js";
import type { GlobalOptions } from "../main.js";
import { safeTerminalText } from "../../util/terminal-text.js";

export const usage = `Usage: clue apply --env ENV [PLAN_FILE] [--yes] [--lock-wait SECONDS]

Applies the config to the environment's target: plans again from what the target holds (or checks that a saved
PLAN_FILE is still current, refusing a stale one), shows the plan, asks for confirmation on a terminal (--yes
elsewhere), then writes in dependency order under a lock on the target, with If-Match on every update and delete
and an Idempotency-Key on every write. Only resources labelled as managed by clue are deleted. Every apply records
a release (green when every change was applied) and the target audits each write. An apply that is interrupted
converges when run again.

Options:
  --env ENV             the environment (a file under env/)
  --yes                 apply without asking (needed when not on a terminal)
  --lock-wait SECONDS   wait this long for another run's lock before giving up (default 0: fail at once)
  --project DIR         the project's root (default: here, or the nearest folder above with config/)
  -h, --help            show this help

Exit codes: 0 applied (or nothing to do), 1 the config or the target has problems or the apply failed, 64 bad usage.

Examples:
  clue apply --env local --yes                     # the embedded target: works on a fresh clone
  clue plan --env test --out plan.json && clue apply --env test plan.json --yes   # apply exactly the reviewed plan`;

export async function run(args: string[], global: GlobalOptions): Promise<number> {
  const parsed = parseCommandLine(
    args,
    usage,
    {
      env: { type: "string" },
      yes: { type: "boolean" },
      "lock-wait": { type: "string" },
      project: { type: "string" },
    },
    { positionals: true },
  );
  if (!parsed) return exitCodes.ok;
  const { values, positionals } = parsed;
  if (values.env === undefined)
    throw new UsageError("name the environment: clue apply --env ENV [PLAN_FILE]");
  if (positionals.length > 1) throw new UsageError("give at most one plan file");
  const lockWait = seconds(values["lock-wait"]);
  const saved = positionals[0] === undefined ? undefined : readPlanFile(positionals[0]);
  if (saved && saved.env !== values.env)
    throw new UsageError(`${positionals[0] ?? ""} is a plan for ${saved.env}, not ${values.env}`);
  confirmable(values.yes === true, "apply");
  const context = await openDeploy(values.project, values.env, global.color, (text) =>
    process.stderr.write(`clue: ${text}\n`),
  );
  if (!context) return exitCodes.problems;
  try {
    return await deploy(context, { global, yes: values.yes === true, lockWait, saved, verb: "apply" });
  } catch (error) {
    return deployFailure(error, context);
  } finally {
    await context.target.store.close();
  }
}

export interface DeployOptions {
  global: GlobalOptions;
  yes: boolean;
  lockWait: number;
  saved?: Plan | undefined;
  verb: "apply" | "promote";
  promotedFrom?: { env: string; release_id: string };
  /** Checked once the lock is held and the plan made: promote refuses here when test is not what it should be. */
  expectConfigHash?: string;
  /** Recorded with the release. */
  note?: string;
}

/** Plan, confirm and apply under the target's lock: the part apply and promote share. */
export async function deploy(context: DeployContext, options: DeployOptions): Promise<number> {
  const { store } = context.target;
  const env = context.env.name;
  const actor = context.target.actor;
  // Notes quote the lock holder and release ids the store gave: made safe to print whatever store wrote them.
  const note = (text: string) =>
    process.stderr.write(`clue: ${safeTerminalText(context.mask(text), { midLine: true })}\n`);
  const lock = await acquireLock(store, {
    env,
    // The run id makes the holder ours alone, so a lock POST retried after a lost answer is recognised as ours.
    holder: `${localActor()} pid ${process.pid} (clue ${options.verb}, correlation ${context.correlationId}, run ${randomUUID().slice(0, 8)})`,
    reason: `clue ${options.verb}`,
    correlationId: context.correlationId,
    actor,
    waitSeconds: options.lockWait,
    onWait: (held) =>
      note(`waiting for the lock on ${env}, held by ${held.holder} since ${held.acquired_at}`),
    onTakeover: (held) =>
      note(
        `took over the lock on ${env} left by ${held.holder} since ${held.acquired_at}: that process is gone`,
      ),
  });
  // A 404 is a release whose first answer was lost (or an unlock --force meanwhile): the lock is gone either way.
  const unlock = () =>
    store
      .releaseLock(env, lock.lock_id, { actor, correlationId: context.correlationId, idempotencyKey: null })
      .catch((error: unknown) => {
        if (!(error instanceof TargetError && error.status === 404)) throw error;
      });
  let stop = false;
  const onSignal = () => {
    // A second Ctrl-C means now: a hung retry loop must not need kill -9.
    if (stop) process.exit(130);
    stop = true;
    note("interrupted: finishing the write in flight, then recording the release and releasing the lock");
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const { plan, desired } = await planTarget(context);
    if (options.expectConfigHash !== undefined && desired.configHash !== options.expectConfigHash)
      throw new StopError(
        `this checkout's config (hash ${desired.configHash.slice(0, 12)}) is not the release being promoted (hash ${options.expectConfigHash.slice(0, 12)})`,
      );
    if (options.saved) checkSaved(options.saved, plan);
    const findings = renderPlanDiagnostics(context, plan, options.global.color);
    if (findings !== "") process.stderr.write(`${context.mask(findings)}\n`);
    process.stdout.write(`${context.mask(renderPlan(plan, options.global.color))}\n`);
    if (planHasErrors(plan)) {
      note(
        `nothing applied: the plan has errors (above) — a deploy without those parts would change what the rest means. Fix them, or accept a finding in .clueignore.yaml with a reason.`,
      );
      return exitCodes.problems;
    }
    const releases = await store.listReleases(env);
    const last = releases.at(-1);
    const upToDate = last?.status === "green" && last.config_hash === plan.config_hash;
    if (plan.changes.length === 0 && upToDate && !options.promotedFrom) {
      note(
        `${env} is up to date (release ${last.id}); nothing to apply. Correlation id ${context.correlationId}.`,
      );
      return exitCodes.ok;
    }
    if (
      plan.changes.length > 0 &&
      !(await confirm(options.yes, `Apply ${plan.changes.length} changes to ${env}?`))
    ) {
      note("nothing applied.");
      return exitCodes.problems;
    }
    if (stop) {
      note("interrupted before the first write; nothing applied.");
      return exitCodes.problems;
    }
    const tty = process.stderr.isTTY === true;
    const result = await applyChanges({
      store,
      plan,
      actor,
      correlationId: context.correlationId,
      gitRevision: gitRevision(context.root),
      stopped: () => stop,
      ...(options.promotedFrom ? { promotedFrom: options.promotedFrom } : {}),
      ...(options.note ? { note: options.note } : {}),
      onChange: tty
        ? (c, i, total) =>
            process.stderr.write(`\r\u001b[2K  ${i + 1}/${total} ${c.action} ${address(c.kind, c.name)}`)
        : undefined,
    });
    if (tty) process.stderr.write("\r\u001b[2K");
    const count = (a: string) => result.applied.filter((c) => c.action === a).length;
    const done = `${count("create")} created, ${count("update")} updated, ${count("delete")} deleted`;
    if (!result.release) {
      note("interrupted before the first write; nothing applied.");
      return exitCodes.problems;
    }
    if (result.failed || result.interrupted) {
      note(
        `${options.verb} stopped: ${result.failed ? result.failed.message : "interrupted"}. ${done}; ${plan.changes.length - result.applied.length} not applied. Release ${result.release.id} recorded as red. Run clue ${options.verb} again to finish: it converges. Correlation id ${context.correlationId}.`,
      );
      return exitCodes.problems;
    }
    note(
      `${options.verb} complete on ${env}: ${done}. Release ${result.release.id} (config ${plan.config_hash.slice(0, 12)}) recorded as green. Correlation id ${context.correlationId}.`,
    );
    return exitCodes.ok;
  } catch (error) {
    if (error instanceof StopError) {
      note(`${error.message}; nothing applied.`);
      return exitCodes.problems;
    }
    throw error;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await unlock();
  }
}

/** A refusal found under the lock: reported as one line, exit 1, the lock released. */
export class StopError extends Error {}

function checkSaved(saved: Plan, current: Plan): void {
  if (saved.desired_hash !== current.desired_hash)
    throw new StopError(
      "the config changed since the plan was saved; make a new plan (clue plan --out) and review it",
    );
  const moved = [
    ...new Set([...Object.keys(saved.remote_versions), ...Object.keys(current.remote_versions)]),
  ].filter((key) => {
    const a = saved.remote_versions[key];
    const b = current.remote_versions[key];
    return a?.version !== b?.version || a?.etag !== b?.etag;
  });
  if (moved.length > 0)
    throw new StopError(
      `the plan is stale: ${moved.slice(0, 5).join(", ")}${moved.length > 5 ? ` and ${moved.length - 5} more` : ""} changed on the target since it was made; make a new plan and review it`,
    );
  // Belt and braces: what is about to be applied must be exactly what the reviewed plan showed.
  const signature = (p: Plan) =>
    JSON.stringify(p.changes.map((c) => [c.action, c.kind, c.name, c.fields.map((f) => [f.path, f.op])]));
  if (signature(saved) !== signature(current))
    throw new StopError("the changes to apply differ from the saved plan's; make a new plan and review it");
}

function readPlanFile(path: string): Plan {
  let plan: Partial<Plan> | null;
  try {
    plan = JSON.parse(readFileSync(path, "utf8")) as Partial<Plan> | null;
  } catch (error) {
    throw new UsageError(`cannot read plan ${path}: ${(error as Error).message}`);
  }
  const isObject = (v: unknown) => v !== null && typeof v === "object" && !Array.isArray(v);
  if (
    !isObject(plan) ||
    plan === null ||
    plan.format_version !== PLAN_FORMAT_VERSION ||
    typeof plan.env !== "string" ||
    typeof plan.desired_hash !== "string" ||
    !isObject(plan.remote_versions) ||
    !Array.isArray(plan.changes) ||
    !plan.changes.every((c) => isObject(c) && Array.isArray((c as { fields?: unknown }).fields))
  )
    throw new UsageError(`${path} is not a clue plan of format_version ${PLAN_FORMAT_VERSION}`);
  return plan as Plan;
}

export function seconds(text: string | undefined): number {
  if (text === undefined) return 0;
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`--lock-wait takes seconds, not "${text}"`);
  return n;
}

/** Outside a terminal there is nobody to ask: apply and promote need --yes. */
export function confirmable(yes: boolean, verb: string): void {
  if (!yes && !(process.stdin.isTTY && process.stderr.isTTY))
    throw new UsageError(`clue ${verb} asks for confirmation on a terminal; elsewhere (CI) pass --yes`);
}

async function confirm(yes: boolean, question: string): Promise<boolean> {
  if (yes) return true;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} Only "yes" is accepted: `);
    return answer.trim() === "yes";
  } catch {
    // Ctrl-C or end of input at the prompt: a no.
    return false;
  } finally {
    rl.close();
  }
}
