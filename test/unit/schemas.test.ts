import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { readSchemas } from "../../src/schema/schema-files.js";
import { ajvOptions } from "../../src/schema/validators.js";

const schemas = readSchemas();
// Runs skip the meta-schema check for speed (ajvOptions.validateSchema is false); this test does it instead.
const ajv = new Ajv2020({ ...ajvOptions, validateSchema: true });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
for (const schema of Object.values(schemas)) ajv.addSchema(schema);

type Node = Record<string, unknown>;

/** Every property schema in a schema, with its path, for the description check. */
function properties(node: unknown, path: string, out: [string, Node][] = []): [string, Node][] {
  if (Array.isArray(node)) node.forEach((n, i) => properties(n, `${path}/${i}`, out));
  else if (node !== null && typeof node === "object") {
    const n = node as Node;
    if (n.properties && typeof n.properties === "object") {
      for (const [key, value] of Object.entries(n.properties as Node))
        out.push([`${path}/properties/${key}`, value as Node]);
    }
    for (const [key, value] of Object.entries(n)) properties(value, `${path}/${key}`, out);
  }
  return out;
}

describe.each(Object.entries(schemas))("schemas/%s.schema.json", (name, schema) => {
  const s = schema as Node;
  it("is a valid 2020-12 schema with an $id, a title and a description", () => {
    expect(ajv.validateSchema(schema)).toBe(true);
    expect(s.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(s.$id).toBe(`https://clue.dev/schemas/${name}.schema.json`);
    expect(typeof s.title).toBe("string");
    expect(typeof s.description).toBe("string");
  });

  it("describes every property (editors show it on hover)", () => {
    const undocumented = properties(schema, "#")
      // Conditions of if/then name properties only to test them; the property itself is described elsewhere.
      .filter(
        ([path, p]) =>
          !path.includes("/if/") && typeof p.description !== "string" && typeof p.$ref !== "string",
      )
      .map(([path]) => path);
    expect(undocumented).toEqual([]);
  });

  it("accepts its own examples", () => {
    const validate = ajv.getSchema(String(s.$id));
    for (const example of (s.examples ?? []) as unknown[]) {
      expect(validate?.(example), JSON.stringify(validate?.errors)).toBe(true);
    }
  });
});
