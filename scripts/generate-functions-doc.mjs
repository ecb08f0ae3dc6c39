// Writes docs/functions.md from the built function registry (run `npm run build` first).
import { mkdirSync, writeFileSync } from "node:fs";
import { renderFunctionsReference } from "../dist/expr/functions/reference.js";

mkdirSync(new URL("../docs/", import.meta.url), { recursive: true });
writeFileSync(new URL("../docs/functions.md", import.meta.url), renderFunctionsReference());
