import { codes, type DiagnosticCode } from "./codes.js";

/** docs/diagnostics.md, generated from the code registry (`npm run docs`; a test fails when it is stale). */
export function renderDiagnosticsReference(): string {
  const ids = Object.keys(codes) as DiagnosticCode[];
  const lines = [
    "# Diagnostics reference",
    "",
    "<!-- Generated from src/diagnostics/codes.ts by `npm run docs`. Do not edit by hand. -->",
    "",
    "Every finding of `clue validate` has one of these stable codes. Suppress one occurrence with",
    "`# clue-disable-next-line CODE` on the line above it, or accept it in `.clueignore.yaml` with a reason.",
    "",
    "| code | severity | what it means |",
    "| --- | --- | --- |",
    ...ids.map((id) => `| [\`${id}\`](#${anchor(id)}) | ${codes[id].severity} | ${codes[id].title} |`),
    "",
  ];
  for (const id of ids) {
    const info = codes[id];
    lines.push(
      `## ${id}`,
      "",
      `**${info.severity}** — ${info.title}.`,
      "",
      "Triggered by:",
      "",
      "```yaml",
      info.example.trimEnd(),
      "```",
      "",
      `Fix: ${info.fix}`,
      "",
    );
  }
  return lines.join("\n");
}

function anchor(id: string): string {
  return id.replace(/[^a-z0-9-]/g, "");
}
