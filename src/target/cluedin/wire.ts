import { enumFromRest, enumToInt, REST_ENUMS, type RestEnumName } from "../../cluedin/enums.js";
import {
  EMPTY_GUID,
  type ChildRule,
  type Condition,
  type MatchingCriterion,
  type RuleAction,
} from "../../cluedin/model.js";
import { TargetError } from "../contract.js";

/**
 * The model (src/cluedin/model.ts: enums by name, no ids) to and from the platform's REST bodies (integers, ids,
 * bookkeeping). Reading is defensive: the answers' shapes are mostly undeclared (DIGEST section 3), so a missing
 * field reads as its empty value rather than crashing, and anything unreadable is an error naming the object.
 */

export type Json = Record<string, unknown>;

/** The platform's integer for a model name (REST enums are integers); an unknown name is a bug in the compiler. */
export function toInt(type: RestEnumName, name: string): number {
  const value = enumToInt(type, name);
  if (value === undefined)
    throw new TargetError(0, "bad_enum", `${type} "${name}" has no integer in src/cluedin/enums.ts`);
  return value;
}

/** A name for an integer (or a name the platform answered already); an integer the table lacks reads as `#<n>`. */
export function toName(type: RestEnumName, value: unknown): string {
  const name = enumFromRest(type, value);
  if (name !== undefined) return name;
  if (typeof value === "string") return value;
  return typeof value === "number" ? `#${value}` : (REST_ENUMS[type].names[0] ?? "");
}

const str = (v: unknown): string =>
  typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : "";

/** A condition tree as `FilterRule` (node ids left out: the platform assigns them, and they are never compared). */
export function conditionBody(c: Condition): Json {
  if (c.kind === "group")
    return {
      objectTypeId: EMPTY_GUID,
      condition: c.condition,
      field: null,
      operator: EMPTY_GUID,
      rules: c.rules.map(conditionBody),
      type: null,
      value: null,
    };
  return {
    objectTypeId: c.objectTypeId,
    condition: "AND",
    field: c.field,
    operator: c.operator,
    rules: [],
    type: c.type,
    value: c.value,
  };
}

/** A `FilterRule` as the model's condition: a group when it has no object type and no field. */
export function conditionModel(raw: unknown): Condition {
  const r = (raw ?? {}) as Json;
  const children = Array.isArray(r.rules) ? r.rules : [];
  const objectTypeId = str(r.objectTypeId) || EMPTY_GUID;
  if (children.length > 0 || (objectTypeId === EMPTY_GUID && !r.field))
    return {
      kind: "group",
      condition: r.condition === "OR" ? "OR" : "AND",
      rules: children.map(conditionModel),
    };
  return {
    kind: "leaf",
    objectTypeId,
    field: typeof r.field === "string" ? r.field : null,
    operator: str(r.operator) || EMPTY_GUID,
    type: typeof r.type === "string" ? r.type : null,
    value: Array.isArray(r.value) ? r.value.map(str) : [],
  };
}

/** `Namespace.Type, Assembly`: older servers append version, culture and key, which say nothing about the action. */
export const actionType = (type: unknown): string =>
  str(type)
    .split(",")
    .slice(0, 2)
    .map((s) => s.trim())
    .join(", ");

const EXPRESSION_PROPERTY = "Expression";

function actionBody(a: RuleAction): Json {
  return {
    name: a.name,
    type: a.type,
    properties: Object.entries(a.properties).map(([name, value]) => ({
      name,
      type: "System.String",
      value,
      // A Formula Action's expression is edited as one; every other property is a plain value.
      kind: toInt("ActionControlKind", name === EXPRESSION_PROPERTY ? "Expression" : "None"),
    })),
  };
}

function actionModel(raw: unknown): RuleAction {
  const a = (raw ?? {}) as Json;
  const properties: Record<string, string> = {};
  for (const p of Array.isArray(a.properties) ? (a.properties as Json[]) : [])
    if (typeof p.name === "string") properties[p.name] = str(p.value);
  return { name: str(a.name), type: actionType(a.type), properties };
}

/** Child processing rules; `ids` keeps the platform's ids of children that stay (by name) on an update. */
export function childRulesBody(rules: ChildRule[], ids: ReadonlyMap<string, string> = new Map()): Json[] {
  return rules.map((r) => ({
    ...(ids.has(r.name) ? { id: ids.get(r.name) } : {}),
    name: r.name,
    type: "ProcessingRule",
    order: r.order,
    isActive: r.isActive,
    conditions: conditionBody(r.conditions),
    actions: r.actions.map(actionBody),
  }));
}

