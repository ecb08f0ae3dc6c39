import { locateInString, makeDiagnostic } from "../config/locate.js";
import type { Resource } from "../config/project.js";
import type { NodePath } from "../diagnostics/diagnostic.js";
import { checkCron } from "./cron.js";
import type { LintContext, LintRule } from "./rule.js";

/** Contracts state delivery in words as well as cron (the handbook's `schedule: hourly`). */
const DELIVERY_WORDS = new Set(["hourly", "daily", "weekly", "monthly", "continuous"]);

/** Every schedule is a valid cron expression (or a macro). */
export const schedulesRule: LintRule = {
  name: "schedules",
  run(ctx) {
    for (const r of ctx.project.resources) {
      if (!r.valid) continue;
      if (r.kind === "cleaning" || r.kind === "export") {
        const schedule = (r as Resource<"cleaning" | "export">).spec.schedule;
        if (schedule !== undefined) check(ctx, r, schedule, ["schedule"]);
      }
      if (r.kind === "contract") {
        const schedule = (r as Resource<"contract">).spec.delivery?.schedule;
        if (schedule !== undefined && !DELIVERY_WORDS.has(schedule))
          check(ctx, r, schedule, ["delivery", "schedule"], true);
      }
    }
  },
};

function check(ctx: LintContext, r: Resource, expr: string, path: NodePath, words = false): void {
  const problem = checkCron(expr);
  if (!problem) return;
  const range = locateInString(r.doc, path, problem.offset, problem.length);
  ctx.report(
    makeDiagnostic(
      r.doc.file,
      "schedule/invalid-cron",
      range.start,
      range.end,
      `Schedule "${expr}" is not valid: ${problem.message}.`,
      {
        path,
        hint: `Use 5 fields (minute hour day-of-month month day-of-week) or a macro such as @hourly${words ? ", or one of hourly, daily, weekly, monthly, continuous" : ""}.`,
      },
    ),
  );
}
