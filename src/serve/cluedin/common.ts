import { randomUUID } from "node:crypto";
import type { RestEnum } from "../../cluedin/enums.js";
import type { Reply } from "../http-io.js";
import type { Principal } from "./auth.js";
import type { GoldenRecord } from "./conditions.js";
import type { CluedinStore, Collection, Stored } from "./store.js";

/** One call as a route handler sees it: path parameters, the checked query, the parsed body, who is asking. */
export interface Call {
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
  principal: Principal;
}

export interface Context {
  store: CluedinStore;
  /** The next timestamp, always later than the last (clock.ts). */
  now: () => string;
  organisationId: string;
  entities: GoldenRecord[];
}

/** One operation the stand-in answers; `path` is the published template it implements. */
export interface Route {
  method: string;
  path: string;
  /** Writes run one at a time and need a principal that is not read-only. */
  write: boolean;
  handle(call: Call, context: Context): Promise<Reply> | Reply;
}

/** ASP.NET Core's problem details (RFC 9457), the shape the platform's errors most likely have. */
export function problem(
  status: number,
  title: string,
  detail?: string,
  errors?: Record<string, string[]>,
  headers: Record<string, string> = {},
): Reply {
  return {
    status,
    body: {
      type: `https://tools.ietf.org/html/rfc9110#section-15.${status < 500 ? 5 : 6}.${status < 500 ? status - 399 : status - 499}`,
      title,
      status,
      ...(detail !== undefined ? { detail } : {}),
      ...(errors !== undefined ? { errors } : {}),
    },
    headers,
  };
}

export const ok = (body?: unknown): Reply => ({ status: 200, ...(body !== undefined ? { body } : {}) });
export const notFound = (what: string, id: string): Reply =>
  problem(404, "Not Found", `${what} ${id} was not found`);
export const invalid = (field: string, message: string): Reply =>
  problem(400, "One or more validation errors occurred.", `${field}: ${message}`, { [field]: [message] });

/** 200 with the object, or 404 naming what was asked for. */
export const found = (object: Stored | undefined, what: string, id: string | undefined): Reply =>
  object ? ok(object) : notFound(what, id ?? "");

export const newId = (): string => randomUUID();

/** The bookkeeping fields every object carries; `modifiedAt` moves on every write. */
export function stamp(
  before: Stored | undefined,
  principal: Principal,
  now: string,
): { createdAt: unknown; createdBy: unknown; modifiedAt: string; modifiedBy: string } {
  return {
    createdAt: before?.createdAt ?? now,
    createdBy: before?.createdBy ?? principal.userId,
    modifiedAt: now,
    modifiedBy: principal.userId,
  };
}

/** REST paging: `page` 0-based, `take` per page (the operation's default when absent): `{data, total}`. */
export function paged<T>(
  items: T[],
  query: Record<string, unknown>,
  defaultTake: number,
  pageName = "page",
): Reply {
  const page = numberOr(query[pageName], 0);
  const take = numberOr(query[pageName === "Page" ? "Take" : "take"], defaultTake);
  const start = Math.max(0, page) * Math.max(0, take);
  return ok({ data: items.slice(start, start + Math.max(0, take)), total: items.length });
}

/** `searchName`: a case-insensitive substring, never an exact match (clients filter exactly themselves). */
export function nameMatches(name: unknown, search: unknown): boolean {
  if (typeof search !== "string" || search === "") return true;
  return typeof name === "string" && name.toLowerCase().includes(search.toLowerCase());
}

/** An enum given as its integer or its name, as the integer (names from src/cluedin/enums.ts). */
export function enumInt(table: RestEnum, value: unknown, fallback: number): number {
  if (typeof value === "number") return value;
  // A query string's "2" may reach here unconverted (ajv does not coerce inside anyOf).
  if (typeof value === "string") {
    if (/^\d+$/.test(value)) return Number(value);
    // Names bind case-insensitively, as ASP.NET's enum binding does.
    const index = table.names.findIndex((n) => n.toLowerCase() === value.toLowerCase());
    return index < 0 ? fallback : index;
  }
  return fallback;
}

/** Oldest first, as the platform lists by default. */
export function byCreation(a: Stored, b: Stored): number {
  return String(a.createdAt).localeCompare(String(b.createdAt));
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isInteger(value) ? value : fallback;
}

/** `GET …/{param}`: the object, or 404. */
export function getRoute(path: string, collection: Collection, what: string, param = "id"): Route {
  return {
    method: "GET",
    path,
    write: false,
    handle: ({ params }, { store }) => found(store.get(collection, params[param] ?? ""), what, params[param]),
  };
}

