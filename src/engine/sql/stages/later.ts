/**
 * The stages after validation in SQL: matches, golden records and export rows (blocking.ts, scoring.ts,
 * clusters.ts, golden.ts, exports.ts).
 */
import type { Project } from "../../../config/project.js";
import type { PlanBuilder } from "../builder.js";
import type { CompiledInput } from "../compile.js";
import { SqlUnsupported } from "../expr.js";
import type { SqlPlan, SqlReports } from "../plan.js";

export function laterStages(
  _b: PlanBuilder,
  _project: Project,
  stage: string,
  _inputs: readonly CompiledInput[],
): { output: SqlPlan["output"]; reports: SqlReports } {
  throw new SqlUnsupported(`--stage ${stage} is not supported on SQL engines yet`);
}
