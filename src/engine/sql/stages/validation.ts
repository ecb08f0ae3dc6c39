/**
 * The validation stage in SQL (src/pipeline/validation.ts, checks.ts): each rule's failure as a column
 * (`_fail_<i>`, NULL when the rule is skipped), the `_issues` list as JSON text in rule order, and `_excluded` for
 * records that reject or quarantine keeps out of matching. `unique` is a window over the input in record order:
 * the first record with a value passes, later ones fail.
 */
import type { Project } from "../../../config/project.js";
import { resourcesOf } from "../../../config/project.js";
import type { Value } from "../../../expr/types.js";
import { MAX_REGEX_INPUT } from "../../../expr/types.js";
import { PipelineError } from "../../../pipeline/pipeline-error.js";
import { translate } from "../../../regex/translate.js";
import type { Check } from "../../../types/generated/validation.js";
import type { PlanBuilder } from "../builder.js";
import type { Dialect, Sql } from "../dialect.js";
import { compileExpr, condition, SqlUnsupported } from "../expr.js";
import type { SqlType } from "../plan.js";
import { equalsSql, sql, textOf } from "../semantics.js";
import { parsed, rowFields } from "./cleaning.js";
import type { Column } from "./mapping.js";

/** Helper UDF: whether text is a real date, datetime or URL as checks.ts's `format` judges it. */
export const FORMAT_CHECK = "clue__format";

export interface RuleInfo {
  rule: string;
  action: "flag" | "reject" | "quarantine";
  /** Why the rule cannot run in this run, if so. */
  skipped: string | undefined;
}

/** What another entity's `reference` check needs: the cleaned view of each input of the entity in this run. */
export type CleanedViews = (entity: string) => { view: string; columns: readonly Column[] }[];

/** Adds the validated view of input `k` over its cleaned view; returns it and its rules. */
export function validateInput(
  b: PlanBuilder,
  project: Project,
  k: number,
  entity: string,
  cleaned: string,
  columns: readonly Column[],
  references: {
    tables: (
      name: string,
    ) => { columns: readonly string[]; rows: readonly Record<string, unknown>[] } | undefined;
    cleaned: CleanedViews;
  },
): { view: string; rules: RuleInfo[] } {
  const { d } = b;
  const rules: RuleInfo[] = [];
  const fails: string[] = [];
  const bindings = b.bindings();
  for (const v of resourcesOf(project, "validation").filter((v) => v.spec.entity === entity)) {
    const spec = v.spec;
    const where = `validation ${spec.rule}`;
    const name = Object.keys(spec.check)[0] as keyof Check;
    const action = spec.on_fail?.action ?? "flag";
    let skipped: string | undefined;
    let fail: string;
    if (name === "expr") {
      // A condition that is unknown (null) passes, like a null value does.
      const test = condition(
        compileExpr(parsed(spec.check.expr as string, where), rowFields(b, columns), b.cx, where, bindings),
        b.cx,
      );
      fail = `coalesce(NOT ${test}, false)`;
    } else {
      const column = spec.field === undefined ? undefined : columns.find((c) => c.name === spec.field);
      if (spec.field !== undefined && column === undefined)
        throw new SqlUnsupported(`${where}: ${spec.field} is not a field of ${entity}`);
      const value: Sql | undefined =
        column === undefined ? undefined : { sql: d.ident(column.name), type: column.type };
      const ref =
        name === "reference" ? (spec.check.reference as NonNullable<Check["reference"]>) : undefined;
      const accepted = ref === undefined ? undefined : referenceSet(b, ref, references);
      if (ref !== undefined && accepted === undefined)
        skipped = `the referenced ${ref.table !== undefined ? `table ${ref.table}` : `field ${ref.entity}.${ref.field}`} is not part of this run`;
      const passes = skipped === undefined ? check(b, name, spec.check, value, accepted, where) : "true";
      const checksNull = name === "required" || name === "not_blank";
      // A null passes every check but required and not_blank: presence is their job (SPEC section 4).
      fail =
        value === undefined
          ? `NOT coalesce(${passes}, false)`
          : checksNull
            ? `NOT coalesce(${passes}, false)`
            : `(${value.sql} IS NOT NULL AND NOT coalesce(${passes}, false))`;
    }
    rules.push({ rule: spec.rule, action, skipped });
    fails.push(skipped === undefined ? fail : d.nullOf("boolean"));
  }
  const issues = rules
    .map((r, i) =>
      r.skipped === undefined
        ? `CASE WHEN _fail_${i} THEN ${d.string(JSON.stringify({ rule: r.rule, severity: severityOf(project, entity, r.rule), action: r.action }))} END`
        : undefined,
    )
    .filter((x): x is string => x !== undefined);
  const excluding = rules
    .map((r, i) => (r.action !== "flag" && r.skipped === undefined ? `_fail_${i}` : undefined))
    .filter((x): x is string => x !== undefined);
  const checksView = `checks_${k}`;
  b.view(
    checksView,
    `SELECT *, ${fails.map((f, i) => `${f} AS _fail_${i}`).join(", ") || "NULL AS _no_rules"}\nFROM ${bindings.from(d.ident(cleaned))} WHERE _removed IS NULL`,
    `input ${k}: each validation rule's failure`,
  );
  const view = `validated_${k}`;
  b.view(
    view,
    `SELECT *, ${d.concat(["'['", issues.length === 0 ? "''" : d.concatSkippingNulls(",", issues), "']'"])} AS _issues,\n` +
      `  ${excluding.length === 0 ? "false" : `(${excluding.join(" OR ")})`} AS _excluded\nFROM ${d.ident(checksView)}`,
    `input ${k}: _issues in rule order, and whether reject or quarantine keeps the record out of matching`,
  );
  return { view, rules };
}

