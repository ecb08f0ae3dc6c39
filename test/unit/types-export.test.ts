import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { loadProject, type ProjectInput } from "../../src/config/project.js";
import { clashingTypeNames, renderTypeFiles, typeTargets } from "../../src/types-export/files.js";
import type { JsonSchema } from "../../src/types-export/json-schema.js";
import type { TypeTarget } from "../../src/types-export/target.js";
import { validateProject } from "../../src/validate.js";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const example = typeTargets(validateProject(repo).project);
const target = (name: string): TypeTarget => {
  const found = example.find((t) => t.name === name);
  if (!found) throw new Error(`no target ${name}`);
  return found;
};
const at = (schema: JsonSchema, ...path: string[]): JsonSchema =>
  path.reduce((node, key) => node.properties?.[key] ?? {}, schema);

/** The keywords Power Automate's Parse JSON step understands; nothing else may appear (no $ref, $defs, $schema). */
const PARSE_JSON_KEYWORDS = new Set([
  "$comment",
  "title",
  "description",
  "type",
  "enum",
  "pattern",
  "minimum",
  "properties",
  "required",
  "items",
]);

function keywordsOf(schema: JsonSchema): string[] {
  return [
    ...Object.keys(schema),
    ...Object.values(schema.properties ?? {}).flatMap(keywordsOf),
    ...(schema.items ? keywordsOf(schema.items) : []),
  ];
}

const input = (path: string, text: string): ProjectInput => ({ path, bytes: new TextEncoder().encode(text) });

describe("clue types on the example project", () => {
  it("has one target per entity, table export and event export, in a stable order", () => {
    expect(example.map((t) => `${t.folder}/${t.name}:${t.typeName}`)).toEqual([
      "entities/Organization:Organization",
      "entities/Person:Person",
      "exports/warehouse-contacts-v1:WarehouseContactsV1Row",
      "events/person-changes:PersonChangesMessage",
    ]);
    expect(target("warehouse-contacts-v1").from).toEqual([
      "config/contracts/contacts_v1.yaml",
      "config/entities/person.yaml",
      "config/exports/warehouse-contacts-v1.json",
    ]);
  });

  it("types a Person record: every field present, required ones never null, dates by pattern", () => {
    const person = target("Person").schema;
    expect(person.required).toEqual(Object.keys(person.properties ?? {}).filter((k) => k !== "_issues"));
    expect(at(person, "id").type).toBe("string");
    expect(at(person, "email").type).toEqual(["string", "null"]);
    expect(at(person, "date_of_birth")).toMatchObject({
      type: ["string", "null"],
      pattern: "^\\d{4}-\\d{2}-\\d{2}$",
    });
    expect(at(target("Organization").schema, "employee_count").type).toEqual(["integer", "null"]);
  });

  it("types a table row by its contract: the primary key is never null, the other columns may be", () => {
    const row = target("warehouse-contacts-v1").schema;
    expect(at(row, "contact_id").type).toBe("string");
    expect(at(row, "customer_id")).toMatchObject({
      type: ["string", "null"],
      description: "Billing account number; null for prospects.",
    });
  });

  it("types event messages as published: optional attributes, masks, closed enums", () => {
    const message = target("person-changes").schema;
    const attributes = at(message, "event", "changes", "attributes");
    expect(attributes.required).toEqual([]);
    expect(at(attributes, "phone", "value").type).toBe("null");
    expect(at(attributes, "email", "value")).toEqual({ type: "string", pattern: "^sha256:[0-9a-f]{64}$" });
    expect(at(message, "headers", "subject").enum).toEqual(["Person.EntityChanged", "Person.EntityDeleted"]);
    expect(at(message, "event", "previousHash").type).toEqual(["string", "null"]);
  });

  it("writes schemas Power Automate's Parse JSON takes, which compile as draft-07", () => {
    const ajv = new Ajv({ strict: true });
    for (const file of renderTypeFiles(example, "json-schema")) {
      const schema = JSON.parse(file.text) as JsonSchema;
      expect(keywordsOf(schema).filter((k) => !PARSE_JSON_KEYWORDS.has(k))).toEqual([]);
      expect(() => ajv.compile(schema)).not.toThrow();
    }
  });

  it("renders the same text every time; the event message file is pinned", async () => {
    const ts = renderTypeFiles(example, "ts");
    expect(renderTypeFiles(typeTargets(validateProject(repo).project), "ts")).toEqual(ts);
    expect(ts.map((f) => f.path)).toEqual([
      "entities/Organization.ts",
      "entities/Person.ts",
      "exports/warehouse-contacts-v1.ts",
      "events/person-changes.ts",
      "index.ts",
    ]);
    const schema = renderTypeFiles(example, "json-schema").find((f) => f.path.startsWith("events/"));
    await expect(schema?.text).toMatchFileSnapshot("../fixtures/types/person-changes.schema.json");
  });
});

describe("clue types on other configs", () => {
  const project = (exportYaml: string) =>
    typeTargets(
      loadProject([
        input("config/entities/a.yaml", "entity: A\nfields: { id: { type: string, required: true } }\n"),
        input("config/entities/b.yaml", "entity: B\nfields: { id: { type: integer } }\n"),
        input("config/exports/x.yaml", exportYaml),
      ]),
    );

  it("an upsert-only export of two entity types: only EntityChanged, attributes of both", () => {
    const [, , events] = project(
      "name: both\ntype: service-bus\noptions: { connection: c, topic: t }\nentity_types: [A, B]\nevents: [upsert]\n",
    );
    expect(at(events?.schema ?? {}, "event", "eventType").enum).toEqual(["EntityChanged"]);
    expect(at(events?.schema ?? {}, "event", "entityType").enum).toEqual(["A", "B"]);
    // `id` is a string in A and an integer in B: either may be published.
    expect(at(events?.schema ?? {}, "event", "changes", "attributes", "id", "value")).toEqual({});
  });

  it("a table export of two entities: each row has the other's columns null", () => {
    const [, , rows] = project(
      "name: t\ntype: file\noptions: { path: p }\nmapping: { a_id: A.id, b_id: B.id }\n",
    );
    expect(at(rows?.schema ?? {}, "a_id").type).toEqual(["string", "null"]);
  });

  it("refuses two types of one name (an entity TRow and a table export t)", () => {
    const targets = typeTargets(
      loadProject([
        input("config/entities/a.yaml", "entity: TRow\nfields: { id: { type: string } }\n"),
        input(
          "config/exports/t.yaml",
          "name: t\ntype: file\noptions: { path: p }\nmapping: { id: TRow.id }\n",
        ),
      ]),
    );
    expect(clashingTypeNames(targets)).toEqual(["TRow"]);
  });
});
