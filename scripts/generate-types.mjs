// Generates TypeScript types from the JSON Schemas (the single source of truth for config shapes).
// `npm run types` writes src/types/generated/; `--check` exits 1 when the committed files are stale.
import { readdirSync, readFileSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { compile } from "json-schema-to-typescript";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outDir = join(root, "src/types/generated");

export async function generateTypes() {
  const files = {};
  const names = readdirSync(join(root, "schemas"))
    .filter((f) => f.endsWith(".schema.json"))
    .sort();
  for (const file of names) {
    const schema = JSON.parse(readFileSync(join(root, "schemas", file), "utf8"));
    const ts = await compile(shapeOnly(schema), schema.title, {
      bannerComment: `/* Generated from schemas/${file} by \`npm run types\`. Do not edit by hand. */`,
      additionalProperties: false,
      unknownAny: true,
      unreachableDefinitions: true,
      style: { printWidth: 110 },
    });
    files[file.replace(".schema.json", ".ts")] = ts;
  }
  return files;
}

const CONSTRAINT_KEYS = new Set(["required", "not", "if", "then", "else", "description"]);

/**
 * Types describe shapes; conditional constraints (if/then, "one of these keys is required") only narrow valid
 * values, and json-schema-to-typescript turns them into `{ [k: string]: unknown }` intersections that erase the
 * real properties. They are dropped before generation; ajv still enforces them.
 */
function shapeOnly(node) {
  if (Array.isArray(node)) return node.map(shapeOnly);
  if (node === null || typeof node !== "object") return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "if" || key === "then" || key === "else" || key === "not") continue;
    if ((key === "allOf" || key === "oneOf" || key === "anyOf") && value.every(isConstraintOnly)) continue;
    out[key] = shapeOnly(value);
  }
  return out;
}

function isConstraintOnly(member) {
  return Object.keys(member).every((k) => CONSTRAINT_KEYS.has(k));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = await generateTypes();
  const check = process.argv.includes("--check");
  let stale = [];
  mkdirSync(outDir, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    const path = join(outDir, name);
    const current = existsSync(path) ? readFileSync(path, "utf8") : "";
    if (current === text) continue;
    if (check) stale.push(name);
    else writeFileSync(path, text);
  }
  if (stale.length > 0) {
    console.error(`stale generated types: ${stale.join(", ")}; run \`npm run types\``);
    process.exit(1);
  }
}
