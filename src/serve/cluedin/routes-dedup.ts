import { REST_ENUMS } from "../../cluedin/enums.js";
import type { Reply } from "../http-io.js";
import {
  activationRoutes,
  type Build,
  type Call,
  type Context,
  createRoute,
  enumInt,
  givenOrEqual,
  invalidModel,
  listRoute,
  newId,
  notFound,
  ok,
  restamp,
  type Route,
  stamp,
  updateRoute,
} from "./common.js";
import { filterProblems, type FilterRule } from "./conditions.js";
import { MATCHING_CATALOGUE } from "./matching-functions.js";
import type { Stored } from "./store.js";

type ProjectBody = Record<string, unknown> & {
  name: string;
  deduplicationScopeFilter: FilterRule;
  deduplicationScopeFilterType: number | string;
};

type Criterion = Record<string, unknown> & {
  objectType: number | string;
  matchingTypeId: string;
  normalizationConfiguration?: { id?: string; displayName?: string | null; configuration?: unknown }[] | null;
};

/** The lifecycle stages a project can be in without generating matches (the stand-in never generates any). */
const REQUIRES_CONFIGURATION = "RequiresConfiguration";
const READY_TO_GENERATE = "ReadyToGenerate";

const projectFrom: Build = (given, before, call, context) => {
  const body = given as ProjectBody;
  const problems = filterProblems(body.deduplicationScopeFilter, "deduplicationScopeFilter");
  if (problems.length > 0) return invalidModel({ deduplicationScopeFilter: problems });
  return {
    ...before,
    ...body,
    id: before?.id ?? newId(),
    deduplicationScopeFilterType: enumInt(
      REST_ENUMS.DeduplicationScopeFilterType,
      body.deduplicationScopeFilterType,
      0,
    ),
    description: body.description ?? null,
    status: before?.status ?? REQUIRES_CONFIGURATION,
    ...stamp(before, call.principal, context.now()),
  };
};

/** Ids the catalogue does not hold are refused, as the platform refuses an unknown matching function. */
function criteriaFrom(criteria: Criterion[] | null | undefined): Criterion[] | Reply {
  const errors: Record<string, string[]> = {};
  const out = (criteria ?? []).map((c, i) => {
    if (!MATCHING_CATALOGUE.matchingFunctions.some((f) => f.id === c.matchingTypeId))
      errors[`matchingCriteria[${i}].matchingTypeId`] = [`${c.matchingTypeId} is not a matching function`];
    const normalizations = (c.normalizationConfiguration ?? []).map((n, j) => {
      const entry = MATCHING_CATALOGUE.normalizations.find((e) => e.id === n.id);
      if (!entry)
        errors[`matchingCriteria[${i}].normalizationConfiguration[${j}].id`] = [
          `${n.id} is not a normalization`,
        ];
      return { ...n, displayName: entry?.displayName ?? n.displayName ?? null };
    });
    return {
      ...c,
      objectType: enumInt(REST_ENUMS.MatchingLevel, c.objectType, 0),
      normalizationConfiguration: normalizations,
    };
  });
  return Object.keys(errors).length > 0 ? invalidModel(errors) : out;
}

async function projectStage(context: Context, projectId: string, call: Call): Promise<void> {
  const project = context.store.get("dedupProjects", projectId);
  if (!project) return;
  const hasRules = context.store.list("dedupRules").some((r) => r.projectId === projectId);
  const status = hasRules ? READY_TO_GENERATE : REQUIRES_CONFIGURATION;
  if (project.status !== status)
    await context.store.put("dedupProjects", {
      ...project,
      status,
      ...stamp(project, call.principal, context.now()),
    });
}

function ruleOf(call: Call, context: Context): { rule: Stored } | { reply: Reply } {
  const project = context.store.get("dedupProjects", call.params.projectId ?? "");
  if (!project) return { reply: notFound("Deduplication project", call.params.projectId ?? "") };
  const rule = context.store.get("dedupRules", call.params.ruleId ?? "");
  if (!rule || rule.projectId !== project.id)
    return { reply: notFound("Deduplication rule", call.params.ruleId ?? "") };
  return { rule };
}

