import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import type { Report } from "../../src/format/formatter.js";
import { human } from "../../src/format/human.js";

const at = (line: number, column: number, endColumn = column + 1, code = "schema/invalid"): Diagnostic => ({
  code: code as Diagnostic["code"],
  severity: "error",
  message: "Bad.",
  file: "config/x.yaml",
  line,
  column,
  endLine: line,
  endColumn,
  path: [],
});

function report(source: string, diagnostics: Diagnostic[], redactions: Diagnostic[] = []): Report {
  return {
    tool: { name: "clue", version: "0" },
    diagnostics,
    sources: new Map([["config/x.yaml", source]]),
    redactions,
    counts: { files: 1, resources: 0, environments: 0 },
    failSeverity: "error",
  };
}

const frameOf = (text: string) => text.split("\n").filter((l) => /^[ >] +\d* \| /.test(l));

describe("code frames", () => {
  it("cost the lines they print, not a pass over the file per finding", () => {
    // 50,000 findings on a 50,000-line file: splitting the file once per finding is 2.5 billion line steps.
    const lines = 50_000;
    const source = Array.from({ length: lines }, (_, i) => `key${i}: value`).join("\n");
    const diagnostics = Array.from({ length: lines }, (_, i) => at(i + 1, 1, 4));
    const started = Date.now();
    const { text } = human(report(source, diagnostics), { color: false });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(text).toContain("> 50000 | key49999: value");
  });

  it("print at most 160 characters of a line megabytes long, around the finding", () => {
    const line = `${"a".repeat(2_000_000)}X${"b".repeat(2_000_000)}`;
    const { text } = human(report(`first\n${line}\n`, [at(2, 2_000_001)]), { color: false });
    const frame = frameOf(text);
    for (const l of frame) expect(l.length).toBeLessThan(200);
    expect(text.length).toBeLessThan(1000);
    // The caret sits under the X, past the "…" that starts a cut line.
    const shown = frame.find((l) => l.startsWith(">")) as string;
    const caret = text.split("\n").find((l) => l.includes("^")) as string;
    expect(shown[caret.indexOf("^")]).toBe("X");
  });

  it("mask a secret in the printed window of a cut line", () => {
    const secret = "S".repeat(300);
    const line = `${"a".repeat(1000)}${secret}${"b".repeat(1000)}`;
    const redaction = { ...at(1, 1001, 1301), code: "security/secret-pattern" as const };
    const { text } = human(report(line, [at(1, 1100)], [redaction]), { color: false });
    expect(text).not.toContain("S");
    expect(text).toContain("*".repeat(100));
  });

  it("mask a secret that spans lines, on every line shown", () => {
    const source = "key: |\n  SECRETLINE1\n  SECRETLINE2\nnext: 1\n";
    const redaction: Diagnostic = { ...at(2, 3), endLine: 3, endColumn: 14, code: "security/secret-pattern" };
    const { text } = human(report(source, [at(3, 3)]), { color: false });
    expect(text).toContain("SECRETLINE");
    const masked = human(report(source, [at(3, 3)], [redaction]), { color: false }).text;
    expect(masked).not.toContain("SECRET");
  });
});
