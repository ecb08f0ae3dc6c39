import { CLUEDIN_ENUMS } from "../../cluedin/enums.js";
import { EMPTY_GUID } from "../../cluedin/model.js";
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
import type { FilterRule } from "./conditions.js";
import { ruleProblems } from "./rule-checks.js";
import type { Stored } from "./store.js";

type StreamBody = Record<string, unknown> & {
  condition?: FilterRule;
  rules?: (Record<string, unknown> & { id?: string | null; conditions?: FilterRule })[] | null;
  mode?: number | string;
};

/** `StreamStatus` 0: a new stream, not yet started (the stand-in never streams anything). */
const NEW = 0;

function streamFrom(
  body: StreamBody,
  before: Stored | undefined,
  call: Call,
  context: Context,
): Stored | string {
  // A stream's actions change only the exported copy; its filter and actions follow the rules' checks.
  const errors = ruleProblems(body.condition, body.rules, { survivorship: false });
  if (Object.keys(errors).length > 0) return Object.values(errors).flat().join("; ");
  const now = context.now();
  return {
    ...before,
    ...body,
    id: before?.id ?? newId(),
    organizationId: context.organisationId,
    rules: (body.rules ?? []).map((child, i) => ({
      ...child,
      id: child.id && child.id !== EMPTY_GUID ? child.id : newId(),
      order: child.order ?? i + 1,
    })),
    mode: enumInt(CLUEDIN_ENUMS.StreamMode, body.mode ?? before?.mode, 0),
    status: before?.status ?? NEW,
    rulesApplied: before?.rulesApplied ?? 0,
    requiresAttention: false,
    connectorProperties: before?.connectorProperties ?? null,
    dataTypes: before?.dataTypes ?? [],
    ...stamp(before, call.principal, now),
  };
}

const invalidStream = (detail: string) => problem(400, "One or more validation errors occurred.", detail);

export const streamRoutes: Route[] = [
  {
    method: "GET",
    path: "/api/v1/streams",
    write: false,
    handle({ query }, { store }) {
      const list = store
        .list("streams")
        .filter((s) => nameMatches(s.name, query.searchName))
        .filter(
          (s) =>
            query.filterConnectorProviderDefinitionId === undefined ||
            s.connectorProviderDefinitionId === query.filterConnectorProviderDefinitionId,
        )
        .sort(byCreation);
      return paged(list, query, 20);
    },
  },
  {
    method: "GET",
    path: "/api/v1/streams/{id}",
    write: false,
    handle: ({ params }, { store }) => found(store.get("streams", params.id ?? ""), "Stream", params.id),
  },
  {
    method: "POST",
    path: "/api/v1/streams",
    write: true,
    async handle(call, context) {
      // Names are not unique on the platform: two streams may share one.
      const stream = streamFrom(call.body as StreamBody, undefined, call, context);
      if (typeof stream === "string") return invalidStream(stream);
      await context.store.put("streams", stream);
      return ok(stream.id);
    },
  },
  {
    method: "PUT",
    path: "/api/v1/streams/{id}",
    write: true,
    async handle(call, context) {
      const before = context.store.get("streams", call.params.id ?? "");
      if (!before) return notFound("Stream", call.params.id ?? "");
      const stream = streamFrom(call.body as StreamBody, before, call, context);
      if (typeof stream === "string") return invalidStream(stream);
      await context.store.put("streams", stream);
      return ok();
    },
  },
  {
    method: "DELETE",
    path: "/api/v1/streams/{id}",
    write: true,
    async handle({ params }, { store }) {
      if (!store.get("streams", params.id ?? "")) return notFound("Stream", params.id ?? "");
      await store.remove("streams", params.id ?? "");
      return ok();
    },
  },
  {
    method: "POST",
    path: "/api/v1/streams/setupconnector/{streamid}",
    write: true,
    async handle({ params, body, principal }, { store, now }) {
      const before = store.get("streams", params.streamid ?? "");
      if (!before) return notFound("Stream", params.streamid ?? "");
      const given = body as Record<string, unknown> & {
        dataTypes?: { key?: string | null; type?: number | string; displayName?: string | null }[] | null;
      };
      // Export targets live in the platform's UI; the stand-in takes any id for one and keeps what was sent.
      const { oldContainerName: _old, existingContainerAction: _action, ...kept } = given;
      await store.put("streams", {
        ...before,
        ...kept,
        mode: enumInt(CLUEDIN_ENUMS.StreamMode, given.mode ?? before.mode, 0),
        dataTypes: (given.dataTypes ?? []).map((d) => ({
          ...d,
          type: enumInt(CLUEDIN_ENUMS.MappingTypeEnum, d.type, 0),
        })),
        connectorProperties: given.connectorProperties ?? null,
        ...stamp(before, principal, now()),
      });
      return ok();
    },
  },
];
