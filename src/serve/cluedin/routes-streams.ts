import { REST_ENUMS } from "../../cluedin/enums.js";
import { EMPTY_GUID } from "../../cluedin/model.js";
import {
  type Build,
  createRoute,
  deleteRoute,
  enumInt,
  getRoute,
  givenOrEqual,
  invalidModel,
  listRoute,
  newId,
  notFound,
  ok,
  type Route,
  stamp,
  updateRoute,
} from "./common.js";
import type { FilterRule } from "./conditions.js";
import { ruleProblems } from "./rule-checks.js";

type StreamBody = Record<string, unknown> & {
  condition?: FilterRule;
  rules?: (Record<string, unknown> & { id?: string | null; conditions?: FilterRule })[] | null;
  mode?: number | string;
};

/** `StreamStatus` 0: a new stream, not yet started (the stand-in never streams anything). */
const NEW = 0;

const streamFrom: Build = (given, before, call, context) => {
  const body = given as StreamBody;
  // A stream's actions change only the exported copy; its filter and actions follow the rules' checks.
  const errors = ruleProblems(body.condition, body.rules, { survivorship: false });
  if (Object.keys(errors).length > 0) return invalidModel(errors);
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
    mode: enumInt(REST_ENUMS.StreamMode, body.mode ?? before?.mode, 0),
    status: before?.status ?? NEW,
    rulesApplied: before?.rulesApplied ?? 0,
    requiresAttention: false,
    connectorProperties: before?.connectorProperties ?? null,
    dataTypes: before?.dataTypes ?? [],
    ...stamp(before, call.principal, now),
  };
};

export const streamRoutes: Route[] = [
  listRoute("/api/v1/streams", {
    collection: "streams",
    take: 20,
    search: ["searchName", "name"],
    where: (stream, call) =>
      givenOrEqual(call, "filterConnectorProviderDefinitionId", stream.connectorProviderDefinitionId),
  }),
  getRoute("/api/v1/streams/{id}", "streams", "Stream"),
  // Names are not unique on the platform: two streams may share one.
  createRoute("/api/v1/streams", "streams", streamFrom),
  updateRoute("/api/v1/streams/{id}", "streams", "Stream", streamFrom, (call) => call.params.id ?? ""),
  deleteRoute("/api/v1/streams/{id}", "streams", "Stream"),
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
        mode: enumInt(REST_ENUMS.StreamMode, given.mode ?? before.mode, 0),
        dataTypes: (given.dataTypes ?? []).map((d) => ({
          ...d,
          type: enumInt(REST_ENUMS.MappingTypeEnum, d.type, 0),
        })),
        connectorProperties: given.connectorProperties ?? null,
        ...stamp(before, principal, now()),
      });
      return ok();
    },
  },
];
