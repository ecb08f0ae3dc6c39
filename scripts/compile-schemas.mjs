// Precompiles the JSON Schemas into standalone validator code (dist/schema/compiled.cjs), so a run does not pay
// ajv's compilation (~150 ms) on every start. Run by `npm run build`; src/schema/validators.ts falls back to
// compiling at run time when the file is missing (tests run from source).
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv2020 } from "ajv/dist/2020.js";
import standaloneCode from "ajv/dist/standalone/index.js";
import addFormats from "ajv-formats";

const require = createRequire(import.meta.url);
const root = new URL("../", import.meta.url);
const { ajvOptions } = await import(new URL("dist/schema/validators.js", root).href);
const ajv = new Ajv2020({ ...ajvOptions, code: { source: true } });
addFormats(ajv);
const refs = {};
for (const file of readdirSync(new URL("schemas/", root)).sort()) {
  if (!file.endsWith(".schema.json")) continue;
  const schema = JSON.parse(readFileSync(new URL(`schemas/${file}`, root), "utf8"));
  ajv.addSchema(schema);
  refs[file.slice(0, -".schema.json".length)] = schema.$id;
}
mkdirSync(new URL("dist/schema/", root), { recursive: true });
const code = standaloneCode.default ? standaloneCode.default(ajv, refs) : standaloneCode(ajv, refs);
writeFileSync(new URL("dist/schema/compiled.cjs", root), code);
require(new URL("dist/schema/compiled.cjs", root).pathname); // fails the build now rather than a run later
