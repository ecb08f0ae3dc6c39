import { CLUEDIN_ENUMS } from "../../cluedin/enums.js";
import { EMPTY_GUID } from "../../cluedin/model.js";
import type { Reply } from "../http-io.js";
import {
  byCreation,
  enumInt,
  found,
  nameMatches,
  newId,
  notFound,
  ok,
  paged,
  problem,
  stamp,
  type Call,
  type Context,
  type Route,
} from "./common.js";
import { evaluate, type FilterRule } from "./conditions.js";
import { ruleProblems } from "./rule-checks.js";
import type { Stored } from "./store.js";

/** The header that says an answer counted Power Fx conditions as matching nothing (the stand-in cannot run them). */
export const UNEVALUATED_HEADER = "x-clue-unevaluated";

const SCOPE = CLUEDIN_ENUMS.ProcessingRuleScope;
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
function ruleFrom(body: RuleBody, before: Stored | undefined, call: Call, context: Context): Stored | Reply {
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
}

async function setActive(call: Call, context: Context, isActive: boolean): Promise<Reply> {
  const before = context.store.get("rules", call.params.id ?? "");
  if (!before) return notFound("Rule", call.params.id ?? "");
  await context.store.put("rules", {
    ...before,
    isActive,
    ...stamp(before, call.principal, context.now()),
  });
  return ok();
}

export const ruleRoutes: Route[] = [
  {
    method: "GET",
    path: "/api/v1/rules",
    write: false,
    handle({ query }, { store }) {
      // One scope per call, DataPart when none is given: a client that forgets the others never sees them.
      const scope = enumInt(SCOPE, query.scope, 0);
      const rules = store
        .list("rules")
        .filter((r) => r.scope === scope)
        .filter((r) => query.filterActive === undefined || r.isActive === query.filterActive)
        .filter((r) => nameMatches(r.name, query.searchName))
        .sort(byCreation);
      return paged(rules, query, 20);
    },
  },
  {
    method: "GET",
    path: "/api/v1/rules/{id}",
    write: false,
    handle({ params }, { store }) {
      return found(store.get("rules", params.id ?? ""), "Rule", params.id);
    },
  },
  {
    method: "POST",
    path: "/api/v1/rules",
    write: true,
    async handle(call, context) {
      const rule = ruleFrom(call.body as RuleBody, undefined, call, context);
      if ("status" in rule) return rule as Reply;
      await context.store.put("rules", rule);
      // A bare JSON string: the new id.
      return ok(rule.id);
    },
  },
  {
    method: "PUT",
    path: "/api/v1/rules",
    write: true,
    async handle(call, context) {
      const body = call.body as RuleBody;
      const before = context.store.get("rules", body.id ?? "");
      if (!before) return notFound("Rule", body.id ?? "");
      const rule = ruleFrom(body, before, call, context);
      if ("status" in rule) return rule as Reply;
      await context.store.put("rules", rule);
      return ok();
    },
  },
  {
    method: "DELETE",
    path: "/api/v1/rules/{id}",
    write: true,
    async handle({ params }, { store }) {
      if (!store.get("rules", params.id ?? "")) return notFound("Rule", params.id ?? "");
      await store.remove("rules", params.id ?? "");
      return ok();
    },
  },
  {
    method: "POST",
    path: "/api/v1/rules/{id}/activate",
    write: true,
    handle: (c, x) => setActive(c, x, true),
  },
  {
    method: "POST",
    path: "/api/v1/rules/{id}/deactivate",
    write: true,
    handle: (c, x) => setActive(c, x, false),
  },
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
