import { describe, expect, it } from "vitest";
import { compareDiagnostics, type Diagnostic, type Severity } from "../../src/diagnostics/diagnostic.js";
import { capFindings, clipText } from "../../src/diagnostics/finding-cap.js";
import { loadProject } from "../../src/config/project.js";
import { validateLoadedProject } from "../../src/validate.js";

const finding = (
  file: string,
  line: number,
  severity: Severity = "error",
  code = "yaml/duplicate-key",
): Diagnostic => ({
  code: code as Diagnostic["code"],
  severity,
  message: "m",
  file,
  line,
  column: 1,
  endLine: line,
  endColumn: 2,
  path: [],
});

describe("capFindings", () => {
  it("keeps the first findings of each file in report order and counts the rest in one finding", () => {
    const list = [
      ...Array.from({ length: 5 }, (_, i) => finding("a.yaml", i + 2)),
      finding("b.yaml", 1),
      ...Array.from({ length: 4 }, (_, i) =>
        finding("c.yaml", i + 2, i === 3 ? "error" : "warning", "schema/type"),
      ),
    ].sort(compareDiagnostics);
    const capped = capFindings(list, 2);
    expect(capped.map((d) => `${d.file}:${d.line} ${d.code} ${d.severity}`)).toEqual([
      "a.yaml:1 file/too-many-findings error",
      "a.yaml:2 yaml/duplicate-key error",
      "a.yaml:3 yaml/duplicate-key error",
      "b.yaml:1 yaml/duplicate-key error",
      "c.yaml:1 file/too-many-findings error",
      "c.yaml:2 schema/type warning",
      "c.yaml:3 schema/type warning",
    ]);
    expect(capped[0]?.message).toBe(
      "3 more findings are not shown in this file (3 yaml/duplicate-key); clue shows 2 per file.",
    );
    expect(capped[0]?.hint).toContain("--max-findings-per-file 0");
  });

  it("gives the summary the worst severity it hides, so the exit status stays the same", () => {
    const list = [
      finding("a.yaml", 1, "info"),
      finding("a.yaml", 2, "warning"),
      finding("a.yaml", 3, "info"),
    ];
    const summary = capFindings(list, 1).find((d) => d.code === "file/too-many-findings");
    expect(summary?.severity).toBe("warning");
  });

  it("keeps everything with 0, and the same list when nothing is over", () => {
    const list = Array.from({ length: 300 }, (_, i) => finding("a.yaml", i + 1));
    expect(capFindings(list, 0)).toEqual(list);
    expect(capFindings(list.slice(0, 100))).toEqual(list.slice(0, 100));
    expect(capFindings(list)).toHaveLength(101);
  });

  it("is deterministic whatever order the findings were made in", () => {
    const list = Array.from({ length: 300 }, (_, i) => ({
      ...finding("a.yaml", (i * 7919) % 300),
      message: `m${i}`,
    }));
    const once = capFindings([...list].sort(compareDiagnostics), 10);
    const again = capFindings([...list].reverse().sort(compareDiagnostics), 10);
    expect(again).toEqual(once);
  });
});

describe("clipText", () => {
  it("cuts long messages, hints and node paths, never between the halves of a surrogate pair", () => {
    const long = `${"a".repeat(498)}😀${"b".repeat(1000)}`;
    const clipped = clipText({ ...finding("a.yaml", 1), message: long, hint: long, path: [long, 3] });
    expect(clipped.message.length).toBeLessThanOrEqual(500);
    expect(clipped.message.endsWith("a…")).toBe(true);
    expect(clipped.hint).toBe(clipped.message);
    expect(clipped.path).toEqual([clipped.message, 3]);
  });
});

describe("validateLoadedProject", () => {
  it("caps findings after suppressions: accepted findings are not counted", () => {
    const text = `rule: r\n${"k: 1\n".repeat(300)}`;
    const inputs = [
      { path: "config/validations/v.yaml", bytes: new TextEncoder().encode(text) },
      {
        path: ".clueignore.yaml",
        bytes: new TextEncoder().encode(
          "findings:\n  - code: yaml/duplicate-key\n    file: config/validations/v.yaml\n    reason: generated file, fixed upstream\n",
        ),
      },
    ];
    const result = validateLoadedProject(loadProject(inputs));
    expect(result.diagnostics.filter((d) => d.file === "config/validations/v.yaml")).toEqual([]);
  });
});
