import { EMPTY_GUID } from "../../cluedin/model.js";
import { OBJECT_TYPES, OPERATORS } from "../../cluedin/operators.js";
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
export const OPERATOR_TESTS: Record<string, { name: string; test: Test }> = {
  [OPERATORS.Equals]: { name: "Equals", test: equals },
  [OPERATORS.NotEqual]: { name: "Not Equal", test: not(equals) },
  [OPERATORS.Contains]: { name: "Contains", test: contains },
  [OPERATORS.NotContains]: { name: "Not Contains", test: not(contains) },
  [OPERATORS.BeginsWith]: { name: "Begins With", test: begins },
  [OPERATORS.NotBeginsWith]: { name: "Not Begins With", test: not(begins) },
  [OPERATORS.EndsWith]: { name: "Ends With", test: ends },
  [OPERATORS.NotEndsWith]: { name: "Not Ends With", test: not(ends) },
  [OPERATORS.In]: { name: "In", test: isIn },
  [OPERATORS.NotIn]: { name: "Not In", test: not(isIn) },
  [OPERATORS.Greater]: { name: "Greater", test: ordered((c) => c > 0) },
  [OPERATORS.GreaterOrEqual]: { name: "Greater or Equal", test: ordered((c) => c >= 0) },
  [OPERATORS.Less]: { name: "Less", test: ordered((c) => c < 0) },
  [OPERATORS.LessOrEqual]: { name: "Less or Equal", test: ordered((c) => c <= 0) },
  [OPERATORS.Between]: { name: "Between", test: between },
  [OPERATORS.NotBetween]: { name: "Not Between", test: not(between) },
  [OPERATORS.Exists]: { name: "Exists", test: exists },
  [OPERATORS.DoesNotExist]: { name: "Does Not Exist", test: not(exists) },
  [OPERATORS.IsNotNull]: { name: "Is Not Null", test: not(isNull) },
  [OPERATORS.IsNull]: { name: "Is Null", test: isNull },
  [OPERATORS.MatchesPattern]: { name: "Matches pattern", test: matches },
  [OPERATORS.DoesNotMatchPattern]: { name: "Does not match pattern", test: not(matches) },
  [OPERATORS.IsTrue]: { name: "Is True", test: isTrue },
  [OPERATORS.IsFalse]: { name: "Is False", test: (a) => text(a) === "false" },
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
  if (rule.objectTypeId !== OBJECT_TYPES.property && rule.objectTypeId !== OBJECT_TYPES.vocabularyKey)
    return [`${path}.objectTypeId ${String(rule.objectTypeId)} is not a known object type`];
  if (!rule.operator || !OPERATOR_TESTS[rule.operator])
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
  const operator = OPERATOR_TESTS[rule.operator ?? ""];
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
