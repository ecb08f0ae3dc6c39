import type { Value } from "../expr/types.js";
import type { CheckFn } from "./checks.js";
import type { EntityRecord } from "./mapping.js";

export interface Issue {
  rule: string;
  severity: "low" | "medium" | "high" | "critical";
  action: "flag" | "reject" | "quarantine";
}

export interface CompiledValidation {
  rule: string;
  field: string | undefined;
  severity: Issue["severity"];
  action: Issue["action"];
  checksNull: boolean;
  test: CheckFn;
  maxFailRatio: number | undefined;
  /** Why the check cannot run in this run (a reference to data that is not here), if so. */
  skipped: string | undefined;
}

/** Per rule: records checked and failed. */
export interface RuleStats {
  rule: string;
  checked: number;
  failed: number;
  maxFailRatio: number | undefined;
  skipped: string | undefined;
}

/** Checks one record against every rule; the issues, and the stats updated (`stats[i]` belongs to `rules[i]`). */
export function validate(
  record: EntityRecord,
  rules: readonly CompiledValidation[],
  stats: readonly RuleStats[],
): Issue[] {
  const issues: Issue[] = [];
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i] as CompiledValidation;
    const s = stats[i] as RuleStats;
    if (rule.skipped !== undefined) continue;
    const value: Value = rule.field === undefined ? null : (record[rule.field] ?? null);
    s.checked++;
    // A null passes every check but required and not_blank: presence is their job (SPEC section 4).
    if (value === null && !rule.checksNull && rule.field !== undefined) continue;
    if (!rule.test(value, record)) {
      s.failed++;
      issues.push(issueOf(rule));
    }
  }
  return issues;
}

/** The issue a failed rule puts on a record. */
export function issueOf(rule: CompiledValidation): Issue {
  return { rule: rule.rule, severity: rule.severity, action: rule.action };
}

export function newStats(rules: readonly CompiledValidation[]): Map<string, RuleStats> {
  return new Map(
    rules.map((r) => [
      r.rule,
      { rule: r.rule, checked: 0, failed: 0, maxFailRatio: r.maxFailRatio, skipped: r.skipped },
    ]),
  );
}

/** Whether a rule failed more records than its threshold allows. */
export function overThreshold(s: RuleStats): boolean {
  return s.maxFailRatio !== undefined && s.checked > 0 && s.failed / s.checked > s.maxFailRatio;
}
