import type { Project, Resource } from "../config/project.js";
import { resourcesOf } from "../config/project.js";
import type { NodePath } from "../diagnostics/diagnostic.js";
import type { ExprType } from "../expr/types.js";

/** One expression written in config: where it is, what entity it runs on, and what it must produce. */
export interface ExpressionSite {
  resource: Resource;
  path: NodePath;
  source: string;
  entity: string;
  /** Dedup rules compare two records. */
  other: boolean;
  /** The type the result must have: boolean for conditions; the field's type for a `set` value. */
  expects: ExprType | { field: string } | undefined;
}

/** Every expression of the project, in file order: the one list both lint and the evaluator compile from. */
export function expressionSites(project: Project): ExpressionSite[] {
  const sites: ExpressionSite[] = [];
  for (const r of resourcesOf(project, "cleaning")) {
    if (!r.valid) continue;
    r.spec.steps.forEach((step, i) => {
      const base = { resource: r, entity: r.spec.entity, other: false };
      if (step.when !== undefined)
        sites.push({ ...base, path: ["steps", i, "when"], source: step.when, expects: "boolean" });
      if (step.action === "set" && step.value !== undefined) {
        sites.push({
          ...base,
          path: ["steps", i, "value"],
          source: step.value,
          expects: step.field ? { field: step.field } : undefined,
        });
      }
    });
  }
  for (const r of resourcesOf(project, "validation")) {
    if (!r.valid || r.spec.check.expr === undefined) continue;
    sites.push({
      resource: r,
      path: ["check", "expr"],
      source: r.spec.check.expr,
      entity: r.spec.entity,
      other: false,
      expects: "boolean",
    });
  }
  for (const r of resourcesOf(project, "dedup")) {
    if (!r.valid) continue;
    r.spec.rules.forEach((rule, i) => {
      sites.push({
        resource: r,
        path: ["rules", i, "when"],
        source: rule.when,
        entity: r.spec.entity,
        other: true,
        expects: "boolean",
      });
    });
    (r.spec.blocking ?? []).forEach((key, i) => {
      sites.push({
        resource: r,
        path: ["blocking", i],
        source: key,
        entity: r.spec.entity,
        other: false,
        expects: undefined,
      });
    });
  }
  return sites;
}
