import { EMPTY_GUID } from "../../cluedin/model.js";
import { compileRegex } from "../../regex/compile.js";

/** A golden record of `DIR/entities.json`: what the stand-in evaluates rule filters over. */
export interface GoldenRecord {
  id: string;
  entityType: string;
  name: string;
  /** Vocabulary key (full name) → value. */
  properties: Record<string, unknown>;
}

/** The condition tree as the platform sends it (`CluedIn.Core.Rules.QueryBuilder.FilterRule`). */
export interface FilterRule {
  objectTypeId?: string;
  condition?: string | null;
  field?: string | null;
  operator?: string;
  rules?: FilterRule[] | null;
  type?: string | null;
  value?: unknown[] | null;
}

/** What `objectTypeId` says a leaf tests. */
export const OBJECT_TYPES = {
  metadata: "3be85371-cbe0-4180-8820-73e6e37a6c32",
  vocabularyKey: "011ac3b4-0b46-4f9c-a82a-8c14f9dd642b",
  powerFx: "96102979-e952-43d8-afe6-987676c0698b",
} as const;

/** The value of the tested field (undefined: the record has no such field) and the leaf's values. */
type Test = (actual: string | undefined, values: string[]) => boolean;

const text = (s: string | undefined) => (s ?? "").toLowerCase();
const present = (s: string | undefined): s is string => s !== undefined && s !== "";
/** Numbers compare as numbers, else dates as dates; anything else does not compare (the leaf fails). */
function compare(a: string | undefined, b: string | undefined): number | undefined {
  if (!present(a) || !present(b)) return undefined;
  const [x, y] = [Number(a), Number(b)];
  if (Number.isFinite(x) && Number.isFinite(y)) return x - y;
  const [s, t] = [Date.parse(a), Date.parse(b)];
  return Number.isNaN(s) || Number.isNaN(t) ? undefined : s - t;
}
const ordered = (ok: (c: number) => boolean): Test => {
  return (a, [b]) => {
    const c = compare(a, b);
    return c !== undefined && ok(c);
  };
};
const between: Test = (a, [low, high]) => {
  const [l, h] = [compare(a, low), compare(a, high)];
  return l !== undefined && h !== undefined && l >= 0 && h <= 0;
};
const matches: Test = (a, [pattern]) => present(a) && compileRegex(pattern ?? "")?.test(a) === true;
const not =
  (test: Test): Test =>
  (a, v) =>
    !test(a, v);
const equals: Test = (a, [b]) => present(a) && text(a) === text(b);
const isIn: Test = (a, values) => present(a) && values.some((v) => text(v) === text(a));
const contains: Test = (a, [b]) => present(a) && text(a).includes(text(b));
const begins: Test = (a, [b]) => present(a) && text(a).startsWith(text(b));
const ends: Test = (a, [b]) => present(a) && text(a).endsWith(text(b));
const exists: Test = (a) => a !== undefined;
const isNull: Test = (a) => !present(a);
const isTrue: Test = (a) => text(a) === "true";

/**
 * The operators by id, as the platform names them (DIGEST 4.1). Text comparisons ignore case, as the platform's
 * do. The two glossary operators test nothing the stand-in has (no glossaries): they match nothing.
 */
