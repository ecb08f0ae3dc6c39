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
    const base = { resource: r, entity: r.spec.entity };
    const condition = (path: NodePath, source: string) =>
      sites.push({ ...base, path, source, other: true, expects: "boolean" });
    (r.spec.rules ?? []).forEach((rule, i) => condition(["rules", i, "when"], rule.when));
    (r.spec.comparisons ?? []).forEach((c, i) => {
      c.levels.forEach((level, k) => {
        if (level.when !== undefined) condition(["comparisons", i, "levels", k, "when"], level.when);
      });
      if (c.term_frequency !== undefined)
        sites.push({
          ...base,
          path: ["comparisons", i, "term_frequency"],
          source: c.term_frequency,
          other: false,
          expects: undefined,
        });
    });
    (r.spec.training?.blocking ?? []).forEach((when, i) => condition(["training", "blocking", i], when));
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
