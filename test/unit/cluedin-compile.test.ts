import { describe, expect, it } from "vitest";
import { importFromCluedin } from "../../src/cluedin/import.js";
import {
  objectAddress,
  type CluedinObject,
  type RuleObject,
  type StreamObject,
} from "../../src/cluedin/model.js";
import { OBJECT_TYPES, OPERATORS } from "../../src/cluedin/operators.js";
import {
  allObjects,
  compileProject,
  EVENT_HUB_TARGET,
  exampleProject,
  projectOf,
} from "./cluedin-helpers.js";

const example = compileProject(exampleProject());
const find = (kind: string, name: string) => example.compiled.get(`${kind}/${name}`)?.objects ?? [];
const vocab = (key: string, operator: string, value: string[], type = "string") => ({
  kind: "leaf",
  objectTypeId: OBJECT_TYPES.vocabularyKey,
  field: `Properties[${key}]`,
  operator,
  type,
  value,
});
const entityType = (code: string) => ({
  kind: "leaf",
  objectTypeId: OBJECT_TYPES.property,
  field: "EntityType",
  operator: OPERATORS.Equals,
  type: "string",
  value: [code],
});

describe("compiling the example project for CluedIn", () => {
  it("compiles the email_regex validation to an Entity rule tagging records whose email does not match", () => {
    const [rule] = find("validations", "email_regex") as RuleObject[];
    expect(rule!.key).toBe("Entity/email_regex");
    expect(rule!.body.scope).toBe("Entity");
    const notSpace =
      "[^@\\t\\n\\v\\f\\r \\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF]";
    expect(rule!.body.condition).toEqual({
      kind: "group",
      condition: "AND",
      rules: [
        entityType("/Person"),
        vocab("person.email", OPERATORS.IsNotNull, []),
        vocab("person.email", OPERATORS.DoesNotMatchPattern, [
          `^${notSpace}+@${notSpace}+\\.${notSpace}+\\z`,
        ]),
      ],
    });
    expect(rule!.body.rules[0]!.actions).toEqual([
      {
        name: "Add Tag",
        type: "CluedIn.Rules.Actions.AddTag, CluedIn.Rules",
        properties: { Value: "clue:invalid:email_regex" },
      },
    ]);
  });

  it("compiles an entity to its entity type, vocabulary and one typed key per field", () => {
    const objects = find("entities", "Person");
    expect(objects.map(objectAddress).slice(0, 4)).toEqual([
      "entity-type:/Person",
      "vocabulary:person",
      "vocabulary-key:person.id",
      "vocabulary-key:person.email",
    ]);
    const dob = objects.find((o) => o.key === "person.date_of_birth");
    expect(dob).toMatchObject({
      body: { dataType: "DateTime", storage: "Typed", dataClassificationCode: null },
    });
    expect(objects.find((o) => o.key === "person.id")).toMatchObject({
      body: { dataType: "Text", storage: "Keyword", dataAnnotationsIsRequired: true },
    });
  });

  it("compiles cleaning steps to child rules: constants to Set Value, expressions to Power Fx, clear to Delete Value", () => {
    const [rule] = find("cleaning-projects", "normalize_contacts") as RuleObject[];
    expect(rule!.body.scope).toBe("DataPart");
    const byName = Object.fromEntries(rule!.body.rules.map((r) => [r.name, r]));
    const email = 'GetVocabularyKeyValue(Entity, "person.email")';
    expect(byName.normalize_email!.actions[0]!.properties.Expression).toBe(
      `SetVocabularyKeyValue(Entity, "person.email", If(IsBlank(${email}), Blank(), Lower(TrimEnds(${email}))))`,
    );
    expect(byName.empty_email_to_null!.actions[0]).toMatchObject({
      name: "Delete Value",
      properties: { FieldName: "person.email" },
    });
    expect(byName.australia_to_iso!.actions[0]).toMatchObject({
      name: "Set Value",
      properties: { FieldName: "person.country", Value: "AU" },
    });
    expect(byName.australia_to_iso!.conditions).toEqual({
      kind: "group",
      condition: "AND",
      rules: [vocab("person.country", OPERATORS.In, ["AUSTRALIA", "AUS"])],
    });
    // Steps the platform cannot run are left out, and the rest keep their relative order.
    expect(rule!.body.rules.map((r) => r.order)).toEqual(rule!.body.rules.map((_, i) => i + 1));
    expect(byName.drop_test_accounts).toBeUndefined();
  });

  it("compiles dedup rules to matching criteria with normalisations, and survivorship to Survivorship rules", () => {
    const objects = find("dedup-rules", "Person");
    const project = objects.find((o) => o.type === "dedup-project")!;
    expect(project.type === "dedup-project" && project.rules).toEqual([
      {
        name: "exact_email",
        isActive: true,
        matchingCriteria: [
          {
            name: "email",
            objectType: "VocabularyKey",
            fieldName: "person.email",
            matchingFunction: "Equals",
            comparisonConfiguration: null,
            normalizations: [{ name: "To lowercase", configuration: null }],
          },
        ],
      },
      {
        name: "phone_e164",
        isActive: true,
        matchingCriteria: [
          {
            name: "phone",
            objectType: "VocabularyKey",
            fieldName: "person.phone",
            matchingFunction: "Equals",
            comparisonConfiguration: null,
            normalizations: [{ name: "Phone number", configuration: null }],
          },
        ],
      },
    ]);
    const email = objects.find((o) => o.key === "Survivorship/Person.survivorship.email") as RuleObject;
    expect(email.body.rules.map((r) => r.actions[0]!.properties)).toEqual([
      { FieldName: "person.email", ProviderDefinition: "crm-contacts" },
      { FieldName: "person.email", ProviderDefinition: "billing" },
    ]);
    const org = find("dedup-rules", "Organization").find((o) => o.type === "dedup-project");
    expect(org?.type === "dedup-project" && org.rules[1]!.matchingCriteria[1]).toMatchObject({
      matchingFunction: "Fuzzy match - Sift4",
      comparisonConfiguration: { threshold: 90 },
    });
  });

  it("compiles an event-hub export to a stream on the export target, redacting masked fields on the exported copy", () => {
    const [stream] = find("exports", "person-changes") as StreamObject[];
    expect(stream!.connector).toMatchObject({
      connectorProviderDefinitionId: EVENT_HUB_TARGET,
      containerName: "mdm-person-changes",
      mode: "EventStream",
    });
    expect(stream!.body.condition).toMatchObject({
      rules: [{ field: "EntityType", operator: OPERATORS.In, value: ["/Person"] }],
    });
    expect(stream!.body.rules[0]!.actions.map((a) => [a.name, a.properties.FieldName])).toEqual([
      ["Delete Value", "person.phone"],
      ["Delete Value", "person.date_of_birth"],
    ]);
    // Hashed fields cannot be hashed on the platform: they are not exported at all.
    expect(stream!.connector.dataTypes.map((d) => d.key)).not.toContain("person.email");
  });

  it("leaves out resources the platform has no place for, each with a diagnostic", () => {
    expect(example.compiled.has("mappings/crm-contacts")).toBe(false);
    expect(example.compiled.has("validations/person_id_unique")).toBe(false);
    const unique = example.diagnostics.find(
      (d) => d.message.includes("person_id_unique") && d.path.join(".") === "check.unique",
    );
    expect(unique).toMatchObject({
      code: "cluedin/unsupported",
      severity: "warning",
      file: "config/validations/person.yaml",
      line: 18,
    });
    expect(unique!.hint).toBeTruthy();
  });
});

