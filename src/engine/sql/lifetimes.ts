/**
 * When each table of a plan can go: a plan materialises a table at most steps (the input's rows, the mapped records,
 * the parts, the pairs, the members), and an engine that kept them all to the end would hold several copies of the
 * data at once — at ten million records, more than the memory a laptop gives it, so every later join spills. A
 * table is needed until the last step that reads it, directly or through views; the output and the report views are
 * read after the last step, so whatever they read stays.
 *
 * Pure: it reads the plan's text. A name is read where it appears as a whole identifier (quoted or not), which can
 * only keep a table longer than needed, never drop one that is read.
 */
import type { SqlPlan, SqlStep } from "./plan.js";

/** The table each input's view reads its records from (the DuckDB runner's appender table). */
export const inputRowsTable = (view: string): string => `${view}_rows`;

/**
 * Per top-level step (by index), the tables that no later step, view, output or report reads once it has run: the
 * runner may drop them then.
 */
export function droppableAfter(plan: SqlPlan): Map<number, string[]> {
  /** Every view's SQL (made `readable` once), by name (a view is re-read wherever it is used). */
  const views = new Map<string, string>();
  /** Each table's last top-level step of definition (-1: before the steps, the input rows). */
  const defined = new Map<string, number>();
  for (const input of plan.inputs) {
    views.set(input.view, inputRowsTable(input.view));
    defined.set(inputRowsTable(input.view), -1);
  }
  const texts = plan.steps.map((step, i) => {
    const parts: string[] = [];
    const visit = (s: SqlStep): void => {
      if (s.kind === "loop") {
        s.steps.forEach(visit);
        parts.push(s.until);
        return;
      }
      parts.push(s.sql);
      if (s.kind === "view") views.set(s.name, readable(s.sql));
      else defined.set(s.name, i);
    };
    visit(step);
    return readable(parts.join("\n"));
  });
  /** Whether the text (already `readable`) reads `name`. */
  const reads = (text: string, name: string): boolean =>
    new RegExp(`(^|[^A-Za-z0-9_])${escape(name)}($|[^A-Za-z0-9_])`).test(text);
  /** The views whose SQL reads `name`, directly or through other views. */
  const viewsReading = (name: string, seen = new Set<string>()): Set<string> => {
    for (const [view, sql] of views)
      if (!seen.has(view) && reads(sql, name)) {
        seen.add(view);
        viewsReading(view, seen);
      }
    return seen;
  };
  const endViews = new Set<string>([plan.output.view]);
  for (const view of Object.values(plan.reports ?? {}) as unknown[])
    if (typeof view === "string") endViews.add(view);
  const drops = new Map<number, string[]>();
  for (const [table, at] of defined) {
    const through = [table, ...viewsReading(table)];
    if (through.some((name) => endViews.has(name))) continue;
    let last = -1;
    texts.forEach((text, i) => {
      if (through.some((name) => reads(text, name))) last = i;
    });
    if (last < 0 || last < at) continue;
    drops.set(last, [...(drops.get(last) ?? []), table]);
  }
  return drops;
}

/**
 * The SQL with what cannot name a table taken out: string literals (a JSON key such as '"members":') and the names
 * given after AS (a column `AS compared`, a type in `CAST(x AS ...)`).
 */
function readable(sql: string): string {
  return sql
    .replace(/'(?:[^']|'')*'/g, "''")
    .replace(/\bAS\s+("(?:[^"]|"")*"|[A-Za-z_][A-Za-z0-9_]*)/gi, "AS _");
}

function escape(name: string): string {
  return name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
