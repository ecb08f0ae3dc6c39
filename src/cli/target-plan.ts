import { compileForCluedin } from "../cluedin/compile.js";
import { compiledState } from "../deploy/compiled.js";
import type { DeployContext } from "../deploy/context.js";
import { desiredState, type DesiredState } from "../deploy/desired.js";
import { computePlan, readRemote, withCosts, type Plan } from "../deploy/plan.js";
import { compareDiagnostics, type Diagnostic } from "../diagnostics/diagnostic.js";
import { applySuppressions } from "../diagnostics/suppress.js";
import { formatters } from "../format/index.js";
import { version } from "./version.js";

/**
 * Reads the target and plans (the part plan, apply and promote share). For a `cluedin` target the desired spec of
 * each resource is what it compiles to, what cannot compile is left out with its diagnostics, entity types the
 * platform already has are taken as it has them, and every rule update or delete carries the platform's count of
 * affected records (fetched here, so computePlan stays pure).
 */
export async function planTarget(context: DeployContext): Promise<{ plan: Plan; desired: DesiredState }> {
  const { store } = context.target;
  const base = desiredState(context.project, context.env);
  const remote = await readRemote(store);
  const platform = context.target.cluedin;
  let desired = base;
  let diagnostics: Diagnostic[] = [];
  if (platform) {
    const compiled = compileForCluedin(context.project, base.resources);
    // Accepted findings (a `# clue-disable-next-line` or a .clueignore.yaml entry) are left out, as validate does.
    const { project } = context;
    diagnostics = applySuppressions(compiled.diagnostics, project.files, project.ignore, "plan").sort(
      compareDiagnostics,
    );
    desired = compiledState(base, compiled.resources, await platform.entityTypes());
  }
  let plan = computePlan(context.env.name, context.target.describe, desired, remote, context.redact);
  if (platform) {
    const affected = new Map<string, number>();
    for (const c of plan.changes.filter((c) => c.action !== "create")) {
      const n = await platform.affectedRecords(c.kind, c.name);
      if (n !== undefined) affected.set(`${c.kind}/${c.name}`, n);
    }
    plan = { ...withCosts(plan, affected), diagnostics };
  }
  if (context.target.notice !== undefined) plan = { ...plan, notice: context.target.notice };
  return { plan, desired };
}

/**
 * Whether the plan leaves out something whose absence changes what the rest means (an export with no target, a
 * hashed column that would go out in clear): such a plan is shown but not applied.
 */
export function planHasErrors(plan: Plan): boolean {
  return (plan.diagnostics ?? []).some((d) => d.severity === "error");
}

/** The plan's diagnostics as `clue validate` prints them (code, file, line, column, hint), for stderr. */
export function renderPlanDiagnostics(context: DeployContext, plan: Plan, color: boolean): string {
  const diagnostics = plan.diagnostics ?? [];
  if (diagnostics.length === 0) return "";
  const { project } = context;
  return formatters.human(
    {
      tool: { name: "clue", version: version() },
      diagnostics,
      redactions: [],
      sources: new Map([...project.files, ...project.otherFiles].map((f) => [f.path, f.text])),
      counts: {
        files: project.files.length,
        resources: project.resources.length,
        environments: project.environments.length,
      },
      failSeverity: "error",
    },
    { color },
  ).text;
}