describe("what the platform cannot express", () => {
  const entity = "entity: Person\nfields:\n  email: { type: string }\n  age: { type: integer }\n";
  const compile = (files: Record<string, string>) =>
    compileProject(projectOf({ "config/entities/person.yaml": entity, ...files }));
  const at = (r: ReturnType<typeof compile>, path: string) =>
    r.diagnostics.filter((d) => d.path.join(".") === path);

  it.each([
    [
      "config/validations/v.yaml",
      "rule: v\nentity: Person\nfield: email\ncheck: { unique: true }\n",
      "check.unique",
      4,
      "warning",
    ],
    [
      "config/validations/v.yaml",
      "rule: v\nentity: Person\nfield: email\ncheck: { regex: a }\non_fail: { action: reject }\n",
      "on_fail.action",
      5,
      "warning",
    ],
    [
      "config/cleaning/c.yaml",
      "project: c\nentity: Person\nsteps:\n  - name: s\n    action: remove_record\n    reason: x\n",
      "steps.0.action",
      5,
      "warning",
    ],
    [
      "config/exports/e.yaml",
      "name: e\ntype: event-hub\noptions: { connection: not-a-guid, hub: h }\nmapping: { email: Person.email }\n",
      "options.connection",
      3,
      "error",
    ],
    [
      "config/exports/e.yaml",
      `name: e\ntype: event-hub\noptions: { connection: ${EVENT_HUB_TARGET}, hub: h }\nmapping: { email: Person.email }\nmask: { email: hash }\n`,
      "mask.email",
      5,
      "error",
    ],
    ["config/exports/f.yaml", "name: f\ntype: file\noptions: { path: out.csv }\n", "type", 2, "warning"],
  ])("%s: %s reports %s", (file, text, path, line, severity) => {
    const r = compile({ [file]: text });
    expect(at(r, path)).toEqual([
      expect.objectContaining({ code: "cluedin/unsupported", file, line, severity }),
    ]);
  });

  it("points at the part of an expression that has no equivalent", () => {
    const r = compile({
      "config/validations/v.yaml":
        "rule: v\nentity: Person\ncheck:\n  expr: age > 1 and sha256(email) == 'x'\n",
    });
    const [d] = at(r, "check.expr");
    expect(d).toMatchObject({ code: "cluedin/unsupported", line: 4, column: 21 });
    expect(r.compiled.size).toBe(1); // the entity only
  });

  it("reports the probabilistic-matching functions as having no CluedIn form, in rules and in Power Fx", () => {
    const terms = [
      "names_equivalent(email, other.email)",
      "canonical_name(email) == canonical_name(other.email)",
      "token_set_similarity(email, other.email) >= 0.8",
      "qgram_similarity(email, other.email) >= 0.8",
      "days_apart(email, other.email) <= 3",
      "dates_swapped(email, other.email)",
      "equal_or_null(age, other.age)",
    ];
    const rules = terms.map((t, i) => `  - { name: r${i}, when: "${t}", confidence: 0.9 }`).join("\n");
    const r = compile({
      "config/dedup/person.yaml": `entity: Person\nrules:\n${rules}\nauto_approve_threshold: 0.95\nqueue_threshold: 0.85\n`,
      "config/validations/v.yaml":
        "rule: v\nentity: Person\ncheck:\n  expr: equal_or_null(email, 'a') and days_apart('2024-01-01', '2024-01-02') < 2\n",
    });
    for (const [i] of terms.entries())
      expect(at(r, `rules.${i}.when`)).toEqual([expect.objectContaining({ code: "cluedin/unsupported" })]);
    expect(at(r, "check.expr")).toEqual([expect.objectContaining({ code: "cluedin/unsupported" })]);
  });

  it("says when a .NET regular expression reads a pattern differently", () => {
    const r = compile({
      "config/validations/v.yaml": "rule: v\nentity: Person\nfield: email\ncheck: { regex: '[^\\S]x' }\n",
    });
    expect(at(r, "check.regex")).toEqual([expect.objectContaining({ code: "cluedin/approximated" })]);
    const bad = compile({
      "config/validations/v.yaml":
        "rule: v\nentity: Person\nfield: email\ncheck: { regex: '\\p{Script=Greek}' }\n",
    });
    expect(at(bad, "check.regex")).toEqual([expect.objectContaining({ code: "cluedin/unsupported" })]);
  });
});

describe("import", () => {
  const sorted = (objects: CluedinObject[]) =>
    [...objects].sort((a, b) => (objectAddress(a) < objectAddress(b) ? -1 : 1));

  it("round-trips the example project: compile(import(compile(x))) == compile(x)", () => {
    const first = allObjects(example.compiled);
    const imported = importFromCluedin(first);
    expect(imported.unsupported).toEqual([]);
    const again = compileProject(projectOf(Object.fromEntries(imported.files.map((f) => [f.path, f.text]))));
    expect(sorted(allObjects(again.compiled))).toEqual(sorted(first));
  });

  it("lists objects clue cannot express instead of inventing resources", () => {
    const foreign: CluedinObject = {
      type: "rule",
      key: "Entity/someone else's",
      body: {
        name: "someone else's",
        scope: "Entity",
        isActive: true,
        description: "",
        condition: { kind: "group", condition: "AND", rules: [] },
        rules: [],
      },
    };
    const result = importFromCluedin([foreign]);
    expect(result.files).toEqual([]);
    expect(result.unsupported).toEqual([expect.stringContaining("rule Entity/someone else's")]);
  });
});