export function childRulesModel(raw: unknown): ChildRule[] {
  return (Array.isArray(raw) ? (raw as Json[]) : [])
    .map((r, i) => ({
      name: str(r.name),
      order: typeof r.order === "number" ? r.order : i + 1,
      isActive: r.isActive !== false,
      conditions: conditionModel(r.conditions),
      actions: (Array.isArray(r.actions) ? r.actions : []).map(actionModel),
    }))
    .sort((a, b) => a.order - b.order);
}

/** Child ids by name, so an update keeps them (the platform's history and error log hang on them). */
export function childIds(raw: unknown): Map<string, string> {
  const ids = new Map<string, string>();
  for (const r of Array.isArray(raw) ? (raw as Json[]) : [])
    if (typeof r.name === "string" && typeof r.id === "string") ids.set(r.name, r.id);
  return ids;
}

/** The deduplication catalogue: display name ↔ id, for matching functions and normalisations. */
export interface Catalogue {
  functions: Map<string, string>;
  normalizations: Map<string, string>;
}

export function catalogueOf(raw: unknown): Catalogue {
  const body = (raw ?? {}) as Json;
  const map = (list: unknown) =>
    new Map(
      (Array.isArray(list) ? (list as Json[]) : [])
        .filter((e) => typeof e.id === "string" && typeof e.displayName === "string")
        .map((e) => [e.displayName as string, e.id as string]),
    );
  return { functions: map(body.matchingFunctions), normalizations: map(body.normalizations) };
}

const byId = (m: Map<string, string>, id: string) => [...m].find(([, v]) => v === id)?.[0];

/** The catalogue says which id a display name has; one it does not hold is refused by name before any write. */
function idIn(m: Map<string, string>, name: string, what: string): string {
  const id = m.get(name);
  if (id === undefined)
    throw new TargetError(
      0,
      "unknown_matching_function",
      `the platform's deduplication catalogue has no ${what} "${name}" (GET /api/deduplication/projects/rules/matchingfunctions lists ${[...m.keys()].slice(0, 12).join(", ")})`,
    );
  return id;
}

/** The comparison configuration is a map of strings on the platform; the model keeps numbers and booleans as such. */
const configBody = (c: Record<string, unknown> | null) =>
  c === null
    ? null
    : Object.fromEntries(
        Object.entries(c).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
      );

function configModel(raw: unknown): Record<string, unknown> | null {
  if (raw === null || typeof raw !== "object") return null;
  return Object.fromEntries(
    Object.entries(raw as Json).map(([k, v]) => {
      if (typeof v !== "string") return [k, v];
      if (v === "true" || v === "false") return [k, v === "true"];
      return [k, /^-?(0|[1-9]\d*)(\.\d+)?$/.test(v) && String(Number(v)) === v ? Number(v) : v];
    }),
  );
}

export function criteriaBody(criteria: MatchingCriterion[], catalogue: Catalogue): Json[] {
  return criteria.map((c) => ({
    name: c.name,
    objectType: toInt("MatchingLevel", c.objectType),
    fieldName: c.fieldName,
    matchingTypeId: idIn(catalogue.functions, c.matchingFunction, "matching function"),
    comparisonConfiguration: configBody(c.comparisonConfiguration),
    normalizationConfiguration: c.normalizations.map((n) => ({
      id: idIn(catalogue.normalizations, n.name, "normalisation"),
      configuration: configBody(n.configuration),
    })),
  }));
}

export function criteriaModel(raw: unknown, catalogue: Catalogue): MatchingCriterion[] {
  return (Array.isArray(raw) ? (raw as Json[]) : []).map((c) => ({
    name: str(c.name),
    objectType: toName("MatchingLevel", c.objectType) === "Property" ? "Property" : "VocabularyKey",
    fieldName: str(c.fieldName),
    matchingFunction: byId(catalogue.functions, str(c.matchingTypeId)) ?? str(c.matchingTypeId),
    comparisonConfiguration: configModel(c.comparisonConfiguration),
    normalizations: (Array.isArray(c.normalizationConfiguration)
      ? (c.normalizationConfiguration as Json[])
      : []
    ).map((n) => ({
      name:
        byId(catalogue.normalizations, str(n.id)) ??
        (typeof n.displayName === "string" ? n.displayName : str(n.id)),
      configuration: configModel(n.configuration),
    })),
  }));
}