/** `DELETE …/{param}`: 200 once gone, 404 when it never was. */
export function deleteRoute(path: string, collection: Collection, what: string, param = "id"): Route {
  return {
    method: "DELETE",
    path,
    write: true,
    async handle({ params }, { store }) {
      const id = params[param] ?? "";
      if (!store.get(collection, id)) return notFound(what, id);
      await store.remove(collection, id);
      return ok();
    },
  };
}

/** `…/activate` and `…/deactivate` under `base`, both setting `isActive`. */
export function activationRoutes(
  method: string,
  base: string,
  setActive: (call: Call, context: Context, isActive: boolean) => Promise<Reply>,
): Route[] {
  return [true, false].map((isActive) => ({
    method,
    path: `${base}/${isActive ? "activate" : "deactivate"}`,
    write: true,
    handle: (call: Call, context: Context) => setActive(call, context, isActive),
  }));
}

/** ASP.NET's ValidationProblemDetails for checks beyond the schema (an unknown operator, action, function). */
export const invalidModel = (errors: Record<string, string[]>): Reply =>
  problem(400, "One or more validation errors occurred.", Object.values(errors).flat().join("; "), errors);

/** Turns a request body into the stored object (`before` on an update), or says why the platform would refuse it. */
export type Build = (
  body: unknown,
  before: Stored | undefined,
  call: Call,
  context: Context,
) => Stored | Reply;

const refused = (built: Stored | Reply): built is Reply => !("id" in built);

/** `POST` that creates: 200 with the new id as a bare JSON string, as the platform answers. */
export function createRoute(path: string, collection: Collection, build: Build): Route {
  return {
    method: "POST",
    path,
    write: true,
    async handle(call, context) {
      const built = build(call.body, undefined, call, context);
      if (refused(built)) return built;
      await context.store.put(collection, built);
      return ok(built.id);
    },
  };
}

/** `PUT` that replaces the object whose id `idOf` finds (in the path or, for rules, the body). */
export function updateRoute(
  path: string,
  collection: Collection,
  what: string,
  build: Build,
  idOf: (call: Call) => string,
): Route {
  return {
    method: "PUT",
    path,
    write: true,
    async handle(call, context) {
      const before = context.store.get(collection, idOf(call));
      if (!before) return notFound(what, idOf(call));
      const built = build(call.body, before, call, context);
      if (refused(built)) return built;
      await context.store.put(collection, built);
      return ok();
    },
  };
}

export interface ListSpec {
  collection: Collection;
  /** `take` when the query has none (the published default). */
  take: number;
  /** The query parameter that searches, and the field it searches in (a substring, ignoring case). */
  search: [param: string, field: string];
  /** Filters the operation takes besides the search. */
  where?: (item: Stored, call: Call) => boolean;
  /** A list under a parent (`/vocabs/{vocabularyId}/keys`): 404 when the parent is not there. */
  parent?: { param: string; collection: Collection; what: string; field: string };
  /** The paging parameters' spelling: dedup projects publish `Page`/`Take`. */
  pageName?: "page" | "Page";
}

/** A `GET` list: oldest first, `{data, total}`, 0-based pages. */
export function listRoute(path: string, spec: ListSpec): Route {
  return {
    method: "GET",
    path,
    write: false,
    handle(call, { store }) {
      const parentId = spec.parent ? (call.params[spec.parent.param] ?? "") : undefined;
      if (spec.parent && !store.get(spec.parent.collection, parentId ?? ""))
        return notFound(spec.parent.what, parentId ?? "");
      const [param, field] = spec.search;
      const items = store
        .list(spec.collection)
        .filter((item) => !spec.parent || item[spec.parent.field] === parentId)
        .filter((item) => nameMatches(item[field], call.query[param]))
        .filter((item) => spec.where?.(item, call) ?? true)
        .sort(byCreation);
      return paged(items, call.query, spec.take, spec.pageName);
    },
  };
}

/** An optional equality filter: true when the query does not give `param`. */
export const givenOrEqual = (call: Call, param: string, value: unknown): boolean =>
  call.query[param] === undefined || call.query[param] === value;

/** Writes `before` with `changes` and fresh bookkeeping; 200. */
export async function restamp(
  context: Context,
  call: Call,
  collection: Collection,
  before: Stored,
  changes: Record<string, unknown>,
): Promise<Reply> {
  await context.store.put(collection, {
    ...before,
    ...changes,
    ...stamp(before, call.principal, context.now()),
  });
  return ok();
}