async function setActive(call: Call, context: Context, isActive: boolean): Promise<Reply> {
  const found = ruleOf(call, context);
  if ("reply" in found) return found.reply;
  return restamp(context, call, "dedupRules", found.rule, { isActive });
}

export const dedupRoutes: Route[] = [
  listRoute("/api/deduplication/projects", {
    collection: "dedupProjects",
    take: 20,
    search: ["SearchTerm", "name"],
    pageName: "Page",
  }),
  // Names are not unique on the platform: two projects may share one.
  createRoute("/api/deduplication/projects", "dedupProjects", projectFrom),
  updateRoute(
    "/api/deduplication/projects/{projectId}",
    "dedupProjects",
    "Deduplication project",
    projectFrom,
    (call) => call.params.projectId ?? "",
  ),
  {
    method: "DELETE",
    path: "/api/deduplication/projects/{projectId}",
    write: true,
    async handle({ params }, { store }) {
      const id = params.projectId ?? "";
      if (!store.get("dedupProjects", id)) return notFound("Deduplication project", id);
      for (const rule of store.list("dedupRules").filter((r) => r.projectId === id))
        await store.remove("dedupRules", rule.id);
      await store.remove("dedupProjects", id);
      return ok();
    },
  },
  listRoute("/api/deduplication/projects/{projectId}/rules", {
    collection: "dedupRules",
    take: 10,
    search: ["searchTerm", "name"],
    where: (rule, call) => givenOrEqual(call, "filterIsActive", rule.isActive),
    parent: {
      param: "projectId",
      collection: "dedupProjects",
      what: "Deduplication project",
      field: "projectId",
    },
  }),
  {
    method: "POST",
    path: "/api/deduplication/projects/{projectId}/rules",
    write: true,
    async handle(call, context) {
      const projectId = call.params.projectId ?? "";
      if (!context.store.get("dedupProjects", projectId)) return notFound("Deduplication project", projectId);
      const body = call.body as { name: string; matchingCriteria?: Criterion[] | null };
      const criteria = criteriaFrom(body.matchingCriteria);
      if (!Array.isArray(criteria)) return criteria;
      const order = context.store.list("dedupRules").filter((r) => r.projectId === projectId).length + 1;
      const id = newId();
      await context.store.put("dedupRules", {
        id,
        projectId,
        name: body.name,
        matchingCriteria: criteria,
        isActive: true,
        order,
        ...stamp(undefined, call.principal, context.now()),
      });
      await projectStage(context, projectId, call);
      return ok(id);
    },
  },
  {
    method: "PUT",
    path: "/api/deduplication/projects/{projectId}/rules/{ruleId}",
    write: true,
    async handle(call, context) {
      const found = ruleOf(call, context);
      if ("reply" in found) return found.reply;
      const body = call.body as { name: string; matchingCriteria?: Criterion[] | null };
      const criteria = criteriaFrom(body.matchingCriteria);
      if (!Array.isArray(criteria)) return criteria;
      return restamp(context, call, "dedupRules", found.rule, {
        name: body.name,
        matchingCriteria: criteria,
      });
    },
  },
  {
    method: "DELETE",
    path: "/api/deduplication/projects/{projectId}/rules/{ruleId}",
    write: true,
    async handle(call, context) {
      const found = ruleOf(call, context);
      if ("reply" in found) return found.reply;
      await context.store.remove("dedupRules", found.rule.id);
      await projectStage(context, call.params.projectId ?? "", call);
      return ok();
    },
  },
  ...activationRoutes("PUT", "/api/deduplication/projects/{projectId}/rules/{ruleId}", setActive),
  {
    method: "GET",
    path: "/api/deduplication/projects/rules/matchingfunctions",
    write: false,
    handle: () => ok(MATCHING_CATALOGUE),
  },
];
