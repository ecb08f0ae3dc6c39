/** What the stages add their steps to while a plan is compiled. */
import type { Dialect } from "./dialect.js";
import { Bindings, type ExprContext } from "./expr.js";
import type { SqlStep } from "./plan.js";

export class PlanBuilder {
  readonly steps: SqlStep[] = [];
  private names = 0;

  constructor(
    readonly d: Dialect,
    readonly cx: ExprContext,
  ) {}

  /** Columns for the expressions of one SELECT (see Bindings), named uniquely in the plan. */
  bindings(alias?: string, options: { lookUpUdfs?: boolean } = {}): Bindings {
    return new Bindings(this.d, () => `__e${this.names++}`, alias, options.lookUpUdfs === true);
  }

  view(name: string, sql: string, note?: string): void {
    this.steps.push({ kind: "view", name, sql, ...(note !== undefined ? { note } : {}) });
  }

  table(name: string, sql: string, note?: string, options: { ordered?: boolean } = {}): void {
    this.steps.push({
      kind: "table",
      name,
      sql,
      ...(note !== undefined ? { note } : {}),
      ...(options.ordered ? { ordered: true } : {}),
    });
  }

  loop(steps: SqlStep[], until: string, maxIterations: number, note: string): void {
    this.steps.push({ kind: "loop", steps, until, maxIterations, note });
  }

  /** Steps added by `build` go into a list of their own (the body of a loop) instead of the plan. */
  collect(build: () => void): SqlStep[] {
    const start = this.steps.length;
    build();
    return this.steps.splice(start);
  }
}
