import { isAtLeast } from "../diagnostics/diagnostic.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { codeFrame, FrameSource } from "./code-frame.js";
import { countBySeverity, describeCounts, plural, type Formatter } from "./formatter.js";

const styles = {
  red: [31, 39],
  yellow: [33, 39],
  blue: [34, 39],
  dim: [2, 22],
  bold: [1, 22],
  green: [32, 39],
} as const;
type Style = keyof typeof styles;

/** Compiler style: `file:line:col: severity code message`, a code frame, a hint, then a summary line. */
export const human: Formatter = (report, { color }) => {
  const paint = (style: Style) => (s: string) =>
    color ? `\u001b[${styles[style][0]}m${s}\u001b[${styles[style][1]}m` : s;
  const severityStyle = { error: "red", warning: "yellow", info: "blue" } as const;
  const frames = frameSources(report.sources, report.redactions);
  const blocks = report.diagnostics.map((d) => {
    const tint = paint(severityStyle[d.severity]);
    const lines = [
      `${paint("bold")(`${d.file}:${d.line}:${d.column}`)}: ${tint(d.severity)} ${paint("dim")(d.code)} ${d.message}`,
    ];
    const source = frames(d.file);
    if (source !== undefined) {
      const frame = codeFrame(source, d, tint);
      if (frame) lines.push(frame);
    }
    if (d.hint) lines.push(`  ${paint("dim")("hint:")} ${d.hint}`);
    return lines.join("\n");
  });
  const { files, resources, environments } = report.counts;
  const scope = `${plural(files, "file")}, ${plural(resources, "resource")}, ${plural(environments, "environment")}`;
  const failing = report.diagnostics.filter((d) => isAtLeast(d.severity, report.failSeverity)).length;
  const c = countBySeverity(report.diagnostics);
  const summary =
    report.diagnostics.length === 0
      ? paint("green")(`✔ No problems (${scope}).`)
      : (failing > 0 ? paint("red")("✖ ") : paint("yellow")("⚠ ")) +
        `${plural(c.error + c.warning + c.info, "problem")} (${describeCounts(report.diagnostics)}) in ${scope}.`;
  return { text: [...blocks, summary].join("\n\n") + "\n" };
};

/** Each file's lines and secret ranges, indexed on its first frame and shared by the rest. */
function frameSources(
  sources: ReadonlyMap<string, string>,
  redactions: readonly Diagnostic[],
): (file: string) => FrameSource | undefined {
  const byFile = new Map<string, Diagnostic[]>();
  for (const r of redactions) {
    const list = byFile.get(r.file);
    if (list) list.push(r);
    else byFile.set(r.file, [r]);
  }
  const built = new Map<string, FrameSource>();
  return (file) => {
    const text = sources.get(file);
    if (text === undefined) return undefined;
    let source = built.get(file);
    if (!source) {
      source = new FrameSource(text, byFile.get(file));
      built.set(file, source);
    }
    return source;
  };
}
