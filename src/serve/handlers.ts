import type { IncomingHttpHeaders } from "node:http";
import {
  FORCE_SCOPE,
  TargetError,
  type CallMeta,
  type ConfigStore,
  type ReleaseInput,
  type ResourceWrite,
  type RestKind,
} from "../target/contract.js";
import type { Grant, TokenIssuer } from "./auth.js";
import { errorReply, type Reply } from "./http-io.js";
import { issueToken } from "./token-endpoint.js";

/** A call that passed routing, authentication and validation against the OpenAPI document. */
export interface Call {
  params: Record<string, string>;
  query: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  body: unknown;
  meta: CallMeta;
  /** Absent only on the token endpoint. */
  grant: Grant | undefined;
}

export interface Context {
  store: ConfigStore;
  tokens: TokenIssuer;
}

export type Handler = (call: Call, context: Context) => Promise<Reply>;

/**
 * One handler per operationId of openapi/clue-target.openapi.yaml; the document decides paths, methods, scopes and
 * what a valid request is, so a handler only does the work. A test checks both sides name the same operations.
 */
export const handlers: Record<string, Handler> = {
  issueToken: (call, { tokens }) => Promise.resolve(issueToken(call, tokens)),

  getMe: ({ grant }) =>
    Promise.resolve({ status: 200, body: { subject: grant?.clientId, scopes: grant?.scopes } }),

  async listResources({ params, query }, { store }) {
    const page = await store.list(params.kind as RestKind, {
      limit: query.limit as number,
      cursor: (query.cursor as string | undefined) ?? null,
    });
    return { status: 200, body: page };
  },

  async getResource({ params }, { store }) {
    const resource = await store.get(params.kind as RestKind, params.name as string);
    if (!resource) throw new TargetError(404, "not_found", `${params.kind}/${params.name} does not exist`);
    return { status: 200, body: resource, headers: { ETag: resource.etag } };
  },

  async putResource({ params, headers, body, meta }, { store }) {
    const { spec, labels } = body as Partial<ResourceWrite> & { spec: Record<string, unknown> };
    const kind = params.kind as RestKind;
    const name = params.name as string;
    const { status, resource } = await store.put(
      kind,
      name,
      { spec, labels: labels ?? {} },
      preconditions(headers, true),
      meta,
    );
    const location = `/api/config/${kind}/${encodeURIComponent(name)}`;
    return {
      status,
      body: resource,
      headers: { ETag: resource.etag, ...(status === 201 ? { Location: location } : {}) },
    };
  },

  async deleteResource({ params, headers, meta }, { store }) {
    await store.delete(params.kind as RestKind, params.name as string, preconditions(headers, false), meta);
    return { status: 204 };
  },

  async acquireLock({ params, body, meta }, { store }) {
    const lock = await store.acquireLock(
      params.env as string,
      body as { holder: string; reason?: string },
      meta,
    );
    return { status: 201, body: lock };
  },

  async releaseLock({ params, query, grant, meta }, { store }) {
    const force = query.force === true;
    // Checked before the store is asked anything, so a client without the scope learns nothing about the lock.
    if (force && !grant?.scopes.includes(FORCE_SCOPE))
      return errorReply(
        403,
        "insufficient_scope",
        `DELETE /api/locks/{env}/{lock_id}?force=true (breaking a lock another client took) needs the scope ${FORCE_SCOPE}`,
        { required_scope: FORCE_SCOPE },
        { "WWW-Authenticate": `Bearer realm="clue", error="insufficient_scope", scope="${FORCE_SCOPE}"` },
      );
    await store.releaseLock(params.env as string, params.lock_id as string, meta, { force });
    return { status: 204 };
  },

  async listReleases({ query }, { store }) {
    return { status: 200, body: { items: await store.listReleases(query.env as string) } };
  },

  async createRelease({ body, meta }, { store }) {
    return { status: 201, body: await store.createRelease(body as ReleaseInput, meta) };
  },

  async listAudit({ query }, { store }) {
    const filter = { action: query.action as string | undefined, since: query.since as string | undefined };
    return { status: 200, body: { items: await store.audit(filter) } };
  },
};

function preconditions(
  headers: IncomingHttpHeaders,
  create: boolean,
): { ifMatch?: string; ifNoneMatch?: "*" } {
  const ifMatch = headers["if-match"];
  const ifNoneMatch = create ? headers["if-none-match"] : undefined;
  if (ifMatch !== undefined && ifNoneMatch !== undefined)
    throw new TargetError(
      400,
      "invalid_request",
      "send If-Match (update) or If-None-Match: * (create), not both",
    );
  return {
    ...(ifMatch !== undefined ? { ifMatch } : {}),
    ...(ifNoneMatch === "*" ? { ifNoneMatch: "*" as const } : {}),
  };
}