function severityOf(project: Project, entity: string, rule: string): string {
  const v = resourcesOf(project, "validation").find((r) => r.spec.entity === entity && r.spec.rule === rule);
  return v?.spec.severity ?? "medium";
}

/** The accepted texts of a reference check: a literal list for a table, a subquery for another entity's field. */
function referenceSet(
  b: PlanBuilder,
  ref: NonNullable<Check["reference"]>,
  references: Parameters<typeof validateInput>[6],
): string | undefined {
  const { d } = b;
  if (ref.table !== undefined) {
    const table = references.tables(ref.table);
    if (!table) return undefined;
    const column = ref.column ?? table.columns[0] ?? "";
    const values = [...new Set(table.rows.map((row) => textOfValue(row[column] as Value | undefined)))];
    return values.length === 0
      ? `SELECT ${d.nullOf("text")} WHERE false`
      : // A query of an inline table with a named column: DuckDB and Spark both read that (Spark has no bare
        // VALUES in an IN list).
        `SELECT * FROM (VALUES ${values.map((v) => `(${d.string(v)})`).join(", ")}) AS t(v)`;
  }
  const inputs = references.cleaned(ref.entity ?? "");
  if (inputs.length === 0) return undefined;
  const parts = inputs.map(({ view, columns }) => {
    const column = columns.find((c) => c.name === ref.field);
    if (column === undefined) throw new SqlUnsupported(`reference ${ref.entity}.${ref.field}: no such field`);
    const value = { sql: d.ident(column.name), type: column.type };
    return `SELECT ${textOf(d, value)} FROM ${d.ident(view)} WHERE ${value.sql} IS NOT NULL`;
  });
  return parts.join(" UNION ALL ");
}

function textOfValue(v: Value | undefined): string {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return JSON.stringify(v) ?? "";
}

/** Formats checks.ts judges with a regex alone, in RE2 syntax; the others go to the helper UDF. */
const FORMAT_PATTERNS: Record<string, { pattern: string; maxLength?: number }> = {
  email: { pattern: "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", maxLength: 254 },
  e164: { pattern: "^\\+[1-9]\\d{1,14}$" },
  uuid: { pattern: "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$" },
};

/** Whether the value passes one check (NULL counts as a failure where it is asked; null values are handled by the caller). */
function check(
  b: PlanBuilder,
  name: Exclude<keyof Check, "expr">,
  spec: Check,
  value: Sql | undefined,
  accepted: string | undefined,
  where: string,
): string {
  const { d } = b;
  const v = value ?? sql(d.nullOf("text"), "text");
  const text = textOf(d, v);
  switch (name) {
    case "required":
      return `(${v.sql} IS NOT NULL)`;
    case "not_blank":
      return `(${v.sql} IS NOT NULL AND ${d.jsTrim(text)} <> '')`;
    case "regex": {
      const re = re2(spec.regex as string, where);
      return `(${d.utf16Length(text)} <= ${MAX_REGEX_INPUT} AND ${d.regexMatches(text, re)})`;
    }
    case "enum": {
      const tests = ((spec.enum ?? []) as Value[])
        .filter((a): a is string | number | boolean => a !== null && typeof a !== "object")
        .map((a) => `coalesce(${equalsSql(d, v, literal(d, a))}, false)`);
      return tests.length === 0 ? "false" : `(${tests.join(" OR ")})`;
    }
    case "range": {
      const n = v.type === "number" ? v.sql : v.type === "text" ? d.parseDecimal(v.sql) : d.nullOf("number");
      const { min, max } = spec.range ?? {};
      return `(${n} IS NOT NULL${min === undefined ? "" : ` AND ${n} >= ${d.number(min)}`}${max === undefined ? "" : ` AND ${n} <= ${d.number(max)}`})`;
    }
    case "length": {
      const count = d.codePointLength(text);
      const { min, max } = spec.length ?? {};
      return `(true${min === undefined ? "" : ` AND ${count} >= ${d.number(min)}`}${max === undefined ? "" : ` AND ${count} <= ${d.number(max)}`})`;
    }
    case "format": {
      if (v.type !== "text") return "false";
      const format = spec.format as string;
      const known = FORMAT_PATTERNS[format];
      const short = `${d.utf16Length(v.sql)} <= ${known?.maxLength ?? 2048}`;
      if (known) return `(${short} AND ${d.regexMatches(v.sql, re2(known.pattern, where))})`;
      b.cx.udfs.helper(FORMAT_CHECK, ["text", "text"], "boolean");
      return `(${short} AND ${FORMAT_CHECK}(${d.string(format)}, ${v.sql}))`;
    }
    case "unique":
      // Typed values, so 1 and "1" never meet: the column has one type.
      return `(row_number() OVER (PARTITION BY ${v.sql} ORDER BY _line) = 1)`;
    case "reference":
      return `(${text} IN (${accepted ?? `SELECT ${d.nullOf("text")} WHERE false`}))`;
  }
}

function literal(d: Dialect, a: string | number | boolean): Sql {
  const type: SqlType = typeof a === "string" ? "text" : typeof a === "number" ? "number" : "boolean";
  return sql(typeof a === "string" ? d.string(a) : typeof a === "number" ? d.number(a) : d.boolean(a), type);
}

/** A JavaScript pattern in RE2 syntax with the same meaning (src/regex/translate.ts). */
export function re2(pattern: string, where: string): string {
  const translated = translate(pattern);
  if (!translated.ok)
    throw new PipelineError(
      `${where}: the regex ${JSON.stringify(pattern)} cannot run: ${translated.problem.message} (clue validate reports it)`,
    );
  return translated.source;
}
