import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadProject, type ProjectInput } from "../../src/config/project.js";
import { validateLoadedProject } from "../../src/validate.js";

const input = (path: string, text: string): ProjectInput => ({ path, bytes: new TextEncoder().encode(text) });

function readTree(dir: string): ProjectInput[] {
  const out: ProjectInput[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(ya?ml|json)$/.test(name))
        out.push({ path: relative(dir, full), bytes: readFileSync(full) });
    }
  };
  walk(dir);
  return out;
}

describe("loadProject", () => {
  it("accepts every handbook example as written: no schema or parse finding", () => {
    const dir = fileURLToPath(new URL("../fixtures/handbook", import.meta.url));
    const inputs = readTree(dir);
    expect(inputs.length).toBeGreaterThanOrEqual(12);
    const project = loadProject(inputs);
    expect(project.diagnostics).toEqual([]);
    expect(project.resources.map((r) => `${r.kind}/${r.name}`).sort()).toEqual([
      "cleaning/normalize_contacts",
      "contract/contacts_v1",
      "dedup/Person",
      "entity/Person",
      "export/warehouse-contacts-v1",
      "mapping/crm-contacts",
      "test/contacts_golden",
      "validation/email_regex",
      "webhook/export-success-teams",
    ]);
    expect(project.environments.map((e) => e.name).sort()).toEqual(["local", "prod", "test"]);
  });

  it("reads several documents per file, and takes the kind from `kind:` before the folder", () => {
    const project = loadProject([
      input(
        "config/misc/all.yaml",
        "kind: entity\nentity: A\nfields: { id: { type: string } }\n---\nkind: contract\nname: c\nprimary_key: id\n",
      ),
    ]);
    expect(project.diagnostics).toEqual([]);
    expect(project.resources.map((r) => [r.kind, r.name, r.doc.index])).toEqual([
      ["entity", "A", 0],
      ["contract", "c", 1],
    ]);
  });

  it("never pollutes Object.prototype, whatever the keys", () => {
    const project = loadProject([
      input("config/entities/a.yaml", "entity: A\nfields:\n  __proto__: { polluted: true }\n"),
      input(
        "config/entities/b.json",
        '{"entity": "B", "fields": {"constructor": {"prototype": {"polluted": true}}}}',
      ),
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(project.diagnostics.map((d) => d.code)).toEqual(["yaml/forbidden-key", "yaml/forbidden-key"]);
    expect(project.resources).toEqual([]);
  });

  it("locates JSON findings at their own line and column", () => {
    const { diagnostics } = validateLoadedProject(
      loadProject([
        input(
          "config/entities/p.json",
          '{\n  "entity": "P",\n  "fields": {\n    "id": { "type": "strin" }\n  }\n}\n',
        ),
      ]),
    );
    const finding = diagnostics.find((d) => d.code === "schema/enum");
    expect(finding).toMatchObject({
      line: 4,
      column: 21,
      endLine: 4,
      endColumn: 28,
      path: ["fields", "id", "type"],
    });
  });

  it("reports a missing property at its parent's key and an unknown one at its own key", () => {
    const { diagnostics } = validateLoadedProject(
      loadProject([
        input(
          "config/validations/v.yaml",
          "rule: r\nentity: P\nfield: f\non_fail:\n  note: flag\ncheck: { required: true }\n",
        ),
      ]),
    );
    const byCode = Object.fromEntries(
      diagnostics.filter((d) => d.code.startsWith("schema/")).map((d) => [d.code, d]),
    );
    expect(byCode["schema/required"]).toMatchObject({
      line: 4,
      column: 1,
      message: 'Missing required property "action" in "on_fail".',
    });
    expect(byCode["schema/unknown-property"]).toMatchObject({
      line: 5,
      column: 3,
      message: 'Unknown property "note" in "on_fail".',
    });
  });

  it("reports a typo of a required property once, as the unknown property with the fix", () => {
    const { diagnostics } = validateLoadedProject(
      loadProject([
        input(
          "config/validations/v.yaml",
          "rule: r\nentity: P\nfield: f\non_fail:\n  actoin: flag\ncheck: { required: true }\n",
        ),
      ]),
    );
    expect(
      diagnostics.filter((d) => d.code.startsWith("schema/")).map((d) => [d.code, d.line, d.column, d.hint]),
    ).toEqual([["schema/unknown-property", 5, 3, 'Did you mean "action"?']]);
  });

  it("tells the branch of a oneOf that was meant by its discriminator", () => {
    const { diagnostics } = validateLoadedProject(
      loadProject([input("env/local.yaml", "name: local\ntarget: { type: local, url: http://x }\n")]),
    );
    expect(diagnostics.filter((d) => d.code.startsWith("schema/")).map((d) => [d.code, d.message])).toEqual([
      ["schema/unknown-property", 'Unknown property "url" in "target".'],
    ]);
  });
});
