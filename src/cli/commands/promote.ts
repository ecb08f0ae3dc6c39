import { openDeploy } from "../../deploy/context.js";
import { planTarget } from "../target-plan.js";
import { clock, describeWindow, windowState } from "../../deploy/window.js";
import { deployFailure } from "../deploy-errors.js";
import { parseCommandLine } from "../command-line.js";
import { exitCodes, UsageError } from "../errors.js";
import type { GlobalOptions } from "../main.js";
import { confirmable, deploy, seconds } from "./apply.js";
import { safeTerminalText } from "../../util/terminal-text.js";

export const usage = `Usage: clue promote --from ENV --to ENV [--yes] [--force-window --reason TEXT] [--lock-wait SECONDS]

Applies to the --to environment exactly the release that is applied and green on --from, with --to's variables
and overrides. Refuses when --from's latest release is red, when --from has drifted or differs from that release,
when this checkout's config is not that release, when --to does not name --from in promote_from, and outside
--to's change_window (unless --force-window with a --reason, which the release records).

Options:
  --from ENV            the environment whose green release is promoted (e.g. test)
  --to ENV              the environment it is applied to (e.g. prod)
  --yes                 promote without asking (needed when not on a terminal)
  --force-window        promote outside the change window; needs --reason
  --reason TEXT         why, recorded with the release
  --lock-wait SECONDS   wait this long for another run's lock (default 0)
  --project DIR         the project's root (default: here, or the nearest folder above with config/)
  -h, --help            show this help

Exit codes: 0 promoted, 1 refused or failed, 64 bad usage.

Examples:
  clue promote --from test --to prod                # asks on a terminal
  clue promote --from test --to prod --yes          # in CI, behind a protected environment`;

export async function run(args: string[], global: GlobalOptions): Promise<number> {
  const parsed = parseCommandLine(args, usage, {
    from: { type: "string" },
    to: { type: "string" },
    yes: { type: "boolean" },
    "force-window": { type: "boolean" },
    reason: { type: "string" },
    "lock-wait": { type: "string" },
    project: { type: "string" },
  });
  if (!parsed) return exitCodes.ok;
  const { values } = parsed;
  if (values.from === undefined || values.to === undefined)
    throw new UsageError("name both environments: clue promote --from test --to prod");
  if (values["force-window"] && !values.reason?.trim())
    throw new UsageError("--force-window needs --reason TEXT: why this cannot wait for the change window");
  const lockWait = seconds(values["lock-wait"]);
  confirmable(values.yes === true, "promote");
  const refuse = (text: string) => {
    process.stderr.write(`clue: promote refused: ${safeTerminalText(text, { midLine: true })}\n`);
    return exitCodes.problems;
  };

  // Recorded with prod's release and audit, so a forced or rehearsed promotion leaves a trace.
  const notes: string[] = [];
  const source = await openDeploy(values.project, values.from, global.color);
  if (!source) return exitCodes.problems;
  let release;
  try {
    const to = source.project.environments.find((e) => e.name === values.to);
    if (to && to.spec.promote_from !== values.from)
      return refuse(
        `env/${values.to}.yaml promotes from ${to.spec.promote_from ?? "nowhere"} (promote_from), not ${values.from}`,
      );
    const window = to?.spec.change_window;
    if (process.env.CLUE_NOW)
      notes.push(`change window checked against CLUE_NOW=${process.env.CLUE_NOW}, not the real clock`);
    if (window) {
      const state = windowState(window, clock());
      if (!state.open && !values["force-window"])
        return refuse(
          `it is ${state.local}, outside ${values.to}'s change window (${describeWindow(window)}); wait for it, or pass --force-window --reason TEXT`,
        );
      if (!state.open)
        notes.push(`outside the change window (${state.local}), forced: ${values.reason ?? ""}`);
      if (!state.open)
        process.stderr.write(
          `clue: promoting outside ${values.to}'s change window (${describeWindow(window)}, now ${state.local}): ${values.reason ?? ""}\n`,
        );
    }
    const releases = await source.target.store.listReleases(values.from);
    release = releases.at(-1);
    if (!release) return refuse(`${values.from} has no release yet; apply to it first`);
    if (release.status !== "green")
      return refuse(
        `${values.from}'s latest release ${release.id} is red (${release.message ?? "the apply did not finish"}); fix and apply ${values.from} first`,
      );
    const { plan, desired } = await planTarget(source);
    if (desired.configHash !== release.config_hash)
      return refuse(
        `this checkout's config (hash ${desired.configHash.slice(0, 12)}) is not ${values.from}'s green release ${release.id} (hash ${release.config_hash.slice(0, 12)}${release.git_revision ? `, git ${release.git_revision}` : ""}); check out that revision`,
      );
    if (plan.drift.length > 0 || plan.changes.length > 0)
      return refuse(
        `${values.from} no longer matches its release: ${[
          ...plan.drift.map((d) => `${d.kind}/${d.name} drifted (changed by ${d.updated_by})`),
          ...plan.changes.map((c) => `${c.kind}/${c.name} would ${c.action}`),
        ]
          .slice(0, 5)
          .join("; ")}; run clue plan --env ${values.from}`,
      );
  } catch (error) {
    return deployFailure(error, source);
  } finally {
    await source.target.store.close();
  }

  const target = await openDeploy(values.project, values.to, global.color, (text) =>
    process.stderr.write(`clue: ${text}\n`),
  );
  if (!target) return exitCodes.problems;
  try {
    return await deploy(target, {
      global,
      yes: values.yes === true,
      lockWait,
      verb: "promote",
      promotedFrom: { env: values.from, release_id: release.id },
      expectConfigHash: release.config_hash,
      ...(notes.length > 0 ? { note: notes.join("; ") } : {}),
    });
  } catch (error) {
    return deployFailure(error, target);
  } finally {
    await target.target.store.close();
  }
}
