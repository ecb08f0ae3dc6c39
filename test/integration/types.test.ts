import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The real check of `clue types`: what the real `clue run` writes for the example's samples (the README's commands)
 * validates against the generated JSON Schemas, has exactly the properties they list, and type-checks against the
 * generated TypeScript under `tsc --strict`, each output assigned to its type as an object literal (so a key the
 * type lacks is an error too).
 */
const repo = fileURLToPath(new URL("../../", import.meta.url));
const clue = (args: string[]) =>
  spawnSync(process.execPath, ["bin/clue.js", ...args], { cwd: repo, encoding: "utf8" });

let dir = "";
/** Each output: the schema (folder/name) it must meet, the type it is assigned to, and its JSON lines. */
const outputs: { schema: string; type: string; lines: string[] }[] = [];

function runStage(schema: string, type: string, args: string[]): void {
  const result = clue(["run", ...args, "--correlation-id", "types-test"]);
  expect(result.stderr).not.toMatch(/error/i);
  expect(result.status).toBe(0);
  const lines = result.stdout.split("\n").filter(Boolean);
  expect(lines.length).toBeGreaterThan(0);
  outputs.push({ schema, type, lines });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "clue-types-"));
  expect(clue(["types", "--format", "json-schema", "--out", join(dir, "schemas")]).status).toBe(0);
  expect(clue(["types", "--out", join(dir, "ts")]).status).toBe(0);
  const crm = ["--source", "crm-contacts", "--input", "config/samples/crm-contacts.jsonl"];
  const billing = ["--source", "billing", "--input", "config/samples/billing.csv"];
  runStage("entities/Person", "Person", [...crm, "--stage", "validated"]);
  runStage("entities/Person", "Person", [...crm, "--stage", "mapped"]);
  runStage("entities/Person", "Person", [...billing, "--entity", "Person", "--stage", "validated"]);
  runStage("entities/Organization", "Organization", [...billing, "--entity", "Organization"]);
  runStage("exports/warehouse-contacts-v1", "WarehouseContactsV1Row", [
    ...crm,
    "--stage",
    "export:warehouse-contacts-v1",
  ]);
  const events = ["--source", "crm-contacts", "--stage", "events:person-changes"];
  runStage("events/person-changes", "PersonChangesMessage", [
    ...events,
    "--input",
    "config/samples/events/day1.jsonl",
  ]);
  // Day 2 against day 1's state: changes, a merge and tombstones. --state is updated, so it runs on a copy.
  cpSync(join(repo, "config/samples/events/state"), join(dir, "state"), { recursive: true });
  runStage("events/person-changes", "PersonChangesMessage", [
    ...events,
    "--input",
    "config/samples/events/day2.jsonl",
    "--state",
    join(dir, "state"),
  ]);
}, 60_000);

interface Shape {
  properties?: Record<string, Shape>;
}

/** The property names of the object at a path of property names in a schema, sorted. */
function propertiesOf(schema: Shape, ...path: string[]): string[] {
  const at = path.reduce<Shape | undefined>((node, key) => node?.properties?.[key], schema);
  return Object.keys(at?.properties ?? {}).sort();
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("clue types against clue run's real outputs", () => {
  it("every record, row and event message validates against its generated JSON Schema", () => {
    const ajv = new Ajv({ strict: true, allErrors: true });
    for (const { schema, lines } of outputs) {
      const validate = ajv.compile(
        JSON.parse(readFileSync(join(dir, "schemas", `${schema}.schema.json`), "utf8")),
      );
      for (const line of lines)
        expect(validate(JSON.parse(line)) || validate.errors, `${schema}: ${line}`).toBe(true);
    }
  });

  it("records and rows have exactly the properties the schema lists; events only listed attributes", () => {
    for (const { schema, lines } of outputs) {
      const spec = JSON.parse(readFileSync(join(dir, "schemas", `${schema}.schema.json`), "utf8")) as Shape;
      const attributes = propertiesOf(spec, "event", "changes", "attributes");
      for (const line of lines) {
        const value = JSON.parse(line) as Record<string, unknown>;
        const keys = Object.keys(value).sort();
        // `_issues` is listed for every stage and written at stage validated only.
        expect(keys).toEqual(propertiesOf(spec).filter((k) => k !== "_issues" || "_issues" in value));
        if (!schema.startsWith("events/")) continue;
        const event = value.event as { changes: { attributes: object } };
        for (const name of Object.keys(event.changes.attributes)) expect(attributes).toContain(name);
      }
    }
  });

  it("the generated TypeScript compiles under tsc --strict with every output assigned to its type", () => {
    const names = [...new Set(outputs.map((o) => o.type))].sort();
    const rows = outputs.findIndex((o) => o.type === "WarehouseContactsV1Row");
    const body = outputs.map(
      ({ type, lines }, i) => `export const output${i}: ${type}[] = [\n${lines.join(",\n")}\n];`,
    );
    const check = [
      `import type { ${names.join(", ")} } from "./index.js";`,
      ...body,
      // The types are not `any`: a null primary key and a wrong event type must not compile.
      `// @ts-expect-error contact_id is the primary key, never null`,
      `export const badRow: WarehouseContactsV1Row = { ...output${rows}[0]!, contact_id: null };`,
      `// @ts-expect-error eventType is EntityChanged or EntityDeleted`,
      `export const badEvent: PersonChangesMessage["event"]["eventType"] = "EntityMerged";`,
    ].join("\n");
    writeFileSync(join(dir, "ts", "check.ts"), `${check}\n`);
    writeFileSync(join(dir, "ts", "package.json"), `{ "type": "module" }\n`);
    // No @types from anywhere: the generated files must stand on their own.
    const options = { strict: true, noEmit: true, module: "nodenext", target: "es2022", types: [] };
    writeFileSync(
      join(dir, "ts", "tsconfig.json"),
      JSON.stringify({ compilerOptions: options, files: ["check.ts"] }),
    );
    const tsc = join(repo, "node_modules/typescript/bin/tsc");
    const result = spawnSync(process.execPath, [tsc, "-p", ".", "--noEmit", "--strict"], {
      cwd: join(dir, "ts"),
      encoding: "utf8",
    });
    expect(result.stdout + result.stderr).toBe("");
    expect(result.status).toBe(0);
  });
});
