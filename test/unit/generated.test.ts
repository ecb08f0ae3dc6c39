import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generateTypes } from "../../scripts/generate-types.mjs";
import { renderDiagnosticsReference } from "../../src/diagnostics/reference.js";

const root = new URL("../../", import.meta.url);

describe("generated files are fresh", () => {
  it("src/types/generated matches schemas/ (run `npm run types`)", async () => {
    const expected = await generateTypes();
    const committed = readdirSync(new URL("src/types/generated/", root)).sort();
    expect(committed).toEqual(Object.keys(expected).sort());
    for (const [name, text] of Object.entries(expected)) {
      expect(readFileSync(new URL(`src/types/generated/${name}`, root), "utf8"), name).toBe(text);
    }
  });

  it("docs/diagnostics.md matches the code registry (run `npm run docs`)", () => {
    expect(readFileSync(new URL("docs/diagnostics.md", root), "utf8")).toBe(renderDiagnosticsReference());
  });
});
