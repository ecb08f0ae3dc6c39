/** A plan as a readable SQL script (`clue run --explain-sql`): one statement per step, notes as comments. */
import { dialects } from "./dialects/index.js";
import type { SqlPlan, SqlStep } from "./plan.js";

export function explainPlan(plan: SqlPlan): string {
  const d = dialects[plan.engine];
  const lines: string[] = [
    `-- clue plan for ${plan.engine}: stage ${plan.output.stage}`,
    "-- Inputs (each a view of one column `record`, the record as JSON text, with _line and _file):",
    ...plan.inputs.map(
      (i) =>
        `--   ${i.view}: source ${i.source} (${i.entity}), ${i.path === "" ? "records given inline" : i.path} (${i.format})`,
    ),
  ];
  if (plan.udfs.length > 0) {
    lines.push("-- UDFs (clue's own implementation, registered by the runner):");
    for (const name of plan.udfs) {
      const s = plan.udfSignatures?.[name];
      lines.push(
        s === undefined
          ? `--   ${name}`
          : `--   ${name}(${s.args
              .filter((a) => a !== "omitted")
              .map((a) => d.types[a as "text"])
              .join(
                ", ",
              )}) -> ${d.types[s.returns]}: ${s.function.startsWith("clue__") ? "helper" : `clue's ${s.function}()`}`,
      );
    }
  }
  lines.push("");
  for (const statement of plan.prelude ?? []) lines.push(`${statement};`, "");
  const step = (s: SqlStep, indent: string): void => {
    if (s.note !== undefined) lines.push(`${indent}-- ${s.note}`);
    if (s.kind === "loop") {
      lines.push(
        `${indent}-- repeat until ${s.until.replaceAll("\n", " ")} (at most ${s.maxIterations} times):`,
      );
      for (const inner of s.steps) step(inner, `${indent}  `);
      lines.push(`${indent}-- end of repeat`, "");
      return;
    }
    const text = s.kind === "view" ? d.createView(s.name, s.sql) : d.createTable(s.name, s.sql);
    lines.push(
      `${text
        .split("\n")
        .map((l) => indent + l)
        .join("\n")};`,
      "",
    );
  };
  for (const s of plan.steps) step(s, "");
  lines.push(
    "-- The output, one JSON line per row:",
    plan.output.presorted
      ? `SELECT json FROM ${d.ident(plan.output.view)}; -- in order of ${plan.output.orderBy.join(", ")} as stored`
      : `SELECT json FROM ${d.ident(plan.output.view)} ORDER BY ${plan.output.orderBy.join(", ")};`,
  );
  return `${lines.join("\n")}\n`;
}
