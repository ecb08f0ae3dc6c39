// Writes docs/diagnostics.md from the built code registry (run `npm run build` first; `npm run docs` does).
import { mkdirSync, writeFileSync } from "node:fs";
import { renderDiagnosticsReference } from "../dist/diagnostics/reference.js";

mkdirSync(new URL("../docs/", import.meta.url), { recursive: true });
writeFileSync(new URL("../docs/diagnostics.md", import.meta.url), renderDiagnosticsReference());
