import { REST_ENUMS } from "../../cluedin/enums.js";
import { EMPTY_GUID } from "../../cluedin/model.js";
import type { Reply } from "../http-io.js";
import {
  activationRoutes,
  type Build,
  type Call,
  type Context,
  createRoute,
  deleteRoute,
  enumInt,
  getRoute,
  givenOrEqual,
  listRoute,
  nameMatches,
  newId,
  notFound,
  paged,
  problem,
  restamp,
  type Route,
  stamp,
  updateRoute,
} from "./common.js";
import { evaluate, type FilterRule } from "./conditions.js";
import { ruleProblems } from "./rule-checks.js";
import type { Stored } from "./store.js";

/** The header that says an answer counted Power Fx conditions as matching nothing (the stand-in cannot run them). */
export const UNEVALUATED_HEADER = "x-clue-unevaluated";

const SCOPE = REST_ENUMS.ProcessingRuleScope;
const SURVIVORSHIP = 2;

type RuleBody = {
  id?: string;
  name?: string | null;
  description?: string | null;
  isActive?: boolean;
  scope?: number | string;
  order?: number;
  condition?: FilterRule;
  rules?: (Record<string, unknown> & { id?: string | null; conditions?: FilterRule })[] | null;
  sourceObjectId?: string | null;
  sourceTypeId?: string | null;
};

/** The fields a client may set; the server keeps its own counters and bookkeeping. */
const ruleFrom: Build = (given, before, call, context) => {
  const body = given as RuleBody;
  const scope = enumInt(SCOPE, body.scope ?? before?.scope, 0);
  const errors = ruleProblems(body.condition, body.rules, { survivorship: scope === SURVIVORSHIP });
  if (Object.keys(errors).length > 0)
    return problem(
      400,
      "One or more validation errors occurred.",
      Object.values(errors).flat().join("; "),
      errors,
    );
  const now = context.now();
  const id = before?.id ?? newId();
  const children = (body.rules ?? []).map((child, i) => {
    const earlier = (before?.rules as Stored[] | undefined)?.find((c) => c.id === child.id);
    return {
      ...child,
      id: child.id && child.id !== EMPTY_GUID ? child.id : newId(),
      organizationId: context.organisationId,
      type: child.type ?? "ProcessingRule",
      order: child.order ?? i + 1,
      isActive: child.isActive ?? true,
      ...stamp(earlier, call.principal, now),
    };
  });
  return {
    id,
    organizationId: context.organisationId,
    name: body.name ?? null,
    description: body.description ?? null,
    isActive: body.isActive ?? false,
    order: body.order ?? before?.order ?? 0,
    scope,
    condition: body.condition ?? null,
    rules: children,
    numberOfRecords: before?.numberOfRecords ?? 0,
    rulesApplied: before?.rulesApplied ?? 0,
    sourceObjectId: body.sourceObjectId ?? null,
    sourceTypeId: body.sourceTypeId ?? null,
    isReprocessing: false,
    requiresAttention: false,
    hasFailed: false,
    affectedRecords: 0,
    ...stamp(before, call.principal, now),
  };
};

async function setActive(call: Call, context: Context, isActive: boolean): Promise<Reply> {
  const before = context.store.get("rules", call.params.id ?? "");
  if (!before) return notFound("Rule", call.params.id ?? "");
  return restamp(context, call, "rules", before, { isActive });
}

export const ruleRoutes: Route[] = [
  // One scope per call, DataPart when none is given: a client that forgets the others never sees them.
  listRoute("/api/v1/rules", {
    collection: "rules",
    take: 20,
    search: ["searchName", "name"],
    where: (rule, call) =>
      rule.scope === enumInt(SCOPE, call.query.scope, 0) && givenOrEqual(call, "filterActive", rule.isActive),
  }),
  getRoute("/api/v1/rules/{id}", "rules", "Rule"),
  createRoute("/api/v1/rules", "rules", ruleFrom),
  updateRoute("/api/v1/rules", "rules", "Rule", ruleFrom, (call) => (call.body as RuleBody).id ?? ""),
  deleteRoute("/api/v1/rules/{id}", "rules", "Rule"),
  ...activationRoutes("POST", "/api/v1/rules/{id}", setActive),
  {
    method: "GET",
    path: "/api/v1/rules/rule/{ruleId}/affectedrecords",
    write: false,
    handle({ params, query }, { store, entities }) {
      const rule = store.get("rules", params.ruleId ?? "");
      if (!rule) return notFound("Rule", params.ruleId ?? "");
      const seen = { powerFx: false };
      const records = entities
        .filter((record) => evaluate(rule.condition as FilterRule, record, seen))
        .filter((record) => nameMatches(record.name, query.searchName))
        .map(({ id, name, entityType }) => ({ id, name, entityType }));
      const reply = paged(records, query, 20);
      return seen.powerFx
        ? {
            ...reply,
            headers: { [UNEVALUATED_HEADER]: "powerfx: Power Fx conditions counted as matching nothing" },
          }
        : reply;
    },
  },
];
