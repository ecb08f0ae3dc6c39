import type { Evaluator } from "../expr/compile.js";
import { holds } from "../expr/expression.js";
import type { EntityRecord } from "./mapping.js";

export interface CompiledStep {
  project: string;
  name: string;
  action: "set" | "clear" | "remove_record";
  field: string | undefined;
  when: Evaluator | undefined;
  value: Evaluator | undefined;
  reason: string | undefined;
}

export interface Removed {
  step: string;
  reason: string;
}

/**
 * Runs the steps in order on one record, in place: a later step sees what earlier ones wrote. Returns why the
 * record was removed, or undefined when it is kept (no allocation for the common case).
 */
export function clean(record: EntityRecord, steps: readonly CompiledStep[]): Removed | undefined {
  for (const step of steps) {
    if (step.when && !holds(step.when(record))) continue;
    if (step.action === "remove_record") {
      return { step: `${step.project}.${step.name}`, reason: step.reason ?? "removed by cleaning" };
    }
    if (step.field === undefined) continue;
    record[step.field] = step.action === "clear" || !step.value ? null : step.value(record);
  }
  return undefined;
}