export const OPERATORS: Record<string, { name: string; test: Test }> = {
  "0bafc522-8011-43ba-978a-babe222ba466": { name: "Equals", test: equals },
  "4f7f2b0f-155a-4208-b849-3e972f5d89d2": { name: "Not Equal", test: not(equals) },
  "4988d076-3ec1-4414-9f56-5b9b30e25f72": { name: "Contains", test: contains },
  "4af53db0-acdb-44a6-89a1-40fa8ef05cde": { name: "Not Contains", test: not(contains) },
  "daf3a318-569f-4baf-a17f-35b4426ae603": { name: "Begins With", test: begins },
  "bbd02195-213e-40e2-9597-65ec05100dfc": { name: "Not Begins With", test: not(begins) },
  "ff9a47ac-8e3c-4123-80ee-e0b660aa5f9f": { name: "Ends With", test: ends },
  "3527ff72-bdd4-4bb4-b964-f18898d5a82d": { name: "Not Ends With", test: not(ends) },
  "31feed84-ce0e-435f-ba94-ce01b9c7bd15": { name: "In", test: isIn },
  "25c16d50-d170-4295-ad85-c2571431794a": { name: "Not In", test: not(isIn) },
  "85ecec6b-9c45-4365-9614-ef090137098d": { name: "Greater", test: ordered((c) => c > 0) },
  "5a2d1185-7fd8-4dda-9d33-7f69e42e9147": { name: "Greater or Equal", test: ordered((c) => c >= 0) },
  "0de353ce-bbe4-4a27-8e20-0dc21947e987": { name: "Less", test: ordered((c) => c < 0) },
  "42d4d22d-e37a-4c5f-96eb-7ae59513f80f": { name: "Less or Equal", test: ordered((c) => c <= 0) },
  "566bc291-df6a-427c-b7f4-00f8766d37a2": { name: "Between", test: between },
  "5642150e-fa0a-462c-a230-619d97cb3f8b": { name: "Not Between", test: not(between) },
  "306e5d29-832f-41e7-a6db-1c02eb5ebf74": { name: "Exists", test: exists },
  "16b2dc07-94e3-4c29-bc60-a7a1d25de53b": { name: "Does Not Exist", test: not(exists) },
  "a42a9f87-7944-4d07-b1f3-d2f404bc4fd7": { name: "Is Not Null", test: not(isNull) },
  "9ad76320-021e-4211-9e9a-8b148c9c600d": { name: "Is Null", test: isNull },
  "4e4782d7-8c17-47c1-9797-37434fce0c77": { name: "Matches pattern", test: matches },
  "9253eea0-5975-460a-8373-dd6ff57d4e65": { name: "Does not match pattern", test: not(matches) },
  "04f2d73a-c908-4bc3-a7d5-1774b7db44dd": { name: "Is True", test: isTrue },
  "dfbfc760-69ea-4241-b33e-0425c2a51688": { name: "Is False", test: (a) => text(a) === "false" },
  "bd804d86-f2bc-4bc1-9598-58cb6c490311": { name: "Is True (glossary)", test: () => false },
  "7cd9d1e6-25d8-4fbf-977a-1d2c3832289d": { name: "Is Not True (glossary)", test: () => false },
};

/** Why the platform would refuse a filter (400 "invalid filter"), with the node's path; [] when it is fine. */
export function filterProblems(rule: FilterRule | undefined | null, path: string): string[] {
  if (!rule) return [];
  const children = rule.rules ?? [];
  if (children.length > 0 || isGroup(rule)) {
    const problems =
      rule.condition === "AND" || rule.condition === "OR" || (children.length === 0 && !rule.condition)
        ? []
        : [`${path}.condition must be AND or OR`];
    return [...problems, ...children.flatMap((child, i) => filterProblems(child, `${path}.rules[${i}]`))];
  }
  if (rule.objectTypeId === OBJECT_TYPES.powerFx) return [];
  if (rule.objectTypeId !== OBJECT_TYPES.metadata && rule.objectTypeId !== OBJECT_TYPES.vocabularyKey)
    return [`${path}.objectTypeId ${String(rule.objectTypeId)} is not a known object type`];
  if (!rule.operator || !OPERATORS[rule.operator])
    return [`${path}.operator ${String(rule.operator)} is not a known operator`];
  return [];
}

/** Records a filter selects; `powerFx` says a Power Fx leaf was met (the stand-in cannot run Power Fx). */
export function evaluate(
  rule: FilterRule | undefined | null,
  record: GoldenRecord,
  seen: { powerFx: boolean },
): boolean {
  if (!rule) return true;
  const children = rule.rules ?? [];
  if (children.length > 0 || isGroup(rule)) {
    if (children.length === 0) return true;
    const results = children.map((child) => evaluate(child, record, seen));
    return rule.condition === "OR" ? results.some(Boolean) : results.every(Boolean);
  }
  if (rule.objectTypeId === OBJECT_TYPES.powerFx) {
    // Counted as matching nothing, and said so in the answer's header: never a guess at what the formula means.
    seen.powerFx = true;
    return false;
  }
  const operator = OPERATORS[rule.operator ?? ""];
  if (!operator) return false;
  const values = (rule.value ?? []).map(scalarText);
  return operator.test(fieldValue(rule, record), values);
}

function isGroup(rule: FilterRule): boolean {
  return (rule.objectTypeId === undefined || rule.objectTypeId === EMPTY_GUID) && !rule.field;
}

function fieldValue(rule: FilterRule, record: GoldenRecord): string | undefined {
  const field = rule.field ?? "";
  if (rule.objectTypeId === OBJECT_TYPES.vocabularyKey) {
    const key = /^Properties\[(.+)\]$/.exec(field)?.[1] ?? field;
    // A key present with a null value exists but is null; an absent key does not exist.
    if (!Object.hasOwn(record.properties, key)) return undefined;
    return scalarText(record.properties[key]);
  }
  switch (field) {
    case "EntityType":
      return record.entityType;
    case "Name":
      return record.name;
    case "Id":
      return record.id;
    default:
      return undefined;
  }
}

/** A value as the text operators compare: null is empty, an object or list its JSON. */
function scalarText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return value.toString();
  return JSON.stringify(value) ?? "";
}
