import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { functions } from "../../src/expr/functions/index.js";
import { renderFunctionsReference, signature } from "../../src/expr/functions/reference.js";

it("docs/functions.md matches the function registry (run `node scripts/generate-functions-doc.mjs`)", () => {
  const committed = readFileSync(new URL("../../docs/functions.md", import.meta.url), "utf8");
  expect(committed).toBe(renderFunctionsReference());
});

it("documents every function with its signature", () => {
  const text = renderFunctionsReference();
  for (const fn of functions.values()) expect(text).toContain(`### ${fn.name}\n\n\`\`\`\n${signature(fn)}\n`);
  expect(signature(functions.get("to_e164")!)).toBe(
    "to_e164(text: string, default_country?: string) → string",
  );
  expect(signature(functions.get("concat")!)).toBe("concat(...value: string | number | boolean) → string");
});
