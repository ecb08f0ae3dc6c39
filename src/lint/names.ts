import { diagnosticAt, locate } from "../config/locate.js";
import type { Resource } from "../config/project.js";
import type { LintRule } from "./rule.js";
import { formatPath, type NodePath } from "../diagnostics/diagnostic.js";

/** Names identify resources on the target: a duplicate would silently overwrite another resource. */
export const namesRule: LintRule = {
  name: "names",
  run(ctx) {
    const first = new Map<string, Resource>();
    for (const r of ctx.project.resources) {
      const key = `${r.kind}\u0000${r.name}`;
      const earlier = first.get(key);
      if (!earlier) {
        first.set(key, r);
      } else {
        const at = `${earlier.doc.file.path}:${earlier.doc.file.lines.linePos(locate(earlier.doc, earlier.namePath).start).line}`;
        ctx.report(
          diagnosticAt(
            r.doc,
            r.namePath,
            "names/duplicate",
            `Another ${r.kind} is already named "${r.name}" (${at}).`,
            {
              hint:
                r.kind === "mapping" && r.namePath[0] === "source"
                  ? "A mapping is named after its source unless it has `name:`; give one of them a distinct `name:`."
                  : `Rename one of the two ${r.kind} resources.`,
            },
          ),
        );
      }
    }
    const environments = new Map<string, string>();
    for (const env of ctx.project.environments) {
      const earlier = environments.get(env.name);
      if (earlier === undefined) environments.set(env.name, env.doc.file.path);
      else
        ctx.report(
          diagnosticAt(
            env.doc,
            ["name"],
            "names/duplicate",
            `Environment "${env.name}" is also defined in ${earlier}.`,
            { hint: "Rename one of them." },
          ),
        );
    }
    for (const r of ctx.project.resources) {
      if (!r.valid) continue;
      if (r.kind === "cleaning") uniqueWithin(ctx, r, ["steps"], (r as Resource<"cleaning">).spec.steps);
      if (r.kind === "dedup") {
        const { spec } = r as Resource<"dedup">;
        uniqueWithin(ctx, r, ["rules"], spec.rules ?? []);
        uniqueWithin(ctx, r, ["comparisons"], spec.comparisons ?? []);
        (spec.comparisons ?? []).forEach((c, i) =>
          uniqueWithin(ctx, r, ["comparisons", i, "levels"], c.levels),
        );
      }
    }
  },
};

function uniqueWithin(
  ctx: Parameters<LintRule["run"]>[0],
  r: Resource,
  list: NodePath,
  items: readonly { name: string }[],
): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.name)) {
      ctx.report(
        diagnosticAt(
          r.doc,
          [...list, i, "name"],
          "names/duplicate-step",
          `Another entry of ${formatPath(list)} is already named "${item.name}".`,
          {
            hint: "Give each its own name: diffs and provenance refer to them by name.",
          },
        ),
      );
    }
    seen.add(item.name);
  });
}
