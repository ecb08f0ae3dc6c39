import type { FunctionDef } from "../function-def.js";
import type { ExprType } from "../types.js";
import { functionFamilies } from "./index.js";

const typeName = (type: ExprType | readonly ExprType[]) =>
  typeof type === "string" ? type : type.join(" | ");

/** `to_e164(text: string, default_country?: string) → string`; a repeating last parameter is written `...value`. */
export function signature(fn: FunctionDef): string {
  const params = fn.params.map((p, i) => {
    const rest = fn.variadic === true && i === fn.params.length - 1 ? "..." : "";
    return `${rest}${p.name}${p.optional ? "?" : ""}: ${typeName(p.type)}`;
  });
  return `${fn.name}(${params.join(", ")}) → ${fn.returns}`;
}

/** A pipe would end a table cell, so it is escaped (GitHub renders `\|` as `|`, also inside code). */
const pipes = (text: string) => text.replace(/\|/g, "\\|");

/** Inline code in a table cell; fenced with two backticks when the text holds one. */
const cell = (text: string) => (text.includes("`") ? `\`\` ${pipes(text)} \`\`` : `\`${pipes(text)}\``);

/** docs/functions.md, generated from the function registry (`npm run docs`; a test fails when it is stale). */
export function renderFunctionsReference(): string {
  const lines = [
    "# Expression functions",
    "",
    "<!-- Generated from src/expr/functions/ by `node scripts/generate-functions-doc.mjs`. Do not edit by hand. -->",
    "",
    "The function library of the expression language (SPEC section 4). Unless a function says it handles null",
    "itself, a null argument makes the result null without calling it. Text arguments may also be numbers or",
    "booleans (records from CSV and JSON are untyped): they are turned into text first. An argument that cannot be",
    "used (a list where text is wanted, an invalid pattern, an impossible date) gives null; functions never fail.",
    "Text is measured in Unicode code points. Optional parameters may be passed by name:",
    '`to_e164(phone, default_country="AU")`.',
    "",
    "| function | description |",
    "| --- | --- |",
  ];
  for (const family of functionFamilies) {
    for (const fn of family.functions)
      lines.push(`| [\`${fn.name}\`](#${fn.name}) | ${pipes(fn.description)} |`);
  }
  lines.push("");
  for (const family of functionFamilies) {
    lines.push(`## ${family.title}`, "");
    for (const fn of family.functions) {
      lines.push(`### ${fn.name}`, "", "```", signature(fn), "```", "", fn.description, "");
      for (const note of fn.notes ?? []) lines.push(note, "");
      const documented = fn.params.filter((p) => p.description !== undefined);
      for (const p of documented) lines.push(`- \`${p.name}\`: ${p.description ?? ""}`);
      if (documented.length > 0) lines.push("");
      lines.push("| expression | result |", "| --- | --- |");
      for (const example of fn.examples)
        lines.push(`| ${cell(example.expr)} | ${cell(JSON.stringify(example.result))} |`);
      lines.push("");
    }
  }
  return lines.join("\n");
}
